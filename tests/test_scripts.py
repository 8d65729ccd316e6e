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
    assert len(everything.stdout.splitlines()) == 1 + 6  # the five parts and Flower
    # Flower left out (HW4_FLOWER=0) is off, not down, and fails no status
    off = _run(ROOT / "scripts" / "status.sh", "flower", env={**env, "HW4_FLOWER": "0"})
    assert off.stdout.splitlines()[1].split()[:4] == ["flower", "-", "off", "(HW4_FLOWER=0)"]
    assert off.returncode == 0, off.stdout + off.stderr
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


def test_status_says_which_settings_it_used_and_a_learners_env_file_stays_out(
        tmp_path: Path, monkeypatch):
    # a learner's .env, on other ports and folders: the sandbox of the tests ignores it
    dotenv = tmp_path / "learner.env"
    dotenv.write_text("HW4_SERVICE_1_PORT=6001\nHW4_LOG_DIR=/tmp/learner-logs\n"
                      "HW4_KEYWORD_POLICY=warn\n")
    monkeypatch.setenv("HW4_ENV_FILE", str(dotenv))
    env = isolated_env(tmp_path)
    done = _run(ROOT / "scripts" / "status.sh", "service_1", env=env)
    port = env["HW4_SERVICE_1_PORT"]
    assert done.stderr.startswith(f"settings: 127.0.0.1, service_1 :{port}, "), done.stderr
    assert f"logs in {tmp_path}/logs/" in done.stderr
    assert "environment: HW4_SERVICE_1_PORT" in done.stderr and ".env" not in done.stderr
    settings = _run(ROOT / "scripts" / "settings.sh", env=env)
    assert "HW4_KEYWORD_POLICY          block  " in settings.stdout, settings.stdout
    assert f"settings file: {os.devnull}" in settings.stdout
    # without the sandbox, the same file is read
    shown = _run(ROOT / "scripts" / "settings.sh", env={**env, "HW4_ENV_FILE": str(dotenv)})
    assert "HW4_KEYWORD_POLICY          warn" in shown.stdout


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path):
    env = isolated_env(tmp_path)
    for script in ("status.sh", "settings.sh"):
        done = subprocess.run(["bash", "-c", f"bash scripts/{script} | head -1"], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
        assert len(done.stdout.splitlines()) == 1
        assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_clean_refuses_folders_outside_the_repository_and_does_nothing(tmp_path: Path):
    env = isolated_env(tmp_path)  # its folders are in a temporary folder
    kept = tmp_path / "logs" / "service_1.txt"
    kept.parent.mkdir()
    kept.write_text("a line\n")
    done = _run(ROOT / "scripts" / "clean.sh", "--yes", env=env)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: refusing to clean HW4_LOG_DIR={tmp_path}/logs"), \
        done.stderr
    assert kept.read_text() == "a line\n"
