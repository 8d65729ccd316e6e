"""The notebooks' exercises, and the checks the notebooks run on what they show.

``check_*`` functions take a learner's answer and return :class:`Feedback`: a
friendly sentence saying whether it is right and, if not, a hint (never the
answer). ``expect_*`` functions are the notebooks' own checks, run in cells
hidden from the learner: each raises AssertionError with a sentence saying
what the system did not do, so a notebook run that goes wrong stops there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from hw4.flow import Outcome


class Feedback(str):
    """A sentence for the learner; shown as plain text in a notebook."""

    def __repr__(self) -> str:
        return str(self)


def _missing(answer: object) -> Feedback | None:
    if answer is None or answer is ...:
        return Feedback("Write your answer in place of None, then run the cell again.")
    return None


def _number(answer: object, expected: float, tolerance: float, hint: str) -> Feedback:
    if (missing := _missing(answer)) is not None:
        return missing
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return Feedback(f"Give a number (you gave {answer!r}).")
    if abs(answer - expected) <= tolerance:
        return Feedback(f"Right: {answer:g}.")
    return Feedback(f"Not quite: {answer:g}. Hint: {hint}")


def _word(answer: object, expected: Iterable[str], hint: str) -> Feedback:
    if (missing := _missing(answer)) is not None:
        return missing
    if str(answer).strip().lower() in set(expected):
        return Feedback(f"Right: {answer}.")
    return Feedback(f"Not quite: {answer!r}. Hint: {hint}")


def _number_check(question: str, expected: float, tolerance: float, hint: str
                  ) -> Callable[[object], Feedback]:
    def check(answer: object) -> Feedback:
        return _number(answer, expected, tolerance, hint)
    check.__doc__ = question
    return check


def _word_check(question: str, expected: Iterable[str], hint: str
                ) -> Callable[[object], Feedback]:
    def check(answer: object) -> Feedback:
        return _word(answer, expected, hint)
    check.__doc__ = question
    return check


# ------------------------------------------------------------------ notebook 1

check_slots = _number_check(
    "How many tasks can the workers run at the same time?", 4, 0,
    "count the worker nodes in the status table, and look at --concurrency in a node's "
    "command line.")
check_queue_holder = _word_check(
    "Which component holds the tasks that wait for a worker?", {"redis"},
    "it is the broker: service_1 puts tasks in it, the workers take them out.")
check_accepted_status = _number_check(
    'Which HTTP status means "I have your message, it is not done yet"?', 202, 0,
    "look at the status codes in the concept box: the one an async message gets.")

# ------------------------------------------------------------------ notebook 2

check_sync_refusal = _number_check(
    "What status does a sync message asking for 6 s of work get?", 504, 0,
    "service_1 waits at most HW4_SERVICE_2_TIMEOUT (5 s) for service_2, then tells its "
    "caller it gave up (service_2 goes on working).")

def check_answer_log(answer: object) -> Feedback:
    """Which log file has the line saying a worker finished a task? (The worker that ran
    it: any worker's name is right, with or without its host, ``.txt`` or ``logs/``.)"""
    if (missing := _missing(answer)) is not None:
        return missing
    # worker1@my-laptop, logs/worker2.txt, "a worker" ... all name a worker's log
    name = str(answer).strip().lower().removeprefix("logs/").removesuffix(".txt")
    if re.fullmatch(r"(?:(?:a|the) )?worker(?:s|\d+(?:@[\w.-]+)?)?", name):
        return Feedback(f"Right: {answer} (the log of the worker that ran the task).")
    return Feedback(f"Not quite: {answer!r}. Hint: the line with the event task.finished: "
                    "which file was it in?")


def check_state_order(answer: object) -> Feedback:
    """The states a task that succeeds goes through, in order."""
    if (missing := _missing(answer)) is not None:
        return missing
    given = [str(state).upper() for state in answer] if isinstance(answer, (list, tuple)) \
        else []
    if given == ["PENDING", "STARTED", "SUCCESS"]:
        return Feedback("Right: PENDING, STARTED, SUCCESS.")
    return Feedback(f"Not quite: {answer!r}. Hint: give a list of three states; look at "
                    "what GET /tasks/<id> answered while you polled by hand.")


# ------------------------------------------------------------------ notebook 3

check_drain_seconds = _number_check(
    "12 tasks of 1 s on 4 slots: about how many seconds until the last is done?", 3, 0.5,
    "4 slots run 4 tasks at a time: how many rounds of 1 s does it take to run 12?")
check_waiting_tasks = _number_check(
    # not "a second or more": a task of the second round waits 0.98 s as often as 1.01 s
    "Of those 12 tasks, how many could not start at once (a queue_s over half a second)?",
    8, 0, "the first 4 start at once; the others wait for a free slot.")
check_sync_holder = _word_check(
    "While a sync message's work is done, which component waits for it?", {"service_1"},
    "which lane's bar is as long as service_2's for a sync message?")

# ------------------------------------------------------------------ notebook 5

check_slots_with_worker3 = _number_check(
    "With worker3 running, how many tasks can run at once?", 6, 0,
    "three nodes, each with --concurrency 2.")
check_drain_with_six_slots = _number_check(
    "12 tasks of 1 s on 6 slots: about how many seconds until the last is done?", 2, 0.5,
    "6 slots run 6 tasks at a time: how many rounds?")
check_remote_needs = _word_check(
    "What must a worker on another machine be able to reach over the network?",
    {"redis", "the broker", "broker"},
    "a worker never talks to service_1 or service_2: where does it get its tasks from?")


# ------------------------------------------------------------------ the notebooks' own checks

def expect(condition: bool, what: str) -> None:
    """Stop the notebook, saying ``what`` the system should have done, unless ``condition``."""
    if not condition:
        raise AssertionError(f"expected: {what}")


def expect_all_healthy(table: pd.DataFrame) -> None:
    """Every component in the status table answers its health check."""
    sick = table.loc[~table["healthy"].astype(bool), "component"].tolist()
    expect(not sick, f"every component healthy (not: {', '.join(sick)})")


def expect_outcome(outcome: Outcome, status: int, state: str | None = None,
                   alert: str | None = None) -> None:
    """One message got ``status`` (and its task ended in ``state``, or it raised ``alert``)."""
    expect(outcome.status == status, f"status {status}, got {outcome.status} "
           f"({outcome.error or outcome.body})")
    if state is not None:
        expect(outcome.state == state, f"task state {state}, got {outcome.states}")
    if alert is not None:
        expect((outcome.alert or {}).get("type") == alert, f"an alert {alert}, got "
               f"{outcome.alert}")


def expect_batch(outcomes: Sequence[Outcome], outcomes_wanted: Iterable[str]) -> None:
    """Every message of a batch ended in one of ``outcomes_wanted`` (SUCCESS, OK, ...)."""
    wanted = set(outcomes_wanted)
    bad = [(o.label, o.outcome(), o.error) for o in outcomes if o.outcome() not in wanted]
    expect(not bad, f"every message ends in {sorted(wanted)}; these did not: {bad}")


def expect_workers(workers: Iterable[object], names: Iterable[str]) -> None:
    """The tasks were run by exactly these worker nodes (worker1@host counts as worker1)."""
    seen = {str(w).split("@")[0] for w in workers if isinstance(w, str) and w != "-"}
    expect(seen == set(names), f"tasks run by {sorted(names)}, got {sorted(seen)}")


# ------------------------------------------------------------------ notebook 6
# The labs' checks take no answer: each tests the running system (it sends messages and
# reads the answers, the status table and the logs) and says "Done" or "Not done yet" and
# why. They live in hw4/labs.py; notebook 6 imports them from here.
from hw4.labs import (  # noqa: E402
    lab_employee_number,
    lab_keyword_warn,
    lab_short_timeout,
    lab_third_worker,
    lab_word_count,
)

#: every lab's check, in the notebook's order
LAB_CHECKS = (lab_employee_number, lab_word_count, lab_short_timeout,
              lab_third_worker, lab_keyword_warn)
