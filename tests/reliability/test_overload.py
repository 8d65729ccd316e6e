"""Promise 15: overload. 256 concurrent clients for 10 s, on 127.0.0.1 only.

Far more clients than service_1 has request slots (``HW4_WEB_WORKERS`` x
``HW4_WEB_THREADS``: 8), sending a mix of async, sync, sensitive and invalid
messages as fast as they are answered. No 5xx but a 503 or 504 with a JSON
body, no torn log line, every 202 reaches SUCCESS, and ``/health`` answers
within 1 s right after. The test reports the latencies (p50, p99) and the
503 rate.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from hw4.client import Client

from .conftest import assert_logs_whole, fresh_system, record_figures

CLIENTS = 256
SECONDS = 10
#: a bound on the messages one client sends, whatever the machine's speed
MAX_PER_CLIENT = 200
#: kind -> (payload, the answer it gets when the system keeps up)
MIX = {
    "async": ({"text": "overload, the quick brown fox"}, 202),
    "sync": ({"text": "overload, sync please", "mode": "sync"}, 200),
    "sensitive": ({"text": "overload, write to someone@example.org"}, 422),
    "invalid": ({"text": "overload", "work_seconds": -1}, 400),
}

pytestmark = pytest.mark.timeout(300)


def _client(url: str, number: int, end: float) -> list[tuple[str, int, str, float, Any]]:
    """One client: messages of every kind in turn until ``end``; what each got."""
    kinds = list(MIX)
    got = []
    with requests.Session() as session:
        for i in range(MAX_PER_CLIENT):
            if time.monotonic() > end:
                break
            kind = kinds[(number + i) % len(kinds)]
            began = time.monotonic()
            answer = session.post(url + "/messages", json=MIX[kind][0], timeout=60)
            try:
                body = answer.json()
            except ValueError:
                body = None
            got.append((kind, answer.status_code, answer.headers.get("Content-Type", ""),
                        time.monotonic() - began, body))
    return got


def test_256_clients_for_10_s_get_answers_and_lose_nothing(tmp_path):
    with fresh_system(tmp_path) as system:
        url = system.settings.service_1_url
        end = time.monotonic() + SECONDS
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [a for got in pool.map(lambda n: _client(url, n, end), range(CLIENTS))
                       for a in got]
        began = time.monotonic()
        health = requests.get(url + "/health", timeout=5)
        health_s = time.monotonic() - began
        assert health.status_code == 200 and health_s < 1, health_s

        statuses = Counter(status for _, status, _, _, _ in answers)
        for kind, status, content_type, _, body in answers:
            assert status in (MIX[kind][1], 503, 504), (kind, status, body)
            assert content_type == "application/json" and isinstance(body, dict)
            if status >= 500:
                assert body["error"]
        ids = [body["task_id"] for _, status, _, _, body in answers if status == 202]
        client = Client(url)
        states = Counter(client.wait_for_task(i, deadline=120, interval=0.25)["state"]
                         for i in ids)
        assert states == {"SUCCESS": len(ids)}, states
        lines = assert_logs_whole(system)

    latencies = sorted(seconds for _, _, _, seconds, _ in answers)
    cuts = statistics.quantiles(latencies, n=100)
    record_figures(
        "overload (256 clients, 10 s)", requests=len(answers),
        answers=dict(sorted(statuses.items())), accepted=len(ids),
        finished=states["SUCCESS"], p50_ms=round(cuts[49] * 1000),
        p99_ms=round(cuts[98] * 1000), rate_503=f"{statuses[503] / len(answers):.1%}",
        health_after_s=round(health_s, 3), log_lines_checked=lines)
