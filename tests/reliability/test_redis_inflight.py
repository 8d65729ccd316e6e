"""Promise 11: Redis dies while tasks are in flight, and nothing accepted is lost.

Both workers are running tasks (and, in the second drill, clients are still
sending) when Redis is SIGKILLed; ``scripts/run_all.sh`` starts it again.
Every message that got a 202 must reach SUCCESS within the visibility timeout
plus a minute; every send that did not get a 202 got a JSON 503. The tasks
that were running when Redis died store their result once it is back
(``result_backend_always_retry``) or, when they cannot, are handed out again
(``worker_cancel_long_running_tasks_on_connection_loss``, late acks and the
visibility timeout): docs/reliability.md explains each setting.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import System, events, fresh_system, record_figures, running_tasks, wait_for

VISIBILITY_TIMEOUT = 10
#: the most work a message may ask for: the visibility timeout must exceed it plus
#: the longest retry wait (4 s), or the system refuses to start
MAX_WORK_SECONDS = 4
#: "within the visibility timeout plus a minute" of Redis being back
DEADLINE_S = VISIBILITY_TIMEOUT + 60

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_system(tmp_path_factory.mktemp("redis-inflight"),
                      HW4_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
                      HW4_MAX_WORK_SECONDS=str(MAX_WORK_SECONDS),
                      # a task the transport dropped as Redis died is sent again soon
                      # (the drop check: grace > visibility timeout + 5 s)
                      HW4_DROP_GRACE=str(VISIBILITY_TIMEOUT + 6),
                      HW4_DROP_CHECK_INTERVAL="2") as running:
        yield running


def _all_succeed(system: System, task_ids: list[str], since: float) -> dict[str, dict]:
    """Wait for every task to end; each must be SUCCESS within the deadline."""
    finals = {}
    for task_id in task_ids:
        left = DEADLINE_S - (time.monotonic() - since)
        finals[task_id] = system.client.wait_for_task(task_id, deadline=max(left, 1),
                                                      interval=0.25)
    states = Counter(f["state"] for f in finals.values())
    assert states == {"SUCCESS": len(task_ids)}, (
        states, {i: f.get("error") for i, f in finals.items() if f["state"] != "SUCCESS"})
    return finals


def _runs(system: System, task_ids: list[str]) -> tuple[int, int]:
    """How many of the tasks were started twice or more, and finished twice or more."""
    ids = set(task_ids)
    started = Counter(e["details"]["task_id"] for e in events(system, "task.started"))
    finished = Counter(e["details"]["task_id"] for e in events(system, "task.finished"))
    assert all(finished[i] >= 1 for i in ids)
    return sum(started[i] > 1 for i in ids), sum(finished[i] > 1 for i in ids)


def test_redis_killed_while_both_workers_run_tasks(system: System):
    answers = [system.client.send(f"in flight when Redis dies, message {i}", work_seconds=0.5)
               for i in range(30)]
    assert [a.status for a in answers] == [202] * 30
    ids = [a.task_id for a in answers]
    # both workers busy (four pool processes), then Redis dies mid-task
    wait_for(lambda: len({e["component"] for e in events(system, "task.started")}) == 2
             and len(running_tasks(system)) >= 2, 20, "both workers running tasks")
    in_flight = running_tasks(system)
    assert "killed: redis" in system.launcher("kill", "redis").stdout
    # only Redis: the workers reconnect by themselves
    assert system.script("run_all.sh").stdout.splitlines()[0] == "started: redis"
    back = time.monotonic()

    finals = _all_succeed(system, ids, back)
    assert [f["request_id"] for f in finals.values()] == [a.request_id for a in answers]
    started_twice, finished_twice = _runs(system, ids)
    record_figures("Redis SIGKILL with tasks in flight", accepted=30,
                   finished=len(finals), in_flight_at_kill=len(in_flight),
                   started_twice=started_twice, finished_twice=finished_twice,
                   back_to_all_done_s=round(time.monotonic() - back, 1))


def _burst(system: System, stop: threading.Event, answers: list, number: int) -> None:
    """One client sending async messages until ``stop``; every answer is kept.

    After a 503 it waits a little, as a polite client would. Without that wait
    a fast machine answers hundreds of 503s a second while Redis is down, and
    a client with a fixed number of messages had none left when Redis came back.
    """
    with requests.Session() as session:
        i = 0
        while not stop.is_set():
            answer = session.post(system.settings.service_1_url + "/messages", timeout=10,
                                  json={"text": f"burst {number} message {i}",
                                        "work_seconds": 0.2})
            answers.append(answer)
            i += 1
            if answer.status_code == 503:
                stop.wait(0.05)


def test_redis_killed_during_a_burst_of_sends(system: System):
    answers: list[requests.Response] = []
    stop = threading.Event()
    with ThreadPoolExecutor(4) as pool:
        clients = [pool.submit(_burst, system, stop, answers, n) for n in range(4)]
        try:
            wait_for(lambda: len(answers) >= 40 and len(running_tasks(system)) >= 2, 20,
                     "a burst of sends with tasks running")
            assert "killed: redis" in system.launcher("kill", "redis").stdout
            # the clients keep sending while Redis is down: they must get 503s
            wait_for(lambda: sum(a.status_code == 503 for a in answers) >= 8, 20,
                     "503s while Redis is down")
            assert system.script("run_all.sh").stdout.splitlines()[0] == "started: redis"
            back = time.monotonic()
            count = len(answers)
            wait_for(lambda: sum(a.status_code == 202 for a in answers[count:]) >= 40, 20,
                     "sends accepted again")
        finally:
            stop.set()
        for client in clients:
            client.result(timeout=30)  # a client's error (a timeout, say) fails the test

    statuses = Counter(a.status_code for a in answers)
    assert set(statuses) <= {202, 503}, statuses
    for answer in answers:
        assert answer.headers["Content-Type"] == "application/json"
        if answer.status_code == 503:
            assert answer.json()["alert"]["type"] == "BrokerUnavailable"
    ids = [a.json()["task_id"] for a in answers if a.status_code == 202]
    finals = _all_succeed(system, ids, back)
    started_twice, finished_twice = _runs(system, ids)
    record_figures("Redis SIGKILL during a burst of sends", sent=len(answers),
                   accepted=len(ids), refused_503=statuses[503], finished=len(finals),
                   started_twice=started_twice, finished_twice=finished_twice,
                   back_to_all_done_s=round(time.monotonic() - back, 1))
