"""Flower beside the real system: what its API says of a task is what ``GET /tasks/<id>``
says, and neither its API nor its worker pages show a message's text or a secret."""

from __future__ import annotations

import json
import secrets

import requests

from hw4 import flower
from hw4.components import flower_password, internal_token

from .conftest import System, wait_for


def _flower_state(system: System, task_id: str, state: str) -> dict | None:
    info = flower.task(system.settings, task_id)
    return info if info and info["state"] == state else None


def test_flower_says_what_get_tasks_says_and_never_shows_the_text(system: System):
    # a success, and a failure after three retries (1 + 2 + 4 s): a retry is a new
    # message, which must hide the text too
    words = [f"flowerprobe{secrets.token_hex(6)}" for _ in range(2)]
    ok = system.client.send(f"Nothing to see here, {words[0]}.")
    failing = system.client.send(f"Please fail, {words[1]}.", fail=True)
    assert (ok.status, failing.status) == (202, 202)
    for answer, state in ((ok, "SUCCESS"), (failing, "FAILURE")):
        ours = system.client.wait_for_task(answer.task_id, deadline=60)
        theirs = wait_for(lambda a=answer, s=state: _flower_state(system, a.task_id, s), 30,
                          f"Flower shows {answer.task_id} {state}")
        assert ours["state"] == theirs["state"] == state
        if state == "SUCCESS":  # the node that ran it (GET /tasks/<id> names it on success)
            assert theirs["worker"] == ours["worker"]
        assert theirs["kwargs"] == f"{{'request_id': '{answer.request_id}'}}"
    summary = flower.task_summary(system.settings, failing.task_id)
    assert summary["retries"] == 3
    assert {"sent", "received", "started", "retried", "failed"} <= set(summary["events"])
    everything = json.dumps(flower.tasks(system.settings)) + json.dumps(
        [flower.task(system.settings, a.task_id) for a in (ok, failing)])
    assert not any(word in everything for word in words)


def test_flowers_worker_pages_show_no_secret(system: System):
    assert wait_for(lambda: flower.workers_online(system.settings) == {
        "worker1": True, "worker2": True}, 30, "both nodes online in Flower")
    # refresh=1: Flower asks the nodes (celery inspect), their configuration included
    shown = json.dumps(flower.get(system.settings, "/api/workers", refresh=1))
    assert "hw4_settings" in shown  # the settings are there, their secrets are not
    for secret in (internal_token(system.settings), flower_password(system.settings)):
        assert secret not in shown


def test_flower_asks_for_its_login(system: System):
    for path in ("/", "/tasks", "/api/tasks", "/api/workers"):
        answer = requests.get(system.settings.flower_url + path, timeout=10)
        assert answer.status_code == 401, path
    assert requests.get(system.settings.flower_url + "/healthcheck", timeout=10).text == "OK"
