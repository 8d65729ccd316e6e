"""The live panel: while a batch runs, what waits in the queue, what each worker node
runs, and how much of the batch is done, a few times a second (ipywidgets).

Each figure means one thing and comes from Redis or Celery, never from the logs:

- **waiting**: the length of the Redis list of Celery's queue (``LLEN celery`` in the
  broker's database), as Celery's monitoring guide reads a queue;
- **busy of slots**, per worker node: Celery's inspect API, ``active()`` (the tasks a
  node runs now) and ``stats()`` (its pool size, ``pool["max-concurrency"]``); a node
  that does not answer within the timeout is shown as not answering, with no slots;
- **done**: the batch's tasks whose state in the result backend is final (SUCCESS,
  FAILURE or REVOKED: Celery's ``READY_STATES``), read from their result keys.

:class:`LivePanel` polls in a background thread and sets the widgets' values
(ipywidgets sends each change to the browser), so the kernel is never held. It stops
by itself once every message of the batch was sent and every task of it is done (and
the slots are free again, or a moment passed), or at its deadline, and leaves its last
state shown. The kernel side: ``panel.start()``, then ``send_batch(...,
on_sent=panel.track)``, then ``print(panel.wait())`` for the last state in one line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import redis
from IPython.display import HTML
from kombu.exceptions import OperationalError

from hw4.celery_app import create_celery, is_final, result_store
from hw4.config import Settings
from hw4.flow import Outcome
from hw4.slots import launched_workers, pool_sizes

#: what a look at Redis or the workers may raise when Redis is not answering
PROBE_ERRORS = (redis.RedisError, OperationalError, OSError)


@dataclass(frozen=True)
class Node:
    """One worker node as the last look saw it."""

    name: str
    busy: int  # tasks it runs now
    slots: int  # its pool's processes
    answering: bool


@dataclass(frozen=True)
class Snapshot:
    """One look: the queue, the worker nodes, and the batch's tasks."""

    waiting: int
    nodes: tuple[Node, ...]
    done: int
    tasks: int  # tasks of the batch sent so far

    @property
    def busy(self) -> int:
        return sum(node.busy for node in self.nodes if node.answering)

    @property
    def slots(self) -> int:
        """Slots of the nodes that answered: a silent node's are not counted."""
        return sum(node.slots for node in self.nodes if node.answering)

    @property
    def silent(self) -> list[str]:
        return [node.name for node in self.nodes if not node.answering]


def short_name(node: str) -> str:
    """``worker1@host`` -> ``worker1``: the component the launcher knows it by."""
    return node.split("@")[0]


def read_nodes(active: Mapping[str, Sequence[Any]], pool_sizes: Mapping[str, int],
               known: Iterable[str], launched: Iterable[str]) -> tuple[Node, ...]:
    """The nodes from an ``inspect().active()`` reply: each that answered with its busy
    slots; each ``known`` (seen before) or ``launched`` (a worker component with a pid
    file, by its short name) that did not, as not answering."""
    nodes = [Node(name, len(tasks), max(pool_sizes.get(name, 0), len(tasks)), True)
             for name, tasks in active.items()]
    seen = {short_name(name) for name in [*active, *known]}
    nodes += [Node(name, 0, 0, False) for name in known if name not in active]
    nodes += [Node(name, 0, 0, False) for name in launched if name not in seen]
    return tuple(sorted(nodes, key=lambda node: node.name))


def count_done(metas: Iterable[bytes | str | None]) -> int:
    """How many of these result-backend values hold a final state (no value: no state
    yet, a task still waiting in the queue)."""
    return sum(1 for meta in metas if is_final(meta))


def is_finished(sent: int, messages: int, done: int, tasks: int) -> bool:
    """Every message of the batch was sent and every task of it is done."""
    return sent >= messages and done >= tasks


def is_settled(snapshot: Snapshot) -> bool:
    """Nothing waits, no slot is busy, and every node answered (a silent one may be busy)."""
    return snapshot.waiting == 0 and snapshot.busy == 0 and not snapshot.silent


def summary(last: Snapshot, most_waiting: int, most_busy: int, ended: str = "") -> str:
    """The last state in one line of plain text (what a notebook prints and saves)."""
    nodes = sum(node.answering for node in last.nodes)
    line = (f"{last.done} of {last.tasks} tasks done · {last.waiting} waiting in the queue "
            f"(at most {most_waiting}) · {last.busy} of {last.slots} slots busy (at most "
            f"{most_busy}) on {nodes} worker node{'s' * (nodes != 1)}")
    if last.silent:
        line += f" · not answering: {', '.join(last.silent)}"
    return line + (f" · {ended}" if ended else "")


class Probe:
    """Looks at Redis and asks the workers, for one :class:`Snapshot` at a time."""

    def __init__(self, settings: Settings, timeout: float = 1.0) -> None:
        # a node that does not answer within ``timeout`` s counts as not answering; the
        # others answer in some 10-100 ms, and a look waits no longer than they take
        self.timeout = timeout
        self.celery = create_celery(settings, sender=True)
        self.queue = self.celery.conf.task_default_queue
        self.backend = result_store(self.celery)  # names each task's result key
        options = {"socket_timeout": settings.broker_timeout,
                   "socket_connect_timeout": settings.broker_timeout}
        self.broker = redis.Redis.from_url(settings.broker_url, **options)
        self.results = redis.Redis.from_url(settings.result_url, **options)
        self.launched = launched_workers(settings)
        self.known: set[str] = set()  # every node that answered once
        self.pool_sizes: dict[str, int] = {}

    def done(self, task_ids: Sequence[str]) -> int:
        """How many of these tasks are done: their result keys, in one round trip."""
        if not task_ids:
            return 0
        return count_done(self.results.mget(
            [self.backend.get_key_for_task(task_id) for task_id in task_ids]))

    def nodes(self) -> tuple[Node, ...]:
        """Ask every node what it runs (one broadcast); the pool size of new ones."""
        # as many replies as nodes known: no wait for the rest of the timeout then
        expected = len({short_name(name) for name in [*self.known, *self.launched]}) or None
        active = self.celery.control.inspect(
            timeout=self.timeout, limit=expected).active() or {}
        new = [name for name in active if name not in self.pool_sizes]
        if new:
            stats = self.celery.control.inspect(
                destination=new, timeout=self.timeout, limit=len(new)).stats() or {}
            self.pool_sizes.update(pool_sizes(stats))
        for name in self.known - set(active):  # asked again when it is back
            self.pool_sizes.pop(name, None)
        self.known.update(active)
        return read_nodes(active, self.pool_sizes, self.known, self.launched)

    def look(self, task_ids: Sequence[str]) -> Snapshot:
        # the results first: a task done by then is no longer counted as waiting or busy
        done = self.done(task_ids)
        # Redis is asked before the broadcast, so a Redis that is gone raises here
        waiting = self.broker.llen(self.queue)
        return Snapshot(waiting, self.nodes(), done, len(task_ids))

    def close(self) -> None:
        self.broker.close()
        self.results.close()
        self.celery.close()


def _row(name: str) -> tuple[widgets.IntProgress, widgets.HTML, widgets.HBox]:
    bar = widgets.IntProgress(value=0, min=0, max=1, description=name,
                              style={"description_width": "9em"})
    label = widgets.HTML()
    return bar, label, widgets.HBox([bar, label])


def _set(bar: widgets.IntProgress, label: widgets.HTML, value: int, top: int,
         text: str, style: str = "info") -> None:
    bar.max = max(top, value, 1)
    bar.value = value
    bar.bar_style = style
    label.value = text


class LivePanel:
    """The panel for a batch of ``messages`` messages: ``start()``, send the batch with
    ``on_sent=panel.track``, then ``wait()`` for its last state in one line."""

    def __init__(self, messages: int, settings: Settings | None = None,
                 interval: float = 0.25, deadline: float = 120.0, settle: float = 2.0) -> None:
        self.settings = settings or Settings.from_env()
        self.messages, self.interval = messages, interval
        self.deadline, self.settle = deadline, settle
        self.sent = 0
        self.task_ids: list[str] = []
        self.last: Snapshot | None = None
        self.most_waiting = self.most_busy = 0
        self.ended = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.header = widgets.HTML(f"<b>Live</b> · batch of {messages} messages · not started")
        self.queue_bar, self.queue_label, queue_row = _row("queue")
        self.done_bar, self.done_label, done_row = _row("done")
        self.node_rows: dict[str, tuple[widgets.IntProgress, widgets.HTML]] = {}
        self.nodes_box = widgets.VBox()
        self.view = widgets.VBox([self.header, queue_row, self.nodes_box, done_row])
        self.view.add_class("hw4-live")

    # A stable text form, so a notebook's saved output does not depend on widget ids
    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"LivePanel(batch of {self.messages} messages)"
        return bundle

    def track(self, outcome: Outcome) -> None:
        """One message of the batch was sent (``send_batch``'s ``on_sent``): its task,
        if it has one, is one of the batch's."""
        with self._lock:
            self.sent += 1
            if outcome.task_id:
                self.task_ids.append(outcome.task_id)

    def start(self) -> LivePanel:
        """Start watching in a background thread; returns at once. Started again (its
        cells run again), the panel watches a new batch from nothing."""
        if self.running:
            raise RuntimeError("the panel is watching a batch already: stop() it first")
        with self._lock:
            self.sent, self.task_ids = 0, []
        self.last, self.most_waiting, self.most_busy, self.ended = None, 0, 0, ""
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="hw4-live", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> str:
        """Wait until the panel stopped (at most ``timeout`` s); its last state in one line."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.summary()

    def summary(self) -> str:
        if self.last is None:
            return f"nothing seen yet{f' ({self.ended})' if self.ended else ''}"
        return summary(self.last, self.most_waiting, self.most_busy, self.ended)

    def _watch(self) -> None:
        probe = None
        try:
            probe = Probe(self.settings)
            self._poll(probe)
        except Exception as exc:  # shown in the panel: a thread's error reaches no cell
            self._end(f"stopped: {type(exc).__name__}: {exc}")
        finally:
            if probe is not None:
                probe.close()

    def _poll(self, probe: Probe) -> None:
        end = time.monotonic() + self.deadline
        settle_by = None
        while True:
            now = time.monotonic()
            with self._lock:
                task_ids, sent = list(self.task_ids), self.sent
            try:
                snapshot = probe.look(task_ids)
            except PROBE_ERRORS as exc:
                snapshot = None
                self.header.value = (f"<b>Live</b> · Redis is not answering "
                                     f"({type(exc).__name__}); trying again")
            else:
                self._show(snapshot)
            # without a look at Redis, only a batch without tasks is known to be done
            if is_finished(sent, self.messages, snapshot.done if snapshot else 0,
                           len(task_ids)):
                settle_by = settle_by or now + self.settle
                if snapshot is None or is_settled(snapshot) or now > settle_by:
                    return self._end("the batch is done")
            if now > end:
                return self._end(f"stopped at its deadline ({self.deadline:g} s)")
            if self._stop.wait(max(0.0, self.interval - (time.monotonic() - now))):
                return self._end("stopped")

    def _end(self, why: str) -> None:
        self.ended = why
        self.header.value = f"<b>Live</b> · batch of {self.messages} messages · {why}"

    def _show(self, snapshot: Snapshot) -> None:
        self.last = snapshot
        self.most_waiting = max(self.most_waiting, snapshot.waiting)
        self.most_busy = max(self.most_busy, snapshot.busy)
        self.header.value = (f"<b>Live</b> · batch of {self.messages} messages · "
                             f"{self.sent} sent · watching")
        _set(self.queue_bar, self.queue_label, snapshot.waiting,
             max(snapshot.tasks, self.most_waiting), f"{snapshot.waiting} waiting")
        _set(self.done_bar, self.done_label, snapshot.done, snapshot.tasks,
             f"{snapshot.done} of {snapshot.tasks} tasks done", "success")
        self._show_nodes(snapshot.nodes)

    def _show_nodes(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            if node.name not in self.node_rows:  # a new row for a node seen for the first time
                bar, label, row = _row(node.name)
                self.node_rows[node.name] = bar, label
                self.nodes_box.children = (*self.nodes_box.children, row)
            bar, label = self.node_rows[node.name]
            if node.answering:
                _set(bar, label, node.busy, node.slots, f"{node.busy} of {node.slots} busy")
            else:
                _set(bar, label, 0, 1, "<b>not answering</b>: its slots are not counted", "danger")


def flower_pages(settings: Settings | None = None) -> HTML:
    """Links to Flower's workers and tasks pages (or why there are none)."""
    settings = settings or Settings.from_env()
    if not settings.flower:
        return HTML("Flower is off (<code>HW4_FLOWER=0</code>): no pages to open.")
    links = [f'<a href="{settings.flower_url}/{page}" target="_blank" rel="noopener">'
             f"{settings.flower_url}/{page}</a>" for page in ("workers", "tasks")]
    return HTML(f"Flower's workers page: {links[0]} · its tasks page: {links[1]}")
