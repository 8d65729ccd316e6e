"""The launcher as a user meets it: idempotent start, restart of what died, busy ports,
and nothing left behind by stop_all.sh."""

from __future__ import annotations

import os
import socket

import psutil

from hw4.code_version import RunningCode
from hw4.components import components, read_pid
from hw4.processes import is_alive

from .conftest import free_port, make_system, running_system


def test_start_is_idempotent_restarts_the_dead_and_stop_leaves_nothing(tmp_path):
    gen = running_system(tmp_path)
    system = next(gen)
    try:
        pids = system.pids()
        assert len(pids) >= 5 + 2 * 2  # redis, 2 gunicorn masters + workers, 2 celery nodes
        # each Celery node is one `celery -A hw4.worker worker -n workerN@%h` process,
        # as Celery's docs start one, in a session of its own
        nodes = {c.name: read_pid(c, system.settings)
                 for c in components_named(system, "worker")}
        assert len(nodes) == 2
        for name, pid in nodes.items():
            assert os.getsid(pid) == pid == os.getpgid(pid)
            line = " ".join(psutil.Process(pid).cmdline())
            assert f"celery -A hw4.worker worker -n {name}@%h" in line, line
        launcher_log = system.log_text("launcher")
        for pid in nodes.values():
            assert f"pid={pid}" in launcher_log  # component.started, with the node's pid
        leaders = [read_pid(c, system.settings) for c in components(system.settings)]
        again = system.script("run_all.sh")
        assert "nothing (all were running)" in again.stdout
        # the same component processes (a pool may replace a child of its own meanwhile)
        assert [read_pid(c, system.settings) for c in components(system.settings)] == leaders
        assert all(is_alive(pid) for pid in leaders)
        system.script("status.sh")

        killed = system.script("stop_all.sh", "worker1")  # a polite stop ...
        assert "worker1" in killed.stdout
        system.launcher("kill", "worker2")  # ... and a crash
        status = system.script("status.sh", check=False)
        assert status.returncode == 1 and "dead" in status.stdout
        restarted = system.script("run_all.sh")
        assert "worker1" in restarted.stdout and "worker2" in restarted.stdout
        assert "service_1" not in restarted.stdout.splitlines()[0]
        everything = system.pids()
    finally:
        next(gen, None)  # runs stop_all.sh
    assert not [pid for pid in everything if is_alive(pid)]
    assert not list((tmp_path / "run").glob("*.pid"))
    second = system.script("stop_all.sh")
    assert "nothing" in second.stdout


def components_named(system, prefix: str) -> list:
    return [c for c in components(system.settings) if c.name.startswith(prefix)]


def test_a_node_that_fails_to_start_is_named_and_nothing_is_left(tmp_path):
    system = make_system(tmp_path)
    # worker2's output file cannot be opened (a folder is in the way)
    (tmp_path / "run" / "worker2.out").mkdir(parents=True)
    result = system.script("run_all.sh", check=False)
    try:
        assert result.returncode != 0
        assert "worker2: cannot write its output file" in result.stderr
        assert system.leftovers() == []  # worker1's node and the services stopped again
    finally:
        system.script("stop_all.sh", check=False)


def test_a_component_that_exits_while_starting_is_named_with_its_output(tmp_path):
    # a Redis server that refuses its command line, as one of another version might
    fake = tmp_path / "redis-server"
    fake.write_text("#!/bin/sh\necho \"FATAL: unknown option $1\" >&2\nexit 1\n")
    fake.chmod(0o755)
    system = make_system(tmp_path, HW4_REDIS_SERVER=str(fake))
    result = system.script("run_all.sh", check=False)
    try:
        assert result.returncode != 0
        # said at once, not after the start deadline: the launcher saw the process end
        assert "redis exited while starting" in result.stderr
        assert "FATAL: unknown option" in result.stderr  # its last output lines
        assert "not healthy after" not in result.stderr
        assert system.leftovers() == []  # the components started beside it stopped again
    finally:
        system.script("stop_all.sh", check=False)


def test_a_start_past_its_deadline_leaves_nothing_running(tmp_path):
    # the deadline passes while every component still starts: all are stopped again
    system = make_system(tmp_path, HW4_START_DEADLINE="0.1")
    result = system.script("run_all.sh", check=False)
    try:
        assert result.returncode != 0
        assert "not healthy after 0.1 s" in result.stderr
        assert system.leftovers() == []
    finally:
        system.script("stop_all.sh", check=False)


def test_a_busy_port_is_named_in_the_error(tmp_path):
    system = make_system(tmp_path)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", system.settings.service_2_port))
        blocker.listen()
        result = system.script("run_all.sh", check=False)
    try:
        assert result.returncode != 0
        assert f"port {system.settings.service_2_port}" in result.stderr
        assert "service_2" in result.stderr
        # what the failed start had started is stopped again
        assert system.pids() == []
    finally:
        system.script("stop_all.sh", check=False)
    assert free_port()


def test_starting_some_components_succeeds_when_they_are_healthy(tmp_path):
    system = make_system(tmp_path)
    try:
        started = system.script("run_all.sh", "redis")  # exits 0: what was asked runs
        assert "started: redis" in started.stdout
        status = system.script("status.sh", check=False)  # the rest is stopped
        assert status.returncode == 1 and "stopped" in status.stdout
    finally:
        system.script("stop_all.sh", check=False)


def test_restart_starts_a_new_process_that_says_which_code_it_runs(system):
    # on the folder's shared system: it restarts one worker node and leaves all healthy
    health = system.client.health()
    assert set(health["code"]) == {"commit", "files_time"}, health
    assert "worker.ready" in system.log_text("worker1")
    assert f"files_time={health['code']['files_time']}" in system.log_text("service_1")
    # a file worker2 imported changed after it started (its record says an older time)
    record = system.settings.run_dir / "worker2.code"
    code = RunningCode.load(record)
    code.files["hw4/tasks.py"] -= 60
    code.save(record)
    status = system.script("status.sh", check=False)
    assert _rows(status.stdout)["worker2"][4] == "stale"
    assert _rows(status.stdout)["worker1"][4] == "current"
    assert "worker2 runs older code: hw4/tasks.py changed since it started; restart it: " \
           "scripts/restart.sh worker2" in status.stderr

    before = {c.name: read_pid(c, system.settings) for c in components(system.settings)}
    restarted = system.script("restart.sh", "worker2")
    assert restarted.stdout.startswith("restarted: worker2\n"), restarted.stdout
    after = {c.name: read_pid(c, system.settings) for c in components(system.settings)}
    assert after["worker2"] != before["worker2"]
    assert {k: v for k, v in after.items() if k != "worker2"} == \
        {k: v for k, v in before.items() if k != "worker2"}
    rows = _rows(system.script("status.sh").stdout)  # exits 0: all healthy
    # Redis and Flower (Celery's monitor) keep no record of the code they run: "-"
    assert {name: row[4] for name, row in rows.items() if name in ("redis", "flower")} == \
        {"redis": "-", "flower": "-"}
    assert {row[4] for name, row in rows.items() if name not in ("redis", "flower")} == \
        {"current"}
    answer = system.client.send("after the restart", work_seconds=0.1)
    assert system.client.wait_for_task(answer.task_id, deadline=30)["state"] == "SUCCESS"


def _rows(table: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in table.splitlines()[1:]}
