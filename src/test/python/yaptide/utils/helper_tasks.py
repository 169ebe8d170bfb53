"""Stand-in clean-up task: revokes whatever of the simulation the workers still hold."""
import logging

from yaptide.utils.helper_worker import celery_app


def _held_by_workers(simulation_id):
    ids = []
    inspect = celery_app.control.inspect(timeout=1.0)
    for listing in (inspect.active() or {}, inspect.reserved() or {}):
        for requests in listing.values():
            for request in requests:
                if (request.get("kwargs") or {}).get("simulation_id") == simulation_id:
                    ids.append(request["id"])
    return ids


@celery_app.task
def terminate_unfinished_tasks(simulation_id: int):
    ids = _held_by_workers(simulation_id)
    logging.info("clean-up of simulation %s: revoking %s", simulation_id, ids)
    if ids:
        celery_app.control.revoke(ids, terminate=True, signal="SIGINT")
    return ids
