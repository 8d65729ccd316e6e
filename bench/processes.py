"""The processes a benchmark run starts: hw4 through its scripts, the baselines directly.

hw4 runs on free ports with its run, log and report folders in a temporary
folder (never the defaults 5001/5002/6380, which the notebooks use). The
baselines are started with hw4's own command lines (``hw4.components.command``)
with only the application swapped, so they always have the same server settings.
"""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from hw4.components import Component, command
from hw4.config import ROOT, Settings
from hw4.processes import stop_group
from hw4.sandbox import free_ports, isolated_env, wait_for
from hw4.scripts import run_script

#: the baseline servers (gunicorn) and workers (Celery), named like hw4's
BASELINE_WEB = ("base_1", "base_2")
BASELINE_WORKERS = ("base_w1", "base_w2")


@dataclass
class Hw4:
    """hw4 started and stopped through ``scripts/run_all.sh`` / ``stop_all.sh``."""

    base: Path
    settings: Settings = field(init=False)
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.env = isolated_env(self.base)
        self.settings = Settings.from_env(self.env)

    def script(self, name: str, *components: str) -> tuple[float, str]:
        """Run a script; return its wall time in seconds and its output."""
        started = time.perf_counter()
        result = run_script(name, *components, env=self.env, timeout=300)
        return time.perf_counter() - started, result.stdout

    def start(self, *components: str) -> float:
        """run_all.sh; its wall time until the components are healthy."""
        return self.script("run_all.sh", *components)[0]

    def stop(self, *components: str) -> None:
        self.script("stop_all.sh", *components)


@dataclass
class Baselines:
    """The baseline servers and workers, on hw4's Redis (their own databases)."""

    hw4: Hw4
    settings: Settings = field(init=False)
    pids: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        hw4 = self.hw4.settings
        ports = free_ports(2, taken=(hw4.service_1_port, hw4.service_2_port, hw4.redis_port,
                                     hw4.flower_port))
        self.settings = hw4.override(service_1_port=ports[0], service_2_port=ports[1],
                                     run_dir=self.hw4.base / "baseline-run")

    def url(self, name: str) -> str:
        return self.settings.service_1_url if name == "base_1" else self.settings.service_2_url

    def _command(self, name: str) -> list[str]:
        if name in BASELINE_WEB:
            hw4_name = "service_1" if name == "base_1" else "service_2"
            port = self.settings.service_1_port if name == "base_1" else \
                self.settings.service_2_port
            cmd = command(Component(hw4_name, port, None), self.settings)
            return [("bench.baseline:create_app()" if part.endswith(":create_app()") else part)
                    for part in cmd]
        cmd = command(Component(name, None, None), self.settings)
        return [("bench.baseline" if part == "hw4.worker" else part) for part in cmd]

    def start(self) -> None:
        run_dir = self.settings.run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.settings.env(), "PYTHONPATH": str(ROOT),
               "BENCH_FORWARD_URL": self.settings.service_2_url}
        for name in BASELINE_WEB + BASELINE_WORKERS:
            with open(run_dir / f"{name}.out", "ab") as out:
                proc = subprocess.Popen(self._command(name), cwd=ROOT, env=env,
                                        stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
            self.pids[name] = proc.pid
        for name in BASELINE_WEB:
            wait_for(lambda n=name: self._answers(n), 60, f"baseline {name}")
        for name in BASELINE_WORKERS:
            marker = run_dir / f"{name}.ready"
            wait_for(marker.exists, 60, f"baseline worker {name}")

    def _answers(self, name: str) -> bool:
        try:
            return requests.post(self.url(name) + "/trivial", json={}, timeout=1).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        """TERM each process group, KILL what is left after 10 s."""
        # side by side: each Celery worker takes seconds to end its pool
        with ThreadPoolExecutor(max_workers=max(len(self.pids), 1)) as pool:
            list(pool.map(lambda pid: stop_group(pid, deadline=10), self.pids.values()))
        self.pids.clear()
