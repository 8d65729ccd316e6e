import uuid

from hw4.task_ids import is_issued, new_task_id, signing_key

KEY = signing_key("token")


def test_an_issued_id_is_a_uuid4_and_checks():
    task_id = new_task_id(KEY)
    parsed = uuid.UUID(task_id)
    assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert is_issued(KEY, task_id)


def test_other_ids_do_not_check():
    task_id = new_task_id(KEY)
    assert not is_issued(signing_key("another token"), task_id)
    assert not is_issued(KEY, str(uuid.uuid4()))
    assert not is_issued(KEY, task_id.upper())  # only the canonical form
    flipped = task_id[:-1] + ("0" if task_id[-1] != "0" else "1")
    assert not is_issued(KEY, flipped)
    assert not is_issued(KEY, "not-a-task-id") and not is_issued(KEY, "")


def test_ids_do_not_repeat():
    assert len({new_task_id(KEY) for _ in range(10_000)}) == 10_000


def test_service_1_answers_404_for_ids_it_never_issued_without_asking_redis(client):
    # the unit settings point at no Redis: a 404 proves Redis was not needed
    answer = client.get(f"/tasks/{uuid.uuid4()}")
    assert answer.status_code == 404
    assert "issued" in answer.get_json()["error"]


def test_service_1_answers_503_for_its_own_id_when_redis_is_down(client, settings):
    task_id = new_task_id(signing_key(settings.internal_token))
    answer = client.get(f"/tasks/{task_id}")
    assert answer.status_code == 503
    assert answer.get_json()["alert"]["type"] == "BrokerUnavailable"
