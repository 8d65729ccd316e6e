"""service_1 through Flask's test client: every answer that needs no Redis or service_2."""

import json

import pytest

from hw4.reports import load_reports


def post(client, body, content_type="application/json", **kw):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/messages", data=data, content_type=content_type, **kw)


def test_health(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["service"] == "service_1" and body["status"] == "ok"
    assert body["redis"] == "unreachable"  # the unit-test settings point nowhere


@pytest.mark.parametrize("body, content_type, words", [
    (b"{not json", "application/json", "not valid JSON"),
    (b"", "application/json", "empty"),
    (b'{"text": "hi"}', "text/plain", "(got 'text/plain')"),
    (b'{"text": "hi"}', "text/jane@example.org", "(got another content type)"),
    (b'\xff\xfe{"text": 1}', "application/json", "UTF-8"),
    (b'{"text": "a", "text": "b"}', "application/json", "more than once"),
    (b'{"text": "a", "work_seconds": NaN}', "application/json", "NaN"),
    (b'{"text": ""}', "application/json", "'text' is empty"),
    (b'["text"]', "application/json", "JSON object"),
    (b'{"text": "hi", "mode": "sync", "fail": true}', "application/json",
     "'fail' applies to async messages only"),
])
def test_invalid_messages_get_400_json_with_an_alert(client, settings, body, content_type,
                                                     words):
    answer = post(client, body, content_type)
    assert answer.status_code == 400
    payload = answer.get_json()
    assert payload["request_id"] and payload["alert"]["type"] == "InvalidMessage"
    assert words in payload["error"]
    report = settings.report_dir / payload["alert"]["report"].split("/")[-1]
    assert report.exists()


@pytest.mark.parametrize("body, words", [
    (b'{"text": "a", "work_seconds": 1' + b"0" * 5000 + b"}", "number too long"),
    # within the body limit, deeper than Python's recursion limit: json raises RecursionError
    (b"[" * 30000 + b"]" * 30000, "nested too deeply"),
])
def test_json_that_python_will_not_read_is_a_400(settings, body, words):
    from hw4.service_1 import create_app
    client = create_app(settings.override(max_body_bytes=65536)).test_client()
    answer = post(client, body)
    assert answer.status_code == 400 and words in answer.get_json()["error"]


def test_oversized_body_gets_413_json(client, settings):
    answer = post(client, {"text": "x" * 5000})
    assert answer.status_code == 413
    assert "larger than 4096 bytes" in answer.get_json()["error"]
    assert load_reports(settings.report_dir)["type"].tolist() == ["InvalidMessage"]


def test_an_oversized_body_whose_report_the_disk_refuses_gets_the_503(settings, tmp_path):
    from hw4.service_1 import create_app
    blocker = tmp_path / "a file"
    blocker.write_text("")
    client = create_app(settings.override(report_dir=blocker / "reports")).test_client()
    answer = post(client, {"text": "x" * 5000})
    assert answer.status_code == 503 and answer.mimetype == "application/json"
    assert "alert report could not be written" in answer.get_json()["error"]


def test_personal_data_gets_422_with_masked_findings(client, settings):
    answer = post(client, {"text": "mail me at ann.lee@example.org"})
    assert answer.status_code == 422
    alert = answer.get_json()["alert"]
    assert alert["type"] == "PersonalData" and alert["findings"] == ["EMAIL"]
    assert "ann.lee@example.org" not in answer.get_data(as_text=True)
    report = (settings.report_dir / alert["report"].split("/")[-1]).read_text()
    assert "ann.lee@example.org" not in report and "a***@e***.org" in report


def test_keyword_only_is_blocked_by_default(client):
    answer = post(client, {"text": "I forgot my password"})
    assert answer.status_code == 422
    assert answer.get_json()["alert"]["findings"] == ["KEYWORD"]


def test_keyword_only_with_warn_policy_is_processed_and_reported(settings):
    from hw4.service_1 import create_app
    client = create_app(settings.override(keyword_policy="warn")).test_client()
    answer = post(client, {"text": "I forgot my password"})
    # processed: it goes on to Redis, which the unit settings do not reach
    assert answer.status_code == 503
    assert answer.get_json()["alert"]["type"] == "BrokerUnavailable"
    # both reports can carry the same millisecond, so their order is not checked
    types = load_reports(settings.report_dir)["type"].tolist()
    assert sorted(types) == ["BrokerUnavailable", "PersonalData"]
    from hw4.logs import load_logs
    flagged = load_logs(settings.log_dir).query("event == 'message.flagged'")
    assert flagged["action"].tolist() == ["warned"]


@pytest.mark.parametrize("policy, text, status, description", [
    ("block", "I forgot my password", 422,
     "The message holds personal data (KEYWORD) and was blocked."),
    ("warn", "I forgot my password", 503,  # processed: on to Redis, unreachable here
     "The message names sensitive data (password); it was processed (keyword policy: warn)."),
    ("warn", "mail me at ann.lee@example.org", 422,
     "The message holds personal data (EMAIL) and was blocked."),
])
def test_personal_data_is_blocked_or_warned_with_one_description_each(
        settings, policy, text, status, description):
    from hw4.service_1 import create_app
    client = create_app(settings.override(keyword_policy=policy)).test_client()
    assert post(client, {"text": text}).status_code == status
    reports = load_reports(settings.report_dir)
    assert reports.query("type == 'PersonalData'")["description"].tolist() == [description]


def test_redis_unreachable_gives_503_quickly(client):
    import time
    start = time.monotonic()
    answer = post(client, {"text": "hello"})
    assert answer.status_code == 503 and time.monotonic() - start < 2
    assert "Redis" in answer.get_json()["error"]


def test_service_2_unreachable_gives_503(client):
    answer = post(client, {"text": "hello", "mode": "sync"})
    assert answer.status_code == 503
    assert answer.get_json()["alert"]["type"] == "Service2Unavailable"


@pytest.mark.parametrize("path, status", [
    # a task lookup needs Redis, which unit tests never reach: 503
    ("/nope", 404), ("/tasks/not-a-task-id", 503),
])
def test_every_error_is_json(client, path, status):
    answer = client.get(path)
    assert answer.status_code == status and answer.is_json
    assert answer.get_json()["error"]


class _Redis:
    """Stands in for Redis: every task id was issued for request r-1, and it answers pings."""

    def hget(self, key, field):
        return "r-1" if field == "request_id" else None

    def ping(self):
        return True


class _ChangingResults:
    """Stands in for the result backend; the task moves on after each read, as a
    running task does between two reads."""

    def __init__(self):
        self.reads = 0

    def get_task_meta(self, task_id):
        self.reads += 1
        if self.reads == 1:
            return {"status": "STARTED", "result": {"hostname": "worker1@laptop", "pid": 7}}
        return {"status": "SUCCESS", "result": {"worker": "worker2@laptop", "attempt": 1}}


def _replace_clients(app, **clients):
    from dataclasses import replace
    app.extensions["hw4"] = replace(app.extensions["hw4"], **clients)


def test_a_task_lookup_reads_state_and_info_in_one_read(app, client):
    results = _ChangingResults()
    _replace_clients(app, redis=_Redis(), results=results)
    body = client.get("/tasks/some-task").get_json()
    assert results.reads == 1
    assert body["request_id"] == "r-1"
    assert (body["state"], body["worker"]) == ("STARTED", "worker1@laptop")


def test_views_and_health_reach_the_same_clients(app, client):
    # one place holds service_1's clients: replacing Redis there replaces it for
    # the task lookups and for /health alike
    _replace_clients(app, redis=_Redis(), results=_ChangingResults())
    assert client.get("/health").get_json()["redis"] == "ok"
    assert client.get("/tasks/some-task").status_code == 200


def test_a_task_lookup_without_redis_is_a_503_without_a_report(client, settings):
    from hw4.logs import load_logs
    answer = client.get("/tasks/some-task", headers={"X-Request-ID": "look-1"})
    assert answer.status_code == 503 and "looked up" in answer.get_json()["error"]
    assert "alert" not in answer.get_json()
    assert not settings.report_dir.exists() or not any(settings.report_dir.iterdir())
    lines = load_logs(settings.log_dir)
    assert "task.lookup_failed" in lines[lines["request_id"] == "look-1"]["event"].tolist()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_wrong_method_is_json(client, method):
    answer = client.open("/messages", method=method)
    assert answer.status_code == 405 and "error" in answer.get_json()


@pytest.mark.parametrize("path, method, allowed", [
    ("/messages", "GET", {"POST"}), ("/tasks/some-id", "POST", {"GET", "HEAD"}),
    ("/health", "TRACE", {"GET", "HEAD"}),
])
def test_a_405_says_which_methods_are_allowed(client, path, method, allowed):
    # RFC 9110: a 405 must carry Allow; the JSON error handler keeps Werkzeug's
    answer = client.open(path, method=method)
    assert answer.status_code == 405 and answer.is_json
    assert {m.strip() for m in answer.headers["Allow"].split(",")} == allowed


def test_request_id_header_is_used_only_when_plain(client):
    good = post(client, {"text": ""}, headers={"X-Request-ID": "my-id.1"})
    assert good.get_json()["request_id"] == "my-id.1"
    assert good.headers["X-Request-ID"] == "my-id.1"
    bad = post(client, {"text": ""}, headers={"X-Request-ID": "x y=forged"})
    assert bad.get_json()["request_id"] != "x y=forged"
    # the whole id must be plain: a line break after a plain id is not (a regex's "$"
    # matches before it); set in the environment, as a raw HTTP client could send it
    broken = post(client, {"text": ""}, environ_base={"HTTP_X_REQUEST_ID": "plain\n"})
    assert broken.status_code == 400 and broken.get_json()["request_id"] != "plain\n"


def test_every_step_is_logged_with_the_request_id(client, settings):
    from hw4.logs import load_logs
    rid = post(client, {"text": "my email is bo@example.com"}).get_json()["request_id"]
    frame = load_logs(settings.log_dir)
    events = frame[frame["request_id"] == rid]["event"].tolist()
    assert events == ["message.received", "alert.raised", "message.rejected",
                      "http.request"]
    rejected = frame[(frame["request_id"] == rid) & (frame["event"] == "message.rejected")]
    assert rejected.iloc[0]["findings"] == "EMAIL"
    text = (settings.log_dir / "service_1.txt").read_text()
    assert "bo@example.com" not in text


@pytest.fixture
def odd_service_2():
    """A real HTTP server in a thread that answers /process as a broken service_2 would."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    answers = {"status": 200, "body": b"not json"}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            answers["received"] = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(answers["status"])
            self.send_header("Content-Length", str(len(answers["body"])))
            self.end_headers()
            self.wfile.write(answers["body"])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], answers
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("status, body, error", [
    (200, b"not json", "not JSON"),
    (500, b'{"error": "boom"}', "service_2 answered 500"),
])
def test_a_broken_service_2_answer_gives_502(settings, odd_service_2, status, body, error):
    from hw4.service_1 import create_app
    port, answers = odd_service_2
    answers.update(status=status, body=body)
    client = create_app(settings.override(service_2_port=port)).test_client()
    answer = post(client, {"text": "hello", "mode": "sync"})
    assert answer.status_code == 502
    assert error in answer.get_json()["error"]
    assert answer.get_json()["alert"]["type"] == "Service2Unavailable"


def test_sync_work_seconds_is_forwarded_to_service_2(settings, odd_service_2):
    import json

    from hw4.service_1 import create_app
    port, answers = odd_service_2
    answers.update(status=200, body=b'{"reply": "ok"}')
    client = create_app(settings.override(service_2_port=port)).test_client()
    answer = post(client, {"text": "hello", "mode": "sync", "work_seconds": 1.5})
    assert answer.status_code == 200
    assert json.loads(answers["received"])["work_seconds"] == 1.5


def test_sync_work_beyond_the_maximum_is_refused_with_a_reason(client):
    answer = post(client, {"text": "hello", "mode": "sync", "work_seconds": 31})
    assert answer.status_code == 400
    assert "between 0 and 30" in answer.get_json()["error"]
    assert answer.get_json()["alert"]["type"] == "InvalidMessage"


def test_a_report_that_cannot_be_written_gives_a_json_503(client, settings):
    settings.report_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.report_dir.write_text("a file where the report folder should be")
    answer = post(client, {"text": "my password is hunter2"})
    assert answer.status_code == 503 and answer.is_json
    error = answer.get_json()["error"]
    assert "alert report could not be written" in error and "not processed" in error


class _StoredResults:
    """Stands in for the result backend: one stored state and info."""

    def __init__(self, status, result):
        self.meta = {"status": status, "result": result}

    def get_task_meta(self, task_id):
        return self.meta


def test_a_run_stopped_because_its_worker_lost_redis_reads_as_one_sentence(app, client):
    from celery.exceptions import Retry

    # what Celery stores when a worker that lost Redis stops a run: its own Retry, whose
    # text is "Retry(Retry(...), None, None)"; read back through the backend's JSON
    backend = app.extensions["hw4"].results
    stored = backend.encode({"status": "RETRY", "result": backend.encode_result(
        Retry(message="cancelled by Celery"), "RETRY")})
    info = backend.meta_from_decoded(backend.decode_result(stored))["result"]
    assert str(info) == "Retry(Retry(...), None, None)"
    _replace_clients(app, redis=_Redis(), results=_StoredResults("RETRY", info))
    body = client.get("/tasks/some-task").get_json()
    assert body["state"] == "RETRY" and body["worker"] is None
    assert body["error"].startswith("its worker lost Redis mid-run")
    assert "Retry(" not in body["error"] and body["error"].count(";") == 1


def test_a_retry_of_the_task_shows_its_own_exception(app, client):
    from hw4.tasks import DeliberateFailure

    _replace_clients(app, redis=_Redis(),
                     results=_StoredResults("RETRY", DeliberateFailure("asked to fail")))
    assert client.get("/tasks/t").get_json()["error"] == "DeliberateFailure: asked to fail"
