"""The Celery settings hw4 depends on for its reliability promises."""

from hw4.celery_app import celery_config
from hw4.config import Settings


def test_the_redis_transport_hands_out_unacknowledged_tasks_after_the_visibility_timeout():
    settings = Settings(visibility_timeout=60, broker_timeout=0.25)
    config = celery_config(settings)
    assert config["task_acks_late"] and config["worker_prefetch_multiplier"] == 1
    options = config["broker_transport_options"]
    assert options["visibility_timeout"] == 60
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 0.25
