"""The drop check: find the tasks the broker dropped, and send each one again.

Why: kombu's Redis transport takes a task message off its queue (``BRPOP``) and records
it as unacknowledged in a second command. When Redis or the worker dies between the
two, the message is gone: in no queue, held by no worker, and no result will ever come
(kombu issue 305, Celery issue 4354; a broker with real acknowledgements, such as
RabbitMQ, has no such window). service_1 records every task it issues
(``hw4/issued.py``); this check is the other half of an end-to-end check on that record.

A task is **dropped** when it has no final state in the result backend, is in no queue
and is held by no worker, and stays so for ``HW4_DROP_GRACE`` seconds. No final state:
none yet, or STARTED or RETRY, which a run cut short leaves behind (a worker that loses
Redis mid-run marks the task RETRY; if its message was in the window, nothing runs it
again). It is then sent again, once, with the same id and arguments, logged
(``task.resent``) and reported (``TaskResent``). A task that was only slow runs twice
at worst: the task is idempotent.

Where it runs: in every worker node, as a thread a bootstep starts (Celery's documented
way to add a part to a worker, :class:`DropCheckStep`). A lock in Redis lets one node
at a time run a round, at most one round every ``HW4_DROP_CHECK_INTERVAL`` seconds, so
the check goes on while any one node lives.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import redis
from celery import Celery, bootsteps
from redis.exceptions import LockError

from hw4 import issued
from hw4.celery_app import create_celery, is_final, result_store
from hw4.config import Settings
from hw4.logs import log_event
from hw4.reports import ReportNotWritten, write_report

#: the lock a node holds while it runs a round, and for one interval from its start
LOCK_KEY = "hw4:drop-check"
#: ids of unsettled tasks seen missing (in no queue, no final state), scored by when first seen
MISSING_KEY = "hw4:missing"
#: most ids looked at in one round (the oldest first)
BATCH = 2000
#: most tasks sent again in one round: a round stays short, the rest wait for the next
MOST_RESENDS = 20
#: seconds a round may take before its lock expires and another node may start one (a
#: round stops sending at half of it; its other calls each wait HW4_BROKER_TIMEOUT at most)
ROUND_LIMIT_S = 15
#: seconds between two tries of a node to take its turn
TICK_S = 1.0


@dataclass
class Sorted:
    """The unsettled ids of one round, each in one list."""

    settled: list[str] = field(default_factory=list)  # a final state, or no record: done with
    seen: list[str] = field(default_factory=list)  # waiting in a queue: not missing
    missing: list[str] = field(default_factory=list)  # missing, for the first time
    overdue: list[str] = field(default_factory=list)  # missing longer than the grace


def sort_out(ids: list[str], settled: list[bool], missing_since: list[float | None],
             queued: set[str], now: float, grace: float) -> Sorted:
    """Sort the ids of a round by what was seen of them (one entry per id in each list)."""
    out = Sorted()
    for task_id, done, since in zip(ids, settled, missing_since, strict=True):
        if done:
            out.settled.append(task_id)
        elif task_id in queued:
            out.seen.append(task_id)
        elif since is None:
            out.missing.append(task_id)
        elif now - since >= grace:
            out.overdue.append(task_id)
    return out


def queued_messages(broker: redis.Redis, queue: str) -> Iterator[tuple[str, str]]:
    """The task messages waiting in a queue, as (task id, message), read as Celery's
    monitoring guide reads a queue (the Redis list of its name) and its message protocol
    names a task (the ``id`` header)."""
    for raw in broker.lrange(queue, 0, -1):
        try:
            task_id = json.loads(raw)["headers"]["id"]
        except (ValueError, KeyError, TypeError):
            continue  # not a task message of Celery's: nobody's task to find
        yield task_id, raw


def queued_ids(broker: redis.Redis, queue: str) -> set[str]:
    """Ids of the tasks waiting in a queue."""
    return {task_id for task_id, _ in queued_messages(broker, queue)}


def held_ids(celery: Celery, ids: list[str]) -> set[str]:
    """Which of these tasks a live worker holds (received, running or waiting for a
    retry), by Celery's inspect API: a node that does not answer within 1 s holds none."""
    replies = celery.control.inspect(timeout=1.0).query_task(*ids) or {}
    return {task_id for tasks in replies.values() for task_id in tasks}


class DropCheck:
    """The check, as one node runs it: :meth:`take_turn` every second."""

    def __init__(self, settings: Settings, node: str) -> None:
        self.settings, self.node = settings, node
        self.celery = create_celery(settings, sender=True)
        self.backend = result_store(self.celery)
        timeouts = {"socket_timeout": settings.broker_timeout,
                    "socket_connect_timeout": settings.broker_timeout,
                    "decode_responses": True}
        self.store = redis.Redis.from_url(settings.result_url, **timeouts)
        self.broker = redis.Redis.from_url(settings.broker_url, **timeouts)

    def take_turn(self) -> list[str] | None:
        """Run a round when it is this node's turn; the ids sent again (None: not its turn)."""
        interval = self.settings.drop_check_interval
        lock = self.store.lock(LOCK_KEY, timeout=interval + ROUND_LIMIT_S, blocking=False)
        try:
            if not lock.acquire():
                return None
        except redis.RedisError:
            return None  # Redis is down: nothing can be checked, or sent, until it is back
        began = time.monotonic()
        try:
            return self.run_round(time.time())
        finally:
            # held until one interval after the round began: one round per interval,
            # whichever node runs it
            left = interval - (time.monotonic() - began)
            with contextlib.suppress(redis.RedisError, LockError):
                if left >= 0.01:
                    lock.extend(left, replace_ttl=True)
                else:
                    lock.release()

    def run_round(self, now: float) -> list[str]:
        """Look at the ids unsettled for an interval or more; send the overdue ones again."""
        began = time.monotonic()
        ids = self.store.zrangebyscore(issued.UNSETTLED_KEY, "-inf",
                                       now - self.settings.drop_check_interval,
                                       start=0, num=BATCH)
        if not ids:
            return []
        found = self._look(ids, now)
        pipe = self.store.pipeline(transaction=False)
        if found.settled:  # done with: off both lists
            pipe.zrem(issued.UNSETTLED_KEY, *found.settled)
        if found.settled or found.seen:
            pipe.zrem(MISSING_KEY, *found.settled, *found.seen)
        if found.missing:  # the grace starts now
            pipe.zadd(MISSING_KEY, dict.fromkeys(found.missing, now))
        pipe.execute()
        return self._resend_overdue(found.overdue[:MOST_RESENDS], now,
                                    until=began + ROUND_LIMIT_S / 2)

    def _look(self, ids: list[str], now: float) -> Sorted:
        """What the round sees of each id: its state, its record, its queue."""
        pipe = self.store.pipeline(transaction=False)
        for task_id in ids:
            pipe.get(self.backend.get_key_for_task(task_id))
            pipe.exists(issued.RECORD_KEY.format(task_id))
            pipe.zscore(MISSING_KEY, task_id)
        answers = pipe.execute()
        settled = [is_final(meta) or not record  # an expired record: nothing to send
                   for meta, record in zip(answers[0::3], answers[1::3], strict=True)]
        queued = queued_ids(self.broker, self.celery.conf.task_default_queue) \
            if not all(settled) else set()
        return sort_out(ids, settled, answers[2::3], queued, now, self.settings.drop_grace)

    def _resend_overdue(self, overdue: list[str], now: float, until: float) -> list[str]:
        """Send again the overdue tasks no worker holds, until ``until`` (monotonic)."""
        held = held_ids(self.celery, overdue) if overdue else set()
        if held:  # a worker has it: not missing after all
            self.store.zrem(MISSING_KEY, *held)
        resent = []
        for task_id in (i for i in overdue if i not in held):
            if time.monotonic() > until:
                break  # the rest wait for the next round: the lock outlasts this one
            if self.resend(task_id, now):
                resent.append(task_id)
        return resent

    def resend(self, task_id: str, now: float) -> bool:
        """Send a dropped task again, with its id and arguments; log and report it."""
        key = issued.RECORD_KEY.format(task_id)
        pipe = self.store.pipeline(transaction=False)
        pipe.get(self.backend.get_key_for_task(task_id))
        pipe.hget(key, "kwargs")
        pipe.zscore(MISSING_KEY, task_id)
        meta, kwargs, since = pipe.execute()
        if is_final(meta) or kwargs is None or since is None:
            return False  # it ran after all, or its record expired, in the meantime
        # the task.resent line's time: a worker may start the task before this node
        # gets to write the line, and the line must not come after that start
        sent_at = datetime.now(timezone.utc)
        issued.send(self.celery, task_id, json.loads(kwargs))
        pipe = self.store.pipeline(transaction=False)
        pipe.zrem(MISSING_KEY, task_id)
        pipe.hincrby(key, "resent", 1)
        pipe.zadd(issued.UNSETTLED_KEY, {task_id: now})  # watched again, from now
        times = pipe.execute()[1]
        self._tell(task_id, json.loads(kwargs)["request_id"], now - since, times, sent_at)
        return True

    def _tell(self, task_id: str, request_id: str, missing_s: float, times: int,
              sent_at: datetime) -> None:
        reason = (f"in no queue, held by no worker and without a final state for over "
                  f"{self.settings.drop_grace:g} s: the broker dropped it")
        log_event("task.resent", request_id, level=30, at=sent_at, task_id=task_id,
                  worker=self.node, resent=times, missing_s=round(missing_s, 1), reason=reason)
        try:
            write_report(self.settings.report_dir, "TaskResent", request_id, self.node,
                         f"The task was sent again ({times}x): {reason}.", task_id=task_id)
        except ReportNotWritten as refused:
            log_event("report.failed", request_id, level=40, task_id=task_id,
                      error=str(refused))


def keep_checking(check: DropCheck, stop: threading.Event) -> None:
    """Until ``stop`` is set: every second, run a round when it is this node's turn."""
    while not stop.wait(TICK_S):
        try:
            check.take_turn()
        except Exception as exc:  # noqa: BLE001 - a failed round must not end the check
            log_event("drop_check.failed", None, level=30, worker=check.node,
                      error=type(exc).__name__)


class DropCheckStep(bootsteps.StartStopStep):
    """Runs the drop check in a worker node, beside its pool (``app.steps["worker"].add``,
    as Celery's "Extensions and Bootsteps" guide adds a part to a worker)."""

    requires = {"celery.worker.components:Pool"}  # the pool's processes are forked first

    def __init__(self, worker: object, **kwargs: object) -> None:
        super().__init__(worker, **kwargs)
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, worker: object) -> None:
        check = DropCheck(worker.app.conf.hw4_settings, worker.hostname)
        self.thread = threading.Thread(target=keep_checking, args=(check, self.stopping),
                                       name="hw4-drop-check", daemon=True)
        self.thread.start()

    def stop(self, worker: object) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
