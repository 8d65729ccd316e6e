"""The warm start's floor (bench/start_floor.py): hw4's command lines with do-nothing apps."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.processes import Hw4
from bench.start_floor import report, stack_commands, start_together
from hw4.components import port_is_free
from hw4.processes import group_members


def test_the_floor_runs_hw4_command_lines_with_do_nothing_apps(tmp_path: Path):
    hw4 = Hw4(tmp_path)
    floor = stack_commands(hw4, floor=True)
    ours = stack_commands(hw4, floor=False)
    assert list(floor) == list(ours) == ["service_1", "service_2", "worker1", "worker2", "flower"]
    for name, (command, _) in floor.items():
        assert not [part for part in command if part.startswith("hw4.")], command  # no hw4 app ...
        # ... in otherwise the same command line
        assert len(command) == len(ours[name][0])
    assert "-A bench.floor_node worker -n worker1@%h" in " ".join(floor["worker1"][0])
    assert "-A bench.floor_node flower" in " ".join(floor["flower"][0])


def test_the_floor_stack_starts_answers_and_is_stopped_again(tmp_path: Path):
    hw4 = Hw4(tmp_path)
    hw4.start("redis")
    try:
        items = list(stack_commands(hw4, floor=True).values())
        took = start_together(items, hw4)
        assert 0 < took < 60
        # every process answered as run_all.sh would ask it, and none is left:
        # the nodes' groups are empty, and the web servers' and Flower's ports free
        assert all(not group_members(pid) for pid in _leaders(hw4))
        ports = [c.port for _, c in items if c.port is not None]
        assert len(ports) == 3
        assert all(port_is_free(hw4.settings.host, port) for port in ports)
    finally:
        hw4.stop()


@pytest.mark.timeout(60)  # without the deadline, start_together would wait forever
def test_a_process_that_never_answers_as_asked_is_named_after_the_deadline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # service_2's stand-in names another service in /health: the launcher's check refuses it
    monkeypatch.setattr("bench.start_floor.START_DEADLINE", 3)
    hw4 = Hw4(tmp_path)
    hw4.start("redis")
    try:
        command, component = stack_commands(hw4, floor=True)["service_2"]
        command = [part.replace("'service_2'", "'service_1'") for part in command]
        with pytest.raises(TimeoutError, match="service_2: not healthy after 3 s"):
            start_together([(command, component)], hw4)
        assert port_is_free(hw4.settings.host, component.port)  # and it was stopped
    finally:
        hw4.stop()


def _leaders(hw4: Hw4) -> list[int]:
    """The pids the floor's nodes wrote in their ready markers."""
    markers = (hw4.settings.run_dir / f"worker{n}.ready" for n in (1, 2))
    return [int(marker.read_text()) for marker in markers]


def test_the_report_divides_by_the_slowest_alone_with_and_without_the_launcher():
    times = {"launcher": {"worker1": [2.0]},
             "hw4": {"full": [3.0], "service_1": [1.0], "worker1": [1.5]},
             "floor": {"full": [2.0], "service_1": [0.5], "worker1": [1.5]}}
    text = report(times)
    assert "| hw4 | 3.00 s | 1.50 s (worker1) | 2.00× | 1.75× |" in text
    assert "| floor | 2.00 s | 1.50 s (worker1) | 1.33× | 1.25× |" in text
