"""The exercises' checks say right or give a hint, never the answer; the notebooks' own
checks stop a notebook with a sentence."""

from __future__ import annotations

import pytest

from hw4 import exercises
from hw4.flow import Outcome

CHECKS = [name for name in dir(exercises) if name.startswith("check_")]


@pytest.mark.parametrize("name", CHECKS)
def test_every_check_asks_for_an_answer_first(name):
    assert getattr(exercises, name)(None).startswith("Write your answer")


@pytest.mark.parametrize("check, right, wrong", [
    (exercises.check_slots, 4, 2), (exercises.check_queue_holder, "Redis", "service_1"),
    (exercises.check_accepted_status, 202, 200), (exercises.check_sync_refusal, 504, 400),
    (exercises.check_state_order, ["PENDING", "STARTED", "SUCCESS"], ["STARTED", "SUCCESS"]),
    (exercises.check_answer_log, "worker1", "service_1"),
    (exercises.check_drain_seconds, 3.2, 12), (exercises.check_waiting_tasks, 8, 12),
    (exercises.check_sync_holder, "service_1", "service_2"),
    (exercises.check_slots_with_worker3, 6, 4), (exercises.check_drain_with_six_slots, 2, 3),
    (exercises.check_remote_needs, "redis", "service_1"),
])
def test_a_check_says_right_or_gives_a_hint_without_the_answer(check, right, wrong):
    assert check(right).startswith("Right")
    hint = check(wrong)
    assert hint.startswith("Not quite") and "Hint:" in hint
    assert repr(hint) == str(hint)  # shown in a notebook as plain text, no quotes


def test_a_number_check_refuses_a_word():
    assert exercises.check_slots("four").startswith("Give a number")


def test_expect_outcome_says_what_was_expected():
    outcome = Outcome(202, {"task_id": "t"}, 0.01, states=["PENDING", "FAILURE"])
    exercises.expect_outcome(outcome, 202)
    with pytest.raises(AssertionError, match="expected: task state SUCCESS"):
        exercises.expect_outcome(outcome, 202, state="SUCCESS")
    with pytest.raises(AssertionError, match="expected: tasks run by"):
        exercises.expect_workers(["worker1@h", "-"], {"worker1", "worker2"})


@pytest.mark.parametrize("answer", ["worker1", "worker2", "Worker3", "worker2@my-laptop",
                                    "logs/worker1.txt", "worker1.txt", "a worker", "workers"])
def test_the_log_of_whichever_worker_ran_the_task_is_right(answer):
    assert exercises.check_answer_log(answer).startswith("Right")


@pytest.mark.parametrize("answer", ["service_1", "redis", "logs/service_2.txt", "worker1 and 2"])
def test_a_log_that_is_no_workers_is_not(answer):
    assert exercises.check_answer_log(answer).startswith("Not quite")


def test_no_question_hangs_on_a_reading_either_side_of_a_round_number():
    # the tasks of notebook 3's second round wait 0.98 to 1.01 s: the question counts
    # those over half a second, not "a second or more"
    assert "half a second" in exercises.check_waiting_tasks.__doc__
    assert "a second or more" not in exercises.check_waiting_tasks.__doc__
