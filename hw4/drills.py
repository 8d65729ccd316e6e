"""Failure drills for notebook 4: break one part of the running system on purpose, then look.

Each drill does what a person could do in a terminal (``python -m hw4.launcher
kill worker1``, ``pause service_2``, ``scripts/stop_all.sh redis``) and reads
back what the system wrote: the tasks' states (``GET /tasks/<id>``) and the
log lines. The ``check_*`` functions say what must have happened: they return
a sentence when it did and raise :class:`AssertionError` with the reason when
it did not (notebook 4's checks and its exercises call them).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone

import pandas as pd
import redis
from matplotlib.figure import Figure

from hw4.celery_app import create_celery
from hw4.client import Client
from hw4.config import ROOT, Settings
from hw4.drop_check import queued_messages
from hw4.flow import Outcome, poll, post
from hw4.message_paths import run_numbers
from hw4.scripts import ScriptFailed, script_env
from hw4.timeline import pack_rows, plot_timeline, timeline_spans

#: kombu looks for tasks of dead workers every 5 s (hw4.celery_app)
SWEEP_S = 5


# ------------------------------------------------------------------ doing

def drop_from_queue(task_id: str, settings: Settings | None = None) -> bool:
    """Take a task's message out of its queue and keep it nowhere: what kombu's Redis
    transport leaves when Redis or the worker dies between taking a message (``BRPOP``)
    and recording it as unacknowledged. True when the message was found and taken."""
    settings = settings or Settings.from_env()
    broker = redis.Redis.from_url(settings.broker_url, socket_timeout=5)
    try:
        queue = create_celery(settings, sender=True).conf.task_default_queue
        for queued_id, message in queued_messages(broker, queue):
            if queued_id == task_id:
                return broker.lrem(queue, 1, message) == 1
        return False
    finally:
        broker.close()


def launcher(action: str, *names: str, settings: Settings | None = None) -> str:
    """``python -m hw4.launcher ACTION NAMES`` as typed in a terminal; what it printed.

    ``kill`` SIGKILLs a component's whole process group (a crash), ``pause``
    SIGSTOPs it (hung: it answers nothing), ``resume`` SIGCONTs it.
    """
    done = subprocess.run([sys.executable, "-m", "hw4.launcher", action, *names],
                          env=script_env(settings), cwd=ROOT, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise ScriptFailed(f"hw4.launcher {action} exited {done.returncode}:\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout.strip()


@contextmanager
def paused(name: str, settings: Settings | None = None) -> Iterator[str]:
    """Hang a component for the ``with`` block; it is resumed afterwards, whatever happens."""
    said = launcher("pause", name, settings=settings)
    try:
        yield said
    finally:
        launcher("resume", name, settings=settings)


def send_work(client: Client, count: int, work_seconds: float,
              label: str = "job") -> list[Outcome]:
    """Send ``count`` async messages, each asking for ``work_seconds`` of work, at once."""
    return [post(client, {"label": f"{label} {i}", "text": f"{label} number {i}, please.",
                          "work_seconds": work_seconds})
            for i in range(1, count + 1)]


def worker_of(outcome: Outcome) -> str | None:
    """The component (``worker1``) whose node last reported on the task, if any."""
    return outcome.worker.split("@", 1)[0] if outcome.worker else None


def wait_until_started(client: Client, outcomes: Sequence[Outcome],
                       deadline: float = 30.0) -> dict[str, list[Outcome]]:
    """Poll the tasks until every one is STARTED (or done); which worker runs which."""
    end = time.monotonic() + deadline
    while True:
        for outcome in outcomes:
            if outcome.state in (None, "PENDING"):
                poll(client, outcome)
        if all(o.state not in (None, "PENDING") for o in outcomes):
            break
        if time.monotonic() > end:
            raise TimeoutError(f"tasks not all started within {deadline:g} s: "
                               f"{[o.state for o in outcomes]}")
        time.sleep(0.05)
    by_worker: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_worker.setdefault(worker_of(outcome) or "-", []).append(outcome)
    return dict(sorted(by_worker.items()))


def states_during(client: Client, outcomes: Sequence[Outcome], seconds: float) -> set[str]:
    """Every state the tasks are seen in while polling them for ``seconds`` seconds."""
    seen: set[str] = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for outcome in outcomes:
            poll(client, outcome)
            seen.add(outcome.state or "?")
        time.sleep(0.2)
    return seen


def live_line() -> Callable[[str], None]:
    """A line of notebook output that each call replaces: a live status line."""
    from IPython.display import Pretty, display

    handle = display(Pretty(""), display_id=True)
    return lambda text: handle.update(Pretty(text))


def progress_line(elapsed: float, visibility_timeout: float, outcomes: Sequence[Outcome],
                  killed: str) -> str:
    """One line: time since the kill, the visibility timeout's countdown, each task's state."""
    left = visibility_timeout - elapsed
    if left > 0:
        wait = f"visibility timeout in {left:4.1f} s"
    else:
        wait = f"visibility timeout passed, a sweep every {SWEEP_S} s hands the tasks out"
    tasks = []
    for i, outcome in enumerate(outcomes, 1):
        worker = worker_of(outcome) or "-"
        # the state a dead node wrote last stays until another worker starts the task
        dead = " (dead)" if worker == killed and outcome.state == "STARTED" else ""
        tasks.append(f"{i}: {outcome.state or '?'} on {worker}{dead}")
    return f"{elapsed:5.1f} s since {killed} was killed | {wait} | " + ", ".join(tasks)


def watch_redelivery(client: Client, outcomes: Sequence[Outcome], killed_at: datetime,
                     killed: str, visibility_timeout: float,
                     show: Callable[[str], None] | None = None, deadline: float = 90.0) -> None:
    """Poll the tasks until every one is done, telling ``show`` a :func:`progress_line`
    four times a second; TimeoutError after ``deadline`` seconds."""
    def since_kill() -> float:
        return (datetime.now(timezone.utc) - killed_at).total_seconds()

    end = time.monotonic() + deadline
    while True:
        for outcome in outcomes:
            if not outcome.done:
                poll(client, outcome)
        if show:
            show(progress_line(since_kill(), visibility_timeout, outcomes, killed))
        if all(o.done for o in outcomes):
            return
        if time.monotonic() > end:
            raise TimeoutError(f"tasks not done {deadline:g} s after the kill")
        time.sleep(0.25)


class StateHistory:
    """Records a task's states as they change (``on_change`` of :func:`hw4.flow.follow`)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.rows: list[dict[str, object]] = []

    def record(self, outcome: Outcome) -> None:
        self.rows.append({"s": round(time.monotonic() - self.start, 1),
                          "state": outcome.state or f"HTTP {outcome.status}",
                          "worker": worker_of(outcome)})

    def frame(self) -> pd.DataFrame:
        """One row per state seen: seconds since the message was sent, state, worker."""
        return pd.DataFrame(self.rows, columns=["s", "state", "worker"])


def outcomes_table(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """The messages' labels, HTTP status, task state and worker (no ids, no times)."""
    return pd.DataFrame({"message": [o.label for o in outcomes],
                         "status": [o.status for o in outcomes],
                         "state": [o.state for o in outcomes],
                         "worker": [worker_of(o) for o in outcomes]})


# ------------------------------------------------------------------ reading the logs

def _acted_on(logs: pd.DataFrame) -> pd.Series:
    """The component a launcher line is about (its ``component=`` detail, which load_logs
    names ``detail_component``: it would hide the line's own component column)."""
    if "detail_component" not in logs.columns:
        return pd.Series(None, index=logs.index, dtype="object")
    return logs["detail_component"]


def kill_time(logs: pd.DataFrame, component: str) -> pd.Timestamp:
    """When the launcher last SIGKILLed ``component`` (its ``component.killed`` line)."""
    kills = logs[(logs["event"] == "component.killed") & (_acted_on(logs) == component)]
    if kills.empty:
        raise LookupError(f"no component.killed line for {component}")
    return kills["time"].iloc[-1]


def task_story(logs: pd.DataFrame, request_id: str) -> pd.DataFrame:
    """One message's log lines in order, with the launcher's lines (a kill, a start)
    that came while it was in the system.

    Columns: s (seconds since the message arrived), component, event (a launcher
    line's names the component it acted on; a run Redis handed out again is
    ``task.started (redelivered)``), run (which run of the task a worker line
    belongs to).
    """
    launcher = logs["component"] == "launcher"
    event = logs["event"].where(~launcher, logs["event"] + " " + _acted_on(logs).fillna(""))
    if "redelivered" in logs.columns:
        event = event.where(logs["redelivered"] != "True", event + " (redelivered)")
    logs = logs.assign(run=run_numbers(logs), event=event)
    mine = logs[logs["request_id"] == request_id]
    first, last = mine["time"].min(), mine["time"].max()
    lines = pd.concat([mine, logs[launcher & logs["time"].between(first, last)]])
    lines = lines.sort_values("time", kind="stable")
    return pd.DataFrame({
        "s": ((lines["time"] - first).dt.total_seconds()).round(2),
        "component": lines["component"],
        "event": lines["event"].str.strip(),
        "run": lines["run"],
    }).reset_index(drop=True)


def redelivery_wait(logs: pd.DataFrame, task_id: str, killed: str) -> float:
    """Seconds from ``killed``'s SIGKILL to the task's next ``task.started``."""
    kill = kill_time(logs, killed)
    again = logs[(logs["event"] == "task.started") & (logs["task_id"] == task_id)
                 & (logs["time"] > kill)]
    if again.empty:
        raise LookupError(f"task {task_id} did not start again after {killed} was killed")
    return round((again["time"].iloc[0] - kill).total_seconds(), 1)


def crash_spans(logs: pd.DataFrame, request_ids: Sequence[str], killed: str) -> pd.DataFrame:
    """:func:`hw4.timeline.timeline_spans` of these messages, each run of a task its own
    span: a run cut short by the kill ends at the kill (kind ``killed``), and the task
    waits in the queue lane (unacknowledged in Redis) until it starts again."""
    kill = kill_time(logs, killed)
    spans = timeline_spans(logs, request_ids)
    # a run that never ended has no end (or ends where it starts), and the wait after it
    # no start: the kill is both
    spans = spans[spans["start"].notna()].copy()
    open_run = spans["end"].isna() | (spans["end"] == spans["start"])
    cut = (spans["lane"] == killed) & open_run & (spans["start"] < kill)
    spans.loc[cut, ["end", "kind"]] = [kill, "killed"]
    waits = []
    for rid in spans.loc[cut, "request_id"]:
        later = spans[(spans["request_id"] == rid) & spans["lane"].str.startswith("worker")
                      & (spans["start"] > kill)]
        if not later.empty:
            waits.append({"lane": "queue", "start": kill, "end": later["start"].min(),
                          "kind": "queue", "request_id": rid})
    spans = pd.concat([spans, pd.DataFrame(waits)], ignore_index=True)
    spans = spans.sort_values(["start", "lane"], kind="stable").reset_index(drop=True)
    spans["row"] = pack_rows(spans)
    return spans


def plot_crash(logs: pd.DataFrame, request_ids: Sequence[str], killed: str) -> Figure:
    """The timeline of :func:`crash_spans`, with a dashed line at the kill."""
    spans = crash_spans(logs, request_ids, killed)
    fig = plot_timeline(spans, request_ids,
                        title=f"{killed} killed mid-task: its tasks wait, then run again")
    ax = fig.axes[0]
    x = (kill_time(logs, killed) - spans["start"].min()).total_seconds()
    ax.axvline(x, color="black", linestyle="--", linewidth=1)
    ax.annotate(f"{killed} killed", (x, 1.0), xycoords=("data", "axes fraction"),
                xytext=(3, -14), textcoords="offset points", fontsize=10)
    return fig


# ------------------------------------------------------------------ checks

def check_ran_twice(logs: pd.DataFrame, outcome: Outcome, killed: str) -> str:
    """The task killed mid-run reached SUCCESS and was started exactly twice: on
    ``killed`` before the kill, then again after it, and finished once."""
    assert outcome.state == "SUCCESS", f"the task ended {outcome.state}: {outcome.error}"
    lines = logs[logs["task_id"] == outcome.task_id]
    starts = lines[lines["event"] == "task.started"]
    kill = kill_time(logs, killed)
    assert len(starts) == 2, f"the task was started {len(starts)} times, not twice"
    first, second = starts.iloc[0], starts.iloc[1]
    assert first["component"] == killed and first["time"] < kill, \
        f"its first run was on {first['component']}, not on {killed} before the kill"
    assert second["time"] > kill, "its second run started before the kill"
    assert (lines["event"] == "task.finished").sum() == 1, "it did not finish exactly once"
    return (f"the task interrupted on {killed} ran again on {second['component']} "
            "and reached SUCCESS")


def check_sent_again(logs: pd.DataFrame, outcome: Outcome) -> str:
    """The dropped task was sent again once (one ``task.resent`` line), then ran once,
    after that, and reached SUCCESS."""
    assert outcome.state == "SUCCESS", f"the task ended {outcome.state}: {outcome.error}"
    lines = logs[logs["task_id"] == outcome.task_id]
    resent = lines[lines["event"] == "task.resent"]
    starts = lines[lines["event"] == "task.started"]
    assert len(resent) == 1, f"{len(resent)} task.resent lines, not one"
    assert len(starts) == 1, f"the task was started {len(starts)} times, not once"
    # the resent line carries the moment of sending (hw4/drop_check.py); a start in the
    # same millisecond is after it
    assert starts["time"].iloc[0] >= resent["time"].iloc[0], \
        "it started before the drop check sent it again"
    return "the dropped task was sent again once, then ran once and reached SUCCESS"


def check_warm_shutdown(logs: pd.DataFrame, outcomes: Sequence[Outcome]) -> str:
    """Each task ran once and finished on its worker before that worker's ``worker.stopped``."""
    for outcome in outcomes:
        lines = logs[logs["task_id"] == outcome.task_id]
        starts = lines[lines["event"] == "task.started"]
        assert len(starts) == 1, f"{outcome.label} was started {len(starts)} times"
        worker = starts["component"].iloc[0]
        finished = lines[(lines["event"] == "task.finished") & (lines["component"] == worker)]
        stopped = logs[(logs["event"] == "worker.stopped") & (logs["component"] == worker)]
        assert not finished.empty, f"{outcome.label} did not finish on {worker}"
        assert not stopped.empty, f"{worker} did not stop"
        assert finished["time"].iloc[0] <= stopped["time"].iloc[-1], \
            f"{worker} stopped before {outcome.label} finished"
    return "every running task finished before its worker stopped"


def check_refused_quickly(outcomes: Sequence[Outcome], within: float = 2.0) -> str:
    """Every message got a JSON 503 with a BrokerUnavailable alert within ``within`` s."""
    for outcome in outcomes:
        assert outcome.status == 503, f"{outcome.label}: HTTP {outcome.status}, not 503"
        assert (outcome.alert or {}).get("type") == "BrokerUnavailable", outcome.body
        assert outcome.seconds < within, \
            f"{outcome.label}: the 503 took {outcome.seconds:.2f} s (limit {within:g} s)"
    return f"every message got its 503 and BrokerUnavailable alert within {within:g} s"


def check_all_succeeded(outcomes: Sequence[Outcome]) -> str:
    """Every task reached SUCCESS."""
    failed = {o.label: o.state for o in outcomes if o.state != "SUCCESS"}
    assert not failed, f"not every task reached SUCCESS: {failed}"
    return f"all {len(outcomes)} tasks reached SUCCESS"


def check_timed_out(outcome: Outcome, timeout: float) -> str:
    """A sync message got a 504 with a Service2Timeout alert after about ``timeout`` s."""
    assert outcome.status == 504, f"HTTP {outcome.status}, not 504"
    assert (outcome.alert or {}).get("type") == "Service2Timeout", outcome.body
    assert timeout <= outcome.seconds < timeout + 2, \
        f"the 504 came after {outcome.seconds:.1f} s, not after about {timeout:g} s"
    return f"a 504 with a Service2Timeout alert after the {timeout:g} s timeout"


def check_retry_delays(logs: pd.DataFrame, request_id: str, delays: Sequence[float]) -> str:
    """``delays`` are the seconds the task waited before each retry, as its logs say."""
    retries = logs[(logs["request_id"] == request_id) & (logs["event"] == "task.retry")]
    logged = [float(d) for d in retries["retry_in_s"]]
    assert logged, "this message's task was never retried"
    assert [float(d) for d in delays] == logged, \
        f"not quite: its log has {len(logged)} task.retry lines; read their retry_in_s"
    return "right: those are the waits before each retry"


def check_hung_redis(outcome: Outcome, settings: Settings | None = None) -> str:
    """A message sent while Redis hung got a 503 with BrokerUnavailable, after about
    the broker timeout (Redis accepts the connection and never answers)."""
    timeout = (settings or Settings.from_env()).broker_timeout
    check_refused_quickly([outcome])
    assert outcome.seconds >= timeout * 0.9, \
        f"the 503 came after {outcome.seconds:.2f} s: was Redis paused, or stopped?"
    return f"503 after about the broker timeout ({timeout:g} s): service_1 gave up waiting"
