"""The Celery task: analyse one message, the way a worker does real work.

The task is idempotent: running it twice for the same message (as happens
when a worker dies mid-task and the task is handed out again) gives the same
result and changes nothing else.
"""

from __future__ import annotations

import time

from celery import Task, shared_task

from hw4.analysis import analyse_text
from hw4.celery_app import TASK_NAME
from hw4.logs import log_event, utc_timestamp
from hw4.reports import write_report


class DeliberateFailure(RuntimeError):
    """Raised by a task whose message asked to fail (``"fail": true``)."""


def _worker_name(task: Task) -> str:
    return task.request.hostname or "unknown"


@shared_task(bind=True, name=TASK_NAME)
def analyse_message(
    self: Task, request_id: str, text: str, work_seconds: float = 0.0, fail: bool = False,
    queued_at: str | None = None,
) -> dict[str, object]:
    settings = self.app.conf.hw4_settings
    worker = _worker_name(self)
    attempt = self.request.retries + 1
    started = time.monotonic()
    started_at = utc_timestamp()
    log_event("task.started", request_id, task_id=self.request.id, worker=worker,
              attempt=attempt, work_seconds=work_seconds)
    try:
        analysis = analyse_text(text)
        if work_seconds:
            time.sleep(work_seconds)
        if fail:
            raise DeliberateFailure("the message asked the task to fail (\"fail\": true)")
    except DeliberateFailure as exc:
        if self.request.retries < settings.task_max_retries:
            countdown = 2 ** self.request.retries  # 1 s, 2 s, 4 s, ...
            log_event("task.retry", request_id, task_id=self.request.id, worker=worker,
                      attempt=attempt, retry_in_s=countdown, reason=str(exc))
            # max_retries here too: the task's own default (3) would stop it sooner
            raise self.retry(exc=exc, countdown=countdown,
                             max_retries=settings.task_max_retries) from exc
        log_event("task.failed", request_id, level=40, task_id=self.request.id, worker=worker,
                  attempt=attempt, reason=str(exc))
        write_report(settings.report_dir, "TaskFailed", request_id, worker,
                     f"The task failed after {attempt} attempts: {exc}",
                     task_id=self.request.id)
        raise
    seconds = round(time.monotonic() - started, 3)
    log_event("task.finished", request_id, task_id=self.request.id, worker=worker,
              attempt=attempt, seconds=seconds)
    return {
        "request_id": request_id,
        "worker": worker,
        "attempt": attempt,
        "queued_at": queued_at,
        "started_at": started_at,
        "finished_at": utc_timestamp(),
        "seconds": seconds,
        "analysis": analysis,
    }
