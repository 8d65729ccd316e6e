"""Which code a running process runs, so that a student sees when it is older than the files.

Python reads a module once, when it is imported: an edit to ``hw4/tasks.py`` changes
nothing in a running worker until the worker is restarted (docs/changing.md says which
edit needs which restart). So each service and worker, once it has imported its code,
notes which of hw4's files it runs, their times and the checkout's git commit
(:func:`running_code`, once per process). It logs them in its start line, ``GET
/health`` answers them, and ``run/<name>.code`` keeps them for ``status.sh``, which
calls the component ``stale`` when one of those files has changed since.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from hw4.config import ROOT

PACKAGE = ROOT / "hw4"


@dataclass(frozen=True)
class RunningCode:
    """The code one process runs: the git commit, and each hw4 file it imported with
    the file's modification time then."""

    commit: str | None
    files: dict[str, float]

    def summary(self) -> dict[str, str | None]:
        """The commit and the time of the newest file: what the start line and /health say."""
        newest = max(self.files.values(), default=0.0)
        return {"commit": self.commit,
                "files_time": datetime.fromtimestamp(newest, timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ")}

    def changed(self) -> list[str]:
        """The files that have changed (or gone) since the process imported them."""
        return [name for name, mtime in self.files.items() if _mtime(ROOT / name) != mtime]

    def save(self, path: Path) -> None:
        """Write to ``path`` whole (a reader never sees half of it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(asdict(self)))
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> RunningCode | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def code_file(run_dir: Path, component: str) -> Path:
    return run_dir / f"{component}.code"


def note_running_code(run_dir: Path, component: str) -> RunningCode:
    """:func:`running_code`, kept in ``run/<component>.code`` for ``status.sh``."""
    code = running_code()
    code.save(code_file(run_dir, component))
    return code


def running_code() -> RunningCode:
    """The hw4 files this process has imported, with their times, and the git commit."""
    files = {}
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] != PACKAGE.name:  # (resolving ~900 paths took 0.2 s)
            continue
        path = Path(getattr(module, "__file__", None) or "/").resolve()
        if PACKAGE in path.parents:
            files[str(path.relative_to(ROOT))] = _mtime(path)
    return RunningCode(git_commit(), dict(sorted(files.items())))


def git_commit() -> str | None:
    """The checkout's commit (``git rev-parse --short HEAD``); None outside a git checkout."""
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=5,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
