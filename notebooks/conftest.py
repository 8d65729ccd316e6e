"""nbval runs the notebooks against a system of their own, never the learner's.

Before the first notebook's kernel starts, free ports and a temporary folder
(for the run files, logs and reports) are put in the environment, which the
kernels inherit; the notebooks start the system there themselves. A learner's
system on the default ports, with its ``logs/`` and ``error_reports/``, is left
alone. Whatever the notebooks started is stopped when the session ends, and the
folder removed. ``nbval_sanitize.cfg`` maps the ports and folders back to the
defaults the saved outputs show.

Under pytest-xdist only the process that runs the notebooks (all of them, in
order: tests/conftest.py groups them) makes that folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from hw4.notebook import stop_system
from hw4.sandbox import isolated_env

#: the notebooks' own folder while a test session runs them
_base: Path | None = None


@pytest.hookimpl(tryfirst=True)  # before nbval starts the notebook's kernel
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _base
    if _base is None and item.path.suffix == ".ipynb":
        _base = Path(tempfile.mkdtemp(prefix="hw4-notebooks-"))
        os.environ.update({key: value for key, value in isolated_env(_base).items()
                           if key.startswith("HW4_")})


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _base is not None:
        stop_system()
        shutil.rmtree(_base, ignore_errors=True)
