"""The real system, started the way a user starts it (scripts/run_all.sh), on its own
ports and folders, and always stopped (scripts/stop_all.sh) at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hw4.client import Client
from hw4.components import components, read_pid
from hw4.config import Settings
from hw4.processes import group_members, is_alive
from hw4.sandbox import free_port, isolated_env, wait_for
from hw4.scripts import run_script

__all__ = ["System", "free_port", "make_system", "running_system", "wait_for"]


@dataclass
class System:
    """A running hw4 and the means to poke at it."""

    settings: Settings
    env: dict[str, str]
    client: Client

    def script(self, name: str, *args: str, check: bool = True,
               timeout: float = 180) -> subprocess.CompletedProcess:
        return run_script(name, *args, env=self.env, check=check, timeout=timeout)

    def launcher(self, *args: str) -> subprocess.CompletedProcess:
        """``python -m hw4.launcher ARGS`` (e.g. ``kill worker1``: a crash, not a stop)."""
        return subprocess.run([sys.executable, "-m", "hw4.launcher", *args], env=self.env,
                              capture_output=True, text=True, timeout=60, check=True)

    def pids(self) -> list[int]:
        """Every live process of every component (whole process groups)."""
        found = []
        for component in components(self.settings):
            pid = read_pid(component, self.settings)
            if pid is not None:
                found += group_members(pid)
        return found

    def leftovers(self) -> list[int]:
        """Processes started for this system that are still alive, found by the
        run folder in their environment, pid files or not."""
        marker = f"HW4_RUN_DIR={self.settings.run_dir}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    if marker in (entry / "environ").read_bytes().split(b"\0") \
                            and is_alive(int(entry.name)):
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found

    def log_text(self, component: str) -> str:
        path = self.settings.log_dir / f"{component}.txt"
        return path.read_text() if path.exists() else ""


def make_system(base: Path, **overrides: str) -> System:
    """A system in ``base`` on free ports; ``overrides`` are more ``HW4_*`` variables."""
    # a visibility timeout short enough that a crashed worker's task returns
    # within the tests' deadlines; Flower (a sixth process, and the task events it
    # needs) only where a test asks for it, as the folder's shared system does; and
    # 5 s for Redis to answer, not 1: with four test processes on 2 cores, Redis (an
    # fsync on every write) sometimes pauses past 1 s, and service_1's 503 for it would
    # fail a test about something else (test_redis_faults.py measures the 1 s default)
    env = isolated_env(base, **{"HW4_VISIBILITY_TIMEOUT": "40", "HW4_FLOWER": "0",
                                "HW4_BROKER_TIMEOUT": "5", **overrides})
    settings = Settings.from_env(env)
    return System(settings, env, Client(settings.service_1_url))


def running_system(base: Path, **overrides: str) -> Iterator[System]:
    """Start a system in ``base``; stop it and check nothing is left, whatever happens."""
    for attempt in range(3):
        system = make_system(base, **overrides)
        started = system.script("run_all.sh", check=False)
        # another test run on this machine may take a port first: try other ports
        if started.returncode == 0 or "already in use" not in started.stderr or attempt == 2:
            break
    try:
        if started.returncode != 0:
            raise AssertionError(f"run_all.sh exited {started.returncode}\n"
                                 f"{started.stdout}\n{started.stderr}")
        yield system
    finally:
        system.script("stop_all.sh", check=False)


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    # with Flower (its default), which tests/integration/test_flower.py and the browser test read
    yield from running_system(tmp_path_factory.mktemp("hw4-system"), HW4_FLOWER="1")
