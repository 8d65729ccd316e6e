"""What Flower, Celery's monitor, knows: its API read with ``requests``.

Flower (``celery -A hw4.worker flower``, started by ``scripts/run_all.sh``) learns of
the workers and their tasks from Celery's events. Its pages are at ``settings.flower_url``;
its API asks for the same login (user ``hw4``, :func:`hw4.components.flower_password`).
The notebooks and tests read it through these functions.
"""

from __future__ import annotations

from typing import Any

import requests
from IPython.display import Markdown

from hw4.components import FLOWER_USER, flower_password
from hw4.config import Settings
from hw4.sandbox import wait_for
from hw4.status import display_path

#: the states after which a task changes no more
FINAL_STATES = ("SUCCESS", "FAILURE")


def link(settings: Settings) -> Markdown:
    """A link to Flower for a notebook, and where its password is (never the password)."""
    where = ("HW4_FLOWER_PASSWORD" if settings.flower_password else
             f"`cat {display_path(settings.run_dir / 'flower_password')}` in a terminal")
    return Markdown(f"Flower: <{settings.flower_url}> (user `{FLOWER_USER}`, password: {where})")


def get(settings: Settings, path: str, **params: object) -> Any:
    """``GET`` one of Flower's pages or API paths (``/api/tasks``), logged in; its JSON."""
    answer = requests.get(settings.flower_url + path, params=params, timeout=10,
                          auth=(FLOWER_USER, flower_password(settings)))
    answer.raise_for_status()
    return answer.json()


def _component(node: str) -> str:
    """``worker1@host`` -> ``worker1``: the component name (the same on every machine)."""
    return node.split("@", 1)[0]


def workers_online(settings: Settings) -> dict[str, bool]:
    """Each worker node Flower has heard of, and whether it is online (its heartbeats
    arrive), by component name, sorted."""
    found = get(settings, "/api/workers", status="true")
    return {_component(node): online for node, online in sorted(found.items())}


def task(settings: Settings, task_id: str) -> dict[str, Any] | None:
    """What Flower knows of one task (``/api/task/info/<id>``); None: nothing (yet)."""
    try:
        return get(settings, f"/api/task/info/{task_id}")
    except requests.HTTPError as exc:
        if exc.response is not None and exc.response.status_code == 404:
            return None
        raise


def task_summary(settings: Settings, task_id: str) -> dict[str, Any] | None:
    """A task's state in Flower, the node that ran it last, its retries, and which of its
    events Flower saw (sent, received, started, ...)."""
    info = task(settings, task_id)
    if info is None:
        return None
    seen = ["sent", "received", "started", "retried", "succeeded", "failed"]
    return {"state": info["state"], "worker": _component(info.get("worker") or "-"),
            "retries": info.get("retries"), "events": [e for e in seen if info.get(e)]}


def tasks(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every task Flower has seen, by id (``/api/tasks``)."""
    return get(settings, "/api/tasks")


def final_task(settings: Settings, task_id: str, deadline: float = 15) -> dict[str, Any]:
    """:func:`task_summary` once Flower has heard that the task ended (its events arrive
    a moment after ``GET /tasks/<id>`` says so)."""
    def ended() -> dict[str, Any] | None:
        summary = task_summary(settings, task_id)
        return summary if summary and summary["state"] in FINAL_STATES else None
    return wait_for(ended, deadline, f"Flower shows task {task_id} ended")
