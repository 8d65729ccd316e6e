import time

import pytest

from hw4.reports import load_reports


def test_process_answers_with_cleaned_text_and_counts(client_2):
    answer = client_2.post("/process", json={"request_id": "r1", "text": "  Hello\tworld! \x07"},
                           headers={"X-Internal-Token": "test-token"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["cleaned_text"] == "Hello world!" and body["word_count"] == 2
    assert body["reply"]


@pytest.mark.parametrize("headers", [
    {}, {"X-Internal-Token": ""}, {"X-Internal-Token": "wrong"},
    {"Authorization": "test-token"}, {"X-Internal-Token": "test-token "},
])
def test_calls_without_the_right_token_get_401_and_an_alert(client_2, settings, headers):
    answer = client_2.post("/process", json={"request_id": "r", "text": "hi"}, headers=headers)
    assert answer.status_code == 401 and "error" in answer.get_json()
    assert load_reports(settings.report_dir)["type"].tolist() == ["Unauthorized"]


def test_no_configured_token_refuses_everything(settings):
    from hw4.service_2 import create_app
    client = create_app(settings.override(internal_token="")).test_client()
    answer = client.post("/process", json={"text": "hi"}, headers={"X-Internal-Token": ""})
    assert answer.status_code == 401


def test_bad_body_is_400_json(client_2):
    answer = client_2.post("/process", data="nope", content_type="application/json",
                           headers={"X-Internal-Token": "test-token"})
    assert answer.status_code == 400 and "JSON" in answer.get_json()["error"]


def test_process_spends_work_seconds_before_it_answers(client_2, settings):
    from hw4.logs import load_logs
    began = time.monotonic()
    answer = client_2.post("/process", json={"text": "slow, please", "work_seconds": 0.3},
                           headers={"X-Internal-Token": "test-token", "X-Request-ID": "w1"})
    assert answer.status_code == 200 and time.monotonic() - began >= 0.3
    lines = load_logs(settings.log_dir)
    done = lines[(lines["request_id"] == "w1") & (lines["event"] == "process.answered")]
    assert done.iloc[0]["work_seconds"] == 0.3  # a number, as load_logs gives it


@pytest.mark.parametrize("work", [-1, "1", True, 31])
def test_process_refuses_work_seconds_that_is_not_a_sane_number(client_2, work):
    answer = client_2.post("/process", json={"text": "hi", "work_seconds": work},
                           headers={"X-Internal-Token": "test-token"})
    assert answer.status_code == 400 and "work_seconds" in answer.get_json()["error"]
