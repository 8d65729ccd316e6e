"""Promise 7: no log forging.

Messages whose text, fields, URL or request-id header hold line breaks of
every kind followed by a fake log line are sent (async, sync, invalid, raw
HTTP). Afterwards every line in ``logs/`` must be a line the code wrote: it
parses, names its own file's component, and holds no character that any
reader (Python's ``splitlines``, editors, pandas) could take as a line break;
no line carries the fake request id. Reports are checked the same way.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import quote

import pytest
import requests

from hw4.logs import parse_line
from hw4.reports import ALERT_TYPES

from .conftest import System

pytestmark = pytest.mark.timeout(120)

FAKE_ID = "FORGED0001"
FAKE = f"2026-01-01T00:00:00.000Z INFO service_1 message.received {FAKE_ID} bytes=1"
#: every character some reader takes as the end of a line
BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028",
          "\u2029"]
EVENT = re.compile(r"[a-z_0-9]+(\.[a-z_0-9]+)+")
REPORT_KEYS = {"id", "time", "type", "request_id", "service", "description", "findings",
               "action", "error", "status", "task_id"}


def _raw(system: System, data: bytes) -> None:
    with socket.create_connection((system.settings.host, system.settings.service_1_port),
                                  timeout=10) as conn:
        conn.sendall(data)
        while conn.recv(65536):
            pass


def _raw_post(headers: bytes, body: bytes = b'{"text": "hello"}') -> bytes:
    return (b"POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n" % len(body) + headers
            + b"\r\n" + body)


def test_no_message_can_write_a_line_of_its_own(system: System):
    url = system.settings.service_1_url
    task_ids = []
    for brk in BREAKS:
        forged = f"hello{brk}{FAKE}{brk}"
        for mode in ("async", "sync"):
            answer = system.client.send(forged, mode=mode)
            assert answer.status in (200, 202), answer.body
            if answer.task_id:
                task_ids.append(answer.task_id)
        # invalid ones: the reason is logged and written to a report
        system.client.send(forged, mode=forged)
        system.client.send(forged, **{forged: 1})
        system.client.send(forged, work_seconds=forged)
        requests.post(url + "/messages", data=forged.encode("utf-8", "surrogatepass"),
                      headers={"Content-Type": "application/json"}, timeout=10)
        requests.get(f"{url}/tasks/{quote(forged, safe='')}", timeout=10)
        requests.get(f"{url}/{quote(forged, safe='')}", timeout=10)
        # a request id, and a content type, with the break in it, sent raw
        encoded = brk.encode("latin-1", "replace")
        _raw(system, _raw_post(b"X-Request-ID: ok" + encoded + FAKE.encode() + b"\r\n"))
        _raw(system, _raw_post(b"Content-Type: application/json" + encoded + FAKE.encode()
                               + b"\r\n"))
    # a folded header line, and a fake header after a bare LF
    _raw(system, _raw_post(b"X-Request-ID: ok\r\n " + FAKE.encode() + b"\r\n"))
    _raw(system, _raw_post(b"X-Request-ID: ok\n" + FAKE.encode() + b"\r\n"))
    for task_id in task_ids:
        assert system.client.wait_for_task(task_id, deadline=60)["state"] == "SUCCESS"

    lines = 0
    for path in sorted(system.settings.log_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for raw in text.split("\n")[:-1]:  # the file ends with a newline
            lines += 1
            assert raw.splitlines() == [raw], f"{path.name}: a line break inside {raw!r}"
            line = parse_line(raw)
            assert line is not None, f"{path.name}: not a log line: {raw!r}"
            assert line["component"] == path.stem and EVENT.fullmatch(line["event"]), raw
            assert line["request_id"] != FAKE_ID and not raw.startswith(FAKE[:24]), raw
    assert lines > 20 * len(BREAKS)

    for path in system.settings.report_dir.glob("*.txt"):
        for raw in path.read_text(encoding="utf-8").splitlines():
            key, sep, _ = raw.partition(": ")
            assert sep and key in REPORT_KEYS, f"{path.name}: {raw!r}"
        assert path.name.split("_")[1] in ALERT_TYPES
