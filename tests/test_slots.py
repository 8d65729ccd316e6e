"""Counting the worker slots alive from Celery's inspection replies (the real
inspection runs in tests/reliability/test_worker_crash.py, around a killed node)."""

from __future__ import annotations

from hw4.flow import Outcome
from hw4.slots import BatchTiming, Slots, count_slots


def _stats(processes: int) -> dict:
    # the part of a node's inspect().stats() reply that counts
    return {"pool": {"max-concurrency": processes, "processes": list(range(processes))}}


def test_the_slots_of_the_nodes_that_answer_are_counted():
    slots = count_slots({"worker2@vm": _stats(2), "worker1@vm": _stats(2)},
                        ["worker1", "worker2"])
    assert slots.total == 4 and list(slots.nodes) == ["worker1@vm", "worker2@vm"]
    assert str(slots) == "4 slots alive"


def test_a_started_node_that_does_not_answer_is_named_and_has_no_slots():
    slots = count_slots({"worker1@vm": _stats(2)}, ["worker1", "worker2"])
    assert slots.total == 2 and slots.silent == ("worker2",)
    assert str(slots) == "2 slots alive (worker2 not answering)"


def test_no_answer_at_all_is_zero_slots():
    assert str(count_slots({}, ["worker1"])) == "0 slots alive (worker1 not answering)"
    assert str(Slots({"worker3@b": 1})) == "1 slot alive"


def test_a_timing_row_says_what_the_slots_were():
    results = [{"queued_at": "2026-12-03T10:00:00.000Z",
                "finished_at": f"2026-12-03T10:00:0{s}.000Z"} for s in (1, 3)]
    outcomes = [Outcome(202, {}, 0.0, states=["SUCCESS"], task={"result": r}) for r in results]
    timing = BatchTiming(count_slots({"worker1@vm": _stats(2)}, ["worker1", "worker2"]),
                         outcomes)
    assert timing.row() == {"slots": 2, "seconds": 3.0,
                            "alive": "2 slots alive (worker2 not answering)"}
    assert str(timing) == "3.0 s with 2 slots alive (worker2 not answering)"
