"""Promise 9: no one in where they don't belong.

- service_2 refuses a call without the right internal token (missing, empty,
  wrong, the right one in another header) with a JSON 401, a log line and an
  ``Unauthorized`` report; the token is never written to a log or output.
- Every socket any process of the system listens on is bound to 127.0.0.1.
- With ``HW4_REDIS_PASSWORD``, Redis refuses clients without it, the whole
  system works with it, and it is on no command line, log or output.
- Celery accepts JSON only: a pickled task pushed straight into Redis is
  refused, not run.
- A report's file name never holds anything a user sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import redis
import requests

from hw4.celery_app import TASK_NAME, create_celery
from hw4.processes import group_members
from hw4.reports import ALERT_TYPES, load_reports

from .conftest import System, events, fresh_system, processes_of, record_figures, wait_for

pytestmark = pytest.mark.timeout(120)


# ------------------------------------------------------------------ service_2's token

def _token(system: System) -> str:
    path = system.settings.run_dir / "internal_token"
    assert path.stat().st_mode & 0o077 == 0, "the token file is readable by others"
    return path.read_text().strip()


def _calls_without_the_right_token(token: str) -> dict[str, dict[str, str]]:
    return {
        "missing": {},
        "empty": {"X-Internal-Token": ""},
        "wrong": {"X-Internal-Token": "not-the-token"},
        "wrong, same length": {"X-Internal-Token": "x" * len(token)},
        "with a space added": {"X-Internal-Token": token + " x"},
        "a prefix of it": {"X-Internal-Token": token[:-1]},
        "in Authorization": {"Authorization": f"Bearer {token}"},
        "in another header": {"X-Internal-Token-2": token},
    }


def test_service_2_refuses_every_call_without_the_right_token(system: System):
    token = _token(system)
    url = system.settings.service_2_url + "/process"
    body = {"request_id": "x", "text": "let me in"}
    cases = _calls_without_the_right_token(token)
    for name, headers in cases.items():
        answer = requests.post(url, json=body, headers=headers, timeout=5)
        assert answer.status_code == 401, name
        assert answer.json()["error"], name
        rid = answer.headers["X-Request-ID"]
        assert any(e["request_id"] == rid for e in events(system, "process.unauthorized"))
        reports = load_reports(system.settings.report_dir)
        assert list(reports[reports["request_id"] == rid]["type"]) == ["Unauthorized"], name
    allowed = requests.post(url, json=body, headers={"X-Internal-Token": token}, timeout=5)
    assert allowed.status_code == 200 and allowed.json()["service"] == "service_2"

    written = [p for folder in (system.settings.log_dir, system.settings.report_dir)
               for p in folder.iterdir() if p.is_file()]
    written += list(system.settings.run_dir.glob("*.out"))
    assert not [p for p in written if token.encode() in p.read_bytes()]
    record_figures("service_2 token", refused=len(cases), reports=len(cases), accepted=1)


# ------------------------------------------------------------------ where they listen

def _listening(pids: list[int]) -> list[tuple[str, int]]:
    """(address, port) of every listening TCP socket of these processes."""
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = fd.readlink()
            except OSError:
                continue
            if str(target).startswith("socket:["):
                inodes.add(str(target)[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address, port = local.split(":")
                found.append((_address(address), int(port, 16)))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return ".".join(str(int(hex_address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return "ipv6:" + hex_address


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_every_process_listens_on_127_0_0_1_only(system: System):
    sockets = _listening(processes_of(system))
    s = system.settings
    assert {port for _, port in sockets} == {s.redis_port, s.service_1_port, s.service_2_port}
    assert {address for address, _ in sockets} == {"127.0.0.1"}, sockets


# ------------------------------------------------------------------ Redis password

def test_redis_password_is_required_and_kept_out_of_sight(tmp_path):
    password = "pw-" + "s3cret-Redis-p4ss"
    with fresh_system(tmp_path, HW4_REDIS_PASSWORD=password) as system:
        s = system.settings
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(host=s.host, port=s.redis_port, socket_timeout=5).ping()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(host=s.host, port=s.redis_port, password="wrong",
                        socket_timeout=5).ping()
        assert redis.Redis(host=s.host, port=s.redis_port, password=password).ping()
        answer = system.client.send("a message through a locked Redis")
        assert answer.status == 202
        assert system.client.wait_for_task(answer.task_id, deadline=60)["state"] == "SUCCESS"
        assert system.client.send("and sync", mode="sync").status == 200

        pids = processes_of(system)
        assert len(pids) >= 5
        for pid in pids:
            assert password.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
        conf = s.run_dir / "redis-password.conf"
        assert conf.stat().st_mode & 0o077 == 0
        written = [p for folder in (s.log_dir, s.report_dir, s.run_dir)
                   for p in folder.rglob("*") if p.is_file() and p != conf]
        assert not [p for p in written if password.encode() in p.read_bytes()]


# ------------------------------------------------------------------ JSON only

class _Planted:
    """Unpickling this would run code: it creates the file ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def test_a_pickled_task_is_refused_not_run(system: System, tmp_path):
    planted = tmp_path / "unpickled-and-ran"
    app = create_celery(system.settings, sender=True)
    try:
        app.send_task(TASK_NAME, kwargs={"request_id": _Planted(planted), "text": "hi"},
                      serializer="pickle")
    finally:
        app.close()
    outputs = [system.settings.run_dir / f"{w}.out" for w in ("worker1", "worker2")]
    wait_for(lambda: any("pickle" in p.read_text(errors="replace") for p in outputs),
             30, "a worker refusing the pickled message")
    assert not planted.exists()
    # the workers carry on
    answer = system.client.send("json is fine")
    assert system.client.wait_for_task(answer.task_id, deadline=60)["state"] == "SUCCESS"
    for worker in ("worker1", "worker2"):
        assert group_members(int((system.settings.run_dir / f"{worker}.pid").read_text()))


# ------------------------------------------------------------------ report names

TYPES = "|".join(ALERT_TYPES)
REPORT_NAME = re.compile(rf"\d{{8}}T\d{{9}}Z_({TYPES})_[0-9a-f]{{8}}\.txt")


def test_report_names_never_hold_user_input(system: System):
    session = requests.Session()
    for evil in ("..", "../../etc/passwd", "a/b", "name.txt", "x" * 64):
        session.post(system.settings.service_1_url + "/messages",
                     json={"text": "", evil: evil}, headers={"X-Request-ID": evil[:64]},
                     timeout=5)
    names = [p.name for p in system.settings.report_dir.iterdir() if p.is_file()]
    assert len(names) >= 5
    assert [n for n in names if not REPORT_NAME.fullmatch(n)] == []
    assert not [p for p in system.settings.report_dir.parent.rglob("passwd")]
