"""Reliability and security tests: the real system, broken on purpose, then counted.

Each test module proves one promise of docs/reliability.md's "Reliability and security"
section. The system is started and stopped by the same scripts a user runs
(helpers shared with ``tests/integration``). A fault that would disturb other
tests gets a system of its own (:func:`fresh_system`); the others share the
package's ``system``. Every system is checked to leave no process behind.

The figures each test measures (tasks accepted / finished / run twice, time to
503, fuzz cases ...) are printed in a "reliability figures" section at the end
of the pytest run (:func:`record_figures`, tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from hw4.logs import iter_log_lines, parse_line
from hw4.processes import is_alive
from tests.conftest import record_figures
from tests.integration.conftest import System, running_system, wait_for

__all__ = ["System", "assert_logs_whole", "events", "fresh_system", "record_figures",
           "running_tasks", "wait_for"]


def processes_of(system: System) -> list[int]:
    """Live processes started for ``system``: its pid files' process groups, and
    every process whose environment names its run folder.

    Every process the launcher starts (and every child: gunicorn and Celery
    pool processes, restarted ones too) inherits ``HW4_RUN_DIR``, so this finds
    them even after their pid files are gone (Redis overwrites its environment
    with its process title, but it has no children).
    """
    marker = f"HW4_RUN_DIR={system.settings.run_dir}".encode()
    found = set(system.pids())
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0") and is_alive(int(entry.name)):
            found.add(int(entry.name))
    return sorted(found)


@contextmanager
def fresh_system(base: Path, **overrides: str) -> Iterator[System]:
    """A system of its own (``overrides``: ``HW4_*`` variables); stopped and checked
    to leave no process behind, whatever the test did to it."""
    # without Flower unless a test asks for it: it would only take CPU from the drills
    generator = running_system(base, **{"HW4_FLOWER": "0", **overrides})
    system = next(generator)
    seen = set(system.pids())
    try:
        yield system
        seen |= set(system.pids())
    finally:
        next(generator, None)  # scripts/stop_all.sh
    left = [pid for pid in seen if is_alive(pid)] + processes_of(system)
    assert not left, f"processes left behind: {sorted(set(left))}"


@pytest.fixture(scope="package")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """One system shared by the tests that do not break it."""
    with fresh_system(tmp_path_factory.mktemp("reliability")) as running:
        yield running


def events(system: System, event: str, component: str | None = None) -> list[dict[str, Any]]:
    """The parsed log lines of one event (of one component), in time order."""
    found = [line for line in iter_log_lines(system.settings.log_dir)
             if line["event"] == event and (component is None or line["component"] == component)]
    return sorted(found, key=lambda line: line["time"])


def running_tasks(system: System, component: str | None = None) -> set[str]:
    """Ids of the tasks started and not (yet) finished (on one worker), by the logs."""
    started = {e["details"]["task_id"] for e in events(system, "task.started", component)}
    done = {e["details"]["task_id"] for e in events(system, "task.finished", component)}
    return started - done


def assert_logs_whole(system: System) -> int:
    """Every line of every log file is whole (parses, names its file's component);
    returns how many lines were checked."""
    lines = 0
    for path in system.settings.log_dir.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") or not text  # a component that logged nothing yet
        for raw in text.split("\n")[:-1]:
            lines += 1
            parsed = parse_line(raw)
            assert parsed is not None and parsed["component"] == path.stem, raw[:300]
    return lines
