"""The JSON error handler of both services keeps the headers Werkzeug sets on an error."""

from __future__ import annotations

from flask import Flask, abort
from werkzeug.exceptions import TooManyRequests

from hw4.config import Settings
from hw4.http_common import init_service


def _app(settings: Settings) -> Flask:
    app = Flask(__name__)
    init_service(app, "service_1", settings)

    @app.get("/busy")
    def busy() -> None:
        # what a rate limiter built on Werkzeug raises
        raise TooManyRequests(retry_after=30)

    @app.get("/gone")
    def gone() -> None:
        abort(410)

    return app


def test_a_429_keeps_retry_after_and_stays_json(settings):
    answer = _app(settings).test_client().get("/busy")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "30"
    assert answer.mimetype == "application/json"
    assert answer.get_json()["error"].startswith("Too Many Requests")


def test_an_error_has_one_content_type_json(settings):
    answer = _app(settings).test_client().get("/gone")
    assert answer.status_code == 410
    assert answer.headers.getlist("Content-Type") == ["application/json"]
    assert answer.headers["X-Request-ID"] == answer.get_json()["request_id"]

