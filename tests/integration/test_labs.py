"""Notebook 6's labs, tested both ways on real systems: on the unchanged system (the
folder's shared one) every check says "not done yet"; on a copy of hw4 with every lab's
solution applied (the kind declared, the task changed, the settings in its .env, a third
worker started) every check says "done".

The copy is hw4/ in a temporary folder, started from there with its own launcher on its
own ports and folders, as a student's edited checkout would be; the checks run in a Python
started in that folder too, so they read its .env and compare its running code with its
files, as they do in the student's notebook.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw4.config import ROOT
from hw4.exercises import LAB_CHECKS
from hw4.sandbox import isolated_env

from .conftest import System

#: lab 1: the declaration of docs/detection.md, step 1, at the end of kinds.py
EMPLOYEE_KIND = '''
register(Kind(
    "EMPLOYEE_NUMBER",
    find=r"\\bEMP-\\d{6}\\b",
    mask=lambda value: "EMP-******",
    words=("employee number", "Personalnummer"),
))
'''
#: lab 2: the line added to the dict analyse_message returns, and the line it goes under
RESULT_LINE = '        "analysis": analysis,\n'
WORD_COUNT_LINE = '        "word_count": len(text.split()),\n'
#: labs 3 and 5: the copy's .env
SETTINGS_FILE = "HW4_SERVICE_2_TIMEOUT=2\nHW4_KEYWORD_POLICY=warn\n"

#: run in the copy's folder: every check's verdict and sentence, as JSON
RUN_CHECKS = """
import json
from hw4.exercises import LAB_CHECKS
verdicts = [(check.__name__, feedback.done, feedback)
            for check in LAB_CHECKS for feedback in [check()]]
print(json.dumps(verdicts))
"""


def test_on_the_unchanged_system_every_check_says_not_done(system: System) -> None:
    for check in LAB_CHECKS:
        feedback = check(system.settings)
        assert not feedback.done, f"{check.__name__}: {feedback}"
        assert feedback.startswith("Not done yet: "), feedback


def test_with_every_lab_done_every_check_says_done(labs_done: tuple[Path, dict]) -> None:
    root, env = labs_done
    ran = subprocess.run([sys.executable, "-c", RUN_CHECKS], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    verdicts = json.loads(ran.stdout)
    assert [name for name, _, _ in verdicts] == [c.__name__ for c in LAB_CHECKS]
    not_done = [text for _, is_done, text in verdicts if not is_done]
    assert not_done == [], not_done
    assert all(text.startswith("Done: ") for _, _, text in verdicts)


@pytest.fixture(scope="module")
def labs_done(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    """A copy of hw4 with every lab's solution, running (worker3 too); stopped after."""
    base = tmp_path_factory.mktemp("hw4-labs-done")
    root = base / "checkout"
    shutil.copytree(ROOT / "hw4", root / "hw4", ignore=shutil.ignore_patterns("__pycache__"))
    _apply_solutions(root)
    for attempt in range(3):
        # the copy's own .env (the sandbox reads none), its hw4 first on the path, no Flower
        env = isolated_env(base, HW4_ENV_FILE=str(root / ".env"), PYTHONPATH=str(root),
                           HW4_FLOWER="0")
        started = _launch(root, env, "start")
        # another test run on this machine may take a port first: try other ports
        if started.returncode == 0 or "already in use" not in started.stderr or attempt == 2:
            break
    try:
        assert started.returncode == 0, f"start:\n{started.stdout}{started.stderr}"
        assert _launch(root, env, "start", "worker3").returncode == 0
        yield root, env
    finally:
        stopped = _launch(root, env, "stop")
    assert stopped.returncode == 0, f"stop:\n{stopped.stdout}{stopped.stderr}"


def _apply_solutions(root: Path) -> None:
    kinds = root / "hw4" / "detection" / "kinds.py"
    kinds.write_text(kinds.read_text() + EMPLOYEE_KIND)
    tasks = root / "hw4" / "tasks.py"
    code = tasks.read_text()
    assert code.count(RESULT_LINE) == 1, "analyse_message's result dict has changed"
    tasks.write_text(code.replace(RESULT_LINE, RESULT_LINE + WORD_COUNT_LINE))
    (root / ".env").write_text(SETTINGS_FILE)


def _launch(root: Path, env: dict, *args: str) -> subprocess.CompletedProcess[str]:
    """The copy's ``python -m hw4.launcher ARGS``, what its scripts/run_all.sh runs."""
    return subprocess.run([sys.executable, "-m", "hw4.launcher", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=180)
