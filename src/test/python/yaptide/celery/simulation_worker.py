"""Stand-in of the original's simulation worker app (same name, same routing)."""
import os

from celery import Celery

celery_app = Celery(
    "simulation_worker",
    broker=os.environ.get("CELERY_BROKER_URL"),
    backend=os.environ.get("CELERY_RESULT_BACKEND"),
    include=["yaptide.celery.tasks"],
    task_routes={"yaptide.celery.tasks*": {"queue": "simulations"}},
)
