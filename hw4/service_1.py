"""service_1: the front door. Validates, looks for personal data, then queues or forwards.

Run it with ``gunicorn 'hw4.service_1:create_app()'`` (the launcher does).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import redis
import urllib3
from flask import Flask, Response, current_app, jsonify, request
from kombu.exceptions import OperationalError

from hw4.celery_app import TASK_NAME, create_celery
from hw4.config import Settings
from hw4.detection import Finding, detect, keyword_only
from hw4.http_common import (
    BadBody,
    alert_body,
    error_response,
    init_service,
    read_json_body,
    request_id,
)
from hw4.logs import log_event
from hw4.reports import findings_summary, write_report
from hw4.task_ids import is_issued, new_task_id, signing_key
from hw4.validation import InvalidMessage, Message, validate_message

COMPONENT = "service_1"
#: how long service_1 waits to connect to service_2 (the read wait is a setting)
_CONNECT_TIMEOUT = 1.0


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    celery = create_celery(settings, submit_only=True)
    task_key = signing_key(settings.internal_token)
    # for /health: one pool per process, with timeouts short enough to answer quickly
    store = redis.Redis.from_url(
        settings.result_url, socket_timeout=settings.broker_timeout,
        socket_connect_timeout=settings.broker_timeout, decode_responses=True,
    )
    app.extensions["hw4"] = {"celery": celery, "store": store,
                             "service_2": service_2_pool(settings),
                             "task_key": task_key}

    def dependencies() -> dict[str, object]:
        try:
            store.ping()
            state = "ok"
        except redis.RedisError:
            state = "unreachable"
        return {"redis": state}

    init_service(app, COMPONENT, settings, health_details=dependencies)

    @app.post("/messages")
    def post_message() -> tuple[Response, int]:
        log_event("message.received", request_id(), bytes=request.content_length or 0)
        try:
            message = validate_message(read_json_body(), settings)
        except (BadBody, InvalidMessage) as exc:
            return _reject_invalid(settings, str(exc))
        findings = detect(message.text)
        if findings:
            refusal = _flag_personal_data(settings, findings)
            if refusal:
                return refusal
        if message.mode == "sync":
            return _forward(settings, message)
        return _enqueue(settings, message)

    @app.get("/tasks/<task_id>")
    def get_task(task_id: str) -> tuple[Response, int]:
        ext = current_app.extensions["hw4"]
        if not is_issued(ext["task_key"], task_id):
            return error_response(404, "no task with this id was issued by service_1")
        try:
            result = ext["celery"].AsyncResult(task_id)
            state, info = result.state, result.info
        except (redis.RedisError, OperationalError) as exc:
            return _broker_down(settings, exc)
        body: dict[str, object] = {"task_id": task_id, "request_id": None,
                                   "state": state, "worker": None, "result": None}
        if state == "SUCCESS" and isinstance(info, dict):
            body["worker"], body["result"] = info.get("worker"), info
            body["request_id"] = info.get("request_id")
        elif state == "STARTED" and isinstance(info, dict):
            body["worker"] = info.get("hostname")
        elif state in ("FAILURE", "RETRY"):
            body["error"] = f"{type(info).__name__}: {info}"
        return jsonify(body), 200

    return app


def service_2_pool(settings: Settings) -> urllib3.HTTPConnectionPool:
    """Kept-alive connections to service_2, shared by the threads of a process.

    urllib3's pool directly rather than a ``requests`` session: it is
    thread-safe, and it skips the work ``requests`` does on every call (proxy
    lookup in the environment, cookies, hooks): 195 µs of CPU per call instead
    of 500 (bench/README.md). Nothing connects before gunicorn forks: the pool
    opens its first connection on the first call.
    """
    return urllib3.HTTPConnectionPool(
        settings.host, settings.service_2_port, maxsize=max(1, settings.web_threads),
        # POST is not safe to repeat: no retries, as requests' default; a
        # connection service_2 closed while idle is detected before it is reused
        retries=False,
        timeout=urllib3.Timeout(connect=_CONNECT_TIMEOUT, read=settings.service_2_timeout),
        headers={"X-Internal-Token": settings.internal_token,
                 "Content-Type": "application/json"},
    )


def _flag_personal_data(settings: Settings, findings: list[Finding]) -> tuple[Response, int] | None:
    """Report what was found; refuse the message unless it only names a sensitive
    word and the keyword policy is "warn"."""
    types = sorted({f.type for f in findings})
    only_words = keyword_only(findings)
    blocked = not only_words or settings.keyword_policy == "block"
    words = ", ".join(sorted({f.hint for f in findings}))
    if not only_words:
        description = f"The message holds personal data ({', '.join(types)}) and was blocked."
    elif blocked:
        description = (f"The message names sensitive data ({words}) and was blocked "
                       "(keyword policy: block).")
    else:
        description = (f"The message names sensitive data ({words}); it was processed "
                       "(keyword policy: warn).")
    action = "blocked" if blocked else "warned"
    alert = write_report(settings.report_dir, "PersonalData", request_id(), COMPONENT,
                         description, findings, action=action)
    if not blocked:
        log_event("message.flagged", request_id(), alert_id=alert.id,
                  findings=",".join(types), action=action)
        return None
    # one line for the refusal, with what was found (a rejected message logs
    # four lines: received, alert.raised, rejected, http.request)
    log_event("message.rejected", request_id(), status=422, reason="personal data",
              alert_id=alert.id, findings=",".join(types))
    error = (f"the message holds personal data ({', '.join(types)}); it was not processed"
             if not only_words else
             f"the message names sensitive data ({words}); it was not processed (to allow "
             "such messages, set HW4_KEYWORD_POLICY=warn)")
    return error_response(422, error, alert=alert_body(
        alert, findings=types, hints=findings_summary(findings)))


def _reject_invalid(settings: Settings, reason: str) -> tuple[Response, int]:
    alert = write_report(settings.report_dir, "InvalidMessage", request_id(), COMPONENT,
                         f"The message was refused: {reason}")
    log_event("message.rejected", request_id(), status=400, reason=reason, alert_id=alert.id)
    return error_response(400, reason, alert=alert_body(alert))


def _broker_down(settings: Settings, exc: Exception) -> tuple[Response, int]:
    alert = write_report(settings.report_dir, "BrokerUnavailable", request_id(), COMPONENT,
                         "Redis (the broker) could not be reached; the message was not queued.",
                         error=type(exc).__name__)
    log_event("broker.unavailable", request_id(), level=40, error=type(exc).__name__,
              alert_id=alert.id)
    return error_response(503, "the message queue (Redis) is unavailable; try again shortly",
                          alert=alert_body(alert))


def _enqueue(settings: Settings, message: Message) -> tuple[Response, int]:
    ext = current_app.extensions["hw4"]
    rid = request_id()
    try:
        task_id = new_task_id(ext["task_key"])
        ext["celery"].send_task(
            TASK_NAME, task_id=task_id,
            kwargs={"request_id": rid, "text": message.text,
                    "work_seconds": message.work_seconds, "fail": message.fail,
                    "queued_at": datetime.now(timezone.utc).isoformat(
                        timespec="milliseconds").replace("+00:00", "Z")},
            headers={"request_id": rid},
            # Celery would put a repr of the arguments (the message text) in the
            # task's headers, where worker logs and monitors show it; building it
            # was also the costliest step of accepting a message (~120 µs)
            argsrepr="()", kwargsrepr=f"{{'request_id': {rid!r}}}",
        )
    except (redis.RedisError, OperationalError) as exc:
        return _broker_down(settings, exc)
    log_event("task.queued", rid, task_id=task_id, work_seconds=message.work_seconds)
    return jsonify({"request_id": rid, "task_id": task_id,
                    "status_url": f"/tasks/{task_id}"}), 202


def _forward(settings: Settings, message: Message) -> tuple[Response, int]:
    pool: urllib3.HTTPConnectionPool = current_app.extensions["hw4"]["service_2"]
    rid = request_id()
    log_event("message.forwarded", rid, to="service_2")
    failure = None
    began = time.perf_counter()
    try:
        answer = pool.request(
            "POST", "/process",
            body=json.dumps({"request_id": rid, "text": message.text}).encode(),
            headers={**pool.headers, "X-Request-ID": rid},
        )
    except urllib3.exceptions.TimeoutError as exc:
        # a connect timeout is a service_2 that is not there, not a slow one
        if isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
            failure = (503, "Service2Unavailable", "service_2 is unavailable", exc)
        else:
            failure = (504, "Service2Timeout",
                       f"service_2 did not answer within {settings.service_2_timeout:g} s", exc)
    except urllib3.exceptions.HTTPError as exc:
        failure = (503, "Service2Unavailable", "service_2 is unavailable", exc)
    else:
        if answer.status != 200:
            failure = (502, "Service2Unavailable", f"service_2 answered {answer.status}", None)
        else:
            try:
                result = json.loads(answer.data)
            except ValueError as exc:
                failure = (502, "Service2Unavailable", "service_2 answered with a body that "
                           "is not JSON", exc)
    if failure:
        status, alert_type, reason, exc = failure
        alert = write_report(settings.report_dir, alert_type, rid, COMPONENT,
                             f"A sync message could not be processed: {reason}.",
                             error=type(exc).__name__ if exc else "-")
        log_event("message.failed", rid, level=40, status=status, reason=reason,
                  alert_id=alert.id)
        return error_response(status, reason + "; try again shortly", alert=alert_body(alert))
    log_event("message.answered", rid, by="service_2",
              ms=round((time.perf_counter() - began) * 1000, 2))
    return jsonify({"request_id": rid, "result": result}), 200
