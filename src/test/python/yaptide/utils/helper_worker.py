"""Stand-in of the original's helper worker app (queue helper-short for the clean-up task)."""
import os

from celery import Celery

celery_app = Celery(
    "helper_worker",
    broker=os.environ.get("CELERY_BROKER_URL"),
    backend=os.environ.get("CELERY_RESULT_BACKEND"),
    include=["yaptide.utils.helper_tasks"],
    task_routes={"yaptide.utils.helper_tasks*": {"queue": "helper-short"}},
)
