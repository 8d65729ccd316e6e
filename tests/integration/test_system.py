"""Each kind of answer of the real system, over real HTTP, Redis and Celery workers."""

from __future__ import annotations

import pytest
import requests

from hw4.logs import load_logs
from hw4.reports import load_reports

from .conftest import System


def test_both_services_are_healthy(system: System):
    s = system.settings
    assert requests.get(s.service_1_url + "/health", timeout=5).json()["redis"] == "ok"
    assert requests.get(s.service_2_url + "/health", timeout=5).json()["service"] == "service_2"


@pytest.mark.quick
def test_async_message_is_queued_and_a_worker_finishes_it(system: System):
    answer = system.client.send("Hello from the integration test, hello again")
    assert answer.status == 202
    assert answer.body["status_url"] == f"/tasks/{answer.task_id}"
    final = system.client.wait_for_task(answer.task_id, deadline=30)
    assert final["state"] == "SUCCESS" and final["request_id"] == answer.request_id
    result = final["result"]
    assert final["worker"].split("@")[0] in ("worker1", "worker2")
    assert result["analysis"]["words"] == 7 and result["analysis"]["top_words"][0] == ["hello", 2]
    worker_log = system.log_text(final["worker"].split("@")[0])
    for event in ("task.started", "task.finished"):
        assert any(event in line and answer.request_id in line
                   for line in worker_log.splitlines())
    service_1 = [line for line in system.log_text("service_1").splitlines()
                 if answer.request_id in line]
    assert any("message.received" in line for line in service_1)
    queued = [line for line in service_1 if " task.queued " in line]
    # one queued time: the result's queued_at is the time of the task.queued line
    assert len(queued) == 1 and queued[0].startswith(result["queued_at"] + " ")
    assert result["redelivered"] is False and not any(
        "redelivered" in line for line in worker_log.splitlines() if answer.request_id in line)


@pytest.mark.quick
def test_sync_message_is_answered_by_service_2(system: System):
    answer = system.client.send("Sync, please.", mode="sync")
    assert answer.status == 200
    assert answer.body["result"]["word_count"] == 2
    assert answer.body["result"]["request_id"] == answer.request_id
    assert answer.request_id in system.log_text("service_2")


def test_sync_work_holds_the_caller_while_async_work_does_not(system: System):
    sync = system.client.send("Sync work, please.", mode="sync", work_seconds=1)
    queued = system.client.send("Async work, please.", work_seconds=1)
    # the sync caller waited for service_2's second of work; the async one did not
    assert sync.status == 200 and sync.seconds >= 1.0
    assert queued.status == 202 and queued.seconds < 0.5
    lines = [line for line in system.log_text("service_2").splitlines()
             if sync.request_id in line and "process.answered" in line]
    assert len(lines) == 1 and "work_seconds=1.0" in lines[0]


def test_sensitive_message_is_blocked_with_a_report(system: System):
    answer = system.client.send("my card is 4111 1111 1111 1111")
    assert answer.status == 422 and answer.alert["type"] == "PersonalData"
    assert "CREDIT_CARD" in answer.alert["findings"]
    reports = load_reports(system.settings.report_dir)
    row = reports[reports["id"] == answer.alert["id"]].iloc[0]
    assert row["request_id"] == answer.request_id and "1111" in row["findings"]
    assert "4111 1111 1111 1111" not in (system.settings.report_dir / row["file"]).read_text()


def test_invalid_and_oversized_messages(system: System):
    assert system.client.send("").status == 400
    assert system.client.send(42).body["alert"]["type"] == "InvalidMessage"
    big = requests.post(system.settings.service_1_url + "/messages",
                        json={"text": "x" * 100_000}, timeout=5)
    assert big.status_code == 413 and big.json()["error"]


def test_unknown_task_is_404(system: System):
    answer = system.client.task("00000000-0000-4000-8000-000000000000")
    assert answer["http_status"] == 404 and answer["error"]


def test_twenty_messages_are_shared_by_both_workers(system: System):
    answers = [system.client.send(f"message number {i}", work_seconds=0.2) for i in range(24)]
    assert all(a.status == 202 for a in answers)
    finals = [system.client.wait_for_task(a.task_id, deadline=60) for a in answers]
    assert {f["state"] for f in finals} == {"SUCCESS"}
    assert {f["worker"].split("@")[0] for f in finals} == {"worker1", "worker2"}


def test_logs_load_into_one_table_with_every_component(system: System):
    frame = load_logs(system.settings.log_dir)
    assert {"service_1", "service_2", "worker1", "worker2", "launcher"} <= \
        set(frame["component"])


def test_a_refused_unread_body_leaves_the_kept_alive_connection_usable(system: System):
    # gunicorn's threaded worker says keep-alive, then closes the connection when more
    # than 64 KiB of a body was left unread; service_1 reads such bodies itself
    session = requests.Session()
    url = system.settings.service_1_url + "/messages"
    for size in (70_000, 200_000, 1_000_000) * 3:
        refused = session.post(url, data=b"x" * size, headers={"Content-Type": "text/plain"},
                               timeout=10)
        assert refused.status_code in (400, 413)
        assert session.post(url, json={"text": "still there?"}, timeout=10).status_code == 202


def test_service_1_never_subscribes_to_task_results(system: System):
    """service_1 sends tasks with no result backend of its own (hw4.celery_app): Celery's
    Redis backend would subscribe it to every task's result channel, never to leave."""
    import redis

    sent = [system.client.send(f"no subscription {i}") for i in range(3)]
    for answer in sent:
        assert system.client.wait_for_task(answer.task_id, deadline=60)["state"] == "SUCCESS"
    results = redis.Redis.from_url(system.settings.result_url)
    try:
        assert results.pubsub_channels("celery-task-meta-*") == []
    finally:
        results.close()
