"""schemathesis against the real running services, over HTTP: each service's own
``GET /openapi.json`` drives examples, coverage and fuzzing, with every check,
a fixed seed and a bounded number of cases. Any failure it reports fails the test.

Where hw4 answers in a way schemathesis would not guess (unknown fields refused,
413 over the body limit, 422 for personal data, 503 without Redis), the description
says so (``additionalProperties: false``, the documented responses); no check is
switched off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw4.components import internal_token
from tests.integration.conftest import System, running_system

pytestmark = pytest.mark.integration

SEED = 17
# the least number of cases each run must have sent
MIN_CASES = {"service_1": 1000, "service_2": 300}


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    # every message may ask for at most 0.2 s of work (served in the description,
    # so schemathesis knows): a sync one is slept by service_2 while service_1
    # waits, and with the default 30 s a run of a thousand cases would take hours
    # (Redis gets 5 s to answer, as in every test system: tests/integration/conftest.py)
    yield from running_system(tmp_path_factory.mktemp("hw4-api"), HW4_MAX_WORK_SECONDS="0.2")


def run_schemathesis(base_url: str, report: Path, max_examples: int, *options: str) -> dict:
    """``st run`` on the description ``base_url`` serves; fails the test on any failure.

    Returns schemathesis's JSON report of the run.
    """
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base_url}/openapi.json",
        "--phases", "examples,coverage,fuzzing", "--checks", "all", "--seed", str(SEED),
        # per operation and phase: what bounds the run's time
        "--max-examples", str(max_examples), "--workers", "2", "--request-timeout", "10",
        "--report", "json", "--report-json-path", str(report), *options,
    ]
    # run in the report's folder: schemathesis keeps a cache folder where it runs
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          cwd=report.parent, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, f"schemathesis failed:\n{done.stdout[-20000:]}{done.stderr}"
    result = json.loads(report.read_text())
    assert result["complete"] and not result["failures"] and not result["errors"]
    assert result["operations"]["tested"] == result["operations"]["total"]
    print(f"{base_url}: {result['test_cases']['generated']} cases, "
          f"{result['running_time']:.1f} s")
    return result


def test_service_1(system: System, tmp_path: Path) -> None:
    result = run_schemathesis(system.settings.service_1_url, tmp_path / "report.json", 320)
    assert result["test_cases"]["generated"] >= MIN_CASES["service_1"]


@pytest.mark.parametrize("with_token", [True, False], ids=["with-token", "without-token"])
def test_service_2(system: System, tmp_path: Path, with_token: bool) -> None:
    def logged(event: str) -> int:
        return system.log_text("service_2").count(f" {event} ")

    answered, refused = logged("process.answered"), logged("process.unauthorized")
    token = ["--header", f"X-Internal-Token: {internal_token(system.settings)}"]
    result = run_schemathesis(system.settings.service_2_url, tmp_path / "report.json", 280,
                              *(token if with_token else []))
    assert result["test_cases"]["generated"] >= MIN_CASES["service_2"]
    # with the token, messages were processed; without it, every one was refused
    assert (logged("process.answered") > answered) == with_token
    assert logged("process.unauthorized") > refused
