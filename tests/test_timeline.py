"""hw4.timeline on log files written in hw4's format: paths, task runs, latencies, spans, plot."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from hw4.logs import format_line, load_logs
from hw4.timeline import (
    LANES,
    latencies,
    message_path,
    pack_rows,
    plot_timeline,
    task_runs,
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


def test_plot_timeline_draws_one_lane_per_component(logs):
    ids = [ASYNC, SYNC, RETRIED]
    spans = timeline_spans(logs, ids)
    fig = plot_timeline(spans, ids)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(LANES)
    assert len(ax.collections) == len(spans)  # one bar per span
    assert sorted(t.get_text() for t in ax.texts) == sorted(
        str(ids.index(rid) + 1) for rid in spans["request_id"])
    assert ax.get_xlim()[1] >= 1.5  # the last task ends 1.5 s after the first message
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"async", "sync", "queue",
                                                                   "retry"}
