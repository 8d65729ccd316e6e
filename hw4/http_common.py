"""What both Flask services share: request ids, JSON errors, body parsing, health."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from hw4.config import Settings
from hw4.logs import log_event, setup_logging
from hw4.reports import ReportNotWritten, write_report
from hw4.validation import REQUEST_ID

_PLAIN_MIMETYPE = re.compile(r"[a-z]{1,20}/[a-z.+-]{1,40}")


class BadBody(ValueError):
    """The request body is not one JSON document; ``str(exc)`` says why."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise BadBody(f"the JSON object has the key {dup[:50]!r} more than once")
    return dict(pairs)


def _no_constants(name: str) -> None:
    raise BadBody(f"{name} is not valid JSON")


def read_json_body() -> Any:
    """The request's JSON body, strictly: UTF-8, no NaN/Infinity, no duplicate keys."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        # the content type is repeated (logged, reported) only when it is a plain one
        got = repr(mimetype) if _PLAIN_MIMETYPE.fullmatch(mimetype) else (
            "another content type" if mimetype else "no content type")
        raise BadBody(
            f"the body must be JSON sent with Content-Type: application/json (got {got})")
    try:
        raw = request.get_data(cache=True)
        g.body_read = True
    except HTTPException:
        raise  # 413: over the size limit
    except Exception as exc:
        # the server could not read what the client sent (e.g. a broken chunked
        # encoding, raised by gunicorn while Flask reads): the client's fault, a 400
        raise BadBody(f"the body could not be read ({type(exc).__name__})") from None
    if not raw.strip():
        raise BadBody("the body is empty; send a JSON object such as {\"text\": \"hello\"}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BadBody(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} "
                      f"column {exc.colno}") from None
    except RecursionError:
        raise BadBody("the JSON body is nested too deeply") from None
    except BadBody:
        raise
    except ValueError:
        # an integer of more than 4300 digits (Python's guard against slow int parsing)
        raise BadBody("the body holds a number too long to read") from None


#: the most of a refused body the service reads to keep the connection usable
MAX_DISCARD_BYTES = 8 * 1024 * 1024


def _discard_unread_body() -> None:
    """Read and drop a body the service refused without reading (wrong content type,
    over the size limit).

    gunicorn's threaded worker answers with "Connection: keep-alive", then drains
    at most 64 KiB of an unread body and closes the connection when there is more:
    the client's next call on that connection then fails with "connection closed
    without response". Reading the body here keeps the promise gunicorn made.
    """
    stream = request.environ.get("wsgi.input")
    if stream is None or not (request.content_length or request.headers.get(
            "Transfer-Encoding")):
        return
    left = MAX_DISCARD_BYTES
    try:
        while left > 0:
            chunk = stream.read(min(65536, left))
            if not chunk:
                return
            left -= len(chunk)
    except Exception:  # a broken body: the server closes the connection anyway
        return


def request_id() -> str:
    return g.get("request_id") or "-"


def error_response(status: int, message: str, **fields: object) -> tuple[Response, int]:
    return jsonify({"error": message, "request_id": request_id(), **fields}), status


def alert_body(alert: Any, **fields: object) -> dict[str, object]:
    return {"id": alert.id, "type": alert.type, "report": alert.report(), **fields}


def init_service(
    app: Flask, component: str, settings: Settings,
    health_details: Callable[[], dict[str, object]] | None = None,
) -> None:
    """Request ids, logging, JSON errors and ``GET /health`` for one service.

    ``health_details`` adds what the service knows of its dependencies; the
    service itself is healthy as long as it answers.
    """
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # no automatic OPTIONS answers (an empty HTML 200): every answer is JSON, so
    # OPTIONS gets the JSON 405; set before any route is added
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.config["HW4"] = settings
    app.json.sort_keys = False
    setup_logging(component, settings.log_dir)
    started = time.time()

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        # a client may choose its request id, but only a plain one: the id
        # goes into every log line and report
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        if not g.get("body_read"):
            _discard_unread_body()
        if request.endpoint != "health":
            log_event("http.request", request_id(), method=request.method,
                      path=request.path[:200], status=response.status_code,
                      ms=round((time.perf_counter() - g.get("started", time.perf_counter()))
                               * 1000, 2))
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int, list[tuple[str, str]]]:
        status = exc.code or 500
        # Werkzeug's headers for this error (Allow on a 405, Retry-After on a 429 or
        # 503 that sets it), all but its HTML Content-Type: the body here is JSON
        headers = [(name, value) for name, value in exc.get_headers()
                   if name.lower() != "content-type"]
        if status == 413:
            message = f"the body is larger than {settings.max_body_bytes} bytes"
            try:
                alert = write_report(settings.report_dir, "InvalidMessage", request_id(),
                                     component, "A request body was over the size limit "
                                     "and was refused.", status=413)
            except ReportNotWritten as refused:
                # raised in an error handler, it would reach no other handler: a 500
                body, status = _report_not_written(refused)
                return body, status, headers
            log_event("message.rejected", request_id(), status=413, reason=message,
                      alert_id=alert.id)
            body, _ = error_response(413, message, alert=alert_body(alert))
        else:
            body, _ = error_response(status, f"{exc.name}: {exc.description}")
        return body, status, headers

    @app.errorhandler(ReportNotWritten)
    def _report_not_written(exc: ReportNotWritten) -> tuple[Response, int]:
        # the disk refused the alert report: the message is not processed without it
        log_event("report.failed", request_id(), level=40, error=str(exc))
        return error_response(503, f"{exc}; the message was not processed; try again shortly")

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> tuple[Response, int]:
        log_event("request.crashed", request_id(), level=40, error=type(exc).__name__)
        app.logger.exception("unhandled error")  # the traceback, into the log file
        alert = write_report(settings.report_dir, "InternalError", request_id(), component,
                             f"An unexpected {type(exc).__name__} was raised while answering.")
        return error_response(500, "internal error; see the alert report",
                              alert=alert_body(alert))

    @app.get("/health")
    def health() -> Response:
        return jsonify({"service": component, "status": "ok",
                        "uptime_s": round(time.time() - started, 1),
                        **(health_details() if health_details else {})})
