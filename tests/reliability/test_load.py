"""Promise 10: under load, nothing is lost.

2,000 messages from 16 concurrent clients, mixed async, sync, sensitive and
invalid, each with its own request id. Every answer is the expected one (never
a 5xx), every 202 reaches SUCCESS, every alert has its report, and the logs
hold exactly one ``message.received`` line per request, every line whole.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from hw4.client import Client
from hw4.reports import load_reports

from .conftest import System, assert_logs_whole, events, record_figures

MESSAGES = 2000
CLIENTS = 16
#: kind -> (share of the messages, the answer it must get)
MIX = {"async": (8, 202), "sync": (5, 200), "sensitive": (4, 422), "invalid": (3, 400)}

pytestmark = pytest.mark.timeout(600)


def _payload(kind: str, n: int) -> dict[str, Any]:
    if kind == "async":
        return {"text": f"load message {n}: the quick brown fox", "work_seconds": 0}
    if kind == "sync":
        return {"text": f"load message {n}, sync please", "mode": "sync"}
    if kind == "sensitive":
        return {"text": f"load message {n}, write to person{n}@example.org"}
    return {"text": f"load message {n}", "work_seconds": -n}


def _plan() -> list[tuple[str, str]]:
    """(request id, kind) for every message, the kinds interleaved."""
    wheel = [kind for kind, (share, _) in MIX.items() for _ in range(share)]
    return [(f"load-{n:05d}", wheel[n % len(wheel)]) for n in range(MESSAGES)]


def test_2000_mixed_messages_from_16_clients_lose_nothing(system: System):
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    def send(item: tuple[str, str]) -> tuple[str, str, int, dict[str, Any]]:
        rid, kind = item
        answer = session().post(system.settings.service_1_url + "/messages",
                                json=_payload(kind, int(rid[5:])),
                                headers={"X-Request-ID": rid}, timeout=60)
        return rid, kind, answer.status_code, answer.json()

    def finish(task_id: str) -> str:
        client = Client(system.settings.service_1_url, session=session())
        return client.wait_for_task(task_id, deadline=300, interval=0.25)["state"]

    plan = _plan()
    start = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(send, plan))
        sent_s = time.monotonic() - start
        task_ids = [body["task_id"] for _, _, status, body in answers if status == 202]
        states = Counter(pool.map(finish, task_ids))
    done_s = time.monotonic() - start

    wrong = [(rid, kind, status) for rid, kind, status, _ in answers
             if status != MIX[kind][1]]
    assert not wrong, wrong[:20]
    assert all(body["request_id"] == rid for rid, _, _, body in answers)
    assert states == {"SUCCESS": len(task_ids)}, states

    # every alert has its report, with the same request id
    reports = load_reports(system.settings.report_dir).set_index("id")
    alerts = [(rid, body["alert"]) for rid, _, _, body in answers if "alert" in body]
    assert len(alerts) == sum(1 for _, kind in plan if kind in ("sensitive", "invalid"))
    missing = [(rid, a["id"]) for rid, a in alerts
               if a["id"] not in reports.index or reports.loc[a["id"], "request_id"] != rid]
    assert not missing, missing[:20]

    # one "received" line per request, and every line of every log whole
    received = Counter(e["request_id"] for e in events(system, "message.received", "service_1"))
    assert all(received[rid] == 1 for rid, _ in plan), \
        [(rid, received[rid]) for rid, _ in plan if received[rid] != 1][:20]
    lines = assert_logs_whole(system)

    record_figures(
        "load (2,000 messages, 16 clients)",
        answers=dict(sorted(Counter(status for _, _, status, _ in answers).items())),
        accepted=len(task_ids), succeeded=states["SUCCESS"], alerts=len(alerts),
        reports_found=len(alerts) - len(missing), log_lines_checked=lines,
        send_s=round(sent_s, 1), all_done_s=round(done_s, 1),
        requests_per_s=round(MESSAGES / sent_s))
