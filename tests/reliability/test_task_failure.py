"""Promise 5: a failing task is retried with backoff a bounded number of times, then
ends in FAILURE, ``GET /tasks/<id>`` says why, and a ``TaskFailed`` report is written;
a task that fails unexpectedly (a bug) is reported the same way, and not retried.

``"fail": true`` in a message makes its task fail on purpose (the "When things
fail" notebook uses the same switch). The unexpected failure is a task message
sent straight to Redis with Celery's ``send_task``, as service_1 sends one, but
whose text is a number: the worker's analysis raises a TypeError, as a bug in the
task would. Nothing in hw4 is there for the test.
"""

from __future__ import annotations

import uuid

import pytest

from hw4.celery_app import TASK_NAME, create_celery, result_store
from hw4.reports import load_reports

from .conftest import System, events, record_figures, wait_for

pytestmark = pytest.mark.timeout(120)


def test_failing_task_is_retried_with_backoff_then_fails_with_a_report(system: System):
    answer = system.client.send("please fail, for the demo", fail=True)
    assert answer.status == 202
    seen: list[str] = []
    final = system.client.wait_for_task(answer.task_id, deadline=60,
                                         on_change=lambda s: seen.append(s["state"]))
    assert final["state"] == "FAILURE"
    assert "DeliberateFailure" in final["error"] and "fail" in final["error"]
    assert "RETRY" in seen

    retries = system.settings.task_max_retries
    mine = [e for e in events(system, "task.started") if e["request_id"] == answer.request_id]
    assert [int(e["details"]["attempt"]) for e in mine] == list(range(1, retries + 2))
    waits = [e["details"]["retry_in_s"] for e in events(system, "task.retry")
             if e["request_id"] == answer.request_id]
    assert waits == [str(2 ** n) for n in range(retries)]  # 1 s, 2 s, 4 s
    times = [e["time"] for e in mine]
    gaps = [(b - a).total_seconds() for a, b in zip(times[:-1], times[1:], strict=True)]
    for gap, wait in zip(gaps, waits, strict=True):
        assert gap >= int(wait) - 0.05, (gaps, waits)
    failed = [e for e in events(system, "task.failed") if e["request_id"] == answer.request_id]
    assert len(failed) == 1

    reports = load_reports(system.settings.report_dir)
    row = reports[(reports["type"] == "TaskFailed")
                  & (reports["request_id"] == answer.request_id)]
    assert len(row) == 1 and row.iloc[0]["task_id"] == answer.task_id
    record_figures("task failing on purpose", attempts=len(mine),
                   waits_s="/".join(waits), gaps_s="/".join(f"{g:.1f}" for g in gaps),
                   final=final["state"], reports=len(row))


def test_an_unexpected_error_fails_the_task_once_with_a_log_line_and_a_report(system: System):
    sender = create_celery(system.settings, sender=True)
    request_id = uuid.uuid4().hex[:16]
    task_id = sender.send_task(TASK_NAME, kwargs={"request_id": request_id, "text": 42}).id

    def report() -> list[dict]:
        reports = load_reports(system.settings.report_dir)
        return reports[reports["request_id"] == request_id].to_dict("records")

    # the report is the last thing the worker writes about a failed task
    reported = wait_for(report, 30, "the task's report")
    assert [(r["type"], r["task_id"], r["error"]) for r in reported] == \
        [("TaskFailed", task_id, "TypeError")]
    meta = result_store(sender).get_task_meta(task_id)
    assert meta["status"] == "FAILURE" and isinstance(meta["result"], TypeError), meta
    sender.close()

    def lines(event: str) -> list[dict]:
        return [e for e in events(system, event) if e["request_id"] == request_id]

    assert len(lines("task.started")) == 1 and lines("task.retry") == []  # not retried
    failed = lines("task.failed")
    assert [e["details"]["error"] for e in failed] == ["TypeError"]
    record_figures("task raising an unexpected error", attempts=len(lines("task.started")),
                   failed_lines=len(failed), reports=len(reported))
