"""Promise 17: oversized request parts get a fast 4xx, and memory stays bounded.

A URL (path or query), a header value or a header name of 1 MB: gunicorn
answers a 4xx and closes without reading the rest. It reads a request line up
to 4094 bytes (``limit_request_line``: 414), and a header block up to
``limit_request_fields`` x ``limit_request_field_size`` (100 x 8190: about
800 KB; 431). So one connection costs at most about that much memory, however
big the request: 8 MB headers on every request slot at once (64 MB in flight)
leave the service's memory (the resident size of its whole process group, by
psutil) far below what buffering them would take.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from hw4.components import components, read_pid
from hw4.processes import group_members

from .conftest import System, record_figures

MB = 1 << 20
ROUNDS = 40
#: service_1's request slots (HW4_WEB_WORKERS x HW4_WEB_THREADS)
SLOTS = 8
#: a header 8 times the promise's, to show memory does not follow the request's size
HUGE = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: " + b"a" * (8 * MB) + b"\r\n\r\n"

pytestmark = pytest.mark.timeout(180)

#: what is 1 MB long -> the request, and gunicorn's answer
REQUESTS = {
    "path": (b"GET /" + b"a" * MB + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "query": (b"GET /health?q=" + b"a" * MB + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "header value": (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * MB
                     + b"\r\n\r\n", 431),
    "header name": (b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X" * MB + b": 1\r\n\r\n", 431),
}


def _send(port: int, request: bytes) -> tuple[int, float]:
    """Send ``request`` (as far as the server lets us) and read the status; the
    status code and the seconds to the answer."""
    began = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            for i in range(0, len(request), 65536):
                s.sendall(request[i:i + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the end: what we want
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0
    return status, time.monotonic() - began


def _rss(system: System) -> int:
    """The resident memory of service_1's whole process group, in bytes."""
    service_1 = next(c for c in components(system.settings) if c.name == "service_1")
    total = 0
    for pid in group_members(read_pid(service_1, system.settings)):
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
    return total


def test_1_mb_request_parts_get_a_fast_4xx_and_memory_stays_bounded(system: System):
    port = system.settings.service_1_port
    for what, (request, expected) in REQUESTS.items():
        status, seconds = _send(port, request)
        assert status == expected and seconds < 2, (what, status, seconds)

    before = _rss(system)
    samples = [before]
    sending = threading.Event()
    sending.set()

    def sample() -> None:  # the memory while the requests come in
        while sending.is_set():
            samples.append(_rss(system))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        kinds = [request for request, _ in REQUESTS.values()] + [HUGE]
        with ThreadPoolExecutor(SLOTS) as pool:  # every request slot of service_1 at once
            results = list(pool.map(lambda n: _send(port, kinds[n % len(kinds)]),
                                    range(ROUNDS)))
    finally:
        sending.clear()
        sampler.join()
    peak, after = max(samples), _rss(system)
    assert {status for status, _ in results} == {414, 431}, results
    slowest = max(seconds for _, seconds in results)
    assert slowest < 5, slowest
    # buffered whole, 8 huge headers at once would take 64 MB (more with copies);
    # gunicorn holds at most its header limit (about 800 KB, a few copies) a slot
    assert peak - before < 4 * MB * SLOTS, (before, peak)
    assert after - before < 8 * MB, (before, after)
    assert system.client.health()["status"] == "ok"
    record_figures("oversized request parts (1 MB)", kinds=len(REQUESTS) + 1,
                   requests=ROUNDS + len(REQUESTS),
                   statuses=sorted({s for s, _ in results}), slowest_s=round(slowest, 3),
                   rss_before_mb=round(before / MB, 1), rss_peak_mb=round(peak / MB, 1),
                   rss_peak_growth_mb=round((peak - before) / MB, 1),
                   rss_after_mb=round(after / MB, 1), rss_samples=len(samples))
