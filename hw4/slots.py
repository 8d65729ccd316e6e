"""How many tasks the workers can run at once right now, and a batch timed against it.

A slot is one pool process of a worker node (``--concurrency 2``: two slots). Only the
nodes that answer count: each node's pool size comes from Celery's inspection
(``app.control.inspect().stats()``, the ``pool`` / ``max-concurrency`` of each node that
replies; Celery's "Workers Guide", Inspecting workers). A node that was started but has
died runs nothing, so a timing never claims its slots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hw4.celery_app import create_celery
from hw4.client import Client
from hw4.components import components, read_pid
from hw4.config import Settings
from hw4.flow import Outcome, batch_seconds, send_batch


@dataclass(frozen=True)
class Slots:
    """The slots of the worker nodes that answered, and the started ones that did not."""

    nodes: dict[str, int]  # node name (worker1@host) -> its pool's processes
    silent: tuple[str, ...] = ()  # worker components with a pid file that did not answer

    @property
    def total(self) -> int:
        return sum(self.nodes.values())

    def __str__(self) -> str:
        text = f"{self.total} slot{'' if self.total == 1 else 's'} alive"
        if self.silent:
            text += f" ({', '.join(self.silent)} not answering)"
        return text


def pool_sizes(stats: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Each node's pool size from an ``inspect().stats()`` reply, by node name."""
    return {name: int(reply.get("pool", {}).get("max-concurrency", 0))
            for name, reply in sorted(stats.items())}


def launched_workers(settings: Settings) -> list[str]:
    """The worker components the launcher started here and did not stop (a pid file)."""
    return [c.name for c in components(settings)
            if c.is_worker and read_pid(c, settings) is not None]


def count_slots(nodes: dict[str, dict[str, Any]], started: Sequence[str]) -> Slots:
    """:class:`Slots` from ``inspect().stats()``'s replies (node -> its stats) and the
    worker components that were started here (``worker1``, ...)."""
    slots = pool_sizes(nodes)
    answered = {node.split("@")[0] for node in slots}
    return Slots(slots, tuple(name for name in started if name not in answered))


def alive_slots(settings: Settings | None = None, timeout: float = 1.0) -> Slots:
    """Ask every worker node for its pool size (a node that does not answer within
    ``timeout`` seconds has no slots), and name the started ones that stayed silent."""
    settings = settings or Settings.from_env()
    celery = create_celery(settings, sender=True)
    try:
        replies = celery.control.inspect(timeout=timeout).stats() or {}
    finally:
        celery.close()
    return count_slots(replies, launched_workers(settings))


@dataclass(frozen=True)
class BatchTiming:
    """A batch sent, followed and timed, with the slots alive when it was sent."""

    slots: Slots
    outcomes: list[Outcome]

    @property
    def seconds(self) -> float:
        """From the first task queued to the last one finished (:func:`batch_seconds`)."""
        return batch_seconds(self.outcomes)

    def row(self) -> dict[str, object]:
        """One row for a table of timings: slots, seconds, and what the slots were."""
        return {"slots": self.slots.total, "seconds": self.seconds, "alive": str(self.slots)}

    def __str__(self) -> str:
        return f"{self.seconds:.1f} s with {self.slots}"


def time_batch(messages: Sequence[dict[str, Any]], client: Client | None = None,
               settings: Settings | None = None,
               on_sent: Callable[[Outcome], None] | None = None) -> BatchTiming:
    """Count the slots alive, then send the batch and follow it to the end.

    ``on_sent`` is :func:`send_batch`'s: called with each message once it was sent, so
    a live panel (``on_sent=panel.track``) watches the batch being timed.
    """
    settings = settings or Settings.from_env()
    slots = alive_slots(settings)
    client = client or Client(settings.service_1_url)
    return BatchTiming(slots, send_batch(client, messages, on_sent=on_sent))
