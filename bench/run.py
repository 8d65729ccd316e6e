"""One benchmark run: start hw4 and the baselines, measure every row, print the table.

``python -m bench [--quick] [--rounds N] [--seconds S] [--tool wrk|asyncio]``
(``scripts/bench.sh`` runs it with the project's Python). Every row is a ratio
of two figures measured in the same run, interleaved round by round, so a
machine shared with other work slows both sides alike.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import redis
import requests
from celery import Celery

from bench.baseline import NOOP, make_celery
from bench.load import WRK_INSTALL_HINT, LoadResult, run_load, wrk_path
from bench.processes import Baselines, Hw4
from hw4.celery_app import create_celery
from hw4.config import COMPONENTS, ROOT
from hw4.issued import UNSETTLED_KEY
from hw4.logs import iter_log_lines
from hw4.sandbox import wait_for

RESULTS = ROOT / "bench" / "results"
QUEUE = "celery"


@dataclass
class Row:
    path: str
    hw4: float
    baseline: float
    unit: str
    #: "min" (hw4/baseline must be at least target) or "max" (at most target)
    kind: str
    target: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.hw4 / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio >= self.target if self.kind == "min" else self.ratio <= self.target

    def cells(self) -> list[str]:
        sign = "≥" if self.kind == "min" else "≤"
        return [self.path, f"{self.hw4:,.1f} {self.unit}", f"{self.baseline:,.1f} {self.unit}",
                f"{self.ratio:.2f}×", f"{sign} {self.target:g}×", "yes" if self.ok else "**NO**"]


@dataclass
class Options:
    rounds: int = 3
    seconds: float = 5.0
    drain: int = 2000
    round_trips: int = 200
    start_rounds: int = 3
    tool: str = "auto"
    #: which rows to measure (``ROWS``); empty: all
    rows: tuple[str, ...] = ()
    #: seconds to wait, at most, for the disk to settle (see wait_for_fast_creates)
    settle: float = 600.0
    #: a warm-up run per side before each HTTP row's counted runs (see measure_http)
    warmup: bool = True
    #: the components the start row also starts alone (empty: all; Redis always)
    start_alone: tuple[str, ...] = ()

    def wants(self, row: str) -> bool:
        return not self.rows or row in self.rows


ROWS = ("accept8", "accept32", "sensitive", "invalid", "sync", "flower", "drain", "roundtrip",
        "start")
# a smoke run starts only Redis and service_1 alone: each start and stop alone is a
# launch of the scripts (about 1.5 s), and it only has to show that the row works
QUICK = Options(rounds=1, seconds=0.5, drain=20, round_trips=5, start_rounds=1, settle=0.0,
                warmup=False, start_alone=("redis", "service_1"))


# ------------------------------------------------------------------ HTTP rows

@dataclass(frozen=True)
class HttpPath:
    key: str
    name: str
    hw4_body: dict[str, object]
    hw4_status: int
    base_path: str
    base_status: int
    connections: int
    target: float
    p99_target: float | None = None


# the targets: docs/performance.md says why each is what it is (sync forward and accept
# pay for plain mechanisms a student reads: requests to service_2, the issued-id record)
HTTP_PATHS = [
    HttpPath("sensitive", "sensitive reject → 422 + report, 8 clients",
             {"text": "my password is hunter2"}, 422, "/trivial", 200, 8, 0.4),
    HttpPath("invalid", "invalid reject → 400 + report, 8 clients",
             {"text": ""}, 400, "/trivial", 200, 8, 0.4),
    HttpPath("sync", "sync forward → service_2 → 200, 8 clients",
             {"text": "Hello, service_2!", "mode": "sync"}, 200, "/forward", 200, 8, 0.65),
    HttpPath("accept8", "async accept, POST /messages → 202, 8 clients",
             {"text": "Hello, workers!", "work_seconds": 0}, 202, "/accept", 202, 8, 0.6, 1.5),
    HttpPath("accept32", "async accept, POST /messages → 202, 32 clients",
             {"text": "Hello, workers!", "work_seconds": 0}, 202, "/accept", 202, 32, 0.6, 1.5),
]


def measure_http(path: HttpPath, hw4: Hw4, base: Baselines, opts: Options,
                 between: Callable[[], None]) -> tuple[list[Row], dict[str, object]]:
    """Alternate hw4 and baseline runs (the order flips each round); medians per side."""
    runs: dict[str, list[LoadResult]] = {"hw4": [], "baseline": []}
    targets = {
        "hw4": (hw4.settings.service_1_url + "/messages", path.hw4_body, path.hw4_status),
        "baseline": (base.url("base_1") + path.base_path, {"text": "Hello"},
                     path.base_status),
    }
    limit = int(opts.seconds * 20000)
    # a warm-up run per side, not counted: a fresh run's report folder is a new
    # folder, and ext4 sets up the inodes of a new folder's block group lazily,
    # so its first ~8,000 files cost ~0.5 ms of kernel time each instead of
    # 30 µs (bench/README.md); a user's error_reports/ pays that once
    warmup: dict[str, LoadResult] = {}
    for side, (url, body, status) in targets.items() if opts.warmup else ():
        warmup[side] = run_load(url, body, status, path.connections, opts.seconds, limit,
                                opts.tool)
    between()
    for i in range(opts.rounds):
        for side in (("hw4", "baseline") if i % 2 == 0 else ("baseline", "hw4")):
            url, body, status = targets[side]
            result = run_load(url, body, status, path.connections, opts.seconds, limit,
                              opts.tool)
            if result.bad or result.errors or not result.requests:
                raise RuntimeError(f"{path.name} ({side}): {result}")
            runs[side].append(result)
            between()
    med = {side: (statistics.median(r.rps for r in rs),
                  statistics.median(r.p99_ms for r in rs)) for side, rs in runs.items()}
    rows = [Row(path.name, med["hw4"][0], med["baseline"][0], "req/s", "min", path.target)]
    if path.p99_target is not None:
        rows.append(Row(path.name.replace("→ 202", "→ 202 p99"), med["hw4"][1],
                        med["baseline"][1], "ms", "max", path.p99_target))
    raw: dict[str, object] = {side: [r.as_dict() for r in rs] for side, rs in runs.items()}
    raw["warmup"] = {side: r.as_dict() for side, r in warmup.items()}
    return rows, raw


def measure_flower_cost(hw4: Hw4, opts: Options, between: Callable[[], None]
                        ) -> tuple[Row, dict[str, object]]:
    """Accept with 8 clients while Flower runs, against the same with Flower stopped.

    Flower handles an event for every message service_1 accepts (the task-sent
    event: about 0.5 ms of CPU each, measured), CPU that service_1 lacks on 2
    cores at saturation. The baselines have no monitor, so the rows that compare
    hw4 with them run with Flower stopped, and what Flower costs is this row.
    """
    accept = next(path for path in HTTP_PATHS if path.key == "accept8")
    url = hw4.settings.service_1_url + "/messages"
    runs: dict[str, list[LoadResult]] = {"watched": [], "stopped": []}

    def accept_load() -> LoadResult:
        return run_load(url, accept.hw4_body, accept.hw4_status, accept.connections,
                        opts.seconds, int(opts.seconds * 20000), opts.tool)

    if opts.warmup:
        accept_load()  # not counted, as measure_http's: the first run of the system
        between()
    watched = True  # hw4 was started whole: its Flower runs
    for i in range(opts.rounds):
        for side in (("watched", "stopped") if i % 2 == 0 else ("stopped", "watched")):
            if watched != (side == "watched"):
                watched = side == "watched"
                (hw4.start if watched else hw4.stop)("flower")
            result = accept_load()
            if result.bad or result.errors or not result.requests:
                raise RuntimeError(f"accept with Flower {side}: {result}")
            runs[side].append(result)
            between()
    if watched:
        hw4.stop("flower")
    rps = {side: statistics.median(r.rps for r in rs) for side, rs in runs.items()}
    return (Row("async accept, 8 clients, Flower watching (baseline: hw4, Flower stopped)",
                rps["watched"], rps["stopped"], "req/s", "min", 0.7),
            {side: [r.as_dict() for r in rs] for side, rs in runs.items()})


# ------------------------------------------------------------------ Celery rows

class Consumers:
    """Pause and resume the workers of one Celery app (remote control)."""

    def __init__(self, app: Celery, workers: int) -> None:
        self.app, self.workers = app, workers

    def _control(self, action: str) -> None:
        replies = getattr(self.app.control, action)(QUEUE, reply=True, timeout=5,
                                                     limit=self.workers)
        if len(replies) < self.workers:
            raise RuntimeError(f"{action}: {len(replies)} of {self.workers} workers answered")

    def pause(self) -> None:
        self._control("cancel_consumer")

    def resume(self) -> None:
        self._control("add_consumer")


def _broker(app: Celery) -> redis.Redis:
    return redis.Redis.from_url(app.conf.broker_url)


def _result_db(app: Celery) -> redis.Redis:
    return redis.Redis.from_url(str(app.conf.result_backend).rsplit("+", 1)[-1])


def purge(app: Celery) -> None:
    """Empty the queue, and wait out an append-only-file rewrite it may have set off:
    the accept rows write a lot to Redis, and a rewrite competes for the disk
    with the next row's report files."""
    broker = _broker(app)
    broker.delete(QUEUE)
    # tasks purged on purpose are not dropped ones: hw4's drop check must not send
    # them again (hw4/issued.py)
    _result_db(app).delete(UNSETTLED_KEY)
    wait_for(lambda: not any(broker.info("persistence").get(k) for k in (
        "aof_rewrite_in_progress", "aof_rewrite_scheduled")), 60, "Redis's AOF rewrite")


def drain_rate(app: Celery, consumers: Consumers, queued: int,
               fill: Callable[[], None]) -> float:
    """Tasks per second of the workers over ``queued`` tasks put in while they pause."""
    broker, results = _broker(app), _result_db(app)
    consumers.pause()
    purge(app)
    before = results.dbsize()
    fill()
    depth = broker.llen(QUEUE)
    if depth != queued:
        raise RuntimeError(f"drain: {depth} tasks queued, expected {queued}")
    goal = before + queued  # one result key per task
    started = time.perf_counter()
    consumers.resume()

    def done() -> bool:
        pipe = broker.pipeline(transaction=False)
        pipe.llen(QUEUE).hlen("unacked")
        depth, unacked = pipe.execute()
        # a result key appears at STARTED; the late ack (HDEL unacked) comes after SUCCESS
        return depth == 0 and unacked == 0 and results.dbsize() >= goal

    end = started + 120 + queued / 10
    while not done():
        if time.perf_counter() > end:
            raise RuntimeError("drain: the queue did not empty in time")
        time.sleep(0.01)
    return queued / (time.perf_counter() - started)


def round_trips(send: Callable[[], str], app: Celery, n: int) -> list[float]:
    """Seconds from send to SUCCESS (the result backend's notification), ``n`` times."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        task_id = send()
        state = app.AsyncResult(task_id).get(timeout=30, propagate=False)
        times.append(time.perf_counter() - started)
        if app.AsyncResult(task_id).state != "SUCCESS":
            raise RuntimeError(f"round trip: task {task_id} ended {state!r}")
    return times


def _pct(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# ------------------------------------------------------------------ start row

def measure_start(hw4: Hw4, opts: Options) -> tuple[Row, dict[str, object]]:
    """run_all.sh from stopped to all healthy, against each component started alone.

    "Alone" for a service or worker means with Redis already running (it
    needs it); Redis's own time is measured from nothing.
    """
    # Flower is one of them unless HW4_FLOWER=0 leaves it out
    names = [name for name in COMPONENTS if (name != "flower" or hw4.settings.flower)
             and (name == "redis" or not opts.start_alone or name in opts.start_alone)]
    full, alone = [], {name: [] for name in names}
    for _ in range(opts.start_rounds):
        hw4.stop()
        alone["redis"].append(hw4.start("redis"))
        for name in names[1:]:
            alone[name].append(hw4.start(name))
            hw4.stop(name)
        hw4.stop()
        # last, so that the run goes on with the system this start left running
        full.append(hw4.start())
    slowest_name = max(alone, key=lambda n: statistics.median(alone[n]))
    row = Row("scripts/run_all.sh warm start until all healthy "
              f"(baseline: {slowest_name} alone)", statistics.median(full),
              statistics.median(alone[slowest_name]), "s", "max", 1.75)
    return row, {"full": full, "alone": alone}


# ------------------------------------------------------------------ the run

def machine() -> dict[str, object]:
    model = "?"
    try:
        model = next(line.split(":", 1)[1].strip()
                     for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"host": platform.node(), "cpus": os.cpu_count(), "cpu": model,
            "python": platform.python_version(), "system": platform.platform(),
            "load_average": os.getloadavg()}


#: a file create slower than this (µs) means the disk is not in its usual state
SLOW_CREATE_US = 100.0


def file_create_us(folder: Path, count: int = 500) -> float:
    """Median wall time (µs) to create and write one small file in ``folder``.

    The reject rows create a report file per request. On ext4, right after many
    files were deleted (a previous run's folder, pytest's temporary folders),
    each new inode costs a read of every recently deleted one the allocator
    passes (``recently_deleted()``, for 1-5 minutes): 0.4-0.9 ms a file instead
    of ~30 µs (bench/README.md). The figure is printed with the table.
    """
    folder.mkdir(parents=True, exist_ok=True)
    times = []
    for i in range(count):
        began = time.perf_counter()
        fd = os.open(folder / f"probe-{i}.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, b"x" * 300)
        os.close(fd)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1e6


#: ext4 treats an inode as recently deleted for 60 s, or 360 s while its inode-table
#: block is dirty, and a new run's creates dirty those blocks again (bench/README.md)
RECENTLY_DELETED_S = 360.0


def previous_run_finished(results: Path = RESULTS) -> datetime | None:
    """When the latest run recorded in ``results`` that wrote report files (a
    reject row, so not a smoke run) finished, and so deleted them."""
    runs = sorted((p for p in results.glob("*.json") if "-quick" not in p.name),
                  key=lambda p: p.stat().st_mtime)
    for path in reversed(runs):
        try:
            run = json.loads(path.read_text())
            rows = run.get("options", {}).get("rows") or ROWS
            if "sensitive" in rows or "invalid" in rows:
                return datetime.fromisoformat(run["finished"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return None


def wait_for_fast_creates(folder: Path, opts: Options, raw: dict[str, object],
                          log: Callable[[str], None], interval: float = 15.0,
                          results: Path = RESULTS) -> float:
    """Wait, for at most ``opts.settle`` seconds, until file creates are fast.

    The reject rows create a report file per request, and the previous run
    deleted its folder, with more than 100,000 report files in it: for some
    minutes ext4's ``recently_deleted()`` makes creates near those inodes 10-20
    times slower, which would measure the kernel instead of hw4. So a full run
    starts at least ``RECENTLY_DELETED_S`` after the previous one finished, and
    once file creates (probed every ``interval`` seconds) are fast. Returns the
    last probe's figure (µs).
    """
    began = time.monotonic()
    if not (opts.wants("sensitive") or opts.wants("invalid")):
        opts = Options(**{**opts.__dict__, "settle": 0.0})
    previous = previous_run_finished(results)
    if previous is not None and opts.settle > 0:
        since = (datetime.now(timezone.utc) - previous).total_seconds()
        wait = min(RECENTLY_DELETED_S - since, opts.settle)
        if wait > 0:
            log(f"[bench] the previous run deleted its folder {since:.0f} s ago; waiting "
                f"{wait:.0f} s so that its files do not slow this run's (--settle 0 skips)")
            time.sleep(wait)
    probes = [file_create_us(folder / "0")]
    while probes[-1] > SLOW_CREATE_US and \
            time.monotonic() - began + interval <= opts.settle:
        if len(probes) == 1:
            log(f"[bench] creating a file takes {probes[-1]:.0f} µs (usually ~30): many "
                f"files were deleted in the last minutes; waiting up to {opts.settle:g} s "
                f"in all for the disk to settle (--settle 0 skips)")
        time.sleep(interval)
        probes.append(file_create_us(folder / str(len(probes))))
    raw["file_create_probes_us"] = probes
    raw["settle_s"] = round(time.monotonic() - began, 1)
    return probes[-1]


def format_table(rows: list[Row]) -> str:
    head = ["path", "hw4", "baseline (same run)", "ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def run(opts: Options, out: Path | None = None, log: Callable[[str], None] = print
        ) -> tuple[list[Row], dict[str, object]]:
    """The whole benchmark; stops everything it started, even on failure."""
    tool = opts.tool if opts.tool != "auto" else ("wrk" if wrk_path() else "asyncio")
    opts = Options(**{**opts.__dict__, "tool": tool})
    base_dir = Path(tempfile.mkdtemp(prefix="hw4-bench-"))
    hw4 = Hw4(base_dir)
    baselines = Baselines(hw4)
    raw: dict[str, object] = {"machine": machine(), "options": opts.__dict__,
                              "started": datetime.now(timezone.utc).isoformat(),
                              "tool": tool}
    raw["folder"] = str(base_dir)
    raw["ports"] = [hw4.settings.service_1_port, hw4.settings.service_2_port,
                    hw4.settings.redis_port, baselines.settings.service_1_port,
                    baselines.settings.service_2_port]
    rows: list[Row] = []
    try:
        log(f"[bench] hw4 via scripts in {base_dir}; load generator: {tool}")
        raw["file_create_us"] = wait_for_fast_creates(base_dir / "probe", opts, raw, log)
        if raw["file_create_us"] > SLOW_CREATE_US:
            log(f"[bench] warning: creating a file takes {raw['file_create_us']:.0f} µs "
                f"(usually ~30): many files were deleted in the last minutes, and the "
                f"reject rows will be low; see bench/README.md")
        start_row = None
        if opts.wants("start"):
            start_row, raw["start"] = measure_start(hw4, opts)  # leaves hw4 running
        else:
            hw4.start()
        baselines.start()
        hw4_app = create_celery(hw4.settings)
        base_app = make_celery(baselines.settings)
        for app in (hw4_app, base_app):
            # this process only waits on results: once the run has stopped Redis, a
            # result object collected later must not spend minutes reconnecting to it
            # (the workers' settings retry the result backend for about a minute)
            app.conf.result_backend_always_retry = False
            app.conf.result_backend_transport_options = {"retry_policy": {"max_retries": 0}}
        hw4_workers = Consumers(hw4_app, 2)
        base_workers = Consumers(base_app, 2)
        # while HTTP rows run, no worker competes for the CPU; the queues are emptied
        hw4_workers.pause()
        base_workers.pause()

        def empty_queues() -> None:
            purge(hw4_app)
            purge(base_app)
            # write back what the last run left dirty (a reject round writes
            # thousands of report files), so that the kernel's writeback of one
            # side's files does not slow the other side's next run
            os.sync()

        # the baselines have no monitor: Flower runs only for the start row and its
        # own row (measure_flower_cost), measured first, while it still runs, and
        # ended with Flower stopped
        flower_row = None
        if opts.wants("flower") and hw4.settings.flower:
            log("[bench] accept with Flower watching")
            flower_row, raw["flower"] = measure_flower_cost(hw4, opts, empty_queues)
        elif hw4.settings.flower:
            hw4.stop("flower")

        raw["http"] = {}
        for path in (p for p in HTTP_PATHS if opts.wants(p.key)):
            log(f"[bench] {path.name}")
            found, raw["http"][path.name] = measure_http(path, hw4, baselines, opts,
                                                         empty_queues)
            rows += found
        rows += [flower_row] if flower_row else []

        hw4_url = hw4.settings.service_1_url + "/messages"
        if opts.wants("drain"):
            rows.append(measure_drain(hw4_app, hw4_workers, base_app, base_workers, hw4_url,
                                      opts, raw, log))
            # a task waiting in a long queue is not a dropped one (issue 24)
            raw["resent"] = sum(1 for line in iter_log_lines(hw4.settings.log_dir)
                                if line["event"] == "task.resent")
            if raw["resent"]:
                raise RuntimeError(f"drain: hw4's drop check sent {raw['resent']} "
                                   f"queued tasks again")
        if opts.wants("roundtrip"):
            rows += measure_round_trips(hw4_app, base_app, hw4_url,
                                        baselines.url("base_1") + "/accept", opts, raw, log)
        if start_row:
            rows.append(start_row)
    finally:
        # side by side: each waits out its Celery nodes' warm shutdown (about 3 s)
        with ThreadPoolExecutor(max_workers=2) as pool:
            stops = [pool.submit(baselines.stop), pool.submit(hw4.stop)]
        try:
            for stop in stops:
                stop.result()  # raises what a stop raised
        finally:
            shutil.rmtree(base_dir, ignore_errors=True)
            os.sync()  # the deleted inodes' table blocks clean: see wait_for_fast_creates
    raw["finished"] = datetime.now(timezone.utc).isoformat()
    raw["load_average_after"] = os.getloadavg()
    raw["rows"] = [{**row.__dict__, "ratio": row.ratio, "ok": row.ok} for row in rows]
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(raw, indent=2, default=str) + "\n")
        out.with_suffix(".md").write_text(report_text(rows, raw) + "\n")
    return rows, raw


def measure_drain(hw4_app: Celery, hw4_workers: Consumers, base_app: Celery,
                  base_workers: Consumers, hw4_url: str, opts: Options,
                  raw: dict[str, object], log: Callable[[str], None]) -> Row:
    log("[bench] drain")
    drains: dict[str, list[float]] = {"hw4": [], "baseline": []}
    for i in range(opts.rounds):
        for side in (("hw4", "baseline") if i % 2 == 0 else ("baseline", "hw4")):
            if side == "hw4":
                rate = drain_rate(hw4_app, hw4_workers, opts.drain,
                                  lambda: _fill_hw4(hw4_url, opts.drain))
            else:
                rate = drain_rate(base_app, base_workers, opts.drain,
                                  lambda: _fill_base(base_app, opts.drain))
            drains[side].append(rate)
    raw["drain"] = drains
    return Row(f"drain: {opts.drain:,} queued messages, work_seconds=0, worker1 + worker2",
               statistics.median(drains["hw4"]), statistics.median(drains["baseline"]),
               "tasks/s", "min", 0.7)


def measure_round_trips(hw4_app: Celery, base_app: Celery, hw4_url: str, base_url: str,
                        opts: Options, raw: dict[str, object],
                        log: Callable[[str], None]) -> list[Row]:
    """One message at a time, hw4 and baseline alternating; p50 and p99 per side."""
    log("[bench] round trips")
    session = requests.Session()
    trips: dict[str, list[float]] = {"hw4": [], "baseline": []}
    hw4_send = _sender(session, hw4_url, {"text": "Hello, workers!", "work_seconds": 0})
    base_send = _sender(session, base_url, {})
    for send, app in ((hw4_send, hw4_app), (base_send, base_app)):
        round_trips(send, app, min(5, opts.round_trips))  # warm up connections
    for _ in range(opts.round_trips):
        trips["hw4"] += round_trips(hw4_send, hw4_app, 1)
        trips["baseline"] += round_trips(base_send, base_app, 1)
    raw["round_trips_ms"] = {k: [round(v * 1000, 3) for v in vs] for k, vs in trips.items()}
    # free the result objects now, while Redis runs: each one unsubscribes from its
    # result channel when freed, and freed later (the garbage collector runs at any
    # allocation) it reconnects to a stopped Redis, inside whatever code was running
    # (in CPython 3.11.7 even inside the AST builder, which then fails)
    gc.collect()
    return [Row(f"async round trip (POST → SUCCESS) p{pct}", _pct(trips["hw4"], pct) * 1000,
                _pct(trips["baseline"], pct) * 1000, "ms", "max", 2.0) for pct in (50, 99)]


def report_text(rows: list[Row], raw: dict[str, object]) -> str:
    m = raw["machine"]
    return (f"Measured {raw['started'][:16].replace('T', ' ')} UTC on {m['host']} "
            f"({m['cpus']} × {m['cpu']}, Python {m['python']}), load generator "
            f"{raw['tool']}, load average before/after "
            f"{', '.join(f'{x:.2f}' for x in m['load_average'])} / "
            f"{', '.join(f'{x:.2f}' for x in raw['load_average_after'])}, "
            f"file create {raw.get('file_create_us', float('nan')):.0f} µs\n\n"
            + format_table(rows))


def _fill_hw4(url: str, n: int) -> None:
    result = run_load(url, {"text": "Hello, workers!", "work_seconds": 0}, 202, 8, 300, n,
                      "asyncio")  # exact count: wrk may send a few more than asked
    if result.requests != n or result.bad or result.errors:
        raise RuntimeError(f"drain: queuing through service_1 failed: {result}")


def _fill_base(app: Celery, n: int) -> None:
    with app.producer_or_acquire() as producer:
        for _ in range(n):
            app.send_task(NOOP, producer=producer)


def _sender(session: requests.Session, url: str, body: dict[str, object]
            ) -> Callable[[], str]:
    def send() -> str:
        answer = session.post(url, json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()["task_id"]
    return send


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: tiny counts, one round (figures mean nothing)")
    parser.add_argument("--rounds", type=int, help="hw4/baseline pairs per row (3)")
    parser.add_argument("--seconds", type=float, help="seconds of load per run (5)")
    parser.add_argument("--drain", type=int, help="tasks queued for the drain row (2000)")
    parser.add_argument("--round-trips", type=int, help="round trips per side (200)")
    parser.add_argument("--tool", choices=["auto", "wrk", "asyncio"], default="auto",
                        help="load generator (auto: wrk if installed)")
    parser.add_argument("--rows", help=f"comma-separated, some of {','.join(ROWS)} (all)")
    parser.add_argument("--settle", type=float,
                        help="seconds to wait at most for the disk to settle (600; quick: 0)")
    parser.add_argument("--out", type=Path, help="results file (default bench/results/<time>.json)")
    args = parser.parse_args(argv)
    opts = QUICK if args.quick else Options()
    changes = {k: v for k, v in vars(args).items()
               if k in Options.__dataclass_fields__ and v is not None}
    if args.rows:
        changes["rows"] = tuple(args.rows.split(","))
        unknown = set(changes["rows"]) - set(ROWS)
        if unknown:
            parser.error(f"unknown rows {sorted(unknown)}; known: {', '.join(ROWS)}")
    opts = Options(**{**opts.__dict__, **changes})
    if opts.tool in ("auto", "wrk") and not wrk_path() and not args.quick:
        print("error: wrk is not installed; the full benchmark needs a load generator that is "
              f"not the bottleneck:\n    {WRK_INSTALL_HINT}\n(or run with --tool asyncio: a "
              "pure-Python client, whose figures are a floor)", file=sys.stderr)
        return 2
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kind = "-quick" if args.quick else ""
    out = args.out or RESULTS / f"{stamp}{kind}-{uuid.uuid4().hex[:4]}.json"
    rows, raw = run(opts, out)
    print()
    print(report_text(rows, raw))
    print(f"\nresults: {out}")
    return 0 if all(row.ok for row in rows) else 1
