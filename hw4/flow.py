"""Sending messages and following them to the end: what the notebooks' widget does.

:func:`send_and_follow` sends one message and, for an async one, polls its task
until SUCCESS or FAILURE; :func:`send_batch` sends several at once (so they
wait in the queue together and both workers get some) and then follows them.
Each returns :class:`Outcome` objects that say what happened in plain terms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import requests

from hw4.client import FINAL_STATES, Answer, Client

#: everyday messages: some for the workers (async), some for service_2 (sync)
SAMPLE_MESSAGES: tuple[dict[str, Any], ...] = (
    {"label": "hello workers", "text": "Hello, workers! Please count these words.",
     "mode": "async", "work_seconds": 1.0},
    {"label": "hello service_2", "text": "A sync hello for service_2.", "mode": "sync",
     "work_seconds": 1.0},
    {"label": "queues", "text": "A queue lets a service answer at once and work later.",
     "mode": "async", "work_seconds": 2.0},
    {"label": "sync waits", "text": "A sync call waits for its answer.", "mode": "sync",
     "work_seconds": 0.5},
    {"label": "two workers", "text": "Two workers share one queue.", "mode": "async",
     "work_seconds": 1.0},
    {"label": "short job", "text": "The last sample message.", "mode": "async",
     "work_seconds": 0.5},
)

def work_batch(tasks: int = 12, work_seconds: float = 1.0, sync: int = 0
               ) -> list[dict[str, Any]]:
    """``tasks`` async messages of ``work_seconds`` each (more than the workers' slots, so
    some wait in the queue), then ``sync`` sync messages of the same work."""
    batch = [{"label": f"task {i}", "text": f"Task number {i}: please count my words.",
              "mode": "async", "work_seconds": work_seconds} for i in range(1, tasks + 1)]
    batch += [{"label": f"sync {i}", "text": f"Sync message {i}: service_1 waits for me.",
               "mode": "sync", "work_seconds": work_seconds} for i in range(1, sync + 1)]
    return batch


#: messages service_1 must block, one per kind of personal data (made-up values)
SENSITIVE_MESSAGES: tuple[dict[str, Any], ...] = (
    {"label": "password", "text": "my password is hunter2", "mode": "async"},
    {"label": "email", "text": "please write to jane.doe@example.org", "mode": "async"},
    {"label": "card number", "text": "my card is 4111 1111 1111 1111", "mode": "sync"},
    {"label": "phone", "text": "call me on +1 650-253-0000", "mode": "async"},
)


@dataclass
class Outcome(Answer):
    """One message: what service_1 answered (``status`` None when it could not be
    reached) and, for a task, how it went."""

    label: str = ""
    mode: str = "async"
    states: list[str] = field(default_factory=list)  # task states seen, in order
    task: dict[str, Any] | None = None  # the last GET /tasks/<id> answer
    error: str | None = None  # why there is no (final) answer

    @property
    def state(self) -> str | None:
        """The task's last known state (async messages only)."""
        return self.states[-1] if self.states else None

    @property
    def done(self) -> bool:
        """Nothing more will happen to this message."""
        if self.kind == "sending":
            return False
        return self.error is not None or self.task_id is None or self.state in FINAL_STATES

    @property
    def result(self) -> dict[str, Any]:
        """The task's result (worker, seconds, times), once it succeeded."""
        return (self.task or {}).get("result") or {}

    @property
    def worker(self) -> str | None:
        return (self.task or {}).get("worker")

    @property
    def kind(self) -> str:
        """sending (no answer yet), queued (async), answered (sync), alert (refused) or
        error (no answer)."""
        if self.status is None and self.error is None:
            return "sending"
        if self.error is not None and self.status is None:
            return "error"
        if self.alert is not None:
            return "alert"
        return "queued" if self.task_id else "answered"

    def outcome(self) -> str:
        """One word for tables: the task's state, the alert's type, OK or ERROR."""
        if self.kind == "alert":
            return self.alert.get("type", "alert")
        if self.kind == "queued":
            return self.state or "PENDING"
        if self.kind == "sending":
            return "sending"
        return "OK" if self.status == 200 else "ERROR"


def _from_answer(outcome: Outcome, answer: Answer) -> Outcome:
    outcome.status, outcome.body, outcome.seconds = answer.status, answer.body, answer.seconds
    if answer.status not in (200, 202) and outcome.alert is None:
        outcome.error = str(answer.body.get("error", f"HTTP {answer.status}"))
    return outcome


def new_outcome(message: dict[str, Any]) -> Outcome:
    """An outcome for a message not sent yet (no answer, no state)."""
    return Outcome(None, {}, 0.0, label=message.get("label", ""),
                   mode=message.get("mode", "async"))


def post(client: Client, message: dict[str, Any], outcome: Outcome | None = None) -> Outcome:
    """Send one message (``text``, ``mode``, ``work_seconds``, optional ``label``).

    The answer is recorded in ``outcome`` when one is given (a widget made it
    before sending, to show it at once), else in a new one.
    """
    outcome = outcome or new_outcome(message)
    try:
        answer = client.send(message["text"], mode=outcome.mode,
                             work_seconds=message.get("work_seconds", 0.0),
                             **({"fail": True} if message.get("fail") else {}))
    except (requests.RequestException, ValueError) as exc:
        # ValueError: an answer that is not JSON (not service_1 on that port)
        outcome.error = (f"service_1 at {client.base_url} could not be reached "
                         f"({type(exc).__name__})")
        return outcome
    return _from_answer(outcome, answer)


def poll(client: Client, outcome: Outcome) -> bool:
    """Look up the task once; record a new state. True when the state changed."""
    try:
        task = client.task(outcome.task_id)
    except (requests.RequestException, ValueError) as exc:
        outcome.error = f"the task could not be looked up ({type(exc).__name__})"
        return True
    outcome.task = task
    state = task.get("state")
    if state and state != outcome.state:
        outcome.states.append(state)
        return True
    return False


def follow(client: Client, outcomes: Sequence[Outcome], deadline: float = 60.0,
           interval: float = 0.1, on_change: Callable[[Outcome], None] | None = None) -> None:
    """Poll every unfinished task until all are done or ``deadline`` seconds passed.

    ``on_change`` is called with an outcome each time its state changes (a
    widget redraws then). A task still running at the deadline gets an error.
    """
    end = time.monotonic() + deadline
    while True:
        waiting = [o for o in outcomes if not o.done]
        for outcome in waiting:
            if poll(client, outcome) and on_change:
                on_change(outcome)
        waiting = [o for o in outcomes if not o.done]
        if not waiting:
            return
        if time.monotonic() > end:
            for outcome in waiting:
                outcome.error = f"task still {outcome.state} after {deadline:g} s"
                if on_change:
                    on_change(outcome)
            return
        time.sleep(interval)


def send_and_follow(client: Client, message: dict[str, Any], deadline: float = 60.0,
                    on_change: Callable[[Outcome], None] | None = None,
                    outcome: Outcome | None = None) -> Outcome:
    """Send one message and, if it was queued, follow its task to the end."""
    outcome = post(client, message, outcome)
    if on_change:
        on_change(outcome)
    follow(client, [outcome], deadline, on_change=on_change)
    return outcome


def send_batch(client: Client, messages: Sequence[dict[str, Any]], deadline: float = 90.0,
               on_progress: Callable[[int, int], None] | None = None,
               spacing: float = 0.0,
               on_sent: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Send all messages first (their tasks queue up together), then follow them all.

    ``on_progress(done, total)`` is called as messages come to an end, ``on_sent``
    with each message once it was sent (the live panel learns the batch's tasks so).
    ``spacing`` seconds between two sends spread them out on a timeline.
    """
    outcomes: list[Outcome] = []
    total = len(messages)

    def progress(_: Outcome | None = None) -> None:
        if on_progress:
            on_progress(sum(o.done for o in outcomes), total)

    for i, message in enumerate(messages):
        if i and spacing:
            time.sleep(spacing)
        outcomes.append(post(client, message))
        if on_sent:
            on_sent(outcomes[-1])
        progress()
    follow(client, outcomes, deadline, on_change=progress)
    progress()
    return outcomes


def numbered(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A table whose rows are numbered from 1, as the timeline labels its bars;
    "-" where there is nothing to show."""
    frame = pd.DataFrame(rows)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="#")
    return frame.astype(object).where(frame.notna(), "-")


def batch_frame(messages: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The messages of a batch before they are sent: number, label, mode, work, text."""
    return numbered([{"message": m.get("label", ""), "mode": m.get("mode", "async"),
                      "work_seconds": m.get("work_seconds", 0.0), "text": m["text"]}
                     for m in messages])


def batch_seconds(outcomes: Sequence[Outcome]) -> float:
    """From the first task queued to the last one finished, in seconds (the workers'
    clocks, as their results say)."""
    results = [o.result for o in outcomes if o.result]
    first = min(pd.Timestamp(r["queued_at"]) for r in results)
    last = max(pd.Timestamp(r["finished_at"]) for r in results)
    return round((last - first).total_seconds(), 2)


def outcomes_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """A table of outcomes, numbered from 1: never the texts, only labels, ids, states
    and alert hints."""
    rows = []
    for o in outcomes:
        alert = o.alert or {}
        rows.append({
            "message": o.label, "mode": o.mode, "status": o.status,
            "outcome": o.outcome(), "worker": o.worker,
            "task_seconds": o.result.get("seconds"),
            "findings": ", ".join(alert.get("hints", [])) or None,
            "report": alert.get("report"), "request_id": o.request_id,
        })
    return numbered(rows)
