"""Flower left out (``HW4_FLOWER=0``, as every reliability system runs): the status says
it is off, nothing listens on its port, no task event is sent, and messages flow as ever."""

from __future__ import annotations

from hw4.celery_app import create_celery
from hw4.components import port_is_free

from .conftest import System


def test_with_flower_off_status_says_off_and_messages_still_flow(system: System):
    settings = system.settings
    assert not settings.flower
    status = system.script("status.sh", check=False)
    assert status.returncode == 0, status.stdout + status.stderr  # off is no failure
    flower_row = status.stdout.splitlines()[-1].split()
    assert flower_row[:4] == ["flower", "-", "off", "(HW4_FLOWER=0)"]
    assert port_is_free(settings.host, settings.flower_port)
    # the workers send no task event: nobody would read them
    conf = create_celery(settings, sender=True).control.inspect(timeout=5, limit=2).conf() or {}
    assert sorted(name.split("@")[0] for name in conf) == ["worker1", "worker2"]
    assert not any(node["worker_send_task_events"] for node in conf.values())
    answer = system.client.send("Flower or not, the work gets done.")
    assert answer.status == 202
    assert system.client.wait_for_task(answer.task_id, deadline=30)["state"] == "SUCCESS"
