"""What the logs say about each message: its lines in order, the runs of its task, and
how long each part of its path took.

Pure functions over the DataFrame of :func:`hw4.logs.load_logs` (one row a log line,
details as columns). :mod:`hw4.timeline` draws the same messages as spans of time.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: columns of load_logs that are not details (host: with several hosts' folders)
BASE_COLUMNS = ("time", "level", "component", "event", "request_id", "file", "host")
#: the events a worker logs about one run of a task
WORKER_EVENTS = ("task.started", "task.finished", "task.retry", "task.failed")


def messages_of(logs: pd.DataFrame, request_ids: Iterable[str] | None) -> pd.DataFrame:
    """The lines of messages (requests to POST /messages), optionally only some of them."""
    received = logs.loc[logs["event"] == "message.received", "request_id"].dropna()
    ids = set(received) if request_ids is None else set(request_ids) & set(received)
    return logs[logs["request_id"].isin(ids)]


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def _seconds(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return round((end - start).total_seconds(), 3)


def first_line(lines: pd.DataFrame, event: str, component: str | None = None) -> pd.Series | None:
    rows = lines[lines["event"] == event]
    if component is not None:
        rows = rows[rows["component"] == component]
    return None if rows.empty else rows.iloc[0]


def label(line: pd.Series) -> str:
    """A log line's component, with its host when the logs come from several: worker3@host-b."""
    host = line.get("host")
    return f"{line['component']}@{host}" if isinstance(host, str) else line["component"]


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


def run_numbers(logs: pd.DataFrame) -> pd.Series:
    """For each worker line (task.started, .finished, .retry, .failed): which run of its
    task it belongs to, counting the task's ``task.started`` lines. A retry is a new run
    (and a new attempt); so is a task Redis handed out again after its worker died (the
    same attempt, ``redelivered=True``). Other lines get <NA>. ``logs`` is sorted by time."""
    worker_line = logs["event"].isin(WORKER_EVENTS) & logs["task_id"].notna()
    starts = (logs["event"] == "task.started") & worker_line
    runs = starts.astype(int).groupby(logs["task_id"]).cumsum()
    return runs.where(worker_line).astype("Int64")


def task_runs(logs: pd.DataFrame) -> pd.DataFrame:
    """Which worker took which task: one row per run of a task (see :func:`run_numbers`).

    Columns: request_id, task_id, worker (component), attempt, run, redelivered (True:
    a run Redis handed out again, its first worker having died or lost Redis before it
    acknowledged the task), started, ended, outcome (finished, retry, failed, or
    running), seconds.
    """
    lines = logs[logs["event"].isin(WORKER_EVENTS)]
    lines = lines.assign(run=run_numbers(lines))
    rows = []
    for (task_id, run), group in lines.groupby(["task_id", "run"], sort=False):
        start = first_line(group, "task.started")
        ends = group[group["event"] != "task.started"]
        end = None if ends.empty else ends.iloc[-1]
        first = start if start is not None else group.iloc[0]
        rows.append({
            "request_id": first["request_id"], "task_id": task_id,
            "worker": label(first), "attempt": int(first["attempt"]), "run": int(run),
            "redelivered": start is not None and start.get("redelivered") == "True",
            "started": None if start is None else start["time"],
            "ended": None if end is None else end["time"],
            "outcome": "running" if end is None else end["event"].removeprefix("task."),
            "seconds": None if end is None or start is None else
            round((end["time"] - start["time"]).total_seconds(), 3),
        })
    columns = ["request_id", "task_id", "worker", "attempt", "run", "redelivered", "started",
               "ended", "outcome", "seconds"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("started", kind="stable").reset_index(drop=True)


def latencies(logs: pd.DataFrame, request_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per message: how long each part of its path took.

    Columns: request_id, received (time), mode, status (service_1's answer),
    answer_ms (service_1's time to answer the POST: for a sync message the
    whole round trip through service_2), service_2_ms (the call to service_2
    as service_1 timed it), queue_s (time in Redis before a worker started it,
    first attempt), processing_s (the last attempt's run), answered_s (received
    to the answer, in the logs' clock), total_s (received to the end of the
    work: the task's end for async, the answer for the others), worker, attempts.
    """
    rows = []
    for rid, lines in messages_of(logs, request_ids).groupby("request_id", sort=False):
        received = first_line(lines, "message.received", "service_1")
        answered = lines[(lines["event"] == "http.request")
                         & (lines["component"] == "service_1")]
        forwarded = first_line(lines, "message.answered", "service_1")
        queued = first_line(lines, "task.queued")
        runs = task_runs(lines)
        row = {
            "request_id": rid, "received": None if received is None else received["time"],
            "mode": mode_of(lines),
            "status": None if answered.empty else _number(answered.iloc[-1].get("status")),
            "answer_ms": None if answered.empty else _number(answered.iloc[-1].get("ms")),
            "service_2_ms": None if forwarded is None else _number(forwarded.get("ms")),
            "queue_s": None, "processing_s": None, "answered_s": None, "total_s": None,
            "worker": None, "attempts": len(runs),
        }
        if received is not None and not answered.empty:
            row["answered_s"] = _seconds(received["time"], answered.iloc[-1]["time"])
            # nothing more happens to a sync or refused message once it is answered
            if row["mode"] != "async":
                row["total_s"] = row["answered_s"]
        if queued is not None and not runs.empty and runs.iloc[0]["started"] is not None:
            row["queue_s"] = _seconds(queued["time"], runs.iloc[0]["started"])
            last = runs.iloc[-1]
            row["worker"], row["processing_s"] = last["worker"], last["seconds"]
            if last["ended"] is not None and received is not None:
                row["total_s"] = _seconds(received["time"], last["ended"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[
        "request_id", "received", "mode", "status", "answer_ms", "service_2_ms", "queue_s",
        "processing_s", "answered_s", "total_s", "worker", "attempts"])
    frame["status"] = frame["status"].astype("Int64")
    return frame.sort_values("received", kind="stable").reset_index(drop=True)
