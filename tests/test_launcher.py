"""The launcher's signals on real (small) process groups: no Redis, no hw4 component."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from hw4 import processes
from hw4.components import Component
from hw4.config import Settings
from hw4.launcher import main, pause_component, resume_component
from hw4.processes import group_members, stop_group, write_pid_file
from hw4.sandbox import wait_for

# A leader that, like a Celery node's main process, answers SIGTERM by waiting for
# its child to finish its work; the child, like a pool process, keeps SIGTERM's
# default action (it dies at once).
LEADER = """
import signal, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", '''
import pathlib, sys, time
pathlib.Path(sys.argv[1] + ".started").touch()
time.sleep(1.0)
pathlib.Path(sys.argv[1]).write_text("finished")
''', sys.argv[1]])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(child.wait()))
while True:
    time.sleep(0.05)
"""


def _start_group(done: Path) -> subprocess.Popen:
    leader = subprocess.Popen([sys.executable, "-c", LEADER, str(done)],
                              start_new_session=True)
    wait_for(lambda: Path(f"{done}.started").exists(), 10, "the child started")
    return leader


@pytest.mark.parametrize("leader_only, finished", [(True, True), (False, False)])
def test_sigterm_to_the_leader_only_lets_the_child_finish(tmp_path, leader_only, finished):
    done = tmp_path / "work"
    leader = _start_group(done)
    try:
        assert stop_group(leader.pid, deadline=10, leader_only=leader_only)
        assert not group_members(leader.pid)
        assert done.exists() is finished
    finally:
        leader.kill()
        leader.wait()


@pytest.fixture
def sleeper(tmp_path):
    """A process in a session of its own, with a pid file as service_2's."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               start_new_session=True)
    settings = Settings(run_dir=tmp_path, log_dir=tmp_path)
    component = Component("service_2", None, None)
    write_pid_file(component.pid_file(settings), process.pid)
    yield component, settings, psutil.Process(process.pid)
    process.kill()
    process.wait()


def test_pause_stops_the_group_and_resume_continues_it(sleeper):
    component, settings, process = sleeper
    assert pause_component(component, settings)
    wait_for(lambda: process.status() == psutil.STATUS_STOPPED, 5, "stopped")
    assert resume_component(component, settings)
    wait_for(lambda: process.status() != psutil.STATUS_STOPPED, 5, "running again")


def test_pause_and_resume_from_the_command_line(sleeper, monkeypatch, capsys):
    component, settings, process = sleeper
    monkeypatch.setenv("HW4_RUN_DIR", str(settings.run_dir))
    monkeypatch.setenv("HW4_LOG_DIR", str(settings.log_dir))
    assert main(["pause", "service_2"]) == 0
    assert "paused: service_2" in capsys.readouterr().out
    wait_for(lambda: process.status() == psutil.STATUS_STOPPED, 5, "stopped")
    assert main(["resume", "service_2"]) == 0
    assert "resumed: service_2" in capsys.readouterr().out
    assert "component.paused" in (settings.log_dir / "launcher.txt").read_text()


def test_nothing_to_pause_when_nothing_runs(tmp_path):
    settings = Settings(run_dir=tmp_path, log_dir=tmp_path)
    assert not pause_component(Component("service_2", None, None), settings)


def test_a_leader_that_exits_as_it_is_stopped_raises_nothing(monkeypatch):
    # a group whose leader has ended (and been reaped), its child still running
    leader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys; print(subprocess.Popen("
         "[sys.executable, '-c', 'import time; time.sleep(60)'], "
         "stdout=subprocess.DEVNULL).pid)"],
        start_new_session=True, stdout=subprocess.PIPE, text=True)
    child = psutil.Process(int(leader.communicate()[0]))
    # the race: the leader was alive when the stop looked, and gone when it signalled
    monkeypatch.setattr(processes, "is_alive", lambda pid: True)
    assert stop_group(leader.pid, leader_only=True, deadline=0.5)
    wait_for(lambda: not child.is_running() or child.status() == psutil.STATUS_ZOMBIE, 5,
             "the child killed after the deadline")
