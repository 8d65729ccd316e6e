"""The labs' checks without a system (notebook 6): what they say when nothing answers, and
the table of one message's lines. tests/integration/test_labs.py runs them on real systems."""

from __future__ import annotations

import pandas as pd

from hw4.config import Settings
from hw4.exercises import LAB_CHECKS
from hw4.labs import LabFeedback, lab_third_worker, seconds_after_received


def test_feedback_says_done_or_not_done() -> None:
    yes, no = LabFeedback("all good.", True), LabFeedback("restart it.", False)
    assert (yes.done, str(yes), repr(yes)) == (True, "Done: all good.", "Done: all good.")
    assert (no.done, str(no)) == (False, "Not done yet: restart it.")


def test_a_check_says_not_done_when_service_1_does_not_answer(settings: Settings) -> None:
    for check in LAB_CHECKS:
        if check is lab_third_worker:
            continue  # it asks the status table first: no worker3 runs
        feedback = check(settings)  # the settings fixture's ports: nothing listens there
        assert not feedback.done
        assert "does not answer" in feedback and "scripts/run_all.sh" in feedback, feedback


def test_no_third_worker_is_not_done(settings: Settings) -> None:
    feedback = lab_third_worker(settings)
    assert not feedback.done and "scripts/run_all.sh worker3" in feedback


def test_seconds_after_received_counts_from_the_message() -> None:
    start = pd.Timestamp("2026-12-03T10:00:00Z")
    logs = pd.DataFrame({
        "time": [start + pd.Timedelta(seconds=s) for s in (0, 0.01, 2.02, 3.01, 1.0)],
        "component": ["service_1", "service_2", "service_1", "service_2", "service_1"],
        "event": ["message.received", "process.received", "message.failed",
                  "process.answered", "message.received"],
        "request_id": ["a", "a", "a", "a", "b"],
        "status": [None, None, "504", None, None],
    })
    table = seconds_after_received(logs, "a")
    assert table["after_s"].tolist() == [0, 0, 2, 3]
    assert table["event"].tolist() == ["message.received", "process.received",
                                       "message.failed", "process.answered"]
    assert table["status"].tolist()[2] == "504"
