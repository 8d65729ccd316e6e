"""A service that does nothing: Flask alone, started with hw4's gunicorn command line.

The web half of the warm start's floor (``python -m bench.start_floor``); it imports
nothing but Flask, so its start-up is what any Flask service under gunicorn pays.
"""

from __future__ import annotations

from flask import Flask, jsonify


def create_app(name: str) -> Flask:
    """``name``: the service it stands in for, which ``/health`` names as hw4's do
    (the launcher's health check asks for it)."""
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return jsonify({"service": name})

    return app
