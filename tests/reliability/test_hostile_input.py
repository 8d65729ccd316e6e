"""Promise 6: hostile input never gets a 5xx, and every answer is a JSON object.

Property-based (hypothesis), every case sent over real HTTP to the real
service_1 under gunicorn (no test client): random JSON of every type, invalid
UTF-8, lone surrogates, NUL bytes, deep nesting, huge strings and numbers,
wrong content types, duplicate keys, NaN and Infinity, odd request ids; then
``GET /tasks/<anything>``, unknown routes and methods, and requests that are
not valid HTTP at all (gunicorn answers most of those itself, before Flask, with a
short HTML page).
At least 2,000 bodies (2,100 as set here) go to ``POST /messages`` per run; the
count is printed in the "reliability figures" summary.
"""

from __future__ import annotations

import json
import re
import socket
import string
from collections import Counter
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hw4.reports import load_reports

from .conftest import System, events, record_figures

pytestmark = pytest.mark.timeout(300)

#: cases sent per kind, over HTTP; the sum for POST /messages is the promise's 2,000
CASES = {"json_values": 550, "messages": 850, "raw_bodies": 700, "task_ids": 100,
         "routes": 100}
SENT: dict[str, int] = dict.fromkeys(CASES, 0)
#: how POST /messages answered, by status
STATUSES: Counter[int] = Counter()
#: tasks queued by the fuzzing, checked to finish
TASKS: list[str] = []


def fuzz(examples: int) -> Any:
    return settings(max_examples=examples, deadline=None, derandomize=False, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example,
                                           HealthCheck.function_scoped_fixture])


# ------------------------------------------------------------------ strategies

# every code point, lone surrogates and NUL included
any_char = st.characters(codec=None, categories=None)
any_text = st.text(any_char, max_size=60)
# (integers too long for Python to print are sent as raw bodies: see raw_bodies)
scalars = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=True, allow_infinity=True) | any_text)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(any_text, inner, max_size=5), max_leaves=25)
# the fields of a message, each valid or not; never a long work_seconds or a
# valid "fail" (they would keep the workers busy long after the test)
message_fields = {
    "text": any_text | st.text(min_size=1, max_size=40) | json_values
    | st.integers(0, 70_000).map(lambda n: "x" * n),
    "mode": st.sampled_from(["async", "sync", "ASYNC", "", "sync\n"]) | json_values,
    "work_seconds": st.sampled_from([0, 0.0, 0.001, -1, 31, 1e400, -1e400, float("nan"),
                                     "1", True, None])
    | st.floats(max_value=-0.1) | st.floats(min_value=30.01),
    # json_values can draw true, a valid "fail" (seen in CI: a task failed on purpose)
    "fail": st.sampled_from([False, "true", 1, 0, None])
    | json_values.filter(lambda value: value is not True),
}
odd_messages = st.fixed_dictionaries({}, optional={
    **message_fields, "extra": json_values, "": any_text, "text\n": any_text})
# well-formed messages with hostile text: they reach detection, service_2 and the workers
hostile_text = st.text(any_char, min_size=1, max_size=300) | st.text(
    st.sampled_from("\x00\r\n\u2028\u2029\x85\x0b\x1c\ufeff\u202e\ud800 a=\"\\{}@.:"),
    min_size=1, max_size=80)
good_messages = st.fixed_dictionaries(
    {"text": hostile_text},
    optional={"mode": st.sampled_from(["async", "sync"]), "work_seconds": st.just(0)})
messages = odd_messages | good_messages
# header values: latin-1, no CR/LF and no leading white space (an HTTP client
# cannot send those; test_log_forging sends them raw)
header_text = st.text(st.characters(min_codepoint=0, max_codepoint=255,
                                    exclude_characters="\r\n"), max_size=80).filter(
    lambda t: not t[:1] or t[0] not in " \t\x0b\x0c")
content_types = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "application/problem+json",
    "application/json; charset=latin-1", "text/plain", "text/html",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", None,
]) | header_text


def encode(value: Any, ascii_only: bool) -> bytes:
    # NaN/Infinity are written as such; without ensure_ascii a lone surrogate
    # becomes bytes that are not UTF-8, with it a \\udXXX escape
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def raw_bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "nested", "duplicate", "constant", "huge_number",
                                 "mutated", "nul", "huge_string", "bom"]))
    if kind == "bytes":
        return draw(st.binary(max_size=500))
    if kind == "nested":
        depth = draw(st.integers(1, 100_000))
        opener = draw(st.sampled_from(["[", '{"a":', '{"text":[']))
        return (opener * depth).encode() + draw(st.sampled_from([b"", b"1", b"]"]))
    if kind == "duplicate":
        key = draw(st.sampled_from(["text", "mode", "x"]))
        return f'{{"{key}": "a", "text": "hello", "{key}": 1}}'.encode()
    if kind == "constant":
        const = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "nan", "inf"]))
        field = draw(st.sampled_from(["text", "work_seconds", "mode", "fail"]))
        return f'{{"text": "hello", "{field}": {const}}}'.encode()
    if kind == "huge_number":
        digits = draw(st.integers(300, 9000))
        return b'{"text": "hi", "work_seconds": 1' + b"0" * digits + b"}"
    if kind == "huge_string":
        return b'{"text": "' + b"y" * draw(st.integers(60_000, 300_000)) + b'"}'
    if kind == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + \
            b'{"text": "hello"}'
    body = bytearray(encode(draw(messages), draw(st.booleans())))
    if kind == "nul":
        spot = draw(st.integers(0, len(body)))
        return bytes(body[:spot] + b"\x00" + body[spot:])
    for _ in range(draw(st.integers(1, 4))):  # mutated: flip, cut or insert bytes
        spot = draw(st.integers(0, len(body)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "cut":
            del body[spot:]
        elif action == "flip" and spot < len(body):
            body[spot] = draw(st.integers(0, 255))
        else:
            body[spot:spot] = draw(st.binary(min_size=1, max_size=4))
    return bytes(body)


# ------------------------------------------------------------------ checks

#: what an HTTP header value may hold (RFC 9110, 5.5): visible characters, spaces,
#: tabs and bytes from 0x80 up; a control character makes the request invalid
FIELD_VALUE = re.compile(rb"[\t\x20-\x7e\x80-\xff]*")


def check_answer(answer: requests.Response) -> dict[str, Any]:
    """A 2xx or 4xx, in JSON, an object; a 4xx says what is wrong in ``error``."""
    what = f"{answer.request.method} {answer.request.url[:100]} -> {answer.status_code}"
    assert 200 <= answer.status_code < 300 or 400 <= answer.status_code < 500, \
        what + " " + answer.text[:300]
    assert answer.headers.get("Content-Type") == "application/json", what
    body = answer.json()
    assert isinstance(body, dict), what
    if answer.status_code >= 400:
        assert isinstance(body.get("error"), str) and body["error"].strip(), what
    return body


def post_message(system: System, session: requests.Session, kind: str, body: bytes,
                 content_type: str | None = "application/json",
                 request_id: str | None = None) -> None:
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type.encode("latin-1")
    if request_id is not None:
        headers["X-Request-ID"] = request_id.encode("latin-1")
    answer = session.post(system.settings.service_1_url + "/messages", data=body,
                          headers=headers, timeout=30)
    SENT[kind] += 1
    STATUSES[answer.status_code] += 1
    if not all(FIELD_VALUE.fullmatch(value) for value in headers.values()):
        # not valid HTTP: gunicorn refuses it before Flask, with its own HTML page
        assert answer.status_code == 400 and answer.text, answer.text[:200]
        return
    result = check_answer(answer)
    if answer.status_code == 202:
        assert result["status_url"] == f"/tasks/{result['task_id']}"
        TASKS.append(result["task_id"])
    elif answer.status_code == 200:
        assert result["result"]["service"] == "service_2"


@pytest.fixture
def session() -> requests.Session:
    with requests.Session() as s:
        yield s


# ------------------------------------------------------------------ POST /messages

def test_random_json_documents(system: System, session: requests.Session):
    @fuzz(CASES["json_values"])
    @given(value=json_values, ascii_only=st.booleans())
    def check(value: Any, ascii_only: bool) -> None:
        post_message(system, session, "json_values", encode(value, ascii_only))

    check()


def test_message_shaped_objects_with_odd_fields_types_and_request_ids(
        system: System, session: requests.Session):
    @fuzz(CASES["messages"])
    @given(message=messages, ascii_only=st.booleans(),
           request_id=st.none() | header_text | st.just("ok-id.1"))
    def check(message: dict[str, Any], ascii_only: bool, request_id: str | None) -> None:
        post_message(system, session, "messages", encode(message, ascii_only),
                     request_id=request_id)

    check()


def test_raw_bodies_and_wrong_content_types(system: System, session: requests.Session):
    @fuzz(CASES["raw_bodies"])
    @given(body=raw_bodies(), content_type=content_types)
    def check(body: bytes, content_type: str | None) -> None:
        post_message(system, session, "raw_bodies", body, content_type)

    check()


# ------------------------------------------------------------------ other routes

def test_any_task_id_is_a_json_404(system: System, session: requests.Session):
    @fuzz(CASES["task_ids"])
    @given(task_id=st.uuids().map(str) | any_text.filter(bool)
           | st.integers(1000, 3000).map(lambda n: "t" * n))
    def check(task_id: str) -> None:
        quoted = quote(task_id.encode("utf-8", "surrogatepass"), safe="")
        answer = session.get(f"{system.settings.service_1_url}/tasks/{quoted}", timeout=30)
        SENT["task_ids"] += 1
        check_answer(answer)
        assert answer.status_code == 404

    check()


def test_unknown_routes_and_methods_are_json(system: System, session: requests.Session):
    @fuzz(CASES["routes"])
    @given(path=st.lists(st.text(string.printable, min_size=1, max_size=20), max_size=4),
           method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
           url=st.sampled_from(["service_1_url", "service_2_url"]))
    def check(path: list[str], method: str, url: str) -> None:
        target = "/" + "/".join(quote(p, safe="") for p in path)
        answer = session.request(method, getattr(system.settings, url) + target,
                                 data=b"{}", timeout=30)
        SENT["routes"] += 1
        check_answer(answer)

    check()


# ------------------------------------------------------------------ not HTTP at all

def raw_http(system: System, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the status, headers and body of the answer."""
    with socket.create_connection((system.settings.host, system.settings.service_1_port),
                                  timeout=10) as conn:
        conn.sendall(data)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


MALFORMED = {
    "garbage request line": b"GARBAGE\r\n\r\n",
    "no HTTP version": b"GET /health\r\n\r\n",
    "bad method characters": b"G(E)T /health HTTP/1.1\r\nHost: x\r\n\r\n",
    "header line too long": b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 9000
                            + b"\r\n\r\n",
    "too many headers": b"GET /health HTTP/1.1\r\n" + b"".join(
        b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",
    "unknown transfer coding": b"POST /messages HTTP/1.1\r\nHost: x\r\n"
                               b"Transfer-Encoding: foo\r\n\r\n",
    "bad content length": b"POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    "NUL in a header": b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    "header without a colon": b"GET /health HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n",
    "bad chunk size": b"POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      b"Content-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
    "HTTP version 9": b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
    "URL over the request line limit": b"GET /tasks/" + b"t" * 10_000
                                       + b" HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("request_bytes", MALFORMED.values(), ids=MALFORMED.keys())
def test_requests_that_are_not_valid_http_get_a_4xx(system: System,
                                                                  request_bytes: bytes):
    status, _, body = raw_http(system, request_bytes)
    if b"Transfer-Encoding: foo" in request_bytes:
        # "a transfer coding it does not understand": RFC 9112 (6.1) asks for a 501
        assert status == 501, (status, body[:200])
    else:
        assert 400 <= status < 500, (status, body[:200])
    assert body  # a reason, in gunicorn's words


def test_service_is_healthy_after_the_fuzzing_and_nothing_crashed(system: System):
    for url in (system.settings.service_1_url, system.settings.service_2_url):
        assert requests.get(url + "/health", timeout=5).json()["status"] == "ok"
    system.script("status.sh")  # every component healthy
    assert not events(system, "request.crashed")
    reports = load_reports(system.settings.report_dir)
    assert "InternalError" not in set(reports["type"])
    answer = system.client.send("still working after all that")
    assert answer.status == 202
    for task_id in [*TASKS, answer.task_id]:  # the workers ran every hostile text too
        assert system.client.wait_for_task(task_id, deadline=60)["state"] == "SUCCESS"
    to_messages = SENT["json_values"] + SENT["messages"] + SENT["raw_bodies"]
    if all(SENT[k] >= n for k, n in CASES.items()):  # the whole module ran
        assert to_messages >= 2000
    record_figures("hostile input over HTTP", post_messages=to_messages,
                   task_ids=SENT["task_ids"], routes=SENT["routes"],
                   not_http=len(MALFORMED), server_errors=0, tasks_succeeded=len(TASKS),
                   statuses=dict(sorted(STATUSES.items())))
