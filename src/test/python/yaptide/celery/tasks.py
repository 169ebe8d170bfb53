"""Stand-in of the original's simulation tasks: reports over HTTP instead of simulating.

Each task reports as the original's does: its celery id first, RUNNING with a start time, progress,
then COMPLETED (returning estimators) or FAILED (returning log files). The merge chain posts
MERGING_QUEUED and MERGING_RUNNING to /jobs, the log files of failed tasks to /logfiles and the
averaged estimators to /results. A non-JSON or non-202 answer makes it raise, as the original.
"""
import json
import os
import re
import time
from datetime import datetime

import requests

from yaptide.celery.simulation_worker import celery_app


def _backend():
    url = os.environ.get("BACKEND_INTERNAL_URL")
    if not url:
        raise RuntimeError("BACKEND_INTERNAL_URL is not set")
    return url


def _post(path, body):
    answer = requests.post(f"{_backend()}{path}", json=body, timeout=30)
    answer.json()  # raises on a non-JSON answer, as the original's worker does
    if answer.status_code != 202:
        raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text}")


def _task_update(simulation_id, task_id, update_key, update):
    _post("/tasks", {"simulation_id": simulation_id, "task_id": task_id, "update_key": update_key,
                     "update_dict": update})


def _now():
    return datetime.utcnow().isoformat(sep=" ")


def _primaries(files_dict):
    beam = files_dict.get("beam.dat", "")
    m = re.search(r"^\s*NSTAT\s+(\d+)", beam, re.MULTILINE)
    return int(m.group(1)) if m else 1000


def _steer(files_dict):
    try:
        return json.loads(files_dict.get("standin.json", "{}"))
    except ValueError:
        return {}


@celery_app.task(bind=True)
def run_single_simulation(self, files_dict: dict, task_id: int, update_key: str = "", simulation_id: int = None,
                          keep_tmp_files: bool = False, sim_type: str = "shieldhit") -> dict:
    _task_update(simulation_id, task_id, update_key, {"celery_id": self.request.id})
    if sim_type not in ("shieldhit", "fluka"):
        # the original's task handles only these two and raises on any other
        raise ValueError(f"simulator {sim_type} is not run by this worker")
    steer = _steer(files_dict)
    mode = steer.get("mode", "ok")
    seconds = float(steer.get("seconds", 0.3))
    requested = _primaries(files_dict)
    time.sleep(float(steer.get("start_delay", 0)))
    _task_update(simulation_id, task_id, update_key,
                 {"task_state": "RUNNING", "start_time": _now(), "requested_primaries": requested})
    if mode == "hang":
        while True:  # until revoked (SIGINT)
            time.sleep(0.2)
    time.sleep(seconds / 2)
    _task_update(simulation_id, task_id, update_key,
                 {"simulated_primaries": requested // 2, "estimated_time": int(seconds / 2)})
    time.sleep(seconds / 2)
    if mode == "fail":
        _task_update(simulation_id, task_id, update_key, {"task_state": "FAILED", "end_time": _now()})
        return {"logfiles": {f"shieldhit_{task_id + 1:04d}.log": f"stand-in: task {task_id} crashed\n"},
                "stdout": "", "stderr": "crash", "simulation_id": simulation_id, "update_key": update_key}
    _task_update(simulation_id, task_id, update_key,
                 {"task_state": "COMPLETED", "end_time": _now(), "simulated_primaries": requested,
                  "requested_primaries": requested})
    estimator = {"name": "z_profile_",
                 "metadata": {"number_of_primaries": str(requested), "merge": mode},
                 "pages": [{"metadata": {"page_number": "0", "name": "DOSE"}, "dimensions": "1",
                            "data": {"name": "DOSE", "unit": "MeV/g", "values": [float(task_id + 1), 2.0]},
                            "axis_dim1": {"name": "Position (Z)", "unit": "cm", "values": [0.5, 1.5]}}]}
    return {"estimators": [estimator], "simulation_id": simulation_id, "update_key": update_key}


@celery_app.task
def set_merging_queued_state(results: list) -> list:
    simulation_id = results[0].get("simulation_id")
    update_key = results[0].get("update_key")
    if simulation_id and update_key:
        _post("/jobs", {"sim_id": simulation_id, "job_state": "MERGING_QUEUED", "update_key": update_key})
    return results


@celery_app.task
def merge_results(results: list) -> dict:
    simulation_id = results[0].get("simulation_id")
    update_key = results[0].get("update_key")
    if simulation_id and update_key:
        _post("/jobs", {"sim_id": simulation_id, "job_state": "MERGING_RUNNING", "update_key": update_key})
    time.sleep(0.5)  # long enough for a client polling the job to see it merging
    logfiles = {}
    runs = []
    for result in results:
        if "logfiles" in result:
            logfiles.update(result["logfiles"])
        else:
            runs.append(result.get("estimators", []))
    if runs and runs[0] and runs[0][0]["metadata"].get("merge") == "merge_fail":
        raise RuntimeError("stand-in: the merge step failed")
    final = {"end_time": _now()}
    if logfiles:
        _post("/logfiles", {"simulation_id": simulation_id, "update_key": update_key, "logfiles": logfiles})
    if runs:
        merged = json.loads(json.dumps(runs[0]))
        for e, estimator in enumerate(merged):
            for p, page in enumerate(estimator["pages"]):
                columns = [run[e]["pages"][p]["data"]["values"] for run in runs]
                page["data"]["values"] = [sum(v) / len(runs) for v in zip(*columns)]
            total = sum(int(run[e]["metadata"]["number_of_primaries"]) for run in runs)
            estimator["metadata"]["number_of_primaries"] = str(total)
        _post("/results", {"simulation_id": simulation_id, "update_key": update_key, "estimators": merged})
    return final
