"""Starting, stopping and showing the system from a notebook, through the scripts.

A notebook runs ``scripts/run_all.sh`` / ``stop_all.sh`` exactly as a person
would in a terminal (so there is one way to start hw4). The launcher starts
each component in a session of its own, so the system outlives the kernel
that started it: a kernel restart does not stop it, ``stop_system()`` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hw4.config import Settings
from hw4.scripts import ScriptFailed, run_script, script_env
from hw4.status import status

__all__ = ["ScriptFailed", "all_healthy", "clean_slate", "ensure_running", "log_lines",
           "readable", "relative_times", "start_system", "status_table", "stop_system"]


def status_table(settings: Settings | None = None) -> pd.DataFrame:
    """One row per component: pid, state, healthy, URL, log file."""
    return pd.DataFrame(status(settings or Settings.from_env()))


def all_healthy(settings: Settings | None = None) -> bool:
    return bool(status_table(settings)["healthy"].all())


def start_system(components: Sequence[str] = (), settings: Settings | None = None) -> str:
    """``scripts/run_all.sh``: start what is not running (all by default) and wait for health.

    Safe to call again: what runs is left alone. Returns the script's output.
    """
    return run_script("run_all.sh", *components, env=script_env(settings)).stdout


def ensure_running(settings: Settings | None = None) -> pd.DataFrame:
    """Start the system unless it is all healthy already; return the status table."""
    if not all_healthy(settings):
        start_system(settings=settings)
    return status_table(settings)


def stop_system(components: Sequence[str] = (), settings: Settings | None = None) -> str:
    """``scripts/stop_all.sh``: stop the named components (all by default)."""
    return run_script("stop_all.sh", *components, env=script_env(settings)).stdout


def clean_slate(settings: Settings | None = None) -> str:
    """``scripts/clean.sh --yes``: stop everything and empty the log, report and run
    folders (refused for folders outside the repository). Returns the script's output."""
    return run_script("clean.sh", "--yes", env=script_env(settings)).stdout


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy to show: "-" where there is nothing (a worker has no URL), not NaN or None."""
    return frame.astype(object).where(frame.notna(), "-")


def relative_times(frame: pd.DataFrame, origin: pd.Timestamp | None = None) -> pd.DataFrame:
    """A copy to show, each time column (``time``, ``started`` ...) replaced by seconds
    since ``origin`` (by default the earliest time in the table), named ``time_s``,
    ``started_s`` ...: a saved notebook shows no date of the machine that ran it, and
    two runs can be compared."""
    times = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if origin is None and times:
        origin = min(frame[c].min() for c in times)
    shown = frame.copy()
    for column in times:
        shown[column] = ((frame[column] - origin).dt.total_seconds()).round(3)
    return shown.rename(columns={c: f"{c}_s" for c in times})


def log_lines(request_id: str, settings: Settings | None = None) -> list[str]:
    """The raw lines about one request id, as the components wrote them, file by file."""
    log_dir = (settings or Settings.from_env()).log_dir
    return [line for path in sorted(log_dir.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if request_id in line]
