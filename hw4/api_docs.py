"""The API described: ``GET /openapi.json`` on each service, and Swagger UI at ``GET /docs``.

The descriptions are OpenAPI 3.1 files written by hand next to the code
(``hw4/openapi/service_1.yaml``, ``service_2.yaml``), so the views stay plain
Flask; tests keep the files honest (Flask's routes, the README's table, and
schemathesis against the running services). Swagger UI's files come from the
``swagger-ui-bundle-v2`` package and are served from here: no CDN, no network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, jsonify, render_template
from swagger_ui_bundle import swagger_ui_path

from hw4.config import Settings

OPENAPI_DIR = Path(__file__).parent / "openapi"


def load_description(component: str) -> dict[str, Any]:
    """The description file of ``component`` as it is (with the default limits)."""
    # PyYAML's C loader where it was built with libyaml (its wheels are): ten times faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((OPENAPI_DIR / f"{component}.yaml").read_text(encoding="utf-8"), loader)


def describe(component: str, settings: Settings) -> dict[str, Any]:
    """The description of ``component`` with the limits it enforces under ``settings``.

    The file holds the defaults; a service started with other ``HW4_*`` limits
    describes those, so a client (or schemathesis) is told what is really checked.
    """
    doc = load_description(component)
    schemas = doc["components"]["schemas"]
    if component == "service_1":
        message = schemas["Message"]
        message["properties"]["text"]["maxLength"] = settings.max_text_chars
        message["properties"]["work_seconds"]["maximum"] = settings.max_work_seconds
        sync_work = message["then"]["properties"]["work_seconds"]
        sync_work["exclusiveMaximum"] = settings.service_2_timeout
    else:
        schemas["Process"]["properties"]["work_seconds"]["maximum"] = settings.max_work_seconds
    return doc


def create_blueprint(component: str, settings: Settings, docs_page: bool = False) -> Blueprint:
    """``GET /openapi.json``, and with ``docs_page`` Swagger UI at ``GET /docs``."""
    bp = Blueprint("api_docs", __name__, template_folder="templates",
                   static_folder=swagger_ui_path, static_url_path="/docs/assets")
    description = describe(component, settings)

    @bp.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(description)

    if docs_page:
        @bp.get("/docs")
        def docs() -> str:
            return render_template("swagger_ui.html", title=description["info"]["title"])

    return bp
