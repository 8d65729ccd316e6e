"""The live panel without a system: how it reads the workers' and Redis's answers, when it
stops, what it says, and that it never holds the caller (Redis on a closed port)."""

from __future__ import annotations

import json
import time

import pytest

from hw4.flow import Outcome
from hw4.live import (
    LivePanel,
    Node,
    Snapshot,
    count_done,
    flower_pages,
    is_finished,
    is_settled,
    pool_sizes,
    read_nodes,
    summary,
)


def _queued(task_id: str | None) -> Outcome:
    body = {"request_id": "r1", "task_id": task_id} if task_id else {"request_id": "r1"}
    return Outcome(202 if task_id else 200, body, 0.01)


def test_nodes_that_answer_show_their_busy_slots_and_the_silent_ones_none():
    active = {"worker2@h": [{"id": "t1"}], "worker1@h": [{"id": "t2"}, {"id": "t3"}]}
    nodes = read_nodes(active, {"worker1@h": 2, "worker2@h": 2}, known={"worker3@h"},
                       launched=["worker1", "worker2", "worker4"])
    assert nodes == (Node("worker1@h", 2, 2, True), Node("worker2@h", 1, 2, True),
                     Node("worker3@h", 0, 0, False), Node("worker4", 0, 0, False))
    snapshot = Snapshot(0, nodes, 0, 0)
    # a silent node's slots are not counted: only the slots alive are
    assert (snapshot.busy, snapshot.slots) == (3, 4)
    assert snapshot.silent == ["worker3@h", "worker4"]


def test_a_launched_worker_seen_before_is_named_once():
    nodes = read_nodes({}, {}, known={"worker1@h"}, launched=["worker1"])
    assert nodes == (Node("worker1@h", 0, 0, False),)


def test_a_node_whose_pool_size_is_unknown_has_at_least_its_busy_slots():
    assert read_nodes({"w@h": [{}, {}]}, {}, (), ()) == (Node("w@h", 2, 2, True),)


def test_pool_sizes_come_from_the_stats_reply():
    stats = {"worker1@h": {"pool": {"max-concurrency": 2, "processes": [11, 12]}},
             "worker2@h": {"pool": {}}}
    assert pool_sizes(stats) == {"worker1@h": 2, "worker2@h": 0}


def test_done_counts_final_states_only():
    metas = [json.dumps({"status": s}).encode() for s in
             ("SUCCESS", "FAILURE", "REVOKED", "STARTED", "RETRY", "PENDING")]
    assert count_done([*metas, None]) == 3


def test_finished_when_everything_was_sent_and_every_task_is_done():
    assert is_finished(sent=14, messages=14, done=12, tasks=12)
    assert not is_finished(sent=13, messages=14, done=12, tasks=12)  # one still sending
    assert not is_finished(sent=14, messages=14, done=11, tasks=12)
    assert is_finished(sent=4, messages=4, done=0, tasks=0)  # all blocked: no task at all


def test_settled_when_nothing_waits_and_no_slot_is_busy():
    idle = (Node("w@h", 0, 2, True),)
    assert is_settled(Snapshot(0, idle, 3, 3))
    assert not is_settled(Snapshot(1, idle, 3, 3))
    assert not is_settled(Snapshot(0, (Node("w@h", 1, 2, True),), 3, 3))
    assert not is_settled(Snapshot(0, (*idle, Node("v@h", 0, 0, False)), 3, 3))


def test_the_summary_gives_the_last_state_and_the_peaks():
    nodes = (Node("worker1@h", 0, 2, True), Node("worker2@h", 0, 2, True))
    line = summary(Snapshot(0, nodes, 12, 12), most_waiting=8, most_busy=4,
                   ended="the batch is done")
    assert line == ("12 of 12 tasks done · 0 waiting in the queue (at most 8) · 0 of 4 "
                    "slots busy (at most 4) on 2 worker nodes · the batch is done")
    dead = summary(Snapshot(0, (*nodes[:1], Node("worker2@h", 0, 0, False)), 1, 2), 1, 2)
    assert "0 of 2 slots busy (at most 2) on 1 worker node · not answering: worker2@h" in dead


def test_the_panel_shows_a_stable_text(settings):
    bundle = LivePanel(14, settings)._repr_mimebundle_()
    assert bundle["text/plain"] == "LivePanel(batch of 14 messages)"
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_panel_learns_the_batch_as_it_is_sent(settings):
    panel = LivePanel(3, settings)
    for outcome in (_queued("t1"), _queued(None), _queued("t2")):
        panel.track(outcome)
    assert (panel.sent, panel.task_ids) == (3, ["t1", "t2"])


def test_a_batch_without_tasks_stops_the_panel_even_without_redis(settings):
    panel = LivePanel(2, settings, interval=0.05)
    began = time.monotonic()
    panel.start()
    assert time.monotonic() - began < 0.5  # the caller is not held
    panel.track(_queued(None))
    panel.track(_queued(None))
    assert panel.wait(10) == "nothing seen yet (the batch is done)"
    assert not panel.running


def test_without_redis_the_panel_says_so_and_stops_at_its_deadline(settings):
    panel = LivePanel(1, settings, interval=0.05, deadline=0.5).start()
    panel.track(_queued("t1"))
    panel.wait(10)
    assert not panel.running
    assert panel.ended == "stopped at its deadline (0.5 s)"
    assert "stopped at its deadline" in panel.header.value


def test_the_panel_stops_when_asked_and_starts_again_from_nothing(settings):
    panel = LivePanel(1, settings, interval=0.05).start()
    with pytest.raises(RuntimeError, match="watching a batch already"):
        panel.start()
    panel.track(_queued("t1"))
    panel.stop()
    panel.wait(10)
    assert not panel.running and panel.ended == "stopped"
    panel.start()  # its cells run again: a new batch
    assert (panel.sent, panel.task_ids, panel.ended) == (0, [], "")
    panel.stop()
    panel.wait(10)


def test_flower_pages_are_links_built_from_the_settings(settings):
    page = flower_pages(settings.override(flower_port=5999)).data
    assert '<a href="http://127.0.0.1:5999/workers" target="_blank" rel="noopener">' in page
    assert '<a href="http://127.0.0.1:5999/tasks"' in page
    assert "Flower is off" in flower_pages(settings.override(flower=0)).data
