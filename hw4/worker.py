"""Entry module of the Celery workers: ``celery -A hw4.worker worker -n worker1@%h``.

The node name's first part (``worker1``) is the component name: it names
the log file and the ready marker the launcher waits for.
"""

from __future__ import annotations

import os

from celery.signals import celeryd_init, worker_ready, worker_shutdown

from hw4.celery_app import create_celery
from hw4.code_version import note_running_code
from hw4.config import Settings
from hw4.drop_check import DropCheckStep
from hw4.logs import log_event, setup_logging

settings = Settings.from_env()
app = create_celery(settings)
# every node also runs the check for tasks the broker dropped (hw4/drop_check.py)
app.steps["worker"].add(DropCheckStep)


def _component(nodename: str) -> str:
    return nodename.split("@", 1)[0]


@celeryd_init.connect
def _setup_logging(sender: str, **_: object) -> None:
    # before the pool forks, so every pool process inherits the log file
    setup_logging(_component(sender), settings.log_dir)


@worker_ready.connect
def _ready(sender: object, **_: object) -> None:
    name = _component(sender.hostname)
    # which code this node runs (its tasks are imported by now): status.sh compares
    # run/<name>.code with the files to tell a node older than its code
    code = note_running_code(settings.run_dir, name)
    log_event("worker.ready", None, worker=sender.hostname, pid=os.getpid(), **code.summary())
    # the launcher waits for this marker (its pid must be the node's)
    marker = settings.run_dir / f"{name}.ready"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(os.getpid()))


@worker_shutdown.connect
def _shutdown(sender: object, **_: object) -> None:
    log_event("worker.stopped", None, worker=getattr(sender, "hostname", "?"))
