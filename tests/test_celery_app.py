"""The Celery settings hw4 depends on for its reliability promises."""

import json

from hw4.celery_app import celery_config, hidden_arguments, is_final
from hw4.config import Settings


def test_the_redis_transport_hands_out_unacknowledged_tasks_after_the_visibility_timeout():
    settings = Settings(visibility_timeout=60, broker_timeout=0.25)
    config = celery_config(settings)
    assert config["task_acks_late"] and config["worker_prefetch_multiplier"] == 1
    options = config["broker_transport_options"]
    assert options["visibility_timeout"] == 60
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 0.25


def test_the_task_events_flower_shows_are_sent_only_while_flower_runs():
    on, off = celery_config(Settings(flower=1)), celery_config(Settings(flower=0))
    assert on["worker_send_task_events"] and on["task_send_sent_event"]
    assert not off["worker_send_task_events"] and not off["task_send_sent_event"]


def test_the_arguments_celery_shows_name_the_request_not_the_text():
    assert hidden_arguments("abc") == {"argsrepr": "()", "kwargsrepr": "{'request_id': 'abc'}"}


def test_only_success_failure_and_revoked_are_final() -> None:
    assert not is_final(None) and not is_final("")  # no state yet
    for state, final in (("PENDING", False), ("STARTED", False), ("RETRY", False),
                         ("SUCCESS", True), ("FAILURE", True), ("REVOKED", True)):
        assert is_final(json.dumps({"status": state, "result": None})) == final, state
        assert is_final(json.dumps({"status": state}).encode()) == final, state
