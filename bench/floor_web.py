"""A service that does nothing: Flask alone, started with hw4's gunicorn command line.

The web half of the warm start's floor (``python -m bench.start_floor``); it imports
nothing but Flask, so its start-up is what any Flask service under gunicorn pays.
"""

from __future__ import annotations

from flask import Flask, jsonify


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return jsonify({"ok": True})

    return app
