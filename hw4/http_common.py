"""What both Flask services share: request ids, JSON errors, logging, settings, health.

``init_service(app, component, settings)`` is called once by each service's
``create_app``; it registers the request hooks and error handlers below, as
flaskr's ``db.init_app(app)`` registers its teardown function.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from hw4.code_version import note_running_code
from hw4.config import Settings
from hw4.http_defences import drain_unread_body
from hw4.logs import log_event, setup_logging
from hw4.reports import ReportNotWritten, write_report
from hw4.validation import REQUEST_ID

#: when this process loaded the web layer: GET /health's uptime
STARTED = time.time()


def init_service(app: Flask, component: str, settings: Settings) -> None:
    """Settings, logging, which code runs, request ids and JSON errors for one service."""
    # hw4's settings live in Flask's configuration, where a view finds them
    # with get_settings() (flaskr's views read current_app.config the same way)
    app.config.update(
        HW4_SETTINGS=settings, HW4_COMPONENT=component,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        # no automatic OPTIONS answers (an empty HTML 200): every answer is JSON,
        # so OPTIONS gets the JSON 405; set before any route is added
        PROVIDE_AUTOMATIC_OPTIONS=False,
    )
    app.json.sort_keys = False
    setup_logging(component, settings.log_dir)
    # which code this process runs, noted once: GET /health says it, and status.sh
    # compares run/<component>.code with the files to tell a process older than its code
    code = note_running_code(settings.run_dir, component)
    app.config["HW4_CODE"] = code.summary()
    log_event("service.started", None, pid=os.getpid(), **code.summary())
    app.before_request(start_request)
    app.after_request(finish_request)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(ReportNotWritten, report_not_written)
    app.register_error_handler(Exception, crash)


def get_settings() -> Settings:
    """The settings of the service answering this request."""
    return current_app.config["HW4_SETTINGS"]


def request_id() -> str:
    return g.get("request_id") or "-"


def error_response(status: int, message: str, **fields: object) -> tuple[Response, int]:
    return jsonify({"error": message, "request_id": request_id(), **fields}), status


def alert_body(alert: Any, **fields: object) -> dict[str, object]:
    return {"id": alert.id, "type": alert.type, "report": alert.report(), **fields}


def health_response(**dependencies: str) -> Response:
    """``GET /health``'s answer: the service is healthy as long as it answers;
    ``dependencies`` says what it knows of the services it needs, ``code`` which
    code it runs (the git commit, and the time of its newest file)."""
    return jsonify({"service": current_app.config["HW4_COMPONENT"], "status": "ok",
                    "uptime_s": round(time.time() - STARTED, 1), **dependencies,
                    "code": current_app.config["HW4_CODE"]})


def start_request() -> None:
    """Before each request: its request id, and the time it started."""
    given = request.headers.get("X-Request-ID", "")
    # a client may choose its request id, but only a plain one: the id
    # goes into every log line and report
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
    g.started = time.perf_counter()


def finish_request(response: Response) -> Response:
    """After each request: the request id header, and one log line."""
    response.headers["X-Request-ID"] = request_id()
    drain_unread_body()  # keeps a refused client's connection usable (hw4/http_defences.py)
    if request.path != "/health":  # polled every second by the launcher and notebooks
        log_event("http.request", request_id(), method=request.method,
                  path=request.path[:200], status=response.status_code,
                  ms=round((time.perf_counter() - g.get("started", time.perf_counter()))
                           * 1000, 2))
    return response


def http_error(exc: HTTPException) -> tuple[Response, int, list[tuple[str, str]]]:
    """Flask's own errors (404, 405, 413 ...) as JSON; a 413 writes an alert report."""
    status = exc.code or 500
    # Werkzeug's headers for this error (Allow on a 405, Retry-After on a 429 or
    # 503 that sets it), all but its HTML Content-Type: the body here is JSON
    headers = [(name, value) for name, value in exc.get_headers()
               if name.lower() != "content-type"]
    if status == 413:
        body, status = too_large()
    else:
        body, _ = error_response(status, f"{exc.name}: {exc.description}")
    return body, status, headers


def too_large() -> tuple[Response, int]:
    """A body over the size limit: a 413 with an alert report (a 503 if the disk refuses it)."""
    settings = get_settings()
    message = f"the body is larger than {settings.max_body_bytes} bytes"
    try:
        alert = write_report(settings.report_dir, "InvalidMessage", request_id(),
                             current_app.config["HW4_COMPONENT"],
                             "A request body was over the size limit and was refused.",
                             status=413)
    except ReportNotWritten as refused:
        # raised inside an error handler, it would reach no other handler: a 500
        return report_not_written(refused)
    log_event("message.rejected", request_id(), status=413, reason=message, alert_id=alert.id)
    return error_response(413, message, alert=alert_body(alert))


def report_not_written(exc: ReportNotWritten) -> tuple[Response, int]:
    # the disk refused the alert report: the message is not processed without it
    log_event("report.failed", request_id(), level=40, error=str(exc))
    return error_response(503, f"{exc}; the message was not processed; try again shortly")


def crash(exc: Exception) -> tuple[Response, int]:
    """A bug: a JSON 500, the traceback in the log, and an alert report."""
    log_event("request.crashed", request_id(), level=40, error=type(exc).__name__)
    current_app.logger.exception("unhandled error")  # the traceback, into the log file
    alert = write_report(get_settings().report_dir, "InternalError", request_id(),
                         current_app.config["HW4_COMPONENT"],
                         f"An unexpected {type(exc).__name__} was raised while answering.")
    return error_response(500, "internal error; see the alert report", alert=alert_body(alert))
