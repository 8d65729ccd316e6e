"""Starting, stopping and showing the system from a notebook, through the scripts.

A notebook runs ``scripts/run_all.sh`` / ``stop_all.sh`` exactly as a person
would in a terminal (so there is one way to start hw4). The launcher starts
each component in a session of its own, so the system outlives the kernel
that started it: a kernel restart does not stop it, ``stop_system()`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

import pandas as pd

from hw4.config import ROOT, Settings
from hw4.launcher import status

#: seconds a script may take: the first run may create .venv, then waits for health
SCRIPT_TIMEOUT = 600.0


class ScriptFailed(RuntimeError):
    """A script exited with an error; the message holds its output."""


def script_env(settings: Settings) -> dict[str, str]:
    """The environment for the scripts: these settings, and this Python (it has hw4)."""
    env = {**os.environ, **settings.env(), "HW4_PYTHON": sys.executable}
    # an empty token means "generate one" to the launcher, so leave it unset
    if not settings.internal_token:
        env.pop("HW4_INTERNAL_TOKEN", None)
    return env


def run_script(name: str, *args: str, settings: Settings | None = None,
               timeout: float = SCRIPT_TIMEOUT) -> str:
    """Run ``scripts/<name>`` and return its output; raise :class:`ScriptFailed` on an error."""
    settings = settings or Settings.from_env()
    try:
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / name), *args], env=script_env(settings),
            cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ScriptFailed(f"{name} {' '.join(args)} did not finish within {timeout:g} s") \
            from exc
    if done.returncode != 0:
        raise ScriptFailed(f"{name} {' '.join(args)} exited {done.returncode}:\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout


def status_table(settings: Settings | None = None) -> pd.DataFrame:
    """One row per component: pid, state, healthy, URL, log file."""
    return pd.DataFrame(status(settings or Settings.from_env()))


def all_healthy(settings: Settings | None = None) -> bool:
    return bool(status_table(settings)["healthy"].all())


def start_system(components: Sequence[str] = (), settings: Settings | None = None) -> str:
    """``scripts/run_all.sh``: start what is not running (all by default) and wait for health.

    Safe to call again: what runs is left alone. Returns the script's output.
    """
    return run_script("run_all.sh", *components, settings=settings)


def ensure_running(settings: Settings | None = None) -> pd.DataFrame:
    """Start the system unless it is all healthy already; return the status table."""
    if not all_healthy(settings):
        start_system(settings=settings)
    return status_table(settings)


def stop_system(components: Sequence[str] = (), settings: Settings | None = None) -> str:
    """``scripts/stop_all.sh``: stop the named components (all by default)."""
    return run_script("stop_all.sh", *components, settings=settings)
