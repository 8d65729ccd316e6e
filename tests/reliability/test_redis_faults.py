"""Promises 2 and 3: Redis crashes and outages.

2. Redis SIGKILLed right after it accepted tasks (workers stopped, so the
   tasks are only in Redis): after a restart every accepted task is still
   there and runs. A 202 means on disk: append-only file, fsync on every write.
3. Redis down (killed) or hung (SIGSTOP: it accepts connections but never
   answers): ``POST /messages`` gets a JSON 503 in under 2 s, with a log line
   and a ``BrokerUnavailable`` report; when Redis is back, the same service_1
   processes queue again. ``GET /tasks/<id>`` gets a JSON 503 too, with a
   ``task.lookup_failed`` line and no report: a lookup loses no message, and a
   page following a task asks every second.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
import redis
import requests

from hw4.components import components, read_pid
from hw4.processes import group_members
from hw4.reports import load_reports

from .conftest import System, events, fresh_system, record_figures, wait_for

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    # the default broker timeout (1 s), which the quick 503s below depend on
    with fresh_system(tmp_path_factory.mktemp("redis-faults"), HW4_BROKER_TIMEOUT="1") as running:
        yield running


def _redis(system: System) -> redis.Redis:
    s = system.settings
    return redis.Redis(host=s.host, port=s.redis_port, password=s.redis_password or None,
                       socket_timeout=5)


def _pid(system: System, name: str) -> int:
    pid = read_pid(next(c for c in components(system.settings) if c.name == name),
                   system.settings)
    assert pid is not None
    return pid


def test_redis_persists_every_write_to_disk(system: System):
    client = _redis(system)
    try:
        assert client.config_get("appendonly")["appendonly"] == "yes"
        assert client.config_get("appendfsync")["appendfsync"] == "always"
    finally:
        client.close()


def test_tasks_accepted_before_a_redis_crash_all_run(system: System):
    system.script("stop_all.sh", "worker1", "worker2")
    answers = [system.client.send(f"kept on disk, message {i}") for i in range(30)]
    assert [a.status for a in answers] == [202] * 30
    assert "killed: redis" in system.launcher("kill", "redis").stdout  # right after

    restart = time.monotonic()
    started = system.script("run_all.sh").stdout
    assert "redis" in started and "worker1" in started and "worker2" in started
    finals = [system.client.wait_for_task(a.task_id, deadline=60) for a in answers]
    assert [f["state"] for f in finals] == ["SUCCESS"] * 30
    assert [f["request_id"] for f in finals] == [a.request_id for a in answers]
    record_figures("Redis SIGKILL with 30 tasks queued", accepted=30,
                   succeeded=sum(f["state"] == "SUCCESS" for f in finals), lost=0,
                   restart_to_all_done_s=round(time.monotonic() - restart, 1))


def _assert_broker_unavailable(system: System, answer: requests.Response) -> None:
    assert answer.status_code == 503
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json()
    assert "Redis" in body["error"] and "task_id" not in body
    assert body["alert"]["type"] == "BrokerUnavailable"
    rid = body["request_id"]
    assert any(e["request_id"] == rid for e in events(system, "broker.unavailable", "service_1"))
    reports = load_reports(system.settings.report_dir)
    row = reports[reports["id"] == body["alert"]["id"]]
    assert list(row["type"]) == ["BrokerUnavailable"] and list(row["request_id"]) == [rid]


def _all_refused_quickly(system: System, count: int) -> float:
    """Send ``count`` messages while Redis is out; each must get the 503. The slowest time."""
    slowest = 0.0
    for i in range(count):
        start = time.monotonic()
        answer = requests.post(system.settings.service_1_url + "/messages",
                               json={"text": f"anyone there? {i}"}, timeout=30)
        slowest = max(slowest, time.monotonic() - start)
        _assert_broker_unavailable(system, answer)
    assert slowest < 2, f"a 503 took {slowest:.2f} s"
    return slowest


def _back_again(system: System, service_1_pids: set[int]) -> None:
    """The first message after Redis is back is queued and runs, by the same service_1."""
    again = system.client.send("is the queue back?")
    assert again.status == 202, again.body
    assert system.client.wait_for_task(again.task_id, deadline=60)["state"] == "SUCCESS"
    assert set(system.pids()) >= service_1_pids  # no restart of service_1


def _service_1_pids(system: System) -> set[int]:
    return set(group_members(_pid(system, "service_1")))


def test_redis_killed_gives_a_quick_503_and_service_1_recovers(system: System):
    before = _service_1_pids(system)
    queued = system.client.send("queued before the outage")
    assert queued.status == 202
    system.launcher("kill", "redis")
    try:
        slowest = _all_refused_quickly(system, 5)
        # what does not need Redis still works, and service_1 says what is wrong
        health = system.client.health()
        assert health["status"] == "ok" and health["redis"] == "unreachable"
        assert system.client.send("sync needs no queue", mode="sync").status == 200
        lookup = system.client.task(queued.task_id)
        assert lookup["http_status"] == 503 and "alert" not in lookup
    finally:
        system.script("run_all.sh", "redis")
    _back_again(system, before)
    record_figures("Redis killed", requests=5, all_503=True,
                   slowest_503_s=round(slowest, 3))


def _report_files(system: System) -> int:
    folder = system.settings.report_dir
    return len(list(folder.iterdir())) if folder.exists() else 0


def test_following_a_task_with_redis_down_writes_no_report(system: System):
    queued = system.client.send("followed through an outage")
    assert queued.status == 202
    reports_before = _report_files(system)
    system.launcher("kill", "redis")
    try:
        # what a page following the task does: ask again and again, for 10 s
        polls, end = 0, time.monotonic() + 10
        while time.monotonic() < end:
            answer = requests.get(f"{system.settings.service_1_url}/tasks/{queued.task_id}",
                                  headers={"X-Request-ID": f"follow-{polls}"}, timeout=30)
            assert answer.status_code == 503
            assert answer.headers["Content-Type"] == "application/json"
            assert answer.json()["error"]
            polls += 1
            time.sleep(0.1)
        assert _report_files(system) == reports_before, "a task lookup wrote a report"
        failed = {e["request_id"] for e in events(system, "task.lookup_failed", "service_1")}
        assert {f"follow-{i}" for i in range(polls)} <= failed
    finally:
        system.script("run_all.sh", "redis")
    assert system.client.wait_for_task(queued.task_id, deadline=60)["state"] == "SUCCESS"
    record_figures("a task followed for 10 s with Redis down", lookups=polls, all_503=True,
                   reports=0)


def test_redis_hung_gives_a_503_within_2_s_and_service_1_recovers(system: System):
    before = _service_1_pids(system)
    pid = _pid(system, "redis")
    os.kill(pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        slowest = _all_refused_quickly(system, 3)
        assert system.client.health()["redis"] == "unreachable"
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(lambda: system.client.health()["redis"] == "ok", 10, "Redis answering again")
    _back_again(system, before)
    record_figures("Redis hung (SIGSTOP)", requests=3, all_503=True,
                   slowest_503_s=round(slowest, 3))
