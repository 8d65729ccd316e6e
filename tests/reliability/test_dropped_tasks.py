"""Promise 18, the direct half: a task the broker dropped is found and run.

kombu's Redis transport can lose a task message: it takes it off the queue, then
records it as unacknowledged in a second command, and Redis or the worker may die
between the two. Here a message is taken out of the queue by hand (the workers
stopped, so it is there to take), and the drop check in the workers finds it, sends
it again with its id, logs ``task.resent`` and writes one ``TaskResent`` report. Tasks
that only wait behind a long queue are never sent again.

Short settings keep it quick: a 3 s visibility timeout (so 1 s of work at most and no
retries), a 9 s grace, a round every second.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest
import redis

from hw4.celery_app import create_celery, result_store
from hw4.drills import drop_from_queue
from hw4.issued import UNSETTLED_KEY
from hw4.reports import load_reports

from .conftest import System, events, fresh_system, record_figures, wait_for

GRACE_S = 9
SETTINGS = {"HW4_VISIBILITY_TIMEOUT": "3", "HW4_MAX_WORK_SECONDS": "1",
            "HW4_TASK_MAX_RETRIES": "0", "HW4_DROP_GRACE": str(GRACE_S),
            "HW4_DROP_CHECK_INTERVAL": "1", "HW4_WORKER_CONCURRENCY": "1"}

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_system(tmp_path_factory.mktemp("dropped"), **SETTINGS) as running:
        yield running


def _unsettled(system: System) -> int:
    client = redis.Redis.from_url(system.settings.result_url, socket_timeout=5)
    try:
        return client.zcard(UNSETTLED_KEY)
    finally:
        client.close()


def test_a_task_taken_out_of_its_queue_is_found_and_run(system: System):
    system.script("stop_all.sh", "worker1", "worker2")  # the message stays in the queue
    answer = system.client.send("dropped on the way", work_seconds=0.1)
    assert answer.status == 202
    assert drop_from_queue(answer.task_id, system.settings)
    assert system.client.task(answer.task_id)["state"] == "PENDING"  # and would stay so

    started = time.monotonic()
    system.script("run_all.sh")
    final = system.client.wait_for_task(answer.task_id, deadline=GRACE_S + 30)
    found_after = time.monotonic() - started
    assert final["state"] == "SUCCESS" and final["request_id"] == answer.request_id
    # not before the grace: a task missing for less may still be on its way
    assert found_after >= GRACE_S

    resent = [e for e in events(system, "task.resent")
              if e["details"]["task_id"] == answer.task_id]
    assert len(resent) == 1 and resent[0]["request_id"] == answer.request_id
    assert "the broker dropped it" in resent[0]["details"]["reason"]
    reports = load_reports(system.settings.report_dir)
    mine = reports[reports["request_id"] == answer.request_id]
    assert mine["type"].tolist() == ["TaskResent"]
    # the text is sent again, never written: not in the log line, not in the report
    for path in [*system.settings.log_dir.glob("*.txt"), *system.settings.report_dir.glob("*")]:
        assert "dropped on the way" not in path.read_text()
    wait_for(lambda: _unsettled(system) == 0, 10, "the check done with every task")
    record_figures("a task taken out of its queue", found_and_run_after_s=round(found_after, 1),
                   grace_s=GRACE_S, resent=len(resent))


# Celery's mark_as_retry stores the state with redis-py's setex, which redis-py 5+ calls
# deprecated: Celery's call, not hw4's, and harmless
@pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning")
def test_a_task_left_in_retry_with_its_message_gone_is_found_and_run(system: System):
    # what a kill leaves when a worker loses Redis mid-run (it marks the task RETRY) and
    # the message was in the transport's window: a state, but not a final one, and
    # nothing that will run the task again (seen once in the chaos drill)
    system.script("stop_all.sh", "worker1", "worker2")
    answer = system.client.send("cut short", work_seconds=0.1)
    assert answer.status == 202 and drop_from_queue(answer.task_id, system.settings)
    backend = result_store(create_celery(system.settings))
    backend.mark_as_retry(answer.task_id, ConnectionError("the worker lost Redis"))
    assert system.client.task(answer.task_id)["state"] == "RETRY"

    system.script("run_all.sh")
    final = system.client.wait_for_task(answer.task_id, deadline=GRACE_S + 30)
    assert final["state"] == "SUCCESS"
    resent = [e for e in events(system, "task.resent")
              if e["details"]["task_id"] == answer.task_id]
    assert len(resent) == 1
    wait_for(lambda: _unsettled(system) == 0, 10, "the check done with every task")


def test_tasks_waiting_behind_a_long_queue_are_not_sent_again(system: System):
    # two nodes of one process each, 30 tasks of 1 s: the last waits about 15 s in the
    # queue, longer than the grace, and may never count as missing
    before = len(events(system, "task.resent"))
    answers = [system.client.send(f"in line {i}", work_seconds=1) for i in range(30)]
    assert {a.status for a in answers} == {202}
    finals = [system.client.wait_for_task(a.task_id, deadline=60) for a in answers]
    assert Counter(f["state"] for f in finals) == {"SUCCESS": len(answers)}
    ids = {a.task_id for a in answers}
    runs = Counter(e["details"]["task_id"] for e in events(system, "task.started")
                   if e["details"]["task_id"] in ids)
    assert set(runs.values()) == {1}, runs.most_common(3)
    assert len(events(system, "task.resent")) == before
    wait_for(lambda: _unsettled(system) == 0, 10, "the check done with every task")
    record_figures("30 tasks of 1 s behind each other, two worker processes",
                   resent=0, run_twice=0)
