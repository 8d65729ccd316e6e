"""The message form without a system: what it shows for each kind of answer, and its
click handlers when service_1 cannot be reached (a closed port, over real HTTP)."""

from __future__ import annotations

import socket

import pytest

from hw4.client import Client
from hw4.flow import Outcome, outcomes_frame
from hw4.widget import MessageForm, render_outcome, summary


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def form(settings) -> MessageForm:
    return MessageForm(Client(f"http://127.0.0.1:{_closed_port()}", timeout=2), deadline=5,
                       settings=settings)


def _queued(states, **task) -> Outcome:
    return Outcome(202, {"request_id": "r1", "task_id": "t1", "status_url": "/tasks/t1"},
                   0.012, label="x", states=list(states), task=task or None)


def test_a_finished_task_shows_its_states_worker_and_time():
    outcome = _queued(["PENDING", "STARTED", "SUCCESS"], state="SUCCESS", worker="worker2@h",
                      result={"seconds": 1.25, "started_at": "T1", "finished_at": "T2",
                              "worker": "worker2@h"})
    html = render_outcome(outcome)
    assert "data-kind='queued'" in html and "task <code>t1</code>" in html
    assert html.index("PENDING") < html.index("STARTED") < html.index("SUCCESS")
    assert "done by <b>worker2@h</b> in 1.25 s" in html
    assert summary(outcome) == "202 queued -> SUCCESS (worker worker2@h)"


def test_a_task_still_running_shows_no_result_yet():
    html = render_outcome(_queued(["PENDING"]))
    assert "PENDING" in html and "hw4-done" not in html


def test_a_failed_task_shows_its_error():
    outcome = _queued(["RETRY", "FAILURE"], state="FAILURE", error="DeliberateFailure: no")
    assert "failed: DeliberateFailure: no" in render_outcome(outcome)
    assert summary(outcome) == "202 queued -> FAILURE (DeliberateFailure: no)"


def test_an_alert_shows_type_findings_and_report():
    body = {"request_id": "r2", "error": "the message holds personal data (EMAIL)",
            "alert": {"id": "a1", "type": "PersonalData", "findings": ["EMAIL"],
                      "hints": ["EMAIL j***@e***.org"], "report": "error_reports/x.txt"}}
    outcome = Outcome(422, body, 0.01, label="email")
    html = render_outcome(outcome)
    assert "hw4-alert-type'>PersonalData" in html
    assert "findings: EMAIL (EMAIL j***@e***.org)" in html
    assert "<code>error_reports/x.txt</code>" in html
    assert outcome.outcome() == "PersonalData" and outcome.done
    frame = outcomes_frame([outcome])
    assert frame.loc[1, "findings"] == "EMAIL j***@e***.org"
    assert "text" not in frame.columns  # a table never repeats what was sent
    assert frame.loc[1, "worker"] == "-"  # numbered as on the timeline, no NaN


def test_a_sync_answer_shows_service_2s_reply_escaped():
    outcome = Outcome(200, {"request_id": "r3", "result": {
        "reply": "<script>alert(1)</script>", "word_count": 2}}, 0.02, mode="sync")
    html = render_outcome(outcome)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "(2 words)" in html and outcome.outcome() == "OK"


def test_send_without_service_1_says_so(form):
    form.text.value = "hello"
    outcome = form.on_send()
    assert form.wait(10) is outcome
    assert outcome.kind == "error" and outcome.status is None
    assert "could not be reached" in form.answer.value
    assert "hw4-error" in form.answer.value
    assert not form.send_button.disabled


def test_clicking_send_runs_the_handler(form):
    form.text.value = "hello"
    form.send_button.click()
    form.wait(10)
    assert form.last is not None and form.last.kind == "error"
    assert "could not be reached" in form.answer.value


def test_an_exception_in_a_click_handler_is_shown_under_the_form(form):
    form.client = None  # a broken form: the handler raises (in the follower thread)
    form.send_button.click()
    form.wait(10)
    assert "AttributeError" in form.answer.value
    assert not form.send_button.disabled


def test_a_batch_without_service_1_fills_the_progress_bar_and_table(form):
    outcomes = form.on_sensitive()
    assert len(outcomes) == 4 and all(o.kind == "error" for o in outcomes)
    assert form.progress.max == 4 and form.progress.value == 4
    assert form.progress.bar_style == "danger"
    assert "hw4-batch" in form.batch_table.value
    assert "password" in form.batch_table.value and "hunter2" not in form.batch_table.value
    # the batch's live panel is under the form, and stops by itself: no task to watch
    assert form.live.children == (form.panel.view,)
    form.panel.wait(10)
    assert not form.panel.running and form.panel.ended == "the batch is done"


def test_the_form_shows_a_stable_text(form):
    bundle = form._repr_mimebundle_()
    assert bundle["text/plain"] == f"MessageForm(service_1={form.client.base_url})"
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_form_follows_several_messages_without_holding_the_caller(form):
    import threading
    gate = threading.Event()
    real_send = form.client.send
    form.client.send = lambda *a, **kw: (gate.wait(10), real_send(*a, **kw))[1]
    form.text.value = "one"
    first = form.on_send()  # returns while the thread waits at the gate
    form.text.value = "two"
    second = form.on_send()
    assert first.status is None and second.status is None and not first.done
    gate.set()
    assert form.wait(10) is second
    assert first.kind == second.kind == "error"
    assert form.followed.value.count("<tr>") == 3  # a header and one row per message
