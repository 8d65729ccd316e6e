"""A Celery node that does nothing: hw4's Celery settings and one no-op task, started
with hw4's worker (and Flower) command line.

The node half of the warm start's floor (``python -m bench.start_floor``): no Flask,
none of hw4's tasks, so its start-up is what any Celery node with hw4's settings pays.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_ready

from hw4.celery_app import celery_config
from hw4.components import Component, ready_marker
from hw4.config import Settings

settings = Settings.from_env()
#: the node's entry (``celery -A bench.floor_node worker``)
app = Celery("floor", set_as_current=False)
app.conf.update(celery_config(settings))


@app.task(name="floor.noop")
def noop() -> None:
    return None


@worker_ready.connect
def _ready(sender: object, **_: object) -> None:
    # the marker hw4's nodes write, so that the floor waits for a node as run_all.sh does
    name = sender.hostname.split("@", 1)[0]
    ready_marker(Component(name, None, None), settings).write_text(str(os.getpid()))
