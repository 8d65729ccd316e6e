"""The Celery task: analyse one message, the way a worker does real work.

The task is idempotent: running it twice for the same message (as happens
when a worker dies mid-task and the task is handed out again) gives the same
result and changes nothing else.

Every failure is reported once, whatever raised it: :class:`ReportedTask`'s
``on_failure`` (Celery calls it when a task ends in FAILURE) writes the one
``task.failed`` line and the one ``TaskFailed`` report.
"""

from __future__ import annotations

import time
from typing import Any

from celery import Task, shared_task

from hw4.analysis import analyse_text
from hw4.celery_app import TASK_NAME, hidden_arguments
from hw4.logs import log_event, utc_timestamp
from hw4.reports import ReportNotWritten, write_report


class DeliberateFailure(RuntimeError):
    """Raised by a task whose message asked to fail (``"fail": true``)."""


def _worker_name(task: Task) -> str:
    return task.request.hostname or "unknown"


def _redelivered(task: Task) -> bool:
    """Whether Redis handed this task out again (its first worker died, or lost Redis,
    before acknowledging it): Celery's ``request.delivery_info["redelivered"]``."""
    return bool((task.request.delivery_info or {}).get("redelivered"))


class ReportedTask(Task):
    """A task whose failures are logged and reported (Celery's ``Task.on_failure`` handler).

    Celery calls ``on_failure`` in the worker once, when the task ends in FAILURE:
    a deliberate failure after its last retry, or any exception nobody expected
    (a bug: a TypeError, a KeyError ...), which is not retried. A retry is not a
    failure, and neither is a task Celery cancels when its worker loses Redis: that
    one is handed out again after the visibility timeout.
    """

    def on_failure(self, exc: Exception, task_id: str, args: tuple, kwargs: dict[str, Any],
                   einfo: object) -> None:
        request_id = kwargs.get("request_id")  # the message's, when it had one
        worker = _worker_name(self)
        attempt = self.request.retries + 1
        error = type(exc).__name__
        log_event("task.failed", request_id, level=40, task_id=task_id, worker=worker,
                  attempt=attempt, error=error, reason=str(exc))
        plural = "s" if attempt > 1 else ""
        try:
            write_report(self.app.conf.hw4_settings.report_dir, "TaskFailed", request_id,
                         worker, f"The task failed after {attempt} attempt{plural}: {exc}",
                         task_id=task_id, error=error)
        except ReportNotWritten as refused:
            # the task is in FAILURE already; the disk's refusal is logged, as the services do
            log_event("report.failed", request_id, level=40, task_id=task_id,
                      error=str(refused))


@shared_task(bind=True, base=ReportedTask, name=TASK_NAME)
def analyse_message(
    self: Task, request_id: str, text: str, work_seconds: float = 0.0, fail: bool = False,
    queued_at: str | None = None,
) -> dict[str, object]:
    settings = self.app.conf.hw4_settings
    worker = _worker_name(self)
    attempt = self.request.retries + 1
    # a run that a redelivery started again is the same attempt once more: it says so
    again = {"redelivered": True} if _redelivered(self) else {}
    started = time.monotonic()
    started_at = utc_timestamp()
    log_event("task.started", request_id, task_id=self.request.id, worker=worker,
              attempt=attempt, **again, work_seconds=work_seconds)
    try:
        analysis = analyse_text(text)
        if work_seconds:
            time.sleep(work_seconds)
        if fail:
            raise DeliberateFailure("the message asked the task to fail (\"fail\": true)")
    except DeliberateFailure as exc:
        if self.request.retries >= settings.task_max_retries:
            raise  # the last attempt: the task fails (ReportedTask.on_failure reports it)
        # 1 s, then 2 s, then 4 s: HW4_TASK_MAX_RETRIES (3) retries, then FAILURE
        countdown = settings.retry_wait(self.request.retries)
        log_event("task.retry", request_id, task_id=self.request.id, worker=worker,
                  attempt=attempt, retry_in_s=countdown, reason=str(exc))
        # max_retries here too: the task's own default (3) would stop it sooner; a retry
        # is a new message, which needs the hidden arguments again (Flower shows them)
        raise self.retry(exc=exc, countdown=countdown, max_retries=settings.task_max_retries,
                         **hidden_arguments(request_id)) from exc
    seconds = round(time.monotonic() - started, 3)
    log_event("task.finished", request_id, task_id=self.request.id, worker=worker,
              attempt=attempt, seconds=seconds)
    return {
        "request_id": request_id,
        "worker": worker,
        "attempt": attempt,
        "redelivered": bool(again),
        "queued_at": queued_at,
        "started_at": started_at,
        "finished_at": utc_timestamp(),
        "seconds": seconds,
        "analysis": analysis,
    }
