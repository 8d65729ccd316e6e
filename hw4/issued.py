"""The record of every task service_1 issues, and how a task is sent (again).

service_1 records a task before it sends it, in the results database: the hash
``hw4:task:<id>`` holds the message's request id and the task's arguments (what is
needed to send it again), and expires with the task's result (``HW4_RESULT_EXPIRES``).
The sorted set ``hw4:unsettled`` lists the ids whose state the drop check
(``hw4/drop_check.py``) has not seen yet, by when each was sent. Both are written in
one round trip to Redis (a pipeline), as the single ``SET`` before them was.

The arguments hold the message's text: like the queued message itself, it stays in
Redis and is never logged.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import redis
from celery import Celery
from kombu.exceptions import OperationalError

from hw4.celery_app import TASK_NAME, hidden_arguments

#: the record of a task service_1 issued (a hash: request_id, kwargs)
RECORD_KEY = "hw4:task:{}"
#: ids of the issued tasks not yet seen with a state, scored by when they were sent
UNSETTLED_KEY = "hw4:unsettled"


def issue(store: redis.Redis, celery: Celery, task_id: str, kwargs: dict[str, Any],
          expires: int) -> None:
    """Record a task, then send it. Raises :class:`redis.RedisError` or kombu's
    ``OperationalError`` when Redis cannot be reached: the task is then not queued."""
    # recorded before it is sent, so GET /tasks/<id> and the drop check know every id
    # given out: one round trip (a pipeline without MULTI sends its commands at once)
    pipe = store.pipeline(transaction=False)
    pipe.hset(RECORD_KEY.format(task_id), mapping={
        "request_id": kwargs["request_id"], "kwargs": json.dumps(kwargs)})
    pipe.expire(RECORD_KEY.format(task_id), expires)
    pipe.zadd(UNSETTLED_KEY, {task_id: time.time()})
    pipe.execute()
    try:
        send(celery, task_id, kwargs)
    except (redis.RedisError, OperationalError):
        # the sender is told the task was not queued (a 503): the check must not
        # send it later. Redis is likely gone, so this may fail too; the task may
        # then still run one day, as a message Redis took just before it hung may
        with contextlib.suppress(redis.RedisError):
            forget(store, task_id)
        raise


def send(celery: Celery, task_id: str, kwargs: dict[str, Any]) -> None:
    """Send the analysis task with this id and these arguments (the first time or again)."""
    request_id = kwargs["request_id"]
    celery.send_task(
        TASK_NAME, task_id=task_id, headers={"request_id": request_id}, kwargs=kwargs,
        **hidden_arguments(request_id),  # Celery's logs and Flower show no text
    )


def forget(store: redis.Redis, task_id: str) -> None:
    """Remove a task's record: it was never queued."""
    pipe = store.pipeline(transaction=False)
    pipe.delete(RECORD_KEY.format(task_id))
    pipe.zrem(UNSETTLED_KEY, task_id)
    pipe.execute()


def request_id_of(store: redis.Redis, task_id: str) -> str | None:
    """The request id of the message a task was issued for; None: never issued (or expired)."""
    return store.hget(RECORD_KEY.format(task_id), "request_id")


def arguments_of(store: redis.Redis, task_id: str) -> dict[str, Any] | None:
    """The arguments a task was sent with, to send it again; None once its record expired."""
    kwargs = store.hget(RECORD_KEY.format(task_id), "kwargs")
    return None if kwargs is None else json.loads(kwargs)
