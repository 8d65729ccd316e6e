"""What Flower, Celery's monitor, knows: its API read with ``requests``.

Flower (``celery -A hw4.worker flower``, started by ``scripts/run_all.sh``) learns of
the workers and their tasks from Celery's events. Its pages are at ``settings.flower_url``;
its API asks for the same login (user ``hw4``, :func:`hw4.components.flower_password`).
The notebooks and tests read it through these functions.
"""

from __future__ import annotations

from typing import Any

import requests

from hw4.components import FLOWER_USER, flower_password
from hw4.config import Settings


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
