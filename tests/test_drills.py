"""hw4.drills' pure parts on log files written in hw4's format: a worker killed mid-task,
a polite stop, refused and failing messages. No system is started (notebook 4 runs the
drills on a real one)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from hw4 import drills
from hw4.flow import Outcome
from hw4.logs import format_line, load_logs
from hw4.message_paths import run_numbers, task_runs

T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=timezone.utc)
CUT, OTHER, POLITE = "a" * 16, "b" * 16, "c" * 16


def _write(folder, lines):
    """lines: {component: [(seconds after T0, event, request id, details)]}"""
    folder.mkdir(exist_ok=True)
    for component, rows in lines.items():
        with open(folder / f"{component}.txt", "w", encoding="utf-8") as f:
            for at, event, rid, details in rows:
                f.write(format_line(T0 + timedelta(seconds=at), "INFO", component, event,
                                    rid, details) + "\n")
    return load_logs(folder)


def _queued(rid, task, at):
    return [(at, "message.received", rid, {}), (at + 0.01, "task.queued", rid, {"task_id": task}),
            (at + 0.02, "http.request", rid, {"status": 202, "ms": 20})]


@pytest.fixture
def crash_logs(tmp_path):
    """Task t-cut starts on worker1, which is killed at 1 s; it runs again on worker2
    at 13 s (Redis handed it out again: redelivered). Task t-other runs on worker2
    without trouble."""
    return _write(tmp_path / "logs", {
        "service_1": _queued(CUT, "t-cut", 0.0) + _queued(OTHER, "t-other", 0.05),
        "worker1": [(0.1, "task.started", CUT, {"task_id": "t-cut", "attempt": 1})],
        "worker2": [
            (0.12, "task.started", OTHER, {"task_id": "t-other", "attempt": 1}),
            (4.12, "task.finished", OTHER, {"task_id": "t-other", "attempt": 1}),
            (13.0, "task.started", CUT, {"task_id": "t-cut", "attempt": 1,
                                         "redelivered": True}),
            (17.0, "task.finished", CUT, {"task_id": "t-cut", "attempt": 1}),
        ],
        "launcher": [(-5.0, "component.started", None, {"component": "worker1", "pid": 7}),
                     (1.0, "component.killed", None, {"component": "worker1", "pid": 7}),
                     (30.0, "component.started", None, {"component": "worker1", "pid": 8})],
    })


def _outcome(rid, task, state="SUCCESS", status=202, seconds=0.01, worker=None, **body):
    return Outcome(status, {"request_id": rid, "task_id": task, **body}, seconds,
                   label=f"message {rid[:1]}", states=[state] if state else [],
                   task={"worker": worker} if worker else None)


def test_run_numbers_count_each_start_of_a_task(crash_logs):
    runs = crash_logs.assign(run=run_numbers(crash_logs))
    cut = runs[runs["task_id"] == "t-cut"]
    assert list(cut["event"]) == ["task.queued", "task.started", "task.started",
                                  "task.finished"]
    assert list(cut["run"].astype("object").fillna(0)) == [0, 1, 2, 2]
    assert runs.loc[runs["event"] == "message.received", "run"].isna().all()


def test_kill_time_and_redelivery_wait(crash_logs):
    assert drills.kill_time(crash_logs, "worker1") == pd.Timestamp(T0 + timedelta(seconds=1))
    assert drills.redelivery_wait(crash_logs, "t-cut", "worker1") == 12.0
    with pytest.raises(LookupError):
        drills.kill_time(crash_logs, "worker2")
    with pytest.raises(LookupError):
        drills.redelivery_wait(crash_logs, "t-other", "worker1")


def test_task_story_has_the_kill_between_the_two_runs(crash_logs):
    story = drills.task_story(crash_logs, CUT)
    assert list(story["event"]) == [
        "message.received", "task.queued", "http.request", "task.started",
        "component.killed worker1", "task.started (redelivered)", "task.finished"]
    assert list(story["component"])[3:] == ["worker1", "launcher", "worker2", "worker2"]
    assert list(story["run"].astype("object").fillna(0)) == [0, 0, 0, 1, 0, 2, 2]
    assert story["s"].iloc[0] == 0 and story["s"].iloc[-1] == 17.0


def test_crash_spans_cut_the_run_at_the_kill_and_show_the_wait(crash_logs):
    spans = drills.crash_spans(crash_logs, [CUT, OTHER], "worker1")
    assert spans["start"].notna().all() and spans["end"].notna().all()
    cut = spans[spans["request_id"] == CUT]
    kill = pd.Timestamp(T0 + timedelta(seconds=1))
    killed = cut[cut["kind"] == "killed"]
    assert list(killed["lane"]) == ["worker1"] and list(killed["end"]) == [kill]
    waits = cut[(cut["lane"] == "queue") & (cut["start"] == kill)]
    assert list(waits["end"]) == [pd.Timestamp(T0 + timedelta(seconds=13))]
    assert list(cut.loc[cut["lane"] == "worker2", "kind"]) == ["redelivered"]
    other = spans[spans["request_id"] == OTHER]
    assert "killed" not in set(other["kind"])


def test_plot_crash_marks_the_kill(crash_logs):
    fig = drills.plot_crash(crash_logs, [CUT, OTHER], "worker1")
    ax = fig.axes[0]
    assert any(t.get_text() == "worker1 killed" for t in ax.texts)
    assert {"queue", "worker1", "worker2"} <= {t.get_text() for t in ax.get_yticklabels()}


def test_check_ran_twice(crash_logs):
    assert "ran again on worker2" in drills.check_ran_twice(
        crash_logs, _outcome(CUT, "t-cut"), "worker1")
    with pytest.raises(AssertionError, match="started 1 times"):
        drills.check_ran_twice(crash_logs, _outcome(OTHER, "t-other"), "worker1")
    with pytest.raises(AssertionError, match="ended FAILURE"):
        drills.check_ran_twice(crash_logs, _outcome(CUT, "t-cut", "FAILURE"), "worker1")


def test_check_sent_again(tmp_path):
    def logs(name, worker_lines):
        return _write(tmp_path / name, {"service_1": _queued(CUT, "t-lost", 0.0),
                                        "worker2": worker_lines})
    resent = (10.0, "task.resent", CUT, {"task_id": "t-lost", "resent": 1})
    ran = [(10.1, "task.started", CUT, {"task_id": "t-lost"}),
           (10.2, "task.finished", CUT, {"task_id": "t-lost"})]
    assert "sent again once" in drills.check_sent_again(
        logs("found", [resent, *ran]), _outcome(CUT, "t-lost"))
    with pytest.raises(AssertionError, match="0 task.resent lines"):
        drills.check_sent_again(logs("never-lost", ran), _outcome(CUT, "t-lost"))
    with pytest.raises(AssertionError, match="started 2 times"):
        drills.check_sent_again(logs("twice", [(5.0, "task.started", CUT, {"task_id": "t-lost"}),
                                               resent, *ran]), _outcome(CUT, "t-lost"))
    with pytest.raises(AssertionError, match="ended PENDING"):
        drills.check_sent_again(logs("lost", [resent]), _outcome(CUT, "t-lost", "PENDING"))


def test_check_warm_shutdown(tmp_path):
    def logs(stopped_at):
        return _write(tmp_path / f"logs-{stopped_at}", {
            "service_1": _queued(POLITE, "t-polite", 0.0),
            "worker1": [(0.1, "task.started", POLITE, {"task_id": "t-polite"}),
                        (3.1, "task.finished", POLITE, {"task_id": "t-polite"}),
                        (stopped_at, "worker.stopped", None, {})],
        })
    assert "finished before" in drills.check_warm_shutdown(
        logs(4.0), [_outcome(POLITE, "t-polite")])
    with pytest.raises(AssertionError, match="stopped before"):
        drills.check_warm_shutdown(logs(2.0), [_outcome(POLITE, "t-polite")])


def test_check_refused_quickly():
    refused = _outcome(OTHER, None, None, 503, 0.02, alert={"type": "BrokerUnavailable"})
    assert "within 2 s" in drills.check_refused_quickly([refused])
    slow = _outcome(OTHER, None, None, 503, 2.5, alert={"type": "BrokerUnavailable"})
    with pytest.raises(AssertionError, match="took 2.50 s"):
        drills.check_refused_quickly([refused, slow])
    with pytest.raises(AssertionError, match="not 503"):
        drills.check_refused_quickly([_outcome(OTHER, "t", "PENDING")])


def test_check_timed_out_and_hung_redis(settings):
    late = _outcome(OTHER, None, None, 504, 5.1, alert={"type": "Service2Timeout"})
    assert "504" in drills.check_timed_out(late, 5)
    with pytest.raises(AssertionError, match="not after about 2 s"):
        drills.check_timed_out(late, 2)
    hung = _outcome(OTHER, None, None, 503, settings.broker_timeout + 0.05,
                    alert={"type": "BrokerUnavailable"})
    assert "broker timeout" in drills.check_hung_redis(hung, settings)
    down = _outcome(OTHER, None, None, 503, 0.01, alert={"type": "BrokerUnavailable"})
    with pytest.raises(AssertionError, match="paused, or stopped"):
        drills.check_hung_redis(down, settings)


def test_check_all_succeeded():
    assert drills.check_all_succeeded([_outcome(CUT, "t")]) == "all 1 tasks reached SUCCESS"
    with pytest.raises(AssertionError, match="PENDING"):
        drills.check_all_succeeded([_outcome(CUT, "t"), _outcome(OTHER, "u", "PENDING")])


def test_check_retry_delays(tmp_path):
    logs = _write(tmp_path / "logs", {
        "service_1": _queued(CUT, "t-fail", 0.0),
        "worker1": [(0.1 + i, "task.retry", CUT, {"task_id": "t-fail", "retry_in_s": d})
                    for i, d in enumerate((1, 2, 4))],
    })
    assert drills.check_retry_delays(logs, CUT, [1, 2, 4]).startswith("right")
    with pytest.raises(AssertionError, match="3 task.retry lines"):
        drills.check_retry_delays(logs, CUT, [1, 2])
    with pytest.raises(AssertionError, match="never retried"):
        drills.check_retry_delays(logs, OTHER, [1])


def test_progress_line_counts_down_then_says_the_sweep_comes():
    running = _outcome(CUT, "t", "STARTED", worker="worker1@h")
    done = _outcome(OTHER, "u", "SUCCESS", worker="worker2@h")
    line = drills.progress_line(3.0, 10, [running, done], "worker1")
    assert line.startswith("  3.0 s since worker1 was killed")
    assert "visibility timeout in  7.0 s" in line
    assert "1: STARTED on worker1 (dead), 2: SUCCESS on worker2" in line
    assert "sweep every 5 s" in drills.progress_line(12.0, 10, [running], "worker1")


def test_state_history_and_outcomes_table():
    history = drills.StateHistory()
    outcome = _outcome(CUT, "t", None)
    history.record(outcome)
    outcome.states.append("RETRY")
    outcome.task = {"worker": "worker2@h"}
    history.record(outcome)
    frame = history.frame()
    assert list(frame["state"]) == ["HTTP 202", "RETRY"]
    assert list(frame["worker"].fillna("-")) == ["-", "worker2"]
    table = drills.outcomes_table([outcome])
    assert table.to_dict("records") == [
        {"message": "message a", "status": 202, "state": "RETRY", "worker": "worker2"}]


def test_a_redelivered_task_is_two_runs_of_one_attempt(crash_logs):
    runs = task_runs(crash_logs)
    cut = runs[runs["task_id"] == "t-cut"]
    assert list(cut["run"]) == [1, 2] and list(cut["attempt"]) == [1, 1]
    assert list(cut["redelivered"]) == [False, True]  # the same attempt, run again
    assert list(cut["worker"]) == ["worker1", "worker2"]
    assert list(cut["outcome"]) == ["running", "finished"]  # the first run was cut
