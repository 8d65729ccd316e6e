"""Promise 16: stale state never fools the launcher.

A pid file outlives its process. After a reboot (or once its number went to
another process) it names an unrelated process: ``status.sh`` must show the
component as not running, ``run_all.sh`` start it, and ``stop_all.sh`` never
signal the unrelated process. The launcher checks the process's start time
against the pid file's (``hw4.components.is_stale``). Two ``run_all.sh`` started
at the same moment leave one healthy system (a lock file in the run folder),
the second saying it waits, and one whole internal token.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from hw4.scripts import run_script
from tests.integration.conftest import make_system

from .conftest import fresh_system, processes_of, record_figures

pytestmark = pytest.mark.timeout(240)


def _unrelated_process() -> subprocess.Popen:
    """A process that is none of hw4's, leading a process group of its own (as a
    group leader it is what ``killpg`` on a stale pid would hit)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                            start_new_session=True, stdin=subprocess.DEVNULL)


def _plant(path: Path, pid: int, written: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\n")
    os.utime(path, (written, written))


def _rows(text: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in text.splitlines()[1:]}


def test_stale_pid_files_name_unrelated_processes_that_are_never_signalled(tmp_path):
    before_boot, reused = _unrelated_process(), _unrelated_process()
    try:
        time.sleep(0.1)  # a start time that is plainly after the planted files'
        run = tmp_path / "run"
        # worker1's file was written before this machine started; service_2's a
        # minute ago, and its number now belongs to a process started since
        _plant(run / "worker1.pid", before_boot.pid, psutil.boot_time() - 3600)
        _plant(run / "service_2.pid", reused.pid, time.time() - 60)

        status = make_system(tmp_path).script("status.sh", check=False)
        rows = _rows(status.stdout)
        assert status.returncode == 1
        for name in ("worker1", "service_2"):
            assert rows[name][1] == "-" and rows[name][2] == "dead", status.stdout

        with fresh_system(tmp_path) as system:  # scripts/run_all.sh starts everything
            rows = _rows(system.script("status.sh").stdout)
            # (Flower is off in these systems: its row says so)
            assert all(row[3] == "True" for row in rows.values() if row[2] != "off"), rows
            pids = {int(rows[n][1]) for n in ("worker1", "service_2")}
            assert not pids & {before_boot.pid, reused.pid}
            assert system.client.send("after the stale files", mode="sync").status == 200
            system.script("stop_all.sh")
            assert system.script("status.sh", check=False).returncode == 1
        for process in (before_boot, reused):
            assert process.poll() is None, "the launcher signalled an unrelated process"
    finally:
        for process in (before_boot, reused):
            process.kill()
            process.wait()
    record_figures("stale pid files", unrelated_processes=2, signalled=0,
                   started_anyway=["worker1", "service_2"])


def test_two_run_all_at_the_same_moment_leave_one_healthy_system(tmp_path):
    with fresh_system(tmp_path) as system:
        system.script("stop_all.sh")
        (system.settings.run_dir / "internal_token").unlink()
        env = {**system.env, "HW4_PYTHON": sys.executable}
        both = [subprocess.Popen(["bash", "scripts/run_all.sh"], env=env, text=True,
                                 cwd=Path(__file__).parents[2], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in both]
        assert [p.returncode for p in both] == [0, 0], outputs
        said = sorted(out.splitlines()[0] for out, _ in outputs)
        assert said[1].startswith("started: ") and "nothing (all were running)" in said[0], said
        assert any("waiting for it to finish" in err for _, err in outputs), outputs

        # one process group per component, and nothing else started for this folder
        assert run_script("status.sh", env=system.env, check=False).returncode == 0
        assert set(processes_of(system)) == set(system.pids())
        token = (system.settings.run_dir / "internal_token").read_text()
        assert len(token) == 43 and token == token.strip()
        assert system.client.send("one token for both services", mode="sync").status == 200
    record_figures("two run_all.sh at once", exit_codes="0/0", systems=1,
                   second_said="waiting for it to finish")
