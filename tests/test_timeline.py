"""hw4.message_paths and hw4.timeline on log files written in hw4's format: paths, task
runs, latencies, spans, plot."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from hw4.logs import format_line, load_logs
from hw4.message_paths import latencies, message_path, task_runs
from hw4.timeline import (
    KIND_LABELS,
    LANES,
    pack_rows,
    plot_answered_vs_done,
    plot_timeline,
    timeline_spans,
)

T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=timezone.utc)
ASYNC, SYNC, REFUSED, RETRIED = "a" * 16, "b" * 16, "c" * 16, "d" * 16


def _lines() -> dict[str, list[tuple[float, str, str | None, dict]]]:
    """(seconds after T0, event, request id, details) per component file."""
    return {
        "service_1": [
            (0.000, "message.received", ASYNC, {"bytes": 40}),
            (0.010, "task.queued", ASYNC, {"task_id": "t-async", "work_seconds": 1.0}),
            (0.012, "http.request", ASYNC, {"method": "POST", "path": "/messages",
                                             "status": 202, "ms": 12.0}),
            (0.100, "message.received", SYNC, {"bytes": 30}),
            (0.101, "message.forwarded", SYNC, {"to": "service_2"}),
            (0.110, "message.answered", SYNC, {"by": "service_2", "ms": 8.5}),
            (0.111, "http.request", SYNC, {"method": "POST", "path": "/messages",
                                            "status": 200, "ms": 11.0}),
            (0.200, "message.received", REFUSED, {"bytes": 30}),
            (0.201, "message.rejected", REFUSED, {"status": 422, "reason": "personal data"}),
            (0.202, "http.request", REFUSED, {"method": "POST", "path": "/messages",
                                               "status": 422, "ms": 2.0}),
            (0.300, "message.received", RETRIED, {"bytes": 30}),
            (0.305, "task.queued", RETRIED, {"task_id": "t-retry", "work_seconds": 0}),
            (0.306, "http.request", RETRIED, {"method": "POST", "path": "/messages",
                                               "status": 202, "ms": 6.0}),
            (0.5, "http.request", "e" * 16, {"method": "GET", "path": "/tasks/x",
                                              "status": 200, "ms": 1.0}),
        ],
        "service_2": [
            (0.103, "process.received", SYNC, {"chars": 20}),
            (0.104, "process.answered", SYNC, {"words": 4}),
            (0.105, "http.request", SYNC, {"method": "POST", "path": "/process",
                                            "status": 200, "ms": 2.0}),
        ],
        "worker1": [
            (0.050, "task.started", ASYNC, {"task_id": "t-async", "attempt": 1,
                                             "worker": "worker1@h"}),
            (1.051, "task.finished", ASYNC, {"task_id": "t-async", "attempt": 1,
                                              "worker": "worker1@h", "seconds": 1.001}),
            (1.400, "task.started", RETRIED, {"task_id": "t-retry", "attempt": 2,
                                               "worker": "worker1@h"}),
            (1.500, "task.finished", RETRIED, {"task_id": "t-retry", "attempt": 2,
                                                "worker": "worker1@h", "seconds": 0.1}),
        ],
        "worker2": [
            (0.320, "task.started", RETRIED, {"task_id": "t-retry", "attempt": 1,
                                               "worker": "worker2@h"}),
            (0.330, "task.retry", RETRIED, {"task_id": "t-retry", "attempt": 1,
                                             "worker": "worker2@h", "retry_in_s": 1}),
        ],
    }


@pytest.fixture
def logs(tmp_path) -> pd.DataFrame:
    for component, lines in _lines().items():
        text = "".join(
            format_line(T0 + timedelta(seconds=at), "INFO", component, event, rid, details)
            + "\n" for at, event, rid, details in lines)
        (tmp_path / f"{component}.txt").write_text(text)
    return load_logs(tmp_path)


def test_message_path_lists_one_message_in_time_order(logs):
    path = message_path(logs, ASYNC)
    assert list(path["event"]) == ["message.received", "task.queued", "http.request",
                                   "task.started", "task.finished"]
    assert list(path["component"]) == ["service_1"] * 3 + ["worker1"] * 2
    assert list(path["ms"]) == [0.0, 10.0, 12.0, 50.0, 1051.0]
    assert "task_id=t-async" in path["details"][1]
    assert "nan" not in " ".join(path["details"])


def test_task_runs_has_one_row_per_attempt_with_its_worker(logs):
    runs = task_runs(logs)
    assert list(zip(runs["task_id"], runs["attempt"], runs["worker"], runs["outcome"],
                    strict=True)) == [
        ("t-async", 1, "worker1", "finished"),
        ("t-retry", 1, "worker2", "retry"),
        ("t-retry", 2, "worker1", "finished"),
    ]
    assert list(runs["seconds"]) == [1.001, 0.01, 0.1]


def test_latencies_per_message(logs):
    lat = latencies(logs).set_index("request_id")
    assert set(lat.index) == {ASYNC, SYNC, REFUSED, RETRIED}  # not the GET /tasks request
    assert lat.loc[ASYNC, "mode"] == "async" and lat.loc[ASYNC, "status"] == 202
    assert lat.loc[ASYNC, "queue_s"] == pytest.approx(0.040)
    assert lat.loc[ASYNC, "processing_s"] == pytest.approx(1.001)
    assert lat.loc[ASYNC, "total_s"] == pytest.approx(1.051)
    assert lat.loc[ASYNC, "worker"] == "worker1"
    assert lat.loc[SYNC, "mode"] == "sync" and lat.loc[SYNC, "answer_ms"] == 11.0
    assert lat.loc[SYNC, "service_2_ms"] == 8.5 and pd.isna(lat.loc[SYNC, "queue_s"])
    assert lat.loc[REFUSED, "mode"] == "refused" and lat.loc[REFUSED, "status"] == 422
    # a retried task: queued until its first start; the last attempt's worker and time
    assert lat.loc[RETRIED, "attempts"] == 2 and lat.loc[RETRIED, "worker"] == "worker1"
    assert lat.loc[RETRIED, "queue_s"] == pytest.approx(0.015)
    assert lat.loc[RETRIED, "total_s"] == pytest.approx(1.2)


def test_latencies_of_some_messages_only(logs):
    assert list(latencies(logs, [SYNC, "unknown"])["request_id"]) == [SYNC]


def test_timeline_spans_put_each_step_in_its_lane(logs):
    spans = timeline_spans(logs, [ASYNC, SYNC, RETRIED])
    got = sorted(zip(spans["request_id"], spans["lane"], spans["kind"], strict=True))
    assert got == sorted([
        (ASYNC, "service_1", "async"), (ASYNC, "queue", "queue"), (ASYNC, "worker1", "async"),
        (SYNC, "service_1", "sync"), (SYNC, "service_2", "sync"),
        (RETRIED, "service_1", "async"), (RETRIED, "queue", "queue"),
        (RETRIED, "worker2", "retry"), (RETRIED, "queue", "queue"),
        (RETRIED, "worker1", "async"),
    ])
    retry_wait = spans[(spans["request_id"] == RETRIED) & (spans["lane"] == "queue")]
    # the second wait runs from the retry to the second start
    assert (retry_wait["end"] - retry_wait["start"]).dt.total_seconds().round(3).tolist() \
        == [0.015, 1.07]
    assert (spans["end"] >= spans["start"]).all()


def test_pack_rows_stacks_only_spans_that_overlap():
    at = pd.Timestamp("2026-01-01", tz="UTC")
    s = pd.Timedelta(seconds=1)
    spans = pd.DataFrame({
        "lane": ["w", "w", "w", "x", "w"],
        "start": [at, at + 0.5 * s, at + s, at + s, at + 1.6 * s],
        "end": [at + s, at + 1.5 * s, at + 2 * s, at + 3 * s, at + 2 * s],
    })
    assert pack_rows(spans) == [0, 1, 0, 0, 1]


def _font_sizes(fig) -> list[float]:
    return [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))
            if hasattr(t, "get_text") and t.get_text()]


def test_plot_timeline_draws_one_lane_per_component(logs):
    ids = [ASYNC, SYNC, RETRIED]
    spans = timeline_spans(logs, ids)
    fig = plot_timeline(spans, ids)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(LANES)
    assert len(ax.collections) == len(spans)  # one bar per span
    # the bars wide enough for a number carry their message's place in ids
    numbers = [t.get_text() for t in ax.texts]
    assert numbers and set(numbers) <= {"1", "2", "3"} and "1" in numbers
    assert ax.get_xlim()[1] >= 1.5  # the last task ends 1.5 s after the first message
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert legend == {KIND_LABELS[k] for k in ("async", "sync", "queue", "retry")} | {
        "answered: the caller got 200/202/4xx", "done: the work ended"}


def test_plot_timeline_marks_when_each_message_was_answered_and_done(logs):
    spans = timeline_spans(logs, [ASYNC, SYNC])
    answered, done = (line for line in plot_timeline(spans).axes[0].lines
                      if line.get_label().startswith(("answered", "done")))
    # seconds since the first message: the async one is answered at 0.012 and done at
    # 1.051; the sync one's work ends at 0.104 in service_2, and it is answered at 0.111
    assert sorted(answered.get_xdata()) == pytest.approx([0.012, 0.111])
    assert sorted(done.get_xdata()) == pytest.approx([0.104, 1.051])


def test_plots_are_readable_when_projected(logs):
    lat = latencies(logs)
    for fig in (plot_timeline(timeline_spans(logs)), plot_answered_vs_done(lat)):
        assert min(_font_sizes(fig)) >= 10
    assert plot_timeline(timeline_spans(logs)).get_size_inches().tolist() == [12.8, 7.2]


def test_answered_vs_done_shows_both_per_mode(logs):
    lat = latencies(logs)
    # a sync message is done when it is answered; an async one long after
    assert lat.set_index("request_id").loc[SYNC, "total_s"] == pytest.approx(0.011)
    assert lat.set_index("request_id").loc[ASYNC, "answered_s"] == pytest.approx(0.012)
    ax = plot_answered_vs_done(lat).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["async\n(2 msgs)",
                                                            "sync\n(1 msgs)"]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx([0.009, 0.011, 0.011, (1.051 + 1.2) / 2])
