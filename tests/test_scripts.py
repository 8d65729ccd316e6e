"""The shell scripts as a person runs them (no system is started: nothing runs)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hw4.config import ROOT
from hw4.sandbox import isolated_env


def _run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


def test_status_shows_only_the_components_named(tmp_path: Path):
    env = isolated_env(tmp_path)
    done = _run(ROOT / "scripts" / "status.sh", "redis", "worker1", env=env)
    rows = [line.split()[0] for line in done.stdout.splitlines()[1:]]
    assert rows == ["redis", "worker1"], done.stdout + done.stderr
    assert done.returncode == 1  # neither is running
    everything = _run(ROOT / "scripts" / "status.sh", env=env)
    assert len(everything.stdout.splitlines()) == 1 + 5
    unknown = _run(ROOT / "scripts" / "status.sh", "nosuch", env=env)
    assert unknown.returncode == 1 and "unknown component" in unknown.stderr


def test_a_checkout_reached_through_a_symlink_is_prepared_once(tmp_path: Path):
    link = tmp_path / "hw4-link"
    link.symlink_to(ROOT, target_is_directory=True)
    # no environment of the caller's: the scripts must find (or make) .venv themselves
    env = {k: v for k, v in isolated_env(tmp_path).items()
           if k not in ("HW4_PYTHON", "VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    first = _run(link / "scripts" / "status.sh", env=env)  # may prepare .venv once
    assert "component" in first.stdout, first.stderr
    second = _run(link / "scripts" / "status.sh", env=env)
    assert "component" in second.stdout, second.stderr
    assert "Preparing" not in second.stderr


def test_run_all_refuses_settings_that_would_run_a_task_twice(tmp_path: Path):
    env = isolated_env(tmp_path, HW4_VISIBILITY_TIMEOUT="20")  # 30 s of work allowed
    done = _run(ROOT / "scripts" / "run_all.sh", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("error: HW4_VISIBILITY_TIMEOUT=20 must be more than "
                                  "HW4_MAX_WORK_SECONDS=30"), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not list(tmp_path.glob("run/*.pid"))  # nothing was started
