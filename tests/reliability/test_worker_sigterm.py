"""Promise 12: a worker node stopped politely while it runs long tasks loses nothing.

``stop_all.sh worker1`` sends SIGTERM to the node's main process only
(Celery's warm shutdown: finish the running tasks, take no new one), then
SIGKILL to what is left after ``HW4_STOP_DEADLINE`` (1 s here, 10 s
by default). worker1 runs tasks longer than that. Every task that
got a 202 must still reach SUCCESS: what worker1 did not finish runs on
worker2 or on the worker1 that ``run_all.sh`` starts again.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timezone

import pytest

from hw4.processes import group_members

from .conftest import events, fresh_system, record_figures, running_tasks, wait_for

VISIBILITY_TIMEOUT = 10
#: the most work a message may ask for: the visibility timeout must exceed it plus
#: the longest retry wait (4 s), or the system refuses to start
MAX_WORK_SECONDS = 4
STOP_DEADLINE = 1
#: longer than the stop deadline by more than stop_all.sh takes to start on a busy
#: machine: worker1 cannot finish them
WORK_SECONDS = 4

pytestmark = pytest.mark.timeout(240)


def test_worker_stopped_politely_mid_task_loses_nothing(tmp_path):
    with fresh_system(tmp_path, HW4_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
                      HW4_MAX_WORK_SECONDS=str(MAX_WORK_SECONDS),
                      HW4_STOP_DEADLINE=str(STOP_DEADLINE)) as system:
        answers = [system.client.send(f"long task {i}", work_seconds=WORK_SECONDS)
                   for i in range(6)]
        assert [a.status for a in answers] == [202] * 6
        ids = {a.task_id for a in answers}

        wait_for(lambda: len(running_tasks(system, "worker1")) == 2, 30,
                 "worker1 running two tasks")
        interrupted = running_tasks(system, "worker1")
        node = int((system.settings.run_dir / "worker1.pid").read_text())
        stopped_at = datetime.now(timezone.utc)
        stopping = time.monotonic()
        assert "stopped: worker1" in system.script("stop_all.sh", "worker1").stdout
        stop_s = time.monotonic() - stopping
        # the warm shutdown waited for the tasks until the deadline, then the SIGKILL
        assert stop_s >= STOP_DEADLINE
        assert not group_members(node)

        finals = {i: system.client.wait_for_task(i, deadline=VISIBILITY_TIMEOUT + 60,
                                                 interval=0.25) for i in ids}
        assert Counter(f["state"] for f in finals.values()) == {"SUCCESS": len(ids)}
        for task_id in interrupted:
            assert finals[task_id]["worker"].startswith("worker2@"), finals[task_id]
        restarted = system.script("run_all.sh").stdout
        assert "started: worker1" in restarted
        again = system.client.send("after the restart")
        assert system.client.wait_for_task(again.task_id, deadline=30)["state"] == "SUCCESS"
        started = events(system, "task.started")
        runs = Counter(e["details"]["task_id"] for e in started)
        rerun_after = max(min((e["time"] - stopped_at).total_seconds() for e in started
                              if e["details"]["task_id"] == i and e["time"] > stopped_at)
                          for i in interrupted)
        finished = Counter(e["details"]["task_id"] for e in events(system, "task.finished"))

    record_figures("worker stopped politely (SIGTERM) mid-task", accepted=len(ids),
                   finished=len(finals), interrupted=len(interrupted),
                   started_twice=sum(runs[i] > 1 for i in ids),
                   finished_twice=sum(finished[i] > 1 for i in ids),
                   stop_s=round(stop_s, 1), rerun_after_s=round(rerun_after, 1),
                   stop_deadline_s=STOP_DEADLINE)
