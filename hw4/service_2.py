"""service_2: the internal service that processes sync messages for service_1.

Only calls carrying the internal token (header ``X-Internal-Token``) are
accepted. Each message may ask for ``work_seconds`` of simulated work, the
same work a Celery worker does on the async path: service_2 sleeps that long
before it answers, holding one of its threads and one of service_1's.
Run it with ``gunicorn 'hw4.service_2:create_app()'``.
"""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Flask, Response, jsonify, request

from hw4.analysis import analyse_text, clean_text
from hw4.api_docs import create_blueprint
from hw4.config import Settings
from hw4.http_common import (
    error_response,
    get_settings,
    health_response,
    init_service,
    request_id,
)
from hw4.http_defences import BadBody, read_json_body
from hw4.logs import log_event
from hw4.reports import write_report
from hw4.validation import InvalidMessage, check_work_seconds

COMPONENT = "service_2"
TOKEN_HEADER = "X-Internal-Token"

bp = Blueprint("service_2", __name__)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    init_service(app, COMPONENT, settings)
    app.register_blueprint(bp)
    app.register_blueprint(create_blueprint(COMPONENT, settings))  # GET /openapi.json
    if not settings.internal_token:
        # no token configured: every call is refused (secure by default)
        log_event("service.no_token", None, level=30,
                  detail="HW4_INTERNAL_TOKEN is empty; every /process call will get 401")
    return app


@bp.post("/process")
def process() -> tuple[Response, int]:
    settings = get_settings()
    rid = request_id()
    given = request.headers.get(TOKEN_HEADER, "").encode("utf-8", "replace")
    expected = settings.internal_token.encode()
    if not expected or not hmac.compare_digest(given, expected):
        why = "no internal token" if not given else "a wrong internal token"
        alert = write_report(settings.report_dir, "Unauthorized", rid, COMPONENT,
                             f"A call to /process came with {why} and was refused.")
        log_event("process.unauthorized", rid, level=30, reason=why, alert_id=alert.id)
        return error_response(401, "this service only accepts calls from service_1")
    try:
        # Flask's request.get_json(), made strict against hostile bodies (hw4/http_defences.py)
        body = read_json_body()
    except BadBody as exc:
        return _bad_request(str(exc))
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) \
            or not body["text"].strip():
        return _bad_request("the body must be an object with a non-empty string 'text'")
    try:
        work_seconds = check_work_seconds(body.get("work_seconds", 0), settings)
    except InvalidMessage as exc:
        return _bad_request(str(exc))
    log_event("process.received", rid, chars=len(body["text"]), work_seconds=work_seconds)
    analysis = analyse_text(body["text"])
    # the simulated work, as in hw4.tasks.analyse_message (no work: no sleep,
    # since even sleep(0) hands the other threads the interpreter)
    if work_seconds:
        time.sleep(work_seconds)
    answer = {
        "request_id": rid,
        "service": COMPONENT,
        "cleaned_text": clean_text(body["text"]),
        "word_count": analysis["words"],
        "work_seconds": work_seconds,
        "analysis": analysis,
        "reply": f"Thanks! service_2 read {analysis['words']} words.",
    }
    log_event("process.answered", rid, words=analysis["words"], work_seconds=work_seconds)
    return jsonify(answer), 200


@bp.get("/health")
def health() -> Response:
    return health_response()


def _bad_request(reason: str) -> tuple[Response, int]:
    log_event("process.rejected", request_id(), status=400, reason=reason)
    return error_response(400, reason)
