"""The baselines: the same stack as hw4 (gunicorn, Flask, Celery, Redis) doing nothing.

Each benchmark row compares an hw4 path with the cheapest thing its stack can
do on the same path, started with the same server settings in the same run:

* ``POST /trivial``: a Flask JSON endpoint (the ceiling of a rejected message);
* ``POST /accept``: a Flask handler that only calls ``apply_async`` (202);
* ``POST /forward``: a handler that forwards to ``/trivial`` of a second
  baseline server with a kept-alive ``requests`` session (sync path);
* the Celery app ``app`` with one no-op task, run by workers started with
  hw4's own worker command line: ``celery -A bench.baseline worker``.

Settings come from the same ``HW4_*`` variables as hw4; the baseline uses
Redis databases 2 (broker) and 3 (results) of hw4's Redis, so it never
touches hw4's queues.
"""

from __future__ import annotations

import os
import threading

import requests
from celery import Celery
from celery.signals import worker_ready
from flask import Flask, jsonify

from hw4.celery_app import celery_config
from hw4.config import Settings

NOOP = "bench.noop"
BROKER_DB, RESULT_DB = 2, 3
#: where ``/forward`` sends its calls (the second baseline server)
FORWARD_URL_VAR = "BENCH_FORWARD_URL"


def make_celery(settings: Settings, sender: bool = False) -> Celery:
    """A Celery app with hw4's settings (``sender`` as service_1 uses it: no result
    backend), on the baseline's own Redis databases."""
    app = Celery("bench", set_as_current=False)
    app.conf.update(celery_config(settings))
    app.conf.broker_url = settings.redis_db_url(BROKER_DB)
    app.conf.result_backend = None if sender else settings.redis_db_url(RESULT_DB)

    @app.task(name=NOOP)
    def noop() -> None:
        return None

    return app


def create_app() -> Flask:
    settings = Settings.from_env()
    flask_app = Flask(__name__)
    celery = make_celery(settings, sender=True)
    forward_url = os.environ.get(FORWARD_URL_VAR, "") + "/trivial"
    sessions = threading.local()  # one kept-alive session per thread, as service_1 has

    @flask_app.post("/trivial")
    def trivial():
        return jsonify({"ok": True})

    @flask_app.post("/accept")
    def accept():
        task = celery.send_task(NOOP)
        return jsonify({"task_id": task.id}), 202

    @flask_app.post("/forward")
    def forward():
        if not hasattr(sessions, "session"):
            sessions.session = requests.Session()
            sessions.session.trust_env = False  # as service_1's
        answer = sessions.session.post(forward_url, json={"text": "hello"}, timeout=(1, 5))
        return jsonify({"result": answer.json()}), answer.status_code

    return flask_app


#: the worker's entry (``celery -A bench.baseline worker``)
app = make_celery(Settings.from_env())


@worker_ready.connect
def _ready(sender: object, **_: object) -> None:
    # the same ready marker as hw4's workers, so the bench waits the same way
    settings = Settings.from_env()
    name = sender.hostname.split("@", 1)[0]
    marker = settings.run_dir / f"{name}.ready"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(os.getpid()))
