"""The Celery application: broker and result backend on Redis, JSON only.

``create_celery(settings)`` builds it; the worker's entry module
(``hw4.worker``) and service_1 each call it once per process.
"""

from __future__ import annotations

import redis
from celery import Celery
from celery.backends.redis import RedisBackend
from kombu.transport import redis as kombu_redis

from hw4.config import Settings

TASK_NAME = "hw4.analyse_message"


class SubmitOnlyRedisBackend(RedisBackend):
    """The result backend as service_1 uses it: it reads task states, never waits on one.

    Celery's Redis backend subscribes to every submitted task's result
    channel so that a later ``.get()`` can be woken up. A web service never
    calls ``.get()``, so those subscriptions would only pile up, and with
    Redis down the subscribe is what hangs ``apply_async``.
    """

    def on_task_call(self, producer, task_id):  # noqa: ANN001 - Celery's signature
        return None


class _ClientReusingChannel(kombu_redis.Channel):
    """kombu's Redis channel, keeping one ``redis.Redis`` client for its pool.

    kombu builds a new client object for every publish (``conn_or_acquire``),
    and with redis-py 8 that costs 50 µs (it copies the table of response
    callbacks): about a third of what service_1 adds to a bare ``apply_async``
    (bench/README.md). A client is only a handle on the channel's connection
    pool, so one per pool serves every publish of the channel.
    """

    _sync_client: redis.Redis | None = None

    def _create_client(self, asynchronous: bool = False) -> redis.Redis:
        if asynchronous:
            return super()._create_client(asynchronous=True)
        client = self._sync_client
        if client is None or client.connection_pool is not self.pool:
            client = self._sync_client = super()._create_client()
        return client


class PublishingRedisTransport(kombu_redis.Transport):
    """The Redis transport of processes that publish tasks (service_1)."""

    Channel = _ClientReusingChannel


def celery_config(settings: Settings, submit_only: bool = False) -> dict[str, object]:
    """Celery settings, with the reliability choices spelled out."""
    timeout = settings.broker_timeout
    backend = settings.result_url
    if submit_only:
        backend = f"{__name__}:SubmitOnlyRedisBackend+{backend}"
    config: dict[str, object] = {
        "broker_url": settings.broker_url,
        "result_backend": backend,
        # JSON only: a pickle from anyone who reaches Redis would be code execution
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "task_track_started": True,
        # a task is acknowledged when it is done, not when it is received, so a
        # worker killed mid-task leaves it in Redis to be handed out again ...
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # ... and a worker holds only the task it is running, none in reserve
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {
            # how long an unacknowledged task waits before another worker gets
            # it; longer than the longest task (work_seconds <= 30)
            "visibility_timeout": settings.visibility_timeout,
            # look for such tasks every 5 s (kombu's default sweep is every 100 s)
            "unacked_restore_interval": 5,
            "unacked_restore_throttle": 1,
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
        },
        "broker_connection_timeout": timeout,
        "broker_connection_retry_on_startup": True,
        "redis_socket_timeout": timeout,
        "redis_socket_connect_timeout": timeout,
        "redis_retry_on_timeout": False,
        "result_backend_transport_options": {
            "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                             "interval_max": 0.2},
        },
        "result_expires": 7 * 24 * 3600,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "broker_connection_max_retries": None,
    }
    if submit_only:
        # service_1 answers 503 within one broker timeout when Redis is down or
        # hung: no retries of the connection or of the publish (kombu would
        # sleep about 2 s, and a retry doubles the wait on a hung Redis). A
        # pooled connection that a Redis restart left stale is replaced by
        # redis-py itself. The workers keep Celery's retries.
        config["task_publish_retry"] = False
        config["broker_transport"] = f"{__name__}:PublishingRedisTransport"
        config["broker_transport_options"] = {
            **config["broker_transport_options"], "max_retries": 0}
    return config


def create_celery(settings: Settings, submit_only: bool = False) -> Celery:
    """A Celery app for hw4. ``submit_only`` for processes that only submit and look up."""
    app = Celery("hw4", set_as_current=not submit_only,
                 include=[] if submit_only else ["hw4.tasks"])
    app.conf.update(celery_config(settings, submit_only))
    # the tasks read hw4's own settings (report folder, retries) from here
    app.conf.hw4_settings = settings
    return app
