"""Fixtures for the unit tests: settings in a temporary folder, each service's app and client."""

from __future__ import annotations

from pathlib import Path

import pytest

from hw4.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # a port nothing listens on: unit tests must never reach a real Redis
    return Settings(
        log_dir=tmp_path / "logs", report_dir=tmp_path / "reports", run_dir=tmp_path / "run",
        redis_port=1, service_2_port=1, internal_token="test-token", max_text_chars=200,
        max_body_bytes=4096, broker_timeout=0.5,
    )


@pytest.fixture
def app(settings: Settings):
    from hw4.service_1 import create_app
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_2(settings: Settings):
    from hw4.service_2 import create_app
    return create_app(settings)


@pytest.fixture
def client_2(app_2):
    return app_2.test_client()
