"""The Celery application: broker and result backend on Redis, JSON only.

``create_celery(settings)`` builds it. The workers' entry module
(``hw4.worker``, started as ``celery -A hw4.worker worker -n worker1@%h``)
calls it with the tasks; service_1 calls it to send tasks, and reads their
states with :func:`result_store`.
"""

from __future__ import annotations

import json

from celery import Celery, states
from celery.backends.redis import RedisBackend

from hw4.config import UNACKED_RESTORE_INTERVAL, Settings

#: the task's name, shared by the sender (service_1) and the workers
TASK_NAME = "hw4.analyse_message"


def celery_config(settings: Settings) -> dict[str, object]:
    """Celery's settings for hw4, each reliability choice spelled out."""
    timeout = settings.broker_timeout
    return {
        "broker_url": settings.broker_url,
        "result_backend": settings.result_url,
        # JSON only: a pickle from anyone who reaches Redis would be code execution
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        # a task's state goes PENDING -> STARTED -> SUCCESS, so a student sees it run
        "task_track_started": True,
        "result_expires": settings.result_expires,
        # a task is acknowledged when it is done, not when it is received, so a
        # worker killed mid-task leaves it in Redis to be handed out again ...
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # ... and a worker process holds only the task it runs, none in reserve
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": broker_transport_options(settings),
        "broker_connection_timeout": timeout,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,  # a worker waits for Redis forever
        "redis_socket_timeout": timeout,
        "redis_socket_connect_timeout": timeout,
        # service_1 answers 503 within about one broker timeout when Redis is
        # down: it sends a task once and does not retry (a retry would double
        # the wait). The message either reached Redis or the sender is told so.
        "task_publish_retry": False,
        # Redis dying while tasks run: a worker's writes to the result backend
        # (STARTED, SUCCESS) wait for Redis instead of failing the task: retried
        # on connection errors, 10 ms doubling to at most 1 s apart (with jitter),
        # about a minute in all, then the task fails as before
        "result_backend_always_retry": True,
        "result_backend_max_retries": 120,
        "result_backend_base_sleep_between_retries_ms": 10,
        "result_backend_max_sleep_between_retries_ms": 1000,
        # ... and the tasks a worker was running when it lost Redis (their late
        # acknowledgement can no longer reach it) are stopped and handed out
        # again after the visibility timeout, not left half done (Celery 6's default)
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        # the task events Flower shows (sent, received, started, succeeded, failed,
        # retried): sent only while Flower runs, as nobody else reads them
        "worker_send_task_events": bool(settings.flower),
        "task_send_sent_event": bool(settings.flower),
        # hw4 writes its own log lines (hw4.logs); Celery's stay in run/<node>.out
        "worker_hijack_root_logger": False,
    }


def hidden_arguments(request_id: str) -> dict[str, str]:
    """What Celery shows of a task's arguments in its logs, its events and so in Flower:
    the request id, never the text (``apply_async``'s ``argsrepr`` and ``kwargsrepr``,
    Celery's "hiding sensitive information in arguments")."""
    return {"argsrepr": "()", "kwargsrepr": f"{{'request_id': {request_id!r}}}"}


def broker_transport_options(settings: Settings) -> dict[str, object]:
    """The Redis transport's own settings (Celery's ``broker_transport_options``)."""
    timeout = settings.broker_timeout
    return {
        # how long an unacknowledged task waits before another worker gets
        # it: longer than the longest task (work_seconds <= 30)
        "visibility_timeout": settings.visibility_timeout,
        # look for such tasks every 5 s (kombu's default: every 10 x 10 s)
        "unacked_restore_interval": UNACKED_RESTORE_INTERVAL,
        "unacked_restore_throttle": 1,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
    }


def create_celery(settings: Settings, sender: bool = False) -> Celery:
    """A Celery app for hw4.

    The workers' app (``hw4.worker``) runs the tasks and stores their results.
    A sender's app (``sender=True``: service_1) only sends tasks, and has no
    result backend: Celery's Redis backend would subscribe the sender to each
    task's result channel as it sends it, so that a later ``result.get()``
    wakes up at once. service_1 never waits on a result; it reads task states
    with :func:`result_store`.
    """
    # a sender is never Celery's "current app": a worker node makes one too (to send a
    # dropped task again, hw4/drop_check.py), and its tasks must stay the workers' app's
    app = Celery("hw4", include=[] if sender else ["hw4.tasks"], set_as_current=not sender)
    app.conf.update(celery_config(settings))
    if sender:
        app.conf.result_backend = None
        # service_1 answers 503 at once when Redis is down; it never waits on it
        app.conf.result_backend_always_retry = False
    # the tasks read hw4's own settings (report folder, retries) from here
    app.conf.hw4_settings = settings
    return app


def result_store(app: Celery) -> RedisBackend:
    """The Redis result backend, to read task states (``get_task_meta``) from a sender."""
    return RedisBackend(app=app, url=app.conf.hw4_settings.result_url)


def is_final(meta: bytes | str | None) -> bool:
    """Does a task's value in the result backend (Celery's JSON; None: no state yet) hold
    a final state (SUCCESS, FAILURE or REVOKED: Celery's ``READY_STATES``)? STARTED and
    RETRY are not final: the task is, or will be, run again."""
    return bool(meta) and json.loads(meta).get("status") in states.READY_STATES
