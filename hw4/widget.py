"""The message form of notebook 2 (ipywidgets): type, choose sync or async, Send, watch.

The logic is in :mod:`hw4.flow`; this module lays out the widgets and turns an
:class:`~hw4.flow.Outcome` into HTML (:func:`render_outcome`, a pure function
the tests call). The kernel is never held while a message is followed: each
Send starts a thread that sends the message and polls its task, and sets the
widgets' values as the state changes (ipywidgets sends each change to the
browser; an ``Output`` widget's context manager, which is not safe from a
thread, is never used). Several messages can be followed at once.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from hw4.client import Client
from hw4.config import Settings
from hw4.flow import (
    SAMPLE_MESSAGES,
    SENSITIVE_MESSAGES,
    Outcome,
    new_outcome,
    outcomes_frame,
    send_and_follow,
    send_batch,
)
from hw4.live import LivePanel

_STATE_COLOURS = {"PENDING": "#888", "STARTED": "#1f77b4", "RETRY": "#ff7f0e",
                  "SUCCESS": "#2ca02c", "FAILURE": "#d62728"}


def _e(value: object) -> str:
    return html.escape(str(value))


def _state_chips(states: Sequence[str]) -> str:
    chips = [f'<b style="color:{_STATE_COLOURS.get(s, "#000")}">{_e(s)}</b>' for s in states]
    return " &rarr; ".join(chips)


def render_outcome(outcome: Outcome) -> str:
    """What the form shows under the Send button, as HTML (every value escaped)."""
    head = f"<b>{outcome.status or 'no answer'}</b>"
    if outcome.request_id:
        head += f" &middot; request id <code>{_e(outcome.request_id)}</code>"
    parts = [f"<div class='hw4-answer' data-kind='{outcome.kind}'>{head}"]
    if outcome.kind == "alert":
        alert = outcome.alert
        parts.append(f"<div>&#9888; alert <b class='hw4-alert-type'>{_e(alert.get('type'))}"
                     f"</b>: {_e(outcome.body.get('error', ''))}</div>")
        if alert.get("findings"):
            parts.append(f"<div>findings: {_e(', '.join(alert['findings']))} "
                         f"({_e('; '.join(alert.get('hints', [])))})</div>")
        parts.append(f"<div>report file: <code>{_e(alert.get('report'))}</code></div>")
    elif outcome.kind == "queued":
        parts.append(f"<div>queued as task <code>{_e(outcome.task_id)}</code> (async, "
                     f"answered in {outcome.seconds * 1000:.0f} ms)</div>")
        parts.append(f"<div>task state: <span class='hw4-states'>"
                     f"{_state_chips(outcome.states) or 'sent'}</span></div>")
        if outcome.state == "SUCCESS":
            result = outcome.result
            parts.append(f"<div class='hw4-done'>done by <b>{_e(outcome.worker)}</b> in "
                         f"{result.get('seconds', 0):.2f} s of work "
                         f"(started {_e(result.get('started_at'))}, "
                         f"finished {_e(result.get('finished_at'))})</div>")
        elif outcome.state == "FAILURE":
            parts.append(f"<div>failed: {_e((outcome.task or {}).get('error'))}</div>")
    elif outcome.kind == "answered":
        result = outcome.body.get("result", {})
        parts.append(f"<div>sync: service_2 answered in {outcome.seconds:.2f} s (service_1 "
                     f"held your request while service_2 worked {result.get('work_seconds', 0):g}"
                     " s): "
                     f"{_e(result.get('reply', ''))} ({result.get('word_count', '?')} words)"
                     "</div>")
    if outcome.error:
        parts.append(f"<div class='hw4-error' style='color:#d62728'>{_e(outcome.error)}</div>")
    parts.append("</div>")
    return "\n".join(parts)


def render_followed(outcomes: Sequence[Outcome]) -> str:
    """One line per message sent with the form, newest first: its road and state now."""
    if len(outcomes) < 2:
        return ""
    rows = "".join(
        f"<tr><td>{n}</td><td>{_e(o.mode)}</td><td>{o.status or '...'}</td>"
        f"<td>{_state_chips(o.states) if o.states else _e(o.outcome() if o.status else '')}"
        f"</td><td>{_e(o.worker or '')}</td></tr>"
        for n, o in reversed(list(enumerate(outcomes, 1))))
    return ("<table class='hw4-followed'><tr><th>#</th><th>mode</th><th>status</th>"
            f"<th>state</th><th>worker</th></tr>{rows}</table>")


def summary(outcome: Outcome) -> str:
    """The outcome in one line of plain text (for notebooks' printed checks)."""
    if outcome.kind == "alert":
        alert = outcome.alert
        return (f"{outcome.status} {alert.get('type')} findings={alert.get('findings', [])} "
                f"report={alert.get('report')}")
    if outcome.kind == "queued" and outcome.state == "FAILURE":
        return f"{outcome.status} queued -> FAILURE ({(outcome.task or {}).get('error')})"
    if outcome.kind == "queued":
        return f"{outcome.status} queued -> {outcome.state} (worker {outcome.worker})"
    if outcome.kind == "answered":
        return f"{outcome.status} answered by service_2: {outcome.body['result'].get('reply')}"
    return f"{outcome.status} error: {outcome.error}"


class MessageForm:
    """The form: message text, sync/async, work_seconds, Send, and two batch buttons.

    ``on_send`` returns at once with the :class:`Outcome` of the message it
    sent, which a background thread fills in as the task goes on; ``wait()``
    waits until every message being followed is done. ``on_samples`` /
    ``on_sensitive`` send a batch and return its outcomes when it is done (a
    click runs them in a thread); a live panel (:mod:`hw4.live`) shows the queue and
    the workers while the batch runs. What they did is also kept in ``last`` /
    ``sent`` / ``batch`` / ``panel``, so tests and notebook cells can check it.
    ``settings`` say where the panel looks (Redis); service_1 is ``client``'s.
    """

    def __init__(self, client: Client | None = None, deadline: float = 60.0,
                 max_work_seconds: float = 10.0, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.client = client or Client(self.settings.service_1_url)
        self.deadline = deadline
        self.text = widgets.Textarea(placeholder="Type a message for service_1 ...",
                                     description="Message",
                                     layout=widgets.Layout(width="90%", height="5em"))
        self.mode = widgets.ToggleButtons(
            options=[("async: a Celery worker", "async"), ("sync: service_2", "sync")],
            value="async", description="Mode", style={"button_width": "auto"})
        self.work_seconds = widgets.FloatSlider(
            value=1.0, min=0.0, max=max_work_seconds, step=0.5, description="work_seconds",
            style={"description_width": "initial"})
        self.send_button = widgets.Button(description="Send", button_style="primary",
                                          icon="paper-plane")
        self.samples_button = widgets.Button(description="Send sample batch")
        self.sensitive_button = widgets.Button(description="Send sensitive batch",
                                               button_style="warning")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Batch",
                                            bar_style="info")
        self.answer = widgets.HTML(value="<i>Nothing sent yet.</i>")
        self.batch_table = widgets.HTML()
        self.followed = widgets.HTML()
        self.live = widgets.VBox()  # the batch's live panel, once a batch is sent
        self.panel: LivePanel | None = None
        self.last: Outcome | None = None
        self.sent: list[Outcome] = []
        self.batch: list[Outcome] = []
        self._threads: list[threading.Thread] = []
        # the follower threads take turns to redraw, so one never overwrites another's
        self._redraw = threading.Lock()
        self.send_button.on_click(self._safely(self.on_send))
        self.samples_button.on_click(self._safely(self._in_background(self.on_samples)))
        self.sensitive_button.on_click(self._safely(self._in_background(self.on_sensitive)))
        self.view = widgets.VBox([
            self.text, self.mode, self.work_seconds, self.send_button, self.answer,
            self.followed,
            widgets.HBox([self.samples_button, self.sensitive_button, self.progress]),
            self.live, self.batch_table,
        ])
        self.view.add_class("hw4-form")  # the browser test photographs it for docs/

    # A stable text form, so a notebook's saved output does not depend on widget ids
    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.view._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"MessageForm(service_1={self.client.base_url})"
        return bundle

    def _safely(self, handler: Callable[..., object]) -> Callable[..., None]:
        # an exception in a click handler (or a thread) would only reach the kernel's
        # log; show it under the form instead
        def run(*args: object) -> None:
            try:
                handler(*args)
            except Exception as exc:
                self.answer.value = (f"<div class='hw4-error' style='color:#d62728'>"
                                     f"{_e(type(exc).__name__)}: {_e(exc)}</div>")
                self.send_button.disabled = False
        return run

    def _start(self, work: Callable[[], object]) -> None:
        thread = threading.Thread(target=self._safely(work), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _in_background(self, handler: Callable[[], object]
                       ) -> Callable[[widgets.Button], None]:
        return lambda _button: self._start(handler)

    def _show(self, outcome: Outcome) -> None:
        with self._redraw:
            if outcome is self.last:
                self.answer.value = render_outcome(outcome)
            self.followed.value = render_followed(self.sent)

    def on_send(self, _button: widgets.Button | None = None) -> Outcome:
        """Send what the form says; follow it in a background thread (see ``wait``)."""
        message = {"text": self.text.value, "mode": self.mode.value, "label": "form",
                   "work_seconds": self.work_seconds.value}
        self.last = outcome = new_outcome(message)
        self.sent.append(outcome)
        self.answer.value = ("<i>sent; service_1 answers once service_2 has done the "
                             "work (sync) ...</i>" if message["mode"] == "sync" else
                             "<i>sent; waiting for service_1's answer ...</i>")
        self._start(lambda: send_and_follow(self.client, message, self.deadline,
                                            on_change=self._show, outcome=outcome))
        return outcome

    def wait(self, timeout: float | None = None) -> Outcome | None:
        """Wait until every message sent is done (or ``timeout`` s); the last outcome."""
        for thread in list(self._threads):
            thread.join(timeout)
        self._threads = [t for t in self._threads if t.is_alive()]
        return self.last

    def _run_batch(self, messages: Sequence[dict[str, Any]]) -> list[Outcome]:
        self.progress.max, self.progress.value = len(messages), 0
        self.progress.bar_style = "info"

        def progress(done: int, total: int) -> None:
            self.progress.value = done
            self.progress.description = f"{done}/{total}"

        self.panel = LivePanel(len(messages), self.settings).start()
        self.live.children = (self.panel.view,)
        self.batch = send_batch(self.client, messages, self.deadline, on_progress=progress,
                                on_sent=self.panel.track)
        self.progress.bar_style = "success" if all(
            o.error is None for o in self.batch) else "danger"
        table = outcomes_frame(self.batch)
        # the report's file name is enough under the form; its folder is the same for all
        table["report"] = table["report"].map(lambda path: str(path).rsplit("/", 1)[-1])
        self.batch_table.value = table.to_html(classes="hw4-batch")
        return self.batch

    def on_samples(self, _button: widgets.Button | None = None) -> list[Outcome]:
        return self._run_batch(SAMPLE_MESSAGES)

    def on_sensitive(self, _button: widgets.Button | None = None) -> list[Outcome]:
        return self._run_batch(SENSITIVE_MESSAGES)
