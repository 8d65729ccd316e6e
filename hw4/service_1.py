"""service_1: the front door. Validates, looks for personal data, then queues or forwards.

Run it with ``gunicorn 'hw4.service_1:create_app()'`` (the launcher does).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import redis
from celery import Celery
from celery.backends.redis import RedisBackend
from celery.exceptions import Retry
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from kombu.exceptions import OperationalError

from hw4 import issued
from hw4.api_docs import create_blueprint
from hw4.celery_app import create_celery, result_store
from hw4.config import Settings
from hw4.detection import Finding, detect, keyword_only
from hw4.http_common import (
    alert_body,
    error_response,
    get_settings,
    health_response,
    init_service,
    request_id,
)
from hw4.http_defences import BadBody, read_json_body
from hw4.logs import log_event, utc_timestamp
from hw4.reports import findings_summary, write_report
from hw4.service_2_client import Service2Client, Service2Error
from hw4.validation import InvalidMessage, Message, validate_message

COMPONENT = "service_1"

bp = Blueprint("service_1", __name__)


@dataclass(frozen=True)
class Clients:
    """Everything service_1 talks to, made once per process and shared by all its
    requests: each holds a pool of connections, opened on first use (so nothing
    connects before gunicorn forks its workers)."""

    redis: redis.Redis  # the record of the tasks service_1 issued; /health pings it
    celery: Celery  # sends tasks to the workers, through Redis
    results: RedisBackend  # reads the states and results the workers store in Redis
    service_2: Service2Client  # forwards sync messages

    @classmethod
    def connect(cls, settings: Settings) -> Clients:
        celery = create_celery(settings, sender=True)
        # timeouts short enough that a dead Redis gives a quick 503
        store = redis.Redis.from_url(
            settings.result_url, socket_timeout=settings.broker_timeout,
            socket_connect_timeout=settings.broker_timeout, decode_responses=True,
        )
        return cls(redis=store, celery=celery, results=result_store(celery),
                   service_2=Service2Client(settings))


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    init_service(app, COMPONENT, settings)
    # where Flask keeps what extensions made for an app (Flask's Celery example
    # keeps its Celery app there too); views reach them with get_clients()
    app.extensions["hw4"] = Clients.connect(settings)
    app.register_blueprint(bp)
    # GET /openapi.json and the interactive docs, GET /docs (hw4/api_docs.py)
    app.register_blueprint(create_blueprint(COMPONENT, settings, docs_page=True))
    return app


def get_clients() -> Clients:
    """service_1's clients (Redis, Celery, the result store, service_2), for a view."""
    return current_app.extensions["hw4"]


@bp.post("/messages")
def post_message() -> tuple[Response, int]:
    settings = get_settings()
    log_event("message.received", request_id(), bytes=request.content_length or 0)
    try:
        # Flask's request.get_json(), made strict against hostile bodies (hw4/http_defences.py)
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


@bp.get("/tasks/<task_id>")
def get_task(task_id: str) -> tuple[Response, int]:
    clients = get_clients()
    try:
        issued_for = issued.request_id_of(clients.redis, task_id)
        if issued_for is None:
            return error_response(404, "no task with this id was issued by service_1")
        # one read of the task's state and result (or error), as the worker stored it
        meta = clients.results.get_task_meta(task_id)
    except (redis.RedisError, OperationalError) as exc:
        # a lookup loses nothing, so it writes no alert report: a page that
        # follows a task asks again every second, Redis down or not
        log_event("task.lookup_failed", request_id(), level=30, error=type(exc).__name__)
        return error_response(503, "Redis is unavailable, so the task could not be "
                                   "looked up; try again shortly")
    state, info = meta["status"], meta["result"]
    body: dict[str, object] = {"task_id": task_id, "request_id": issued_for,
                               "state": state, "worker": None, "result": None}
    if state == "SUCCESS" and isinstance(info, dict):
        body["worker"], body["result"] = info.get("worker"), info
    elif state == "STARTED" and isinstance(info, dict):
        body["worker"] = info.get("hostname")
    elif state in ("FAILURE", "RETRY"):
        body["error"] = task_error(info)
    return jsonify(body), 200


def task_error(info: object) -> str:
    """Why a task is in RETRY or FAILURE, in one sentence (``info``: what Celery stored)."""
    if isinstance(info, Retry):
        # stored by Celery, not by the task: a worker that loses Redis stops the runs it
        # cannot acknowledge (worker_cancel_long_running_tasks_on_connection_loss) and
        # marks them RETRY with its own Retry, whose text is a nested repr
        return ("its worker lost Redis mid-run, so Celery stopped that run; Redis hands "
                "the task out again after the visibility timeout")
    return f"{type(info).__name__}: {info}"


@bp.get("/health")
def health() -> Response:
    try:
        get_clients().redis.ping()
        state = "ok"
    except redis.RedisError:
        state = "unreachable"
    return health_response(redis=state)


def _flag_personal_data(settings: Settings, findings: list[Finding]) -> tuple[Response, int] | None:
    """Report what was found, then block the message (a 422), or let it through when
    it only names a sensitive word and the keyword policy is "warn" (``None``)."""
    rid, types = request_id(), sorted({f.type for f in findings})
    if keyword_only(findings) and settings.keyword_policy == "warn":
        words = ", ".join(sorted({f.hint for f in findings}))
        alert = write_report(settings.report_dir, "PersonalData", rid, COMPONENT,
                             f"The message names sensitive data ({words}); it was "
                             "processed (keyword policy: warn).", findings, action="warned")
        log_event("message.flagged", rid, alert_id=alert.id, findings=",".join(types),
                  action="warned")
        return None
    alert = write_report(settings.report_dir, "PersonalData", rid, COMPONENT,
                         f"The message holds personal data ({', '.join(types)}) and was "
                         "blocked.", findings, action="blocked")
    # one line for the refusal, with what was found (a rejected message logs
    # four lines: received, alert.raised, rejected, http.request)
    log_event("message.rejected", rid, status=422, reason="personal data",
              alert_id=alert.id, findings=",".join(types))
    return error_response(
        422, f"the message holds personal data ({', '.join(types)}); it was not processed",
        alert=alert_body(alert, findings=types, hints=findings_summary(findings)))


def _reject_invalid(settings: Settings, reason: str) -> tuple[Response, int]:
    alert = write_report(settings.report_dir, "InvalidMessage", request_id(), COMPONENT,
                         f"The message was refused: {reason}")
    log_event("message.rejected", request_id(), status=400, reason=reason, alert_id=alert.id)
    return error_response(400, reason, alert=alert_body(alert))


def _enqueue(settings: Settings, message: Message) -> tuple[Response, int]:
    clients = get_clients()
    rid = request_id()
    task_id = str(uuid.uuid4())  # what Celery would choose; chosen here to record it first
    # one moment: the task's queued_at and the time of its task.queued line
    queued_at = datetime.now(timezone.utc)
    kwargs = {"request_id": rid, "text": message.text, "work_seconds": message.work_seconds,
              "fail": message.fail, "queued_at": utc_timestamp(queued_at)}
    try:
        # recorded (with what is needed to send it again), then sent: hw4/issued.py
        issued.issue(clients.redis, clients.celery, task_id, kwargs, settings.result_expires)
    except (redis.RedisError, OperationalError) as exc:
        alert = write_report(settings.report_dir, "BrokerUnavailable", rid, COMPONENT,
                             "Redis (the broker) could not be reached; the message was "
                             "not queued.", error=type(exc).__name__)
        log_event("broker.unavailable", rid, level=40, error=type(exc).__name__,
                  alert_id=alert.id)
        return error_response(503, "the message queue (Redis) is unavailable; try again "
                                   "shortly", alert=alert_body(alert))
    log_event("task.queued", rid, at=queued_at, task_id=task_id,
              work_seconds=message.work_seconds)
    return jsonify({"request_id": rid, "task_id": task_id,
                    "status_url": f"/tasks/{task_id}"}), 202


def _forward(settings: Settings, message: Message) -> tuple[Response, int]:
    rid = request_id()
    log_event("message.forwarded", rid, to="service_2", work_seconds=message.work_seconds)
    began = time.perf_counter()
    try:
        result = get_clients().service_2.process(rid, message.text, message.work_seconds)
    except Service2Error as exc:
        alert = write_report(settings.report_dir, exc.alert_type, rid, COMPONENT,
                             f"A sync message could not be processed: {exc.reason}.",
                             error=exc.error)
        log_event("message.failed", rid, level=40, status=exc.status, reason=exc.reason,
                  alert_id=alert.id)
        return error_response(exc.status, exc.reason + "; try again shortly",
                              alert=alert_body(alert))
    log_event("message.answered", rid, by="service_2",
              ms=round((time.perf_counter() - began) * 1000, 2))
    return jsonify({"request_id": rid, "result": result}), 200
