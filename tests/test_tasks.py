"""The task itself, run in this process with Celery's documented ``Task.apply()``.

``apply()`` runs a task eagerly, retries included: each ``self.retry`` runs the
next attempt at once (countdowns are not waited for), and Celery checks the
retry limit as a worker would.
"""

from __future__ import annotations

import pytest

from hw4.celery_app import TASK_NAME, create_celery
from hw4.config import Settings
from hw4.logs import iter_log_lines, setup_logging
from hw4.reports import load_reports
from hw4.tasks import DeliberateFailure


@pytest.mark.parametrize("max_retries", [3, 5])
def test_a_failing_task_is_attempted_max_retries_plus_one_times(settings: Settings,
                                                                max_retries: int):
    settings = settings.override(task_max_retries=max_retries)
    setup_logging("worker1", settings.log_dir)
    task = create_celery(settings).tasks[TASK_NAME]
    result = task.apply(kwargs={"request_id": "r-retries", "text": "fail on purpose",
                                "fail": True})
    assert result.state == "FAILURE"
    assert isinstance(result.result, DeliberateFailure)
    lines = list(iter_log_lines(settings.log_dir))
    attempts = [int(e["details"]["attempt"]) for e in lines if e["event"] == "task.started"]
    assert attempts == list(range(1, max_retries + 2))
    assert [e["event"] for e in lines].count("task.retry") == max_retries
    failed = [e for e in lines if e["event"] == "task.failed"]
    assert len(failed) == 1 and failed[0]["details"]["attempt"] == str(max_retries + 1)
    assert failed[0]["details"]["error"] == "DeliberateFailure"
    reports = load_reports(settings.report_dir)
    assert reports["type"].tolist() == ["TaskFailed"]
    assert reports["request_id"].tolist() == ["r-retries"]


def _task_lines(settings: Settings, event: str) -> list[dict]:
    return [e for e in iter_log_lines(settings.log_dir) if e["event"] == event]


def test_an_unexpected_error_is_logged_and_reported_once_and_not_retried(settings: Settings):
    # a text that is not a string: the analysis raises a TypeError, as a bug would
    setup_logging("worker1", settings.log_dir)
    task = create_celery(settings).tasks[TASK_NAME]
    result = task.apply(kwargs={"request_id": "r-bug", "text": 42})
    assert result.state == "FAILURE" and isinstance(result.result, TypeError)
    assert len(_task_lines(settings, "task.started")) == 1
    assert _task_lines(settings, "task.retry") == []
    failed = _task_lines(settings, "task.failed")
    assert len(failed) == 1 and failed[0]["request_id"] == "r-bug"
    assert failed[0]["details"]["error"] == "TypeError"
    reports = load_reports(settings.report_dir)
    assert reports["type"].tolist() == ["TaskFailed"]
    assert reports["error"].tolist() == ["TypeError"]
    assert reports["task_id"].tolist() == [result.id]


def test_a_report_the_disk_refuses_leaves_the_task_in_failure(settings: Settings, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    settings = settings.override(report_dir=blocker / "reports")  # cannot be a folder
    setup_logging("worker1", settings.log_dir)
    task = create_celery(settings).tasks[TASK_NAME]
    result = task.apply(kwargs={"request_id": "r-disk", "text": None})
    assert result.state == "FAILURE" and isinstance(result.result, TypeError)
    assert len(_task_lines(settings, "task.failed")) == 1
    refused = _task_lines(settings, "report.failed")
    assert len(refused) == 1 and refused[0]["request_id"] == "r-disk"


def test_the_retry_waits_stop_growing_at_the_cap(settings: Settings):
    settings = settings.override(task_max_retries=5, task_retry_backoff_max=3)
    setup_logging("worker1", settings.log_dir)
    task = create_celery(settings).tasks[TASK_NAME]
    task.apply(kwargs={"request_id": "r-cap", "text": "fail on purpose", "fail": True})
    waits = [e["details"]["retry_in_s"] for e in _task_lines(settings, "task.retry")]
    assert waits == ["1", "2", "3", "3", "3"]
