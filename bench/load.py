"""Load generators: ``wrk`` (Debian's package) when it is installed, else an asyncio client.

Both send the same POST to 127.0.0.1 from a fixed number of kept-alive
connections (reconnecting when the server closes one), for at most
``seconds`` and at most ``max_requests``, and count answers whose status is
not the expected one. ``wrk`` is C and LuaJIT and uses a fraction of a core
at these rates; the asyncio client is pure Python and can saturate a core
itself, so its figures are a floor (fine for the smoke test, not for the table).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_INSTALL_HINT = "sudo apt-get install wrk   (Debian/Ubuntu; brew install wrk on macOS)"


@dataclass(frozen=True)
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    #: answers with another status than the expected one
    bad: int
    #: connection errors and timeouts
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "rps": round(self.rps, 1)}


def wrk_path() -> str | None:
    return shutil.which("wrk")


def check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host != "127.0.0.1":
        raise ValueError(f"the benchmark only targets 127.0.0.1, not {host!r}")


def run_load(url: str, body: dict[str, object], expected: int, connections: int,
             seconds: float, max_requests: int, tool: str = "auto") -> LoadResult:
    """POST ``body`` as JSON to ``url`` from ``connections`` clients; see the module doc."""
    check_local(url)
    if tool == "auto":
        tool = "wrk" if wrk_path() else "asyncio"
    if tool == "wrk":
        return _run_wrk(url, body, expected, connections, seconds, max_requests)
    return asyncio.run(_run_async(url, body, expected, connections, seconds, max_requests))


# ------------------------------------------------------------------ wrk

_LUA = """
wrk.method = "POST"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/json"
local expected = %(expected)d
local limit = %(limit)d
local threads = {}
function setup(thread) table.insert(threads, thread) end
bad = 0
seen = 0
function response(status, headers, body)
  seen = seen + 1
  if status ~= expected then bad = bad + 1 end
  if seen >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "bad": %%d, "errors": %%d, ' ..
    '"p50_us": %%d, "p99_us": %%d}\\n', summary.requests, summary.duration, b,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50),
    latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    # a JSON string literal is a valid Lua string literal for the ASCII we send
    return json.dumps(text, ensure_ascii=True)


def _run_wrk(url: str, body: dict[str, object], expected: int, connections: int,
             seconds: float, max_requests: int) -> LoadResult:
    script = _LUA % {"body": _lua_string(json.dumps(body)), "expected": expected,
                     "limit": max(1, max_requests)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        # one thread: wrk needs little CPU, and the 2 cores belong to the servers
        out = subprocess.run(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
             "--timeout", "10s", "-s", f.name, url],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout
    finally:
        Path(f.name).unlink(missing_ok=True)
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[len("BENCH "):])
    return LoadResult("wrk", data["requests"], data["duration_us"] / 1e6,
                      data["p50_us"] / 1000, data["p99_us"] / 1000, data["bad"],
                      data["errors"])


# ------------------------------------------------------------------ asyncio fallback

async def _one_client(host: str, port: int, request: bytes, expected: int, stop_at: float,
                      budget: list[int], latencies: list[float], counts: dict[str, int],
                      timeout: float = 10.0) -> None:
    reader = writer = None
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status, keep = await asyncio.wait_for(_read_response(reader), timeout)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            counts["errors"] += 1
            writer = _close(writer)
            continue
        latencies.append(time.perf_counter() - started)
        counts["bad"] += status != expected
        if not keep:
            writer = _close(writer)
    _close(writer)


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()
    return None


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip()
               for k, _, v in (line.partition(":") for line in head[1:] if line)}
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


async def _run_async(url: str, body: dict[str, object], expected: int, connections: int,
                     seconds: float, max_requests: int) -> LoadResult:
    parts = urlsplit(url)
    payload = json.dumps(body).encode()
    request = (f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
               ).encode() + payload
    latencies: list[float] = []
    counts = {"bad": 0, "errors": 0}
    budget = [max_requests]
    started = time.monotonic()
    await asyncio.gather(*(
        _one_client(parts.hostname, parts.port, request, expected, started + seconds,
                    budget, latencies, counts) for _ in range(connections)))
    elapsed = time.monotonic() - started
    return LoadResult("asyncio", len(latencies), elapsed, _percentile(latencies, 50) * 1000,
                      _percentile(latencies, 99) * 1000, counts["bad"], counts["errors"])


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]
