"""Promise 18: chaos. Nothing accepted is lost while any part may die at any moment.

For 60 s a client keeps sending async messages while a seeded loop SIGKILLs Redis, a
service or a worker node every few seconds (``python -m hw4.launcher kill``, a crash)
and ``run_all.sh`` starts it again. Some kills land in the Redis transport's window
(a message taken off its queue, not yet recorded as unacknowledged): the drop check
sends those again. Afterwards every message that got a 202 reaches SUCCESS, none ran
more than twice, and no log line is torn.

The seed is ``HW4_CHAOS_SEED`` (24 when unset): another seed, another sequence.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter

import pytest
import requests

from .conftest import (
    System,
    assert_logs_whole,
    events,
    fresh_system,
    record_figures,
    wait_for,
)

SEED = int(os.environ.get("HW4_CHAOS_SEED", "24"))
CHAOS_S = 60
#: the parts killed, each as likely as the others
VICTIMS = ("redis", "service_1", "service_2", "worker1", "worker2")
#: the visibility timeout counts from when a worker takes a task, not from when it starts
#: it: after a connection loss cancels a running task, its worker held the next one 5 s
#: before starting it, so with 3 s Redis handed that one out again and it ran three
#: times (CI, 2026-12-03); 10 s as the other reliability drills
VISIBILITY_S = 10
#: more than the visibility timeout plus the 5 s between looks for unacknowledged tasks
GRACE_S = 16
#: every 202 reaches SUCCESS within this many seconds of the last restart: a task
#: dropped at the end waits one grace, a round, and the restore of a dead worker's tasks
SETTLE_S = 90
SETTINGS = {"HW4_VISIBILITY_TIMEOUT": str(VISIBILITY_S), "HW4_MAX_WORK_SECONDS": "1",
            "HW4_TASK_MAX_RETRIES": "0", "HW4_DROP_GRACE": str(GRACE_S),
            "HW4_DROP_CHECK_INTERVAL": "1"}

pytestmark = pytest.mark.timeout(360)


def _send(system: System, stop: threading.Event, accepted: list[str],
          answered: Counter) -> None:
    """Messages, about fifteen a second (one in five sync), until ``stop``; each 202's
    task id, and how many got each answer."""
    session = requests.Session()
    url = system.settings.service_1_url + "/messages"
    i = 0
    while not stop.wait(0.05):
        i += 1
        mode = "sync" if i % 5 == 0 else "async"
        try:
            answer = session.post(url, timeout=10, json={
                "text": f"chaos {i}", "mode": mode, "work_seconds": 0.05})
        except requests.RequestException as exc:  # service_1 killed: no answer at all
            answered[(mode, type(exc).__name__)] += 1
            session = requests.Session()
            continue
        answered[(mode, answer.status_code)] += 1
        assert answer.headers["Content-Type"] == "application/json"
        if answer.status_code == 202:
            accepted.append(answer.json()["task_id"])


def _chaos(system: System, rng: random.Random) -> list[str]:
    """Kill a part every 2 to 5 s for CHAOS_S seconds, starting it again each time."""
    killed = []
    end = time.monotonic() + CHAOS_S
    while True:
        pause = rng.uniform(2, 5)
        if time.monotonic() + pause > end:  # the chaos ends at CHAOS_S, not a kill later
            return killed
        time.sleep(pause)
        victim = rng.choice(VICTIMS)
        assert f"killed: {victim}" in system.launcher("kill", victim).stdout
        killed.append(victim)
        system.script("run_all.sh")


def test_nothing_accepted_is_lost_while_parts_are_killed_at_random(tmp_path):
    with fresh_system(tmp_path, **SETTINGS) as system:
        accepted: list[str] = []
        answered: Counter = Counter()
        stop = threading.Event()
        client = threading.Thread(target=_send, args=(system, stop, accepted, answered))
        client.start()
        try:
            killed = _chaos(system, random.Random(SEED))
            count = len(accepted)
            wait_for(lambda: len(accepted) >= count + 20, 30, "messages accepted again")
        finally:
            stop.set()
            client.join(timeout=30)

        # while a part is down a message may be refused (503: Redis or service_2 gone;
        # 504: service_2 killed mid-call) or get no answer (service_1 gone), never lost
        codes = {code for _, code in answered if isinstance(code, int)}
        assert codes <= {200, 202, 503, 504}, answered
        # messages flowed all along (about 350-500 get a 202 on 2 busy cores)
        assert answered[("async", 202)] > 150 and answered[("sync", 200)] > 30, answered
        end = time.monotonic() + SETTLE_S
        finals = Counter(
            system.client.wait_for_task(i, deadline=max(end - time.monotonic(), 1))["state"]
            for i in accepted)
        assert finals == {"SUCCESS": len(accepted)}
        ids = set(accepted)
        runs = Counter(e["details"]["task_id"] for e in events(system, "task.started")
                       if e["details"]["task_id"] in ids)
        assert max(runs.values()) <= 2, runs.most_common(3)
        resent = [e for e in events(system, "task.resent") if e["details"]["task_id"] in ids]
        lines = assert_logs_whole(system)
    record_figures(f"chaos for {CHAOS_S} s, seed {SEED}", kills=len(killed),
                   **Counter(killed), accepted=len(accepted),
                   not_accepted=sum(n for (mode, code), n in answered.items()
                                    if code not in (200, 202)),
                   resent=len(resent),
                   run_twice=sum(1 for n in runs.values() if n == 2), log_lines=lines)
