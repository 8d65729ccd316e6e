"""The OpenAPI descriptions: valid, served, true to Flask's routes and to the README's table."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from hw4.api_docs import describe, load_description
from hw4.config import ROOT, Settings

COMPONENTS = ["service_1", "service_2"]
METHODS = {"get", "post", "put", "patch", "delete"}


def operations(doc: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in doc["paths"].items()
            for method in item if method in METHODS}


def routes(app) -> set[tuple[str, str]]:
    """Flask's routes but the docs' own, as OpenAPI paths (``<id>`` -> ``{id}``)."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api_docs."):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        found |= {(path, m) for m in rule.methods if m not in ("HEAD", "OPTIONS")}
    return found


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_description_is_valid_openapi_3_1(component, settings):
    for doc in (load_description(component), describe(component, settings)):
        assert doc["openapi"].startswith("3.1")
        validate(doc)  # raises on an invalid description


@pytest.mark.parametrize("component", COMPONENTS)
def test_the_file_holds_the_default_limits(component):
    assert describe(component, Settings()) == load_description(component)


def test_each_service_serves_its_description_with_its_limits(client, client_2, settings):
    for client_, component in ((client, "service_1"), (client_2, "service_2")):
        answer = client_.get("/openapi.json")
        assert answer.status_code == 200 and answer.is_json
        assert answer.get_json() == describe(component, settings)
    message = client.get("/openapi.json").get_json()["components"]["schemas"]["Message"]
    assert message["properties"]["text"]["maxLength"] == settings.max_text_chars == 200


def test_the_description_lists_every_route_and_no_other(app, app_2):
    assert operations(load_description("service_1")) == routes(app)
    assert operations(load_description("service_2")) == routes(app_2)


def readme_status_table() -> dict[int, set[str]]:
    """The README's table of service_1's statuses: status -> the alert types in its row."""
    api = ROOT.joinpath("README.md").read_text().split("## The HTTP API", 1)[1]
    rows = re.findall(r"^\| (\d{3}) \|(.*)\|(.*)\|$", api, flags=re.M)
    assert rows, "the README's API section has no status table"
    return {int(status): set(re.findall(r"`([A-Z]\w+)`", alerts)) for status, _, alerts in rows}


def test_the_readme_table_has_the_statuses_and_alerts_of_the_description():
    doc = load_description("service_1")
    described: dict[int, set[str]] = {}
    for path, item in doc["paths"].items():
        if path == "/health":
            continue  # the table is about messages and tasks
        for operation in item.values():
            for status, response in operation["responses"].items():
                # a response's description names its alert types as the README does
                alerts = set(re.findall(r"`([A-Z]\w+)`", response["description"]))
                described.setdefault(int(status), set()).update(alerts)
    assert readme_status_table() == described


def test_docs_page_uses_only_files_service_1_serves(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "http:" not in html and "https:" not in html  # nothing from another host
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 2 and all(a.startswith("/docs/assets/") for a in assets)
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200 and len(answer.data) > 10_000, asset
    assert "/openapi.json" in html


def test_service_2_has_no_docs_page(client_2):
    assert client_2.get("/docs").status_code == 404
