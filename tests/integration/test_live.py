"""The live panel on the real system: it sees the queue fill and drain, the workers'
slots busy, the batch done, and stops by itself, while the caller is never held."""

from __future__ import annotations

import time

from hw4.flow import work_batch
from hw4.live import LivePanel, short_name
from hw4.slots import time_batch

from .conftest import wait_for


def test_the_panel_watches_a_batch_drain_and_stops_by_itself(system):
    messages = work_batch(12, work_seconds=1.0, sync=1)
    panel = LivePanel(len(messages), system.settings)
    began = time.monotonic()
    panel.start()
    assert time.monotonic() - began < 0.5 and panel.running  # the kernel is not held
    # timed as notebook 5 times its batches: time_batch passes on_sent to send_batch
    timing = time_batch(messages, system.client, system.settings, on_sent=panel.track)
    batch = timing.outcomes
    assert str(timing.slots) == "4 slots alive" and 2.5 < timing.seconds < 10
    assert len(panel.task_ids) == 12 == sum(o.task_id is not None for o in batch)
    line = panel.wait(30)
    assert not panel.running and panel.ended == "the batch is done"  # nobody stopped it
    last = panel.last
    assert (last.done, last.tasks, last.waiting, last.busy) == (12, 12, 0, 0)
    # 12 tasks on 2 nodes of 2 slots: 4 run at once, the rest wait in the queue
    assert panel.most_waiting >= 4
    assert panel.most_busy == 4 and last.slots == 4 and last.silent == []
    assert [n.name.split("@")[0] for n in last.nodes] == ["worker1", "worker2"]
    assert line.startswith("12 of 12 tasks done · 0 waiting in the queue (at most ")
    assert line.endswith("0 of 4 slots busy (at most 4) on 2 worker nodes · the batch is done")
    assert panel.done_bar.value == panel.done_bar.max == 12
    assert panel.queue_label.value == "0 waiting"


def test_the_panel_says_which_worker_does_not_answer(system):
    system.launcher("pause", "worker2")  # SIGSTOP: hung, it answers nothing
    panel = LivePanel(1, system.settings)
    try:
        panel.start()
        last = wait_for(lambda: panel.last, 10, "the panel's first look")
    finally:
        panel.stop()
        system.launcher("resume", "worker2")
    panel.wait(10)
    assert [short_name(node) for node in last.silent] == ["worker2"]
    assert last.slots == 2  # worker1's: a silent node's slots are not counted
    bar, label = panel.node_rows["worker2"]
    assert "not answering" in label.value and bar.bar_style == "danger"
    assert not panel.running and panel.ended == "stopped"
