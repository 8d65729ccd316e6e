"""What the logs say about each message: its path, its latencies, and a timeline plot.

Pure functions over the DataFrame of :func:`hw4.logs.load_logs` (one row a log
line, details as columns); only :func:`plot_timeline` draws (matplotlib), and
it returns the figure so tests can look at what it drew.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.figure import Figure

#: the lanes of the timeline, top to bottom; "queue" is the wait in Redis
LANES = ("service_1", "service_2", "queue", "worker1", "worker2")
#: columns of load_logs that are not details
BASE_COLUMNS = ("time", "level", "component", "event", "request_id", "file")
#: the colour of each kind of span
KIND_COLOURS = {"sync": "#1f77b4", "async": "#2ca02c", "queue": "#c7c7c7",
                "retry": "#ff7f0e", "failed": "#d62728", "refused": "#9467bd"}
_WORKER_EVENTS = ("task.started", "task.finished", "task.retry", "task.failed")


def _messages(logs: pd.DataFrame, request_ids: Iterable[str] | None) -> pd.DataFrame:
    """The lines of messages (requests to POST /messages), optionally only some of them."""
    received = logs.loc[logs["event"] == "message.received", "request_id"].dropna()
    ids = set(received) if request_ids is None else set(request_ids) & set(received)
    return logs[logs["request_id"].isin(ids)]


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def _first(lines: pd.DataFrame, event: str, component: str | None = None) -> pd.Series | None:
    rows = lines[lines["event"] == event]
    if component is not None:
        rows = rows[rows["component"] == component]
    return None if rows.empty else rows.iloc[0]


def mode_of(lines: pd.DataFrame) -> str:
    """async, sync, refused (personal data or invalid), or unknown, from one message's lines."""
    events = set(lines["event"])
    if "task.queued" in events:
        return "async"
    if "message.forwarded" in events:
        return "sync"
    if "message.rejected" in events:
        return "refused"
    return "unknown"


def message_path(logs: pd.DataFrame, request_id: str) -> pd.DataFrame:
    """Every line of one message, in time order, with the milliseconds since the first.

    Columns: time, ms (since the first line), component, event, details (the
    non-empty details as ``key=value`` text).
    """
    lines = logs[logs["request_id"] == request_id].reset_index(drop=True)
    detail_columns = [c for c in lines.columns if c not in BASE_COLUMNS]
    details = [
        " ".join(f"{c}={row[c]}" for c in detail_columns if pd.notna(row[c]))
        for _, row in lines.iterrows()
    ]
    start = lines["time"].min()
    return pd.DataFrame({
        "time": lines["time"],
        "ms": ((lines["time"] - start).dt.total_seconds() * 1000).round(1),
        "component": lines["component"],
        "event": lines["event"],
        "details": details,
    })


def task_runs(logs: pd.DataFrame) -> pd.DataFrame:
    """Which worker took which task: one row per attempt of a task.

    Columns: request_id, task_id, worker (component), attempt, started, ended,
    outcome (finished, retry, failed, or running), seconds.
    """
    lines = logs[logs["event"].isin(_WORKER_EVENTS)]
    rows = []
    for (task_id, attempt), group in lines.groupby(["task_id", "attempt"], sort=False):
        start = _first(group, "task.started")
        ends = group[group["event"] != "task.started"]
        end = None if ends.empty else ends.iloc[-1]
        first = start if start is not None else group.iloc[0]
        rows.append({
            "request_id": first["request_id"], "task_id": task_id,
            "worker": first["component"], "attempt": int(attempt),
            "started": None if start is None else start["time"],
            "ended": None if end is None else end["time"],
            "outcome": "running" if end is None else end["event"].removeprefix("task."),
            "seconds": None if end is None or start is None else
            round((end["time"] - start["time"]).total_seconds(), 3),
        })
    columns = ["request_id", "task_id", "worker", "attempt", "started", "ended", "outcome",
               "seconds"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("started", kind="stable").reset_index(drop=True)


def latencies(logs: pd.DataFrame, request_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per message: how long each part of its path took.

    Columns: request_id, received (time), mode, status (service_1's answer),
    answer_ms (service_1's time to answer the POST: for a sync message the
    whole round trip through service_2), service_2_ms (the call to service_2
    as service_1 timed it), queue_s (time in Redis before a worker started it,
    first attempt), processing_s (the last attempt's run), total_s (received to
    the task's end), worker, attempts.
    """
    rows = []
    for rid, lines in _messages(logs, request_ids).groupby("request_id", sort=False):
        received = _first(lines, "message.received", "service_1")
        answered = lines[(lines["event"] == "http.request")
                         & (lines["component"] == "service_1")]
        forwarded = _first(lines, "message.answered", "service_1")
        queued = _first(lines, "task.queued")
        runs = task_runs(lines)
        row = {
            "request_id": rid, "received": None if received is None else received["time"],
            "mode": mode_of(lines),
            "status": None if answered.empty else _number(answered.iloc[-1].get("status")),
            "answer_ms": None if answered.empty else _number(answered.iloc[-1].get("ms")),
            "service_2_ms": None if forwarded is None else _number(forwarded.get("ms")),
            "queue_s": None, "processing_s": None, "total_s": None,
            "worker": None, "attempts": len(runs),
        }
        if queued is not None and not runs.empty and runs.iloc[0]["started"] is not None:
            row["queue_s"] = round((runs.iloc[0]["started"] - queued["time"]).total_seconds(), 3)
            last = runs.iloc[-1]
            row["worker"], row["processing_s"] = last["worker"], last["seconds"]
            if last["ended"] is not None and received is not None:
                row["total_s"] = round((last["ended"] - received["time"]).total_seconds(), 3)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[
        "request_id", "received", "mode", "status", "answer_ms", "service_2_ms", "queue_s",
        "processing_s", "total_s", "worker", "attempts"])
    frame["status"] = frame["status"].astype("Int64")
    return frame.sort_values("received", kind="stable").reset_index(drop=True)


def _span(lane: str, start: pd.Timestamp, end: pd.Timestamp | None, kind: str,
          request_id: str) -> dict[str, object]:
    # a span still open (a task running) is drawn up to its start, as a sliver
    return {"lane": lane, "start": start, "end": start if end is None else end,
            "kind": kind, "request_id": request_id}


def timeline_spans(logs: pd.DataFrame, request_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The spans of time each component spent on each message.

    - service_1: from ``message.received`` to its answer (``http.request``),
      kind sync, async or refused;
    - service_2: ``process.received`` to ``process.answered`` (sync);
    - queue: from ``task.queued`` (or a retry) to the next ``task.started``;
    - worker1 / worker2: each attempt, kind async, retry or failed.

    Columns: lane, start, end, kind, request_id, row (a sub-row in the lane so
    that spans that overlap in time are drawn one above the other).
    """
    spans = []
    for rid, lines in _messages(logs, request_ids).groupby("request_id", sort=False):
        mode = mode_of(lines)
        received = _first(lines, "message.received", "service_1")
        answered = lines[(lines["event"] == "http.request")
                         & (lines["component"] == "service_1")]
        if received is not None:
            spans.append(_span("service_1", received["time"],
                               None if answered.empty else answered.iloc[-1]["time"],
                               mode, rid))
        got = _first(lines, "process.received", "service_2")
        if got is not None:
            done = _first(lines, "process.answered", "service_2")
            spans.append(_span("service_2", got["time"], None if done is None else done["time"],
                               "sync", rid))
        queued = _first(lines, "task.queued")
        waiting_since = None if queued is None else queued["time"]
        for _, run in task_runs(lines).iterrows():
            if waiting_since is not None and run["started"] is not None:
                spans.append(_span("queue", waiting_since, run["started"], "queue", rid))
            kind = {"retry": "retry", "failed": "failed"}.get(run["outcome"], "async")
            if run["started"] is not None:
                spans.append(_span(run["worker"], run["started"], run["ended"], kind, rid))
            waiting_since = run["ended"]
    frame = pd.DataFrame(spans, columns=["lane", "start", "end", "kind", "request_id"])
    frame = frame.sort_values(["start", "lane"], kind="stable").reset_index(drop=True)
    frame["row"] = pack_rows(frame)
    return frame


def pack_rows(spans: pd.DataFrame) -> list[int]:
    """For spans sorted by start: the lowest sub-row of their lane that is free at their start."""
    ends: dict[str, list[pd.Timestamp]] = {}
    rows = []
    for lane, start, end in zip(spans["lane"], spans["start"], spans["end"], strict=True):
        lane_ends = ends.setdefault(lane, [])
        for i, busy_until in enumerate(lane_ends):
            if busy_until <= start:
                lane_ends[i] = end
                rows.append(i)
                break
        else:
            lane_ends.append(end)
            rows.append(len(lane_ends) - 1)
    return rows


def plot_timeline(spans: pd.DataFrame, request_ids: Sequence[str] | None = None,
                  title: str = "One batch of messages, component by component") -> Figure:
    """Draw the spans on one time axis (seconds since the first), one lane per component.

    Each bar is labelled with the message's number: its place in
    ``request_ids`` (or in order of appearance). Returns the figure; its one
    axes has the lanes as y tick labels, top to bottom.
    """
    order = list(request_ids) if request_ids is not None else \
        list(dict.fromkeys(spans["request_id"]))
    number = {rid: i + 1 for i, rid in enumerate(order)}
    lanes = [lane for lane in LANES if lane != "queue" or (spans["lane"] == "queue").any()]
    lanes += sorted(set(spans["lane"]) - set(lanes))
    fig = Figure(figsize=(11, 0.9 + 0.8 * len(lanes)))
    ax = fig.add_subplot()
    origin = spans["start"].min() if len(spans) else pd.Timestamp(0, tz="UTC")
    y_of = {lane: len(lanes) - 1 - i for i, lane in enumerate(lanes)}
    for lane in lanes:
        in_lane = spans[spans["lane"] == lane]
        height = 0.8 / max(1, int(in_lane["row"].max()) + 1 if len(in_lane) else 1)
        for _, span in in_lane.iterrows():
            left = (span["start"] - origin).total_seconds()
            width = max((span["end"] - span["start"]).total_seconds(), 0.01)
            bottom = y_of[lane] - 0.4 + span["row"] * height
            ax.broken_barh([(left, width)], (bottom, height * 0.9),
                           facecolors=KIND_COLOURS.get(span["kind"], "#7f7f7f"),
                           edgecolor="black", linewidth=0.3, label=span["kind"])
            if span["request_id"] in number:
                ax.text(left + width / 2, bottom + height * 0.45, str(number[span["request_id"]]),
                        ha="center", va="center", fontsize=7)
    ax.set_yticks([y_of[lane] for lane in lanes], labels=lanes)
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.set_xlabel("seconds since the first message arrived")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    handles = {}
    for artist in ax.collections:
        handles.setdefault(artist.get_label(), artist)
    ax.legend(handles.values(), handles.keys(), loc="upper right", fontsize=8, ncols=3)
    fig.tight_layout()
    return fig
