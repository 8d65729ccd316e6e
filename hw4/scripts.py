"""Running ``scripts/*.sh`` from Python, exactly as a person runs them in a terminal.

The notebooks, the tests and the benchmark all start and stop hw4 this way,
so there is one way to start it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

from hw4.config import ROOT, Settings

#: seconds a script may take: the first run may create .venv, then waits for health
SCRIPT_TIMEOUT = 600.0


class ScriptFailed(RuntimeError):
    """A script exited with an error; the message holds its output."""


def script_env(settings: Settings | None = None) -> dict[str, str]:
    """The environment for the scripts: these settings, and this Python (it has hw4)."""
    settings = settings or Settings.from_env()
    env = {**os.environ, **settings.env(), "HW4_PYTHON": sys.executable}
    # an empty token means "generate one" to the launcher, so leave it unset
    if not settings.internal_token:
        env.pop("HW4_INTERNAL_TOKEN", None)
    return env


def run_script(name: str, *args: str, env: Mapping[str, str] | None = None,
               timeout: float = SCRIPT_TIMEOUT, check: bool = True,
               ) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/<name> ARGS`` and return what it did (``.returncode``, ``.stdout``,
    ``.stderr``); with ``check``, raise :class:`ScriptFailed` unless it exits 0."""
    command = f"{name} {' '.join(args)}".strip()
    try:
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / name), *args], env=env, cwd=ROOT,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ScriptFailed(f"{command} did not finish within {timeout:g} s") from exc
    if check and done.returncode != 0:
        raise ScriptFailed(f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done
