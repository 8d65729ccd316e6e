"""Fixtures for the unit tests (settings in a temporary folder, each service's app and
client), how the suite is spread over parallel processes, and the figures it prints."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hw4.config import Settings

# a student's .env (ports, folders, limits) never changes what a test starts or checks:
# the tests read settings from their own environment only (hw4/sandbox.py does the same
# for the systems they start)
os.environ["HW4_ENV_FILE"] = os.devnull


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


# ------------------------------------------------------ how the suite runs in parallel
# scripts/test.sh runs the suite in several processes (pytest-xdist, --dist loadgroup).
# Tests that start a system go to one process module by module, so a module's system
# is started once; the tests of a folder that share its one system (the ``system``
# fixture of tests/integration or tests/reliability) all go to one process, so that
# system too starts once. The notebooks go to one process together, in order (each
# builds on the system the one before left). Unit test modules (each module fixture
# built once) come last and fill the gaps. The notebooks come first, the system modules
# next: the longest chains start first, so the run ends when the longest one does.

#: folders whose tests start a real system (the notebooks do too)
SYSTEM_FOLDERS = ("integration", "reliability", "api")


def _starts_a_system(item: pytest.Item) -> bool:
    return item.path.suffix == ".ipynb" or item.path.parent.name in SYSTEM_FOLDERS


def _group(item: pytest.Item) -> str:
    if item.path.suffix == ".ipynb":
        return "notebooks"
    module = getattr(item, "module", None)
    if "system" in getattr(item, "fixturenames", ()) and not hasattr(module, "system"):
        return f"{item.path.parent.name}-shared"  # the folder's one system
    return item.nodeid.split("::")[0]  # the module


#: the modules whose one process runs longest (over a minute: a drill that must go on
#: for 60 s, Redis killed twice, the fuzzing): they start with the notebooks
LONGEST = ("test_chaos.py", "test_redis_inflight.py", "test_schemathesis.py")


def _rank(item: pytest.Item) -> int:
    if item.path.suffix == ".ipynb" or item.path.name in LONGEST:
        return 0
    return 1 if _starts_a_system(item) else 2


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _starts_a_system(item):
            item.add_marker(pytest.mark.integration)
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=_rank)  # stable: collection order within each rank


# ------------------------------------- figures the reliability tests measure, shown last
#: figures recorded by the test running now in this process, (name, figures)
_recorded: list[tuple[str, dict[str, Any]]] = []
#: every test's figures, gathered where the run reports (the main process under xdist)
_shown: list[tuple[str, dict[str, Any]]] = []


def record_figures(test: str, **figures: Any) -> None:
    """Figures a test measured (tasks accepted / run twice, seconds to 503 ...), printed
    in a "reliability figures" section at the end of the run."""
    _recorded.append((test, figures))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    # a report's user_properties travel from an xdist worker to the main process
    if report.when == "teardown" and _recorded:
        report.user_properties.extend(("figures", figures) for figures in _recorded)
        _recorded.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _shown.extend(value for name, value in report.user_properties if name == "figures")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _shown:
        terminalreporter.write_sep("-", "reliability figures")
        for test, figures in _shown:
            values = ", ".join(f"{k}={v}" for k, v in figures.items())
            terminalreporter.write_line(f"{test}: {values}")
