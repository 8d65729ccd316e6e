"""Promise 4: service_2 down or slow.

A sync message then gets a JSON 503 (service_2 unreachable) or 504 (no answer
within ``HW4_SERVICE_2_TIMEOUT``, 2 s for this test, 5 s by default), with an
alert report; service_1 stays healthy and keeps serving other requests; the
first call after service_2 is back succeeds.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from hw4.client import Answer
from hw4.components import components, read_pid
from hw4.processes import signal_group
from hw4.reports import load_reports

from .conftest import System, events, fresh_system, record_figures, wait_for

TIMEOUT_S = 2

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_system(tmp_path_factory.mktemp("service-2-faults"),
                      HW4_SERVICE_2_TIMEOUT=str(TIMEOUT_S)) as running:
        yield running


def _assert_failed(system: System, answer: Answer, status: int, alert_type: str) -> None:
    assert answer.status == status, answer.body
    assert answer.body["error"] and "result" not in answer.body
    assert answer.alert["type"] == alert_type
    reports = load_reports(system.settings.report_dir)
    row = reports[reports["id"] == answer.alert["id"]]
    assert list(row["type"]) == [alert_type] and list(row["request_id"]) == [answer.request_id]
    assert any(e["request_id"] == answer.request_id
               for e in events(system, "message.failed", "service_1"))


def _still_serving(system: System) -> None:
    assert system.client.health()["status"] == "ok"
    queued = system.client.send("async needs no service_2")
    assert queued.status == 202
    assert system.client.wait_for_task(queued.task_id, deadline=60)["state"] == "SUCCESS"


def test_service_2_killed_gives_503_and_the_next_call_after_restart_works(system: System):
    assert system.client.send("warm up the kept-alive connection", mode="sync").status == 200
    system.launcher("kill", "service_2")
    try:
        start = time.monotonic()
        down = system.client.send("anyone there?", mode="sync")
        seconds = time.monotonic() - start
        _assert_failed(system, down, 503, "Service2Unavailable")
        assert seconds < 2
        _still_serving(system)
    finally:
        system.script("run_all.sh", "service_2")
    assert system.client.send("back again", mode="sync").status == 200
    record_figures("service_2 killed", status=503, answered_in_s=round(seconds, 3))


def test_service_2_hung_gives_504_after_the_timeout_and_service_1_stays_healthy(
        system: System):
    component = next(c for c in components(system.settings) if c.name == "service_2")
    pgid = read_pid(component, system.settings)
    assert pgid is not None
    signal_group(pgid, signal.SIGSTOP)  # it accepts connections and never answers
    try:
        with ThreadPoolExecutor(1) as pool:
            forwarded = len(events(system, "message.forwarded"))
            start = time.monotonic()
            pending = pool.submit(system.client.send, "are you there?", mode="sync")
            wait_for(lambda: len(events(system, "message.forwarded")) > forwarded, 5,
                     "the sync message on its way to service_2")
            # while one process of service_1 waits for service_2, the service answers
            health_start = time.monotonic()
            assert system.client.health()["status"] == "ok"
            health_s = time.monotonic() - health_start
            slow = pending.result()
            seconds = time.monotonic() - start
        _assert_failed(system, slow, 504, "Service2Timeout")
        assert TIMEOUT_S <= seconds < TIMEOUT_S + 2, seconds
        assert health_s < 1
        _still_serving(system)
    finally:
        signal_group(pgid, signal.SIGCONT)
    assert system.client.send("awake again", mode="sync").status == 200
    record_figures("service_2 hung (SIGSTOP)", status=504, answered_in_s=round(seconds, 2),
                   timeout_s=TIMEOUT_S, health_during_s=round(health_s, 3))


def test_sync_work_longer_than_the_timeout_gives_504_and_service_2_finishes_anyway(
        system: System):
    start = time.monotonic()
    slow = system.client.send("take your time", mode="sync", work_seconds=TIMEOUT_S + 1)
    seconds = time.monotonic() - start
    _assert_failed(system, slow, 504, "Service2Timeout")
    assert TIMEOUT_S <= seconds < TIMEOUT_S + 1, seconds
    # a timeout does not cancel the work downstream: service_2 answers a caller that
    # has gone, a second later
    done = wait_for(lambda: [e for e in events(system, "process.answered", "service_2")
                             if e["request_id"] == slow.request_id], 10,
                    "service_2 finishing the work service_1 gave up on")
    failed = next(e for e in events(system, "message.failed", "service_1")
                  if e["request_id"] == slow.request_id)
    assert done[0]["time"] > failed["time"]
