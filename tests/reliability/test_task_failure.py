"""Promise 5: a failing task is retried with backoff a bounded number of times, then
ends in FAILURE, ``GET /tasks/<id>`` says why, and a ``TaskFailed`` report is written.

``"fail": true`` in a message makes its task fail on purpose (the "When things
fail" notebook uses the same switch).
"""

from __future__ import annotations

import pytest

from hw4.reports import load_reports

from .conftest import System, events, record_figures

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
