"""The timeline: the spans of time each component spent on each message, and their plot.

Built on :mod:`hw4.message_paths` (each message's lines and task runs); only the
``plot_*`` functions draw (matplotlib), and they return the figure so tests can look
at what they drew.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hw4.message_paths import first_line, label, messages_of, mode_of, task_runs

#: the lanes of the timeline, top to bottom; "queue" is the wait in Redis. Logs of
#: several hosts label each lane with its host: worker3@host-b
LANES = ("service_1", "service_2", "queue", "worker1", "worker2")
#: the colour of each kind of span
KIND_COLOURS = {"sync": "#1f77b4", "async": "#2ca02c", "queue": "#c7c7c7",
                "retry": "#ff7f0e", "failed": "#d62728", "refused": "#9467bd",
                "redelivered": "#17becf"}
#: what the legend says about each kind of span
KIND_LABELS = {"sync": "sync: service_1 waits for service_2", "async": "async: a worker works",
               "queue": "waiting in the queue (Redis)", "retry": "an attempt that will be retried",
               "failed": "the last attempt, failed", "refused": "refused (400, 422)",
               "redelivered": "async, run again: Redis handed the task out again"}
#: the smallest text the plots use, in points: readable when projected at 1280x720
FONT_SIZE = 12
#: space between two lanes, in sub-rows
LANE_GAP = 0.6


def lane_component(lanes: pd.Series) -> pd.Series:
    """The component part of lane labels (worker3@host-b: worker3)."""
    return lanes.str.split("@").str[0]


def lane_order(present: Iterable[str]) -> list[str]:
    """The lanes top to bottom: those of :data:`LANES` (a lane with a host where its
    component's would be; worker1 and worker2 even when idle, in one host's logs), then
    the others by name; the queue only when something waited in it."""
    present = set(present)
    if not any("@" in lane for lane in present):
        present |= {lane for lane in LANES if lane != "queue"}

    def rank(lane: str) -> tuple[int, str]:
        component = lane.split("@")[0]
        return (LANES.index(component) if component in LANES else len(LANES), lane)

    return sorted(present, key=rank)


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
    - worker1 / worker2: each run, kind async, retry or failed, or redelivered (a run
      Redis handed out again after its first worker died or lost Redis).

    Columns: lane, start, end, kind, request_id, row (a sub-row in the lane so
    that spans that overlap in time are drawn one above the other).
    """
    spans = []
    for rid, lines in messages_of(logs, request_ids).groupby("request_id", sort=False):
        mode = mode_of(lines)
        received = first_line(lines, "message.received", "service_1")
        answered = lines[(lines["event"] == "http.request")
                         & (lines["component"] == "service_1")]
        if received is not None:
            spans.append(_span(label(received), received["time"],
                               None if answered.empty else answered.iloc[-1]["time"],
                               mode, rid))
        got = first_line(lines, "process.received", "service_2")
        if got is not None:
            done = first_line(lines, "process.answered", "service_2")
            spans.append(_span(label(got), got["time"], None if done is None else done["time"],
                               "sync", rid))
        queued = first_line(lines, "task.queued")
        waiting_since = None if queued is None else queued["time"]
        for _, run in task_runs(lines).iterrows():
            if pd.notna(waiting_since) and pd.notna(run["started"]):
                spans.append(_span("queue", waiting_since, run["started"], "queue", rid))
            kind = {"retry": "retry", "failed": "failed"}.get(
                run["outcome"], "redelivered" if run["redelivered"] else "async")
            if pd.notna(run["started"]):
                spans.append(_span(run["worker"], run["started"],
                                   run["ended"] if pd.notna(run["ended"]) else None, kind, rid))
            # a run that never ended (its worker died) leaves no known wait after it
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


def _lane_layout(spans: pd.DataFrame, lanes: Sequence[str]) -> dict[str, tuple[float, int]]:
    """Each lane's bottom y and number of sub-rows, first lane on top; a lane is as tall
    as the spans it must show at once (the queue of a big batch gets many rows)."""
    layout, y = {}, 0.0
    for lane in reversed(lanes):
        in_lane = spans.loc[spans["lane"] == lane, "row"]
        rows = int(in_lane.max()) + 1 if len(in_lane) else 1
        layout[lane] = (y, rows)
        y += rows + LANE_GAP
    return layout


def _answered_and_done(spans: pd.DataFrame) -> tuple[list[tuple[pd.Timestamp, str, int]],
                                                      list[tuple[pd.Timestamp, str, int]]]:
    """Per message: when its answer left service_1, and when its work ended (lane, row)."""
    answered, done = [], []
    for _, lines in spans.groupby("request_id", sort=False):
        front = lines[lane_component(lines["lane"]) == "service_1"]
        if len(front):
            answered.append((front.iloc[-1]["end"], front.iloc[-1]["lane"],
                             int(front.iloc[-1]["row"])))
        work = lines[~lane_component(lines["lane"]).isin(("service_1", "queue"))
                     & lines["kind"].isin(("sync", "async", "failed"))]
        if len(work):
            last = work.loc[work["end"].idxmax()]
            done.append((last["end"], last["lane"], int(last["row"])))
    return answered, done


@dataclass(frozen=True)
class _Scale:
    """Where a moment and a lane's sub-row are drawn: x in seconds since the first
    span began, lanes stacked as :func:`_lane_layout` placed them."""

    origin: pd.Timestamp
    length: float  # seconds from the first start to the last end
    layout: dict[str, tuple[float, int]]

    @classmethod
    def of(cls, spans: pd.DataFrame, layout: dict[str, tuple[float, int]]) -> _Scale:
        if not len(spans):
            return cls(pd.Timestamp(0, tz="UTC"), 1.0, layout)
        origin = spans["start"].min()
        return cls(origin, max((spans["end"].max() - origin).total_seconds(), 0.1), layout)

    def x(self, at: pd.Timestamp) -> float:
        return (at - self.origin).total_seconds()

    def y(self, lane: str, row: int) -> float:
        # row 0 at the top of its lane
        bottom, rows = self.layout[lane]
        return bottom + rows - 1 - row


def plot_timeline(spans: pd.DataFrame, request_ids: Sequence[str] | None = None,
                  title: str = "One batch of messages, component by component") -> Figure:
    """Draw the spans on one time axis (seconds since the first), one lane per component.

    Sized for a projector (1280x720, no text under 10 pt). Each bar wide enough
    for it is labelled with the message's number: its place in ``request_ids``
    (or in order of appearance), the key being the batch's table. A triangle
    marks when service_1's answer (200, 202, ...) left for the caller, a dot
    when the message's work was done. Returns the figure; its one axes has the
    lanes as y tick labels, top to bottom.
    """
    order = list(request_ids) if request_ids is not None else \
        list(dict.fromkeys(spans["request_id"]))
    number = {rid: i + 1 for i, rid in enumerate(order)}
    lanes = lane_order(spans["lane"])
    scale = _Scale.of(spans, _lane_layout(spans, lanes))
    fig = Figure(figsize=(12.8, 7.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    _draw_spans(ax, spans, scale, number)
    _draw_answered_and_done(ax, spans, scale)
    _draw_lanes_and_axes(ax, lanes, scale, title)
    handles: dict[str, object] = {}
    for artist in [*ax.collections, *ax.lines]:
        if not artist.get_label().startswith("_"):
            handles.setdefault(artist.get_label(), artist)
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=3,
               fontsize=FONT_SIZE - 1)
    return fig


def _draw_spans(ax: Axes, spans: pd.DataFrame, scale: _Scale, number: dict[str, int]) -> None:
    """One bar per span, coloured by kind, labelled with its message's number if it fits."""
    for _, span in spans.iterrows():
        left = scale.x(span["start"])
        # a few-millisecond span (an async answer) is still drawn, as a sliver
        width = max((span["end"] - span["start"]).total_seconds(), scale.length / 400)
        bottom = scale.y(span["lane"], int(span["row"])) + 0.1
        ax.broken_barh([(left, width)], (bottom, 0.8),
                       facecolors=KIND_COLOURS.get(span["kind"], "#7f7f7f"),
                       edgecolor="black", linewidth=0.5,
                       hatch="///" if span["kind"] == "queue" else None,
                       label=KIND_LABELS.get(span["kind"], span["kind"]))
        if span["request_id"] in number and width >= scale.length / 40:
            ax.text(left + width / 2, bottom + 0.4, str(number[span["request_id"]]),
                    ha="center", va="center", fontsize=FONT_SIZE - 1, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.8})


def _draw_answered_and_done(ax: Axes, spans: pd.DataFrame, scale: _Scale) -> None:
    """A triangle when each answer left service_1, a dot when each message's work ended."""
    answered, done = _answered_and_done(spans)
    for points, marker, colour, legend in (
            (answered, "v", "black", "answered: the caller got 200/202/4xx"),
            (done, "o", "#d4a017", "done: the work ended")):
        if points:
            ax.plot([scale.x(at) for at, _, _ in points],
                    [scale.y(lane, row) + 0.95 for _, lane, row in points], linestyle="none",
                    marker=marker, markersize=10, color=colour, markeredgecolor="black",
                    label=legend, zorder=3)


def _draw_lanes_and_axes(ax: Axes, lanes: Sequence[str], scale: _Scale, title: str) -> None:
    """The lanes' names and the lines between them, the limits, the labels and title."""
    layout = scale.layout
    ax.set_yticks([layout[lane][0] + layout[lane][1] / 2 for lane in lanes], labels=lanes)
    for lane in lanes[1:]:
        ax.axhline(layout[lane][0] + layout[lane][1] + LANE_GAP / 2, color="#999",
                   linewidth=0.8)
    ax.set_ylim(-LANE_GAP / 2, sum(rows for _, rows in layout.values())
                + LANE_GAP * (len(lanes) - 0.5))
    ax.set_xlim(-scale.length / 50, scale.length * 1.03)
    ax.tick_params(labelsize=FONT_SIZE)
    ax.set_xlabel("seconds since the first message arrived", fontsize=FONT_SIZE)
    ax.set_title(title, fontsize=FONT_SIZE + 2)
    ax.grid(axis="x", alpha=0.3)


def plot_answered_vs_done(lat: pd.DataFrame) -> Figure:
    """Per mode (sync, async): on average, how long after arriving a message was
    answered, and how long until its work was done (from :func:`latencies`)."""
    modes = [mode for mode in ("sync", "async") if (lat["mode"] == mode).any()]
    means = lat[lat["mode"].isin(modes)].groupby("mode")[["answered_s", "total_s"]].mean()
    fig = Figure(figsize=(9, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for i, (column, legend, colour) in enumerate((
            ("answered_s", "answered after", "black"), ("total_s", "done after", "#d4a017"))):
        y = [len(modes) - 1 - m + (0.2 if i == 0 else -0.2) for m in range(len(modes))]
        values = [means.loc[mode, column] for mode in modes]
        ax.barh(y, values, height=0.38, color=colour, label=legend, edgecolor="black")
        for at, value in zip(y, values, strict=True):
            shown = f"{value * 1000:.0f} ms" if value < 0.1 else f"{value:.2f} s"
            ax.text(value, at, f" {shown}", va="center", fontsize=FONT_SIZE)
    ax.set_yticks(range(len(modes)), labels=[f"{mode}\n({(lat['mode'] == mode).sum()} msgs)"
                                             for mode in reversed(modes)])
    ax.set_xlim(0, max(means.max().max(), 0.1) * 1.3)
    ax.tick_params(labelsize=FONT_SIZE)
    ax.set_xlabel("seconds after the message arrived (mean)", fontsize=FONT_SIZE)
    fig.legend(fontsize=FONT_SIZE - 1, loc="outside right center")
    return fig
