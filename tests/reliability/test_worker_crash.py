"""Promise 1: a worker node killed mid-task loses no task.

The whole worker1 node (its main process and pool processes) is SIGKILLed
while it runs tasks, as a crash or an OOM kill would do it, not a polite stop.
Every task that got a 202 must still end in SUCCESS, on worker2 or on the
worker1 that ``scripts/run_all.sh`` starts again. The tasks worker1 was running
are unacknowledged in Redis and come back after the visibility timeout (15 s
for this test; 45 s by default, so "within about a minute").
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest

from hw4.slots import alive_slots

from .conftest import events, fresh_system, record_figures, running_tasks, wait_for

VISIBILITY_TIMEOUT = 10
#: the most work a message may ask for: the visibility timeout must exceed it plus
#: the longest retry wait (4 s), or the system refuses to start
MAX_WORK_SECONDS = 4
#: kombu looks for tasks to hand out again every 5 s (hw4.celery_app)
SWEEP_S = 5

pytestmark = pytest.mark.timeout(240)


def test_killed_worker_node_loses_no_task(tmp_path):
    with fresh_system(tmp_path, HW4_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
                      HW4_MAX_WORK_SECONDS=str(MAX_WORK_SECONDS)) as system:
        answers = [system.client.send(f"crash test message number {i}", work_seconds=2)
                   for i in range(12)]
        assert [a.status for a in answers] == [202] * 12
        ids = {a.task_id for a in answers}

        wait_for(lambda: running_tasks(system, "worker1"), 30, "worker1 running a task")
        assert str(alive_slots(system.settings)) == "4 slots alive"
        killed_at = datetime.now(timezone.utc)
        assert "killed: worker1" in system.launcher("kill", "worker1").stdout
        interrupted = running_tasks(system, "worker1")
        assert interrupted, "worker1 was killed while running nothing"
        # a timing counts only the slots of the nodes that answer
        assert str(alive_slots(system.settings)) == "2 slots alive (worker1 not answering)"

        restarted = system.script("run_all.sh")
        assert "started: worker1" in restarted.stdout

        finals = {i: system.client.wait_for_task(i, deadline=120) for i in ids}
        states = Counter(f["state"] for f in finals.values())
        assert states == {"SUCCESS": len(ids)}, states

        started = events(system, "task.started")
        runs = Counter(e["details"]["task_id"] for e in started)
        finished = Counter(e["details"]["task_id"] for e in events(system, "task.finished"))
        # every interrupted task ran again, after the kill, and within the visibility timeout
        rerun_after = {}
        for task_id in interrupted:
            runs_of = [e for e in started if e["details"]["task_id"] == task_id]
            # (not "the runs after killed_at": a run may start between that moment and the
            # kill itself, and it is the one the kill interrupted)
            again = runs_of[1:]
            assert again, f"task {task_id} was never run again"
            rerun_after[task_id] = (min(e["time"] for e in again) - killed_at).total_seconds()
            # the run Redis handed out again says so, with the same attempt number
            assert "redelivered" not in runs_of[0]["details"], runs_of[0]
            assert all(e["details"].get("redelivered") == "True"
                       and e["details"]["attempt"] == "1" for e in again), again
        slowest = max(rerun_after.values())
        assert slowest <= VISIBILITY_TIMEOUT + SWEEP_S + 10, rerun_after
        assert set(runs) == ids and all(finished[i] >= 1 for i in ids)

    record_figures(
        "worker crash (SIGKILL worker1 node)",
        accepted=len(ids), succeeded=states["SUCCESS"],
        interrupted=len(interrupted), started_twice=sum(n > 1 for n in runs.values()),
        finished_twice=sum(n > 1 for n in finished.values()),
        finished_by={w: n for w, n in Counter(
            f["worker"].split("@")[0] for f in finals.values()).items()},
        rerun_after_s=round(slowest, 1), visibility_timeout_s=VISIBILITY_TIMEOUT)
