"""Promise 14: the disk refuses, and nothing is processed silently or crashes.

The report folder and the log folder are each a small tmpfs of their own
(mounted by the test: it needs root), filled up or made read-only while the
system runs. A message that needs an alert report that cannot be written gets
a JSON 503 naming the cause, never its 4xx without a report; messages that need
no report still go through; a full log folder loses log lines, not messages.
When the folders take writes again, the same processes write again.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hw4.reports import load_reports

from .conftest import System, events, fresh_system, record_figures, wait_for

pytestmark = pytest.mark.timeout(180)

PERSONAL = "my password is hunter2"


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs at ``folder``, unmounted at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        _mount("-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(folder))
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, timeout=30)


def _fill(folder: Path) -> Path:
    """Fill ``folder``'s file system to the last byte; the filler file."""
    filler = folder / ".filler"
    with open(filler, "wb", buffering=0) as f:  # unbuffered: nothing left to flush
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def _refused(system: System, body: dict, cause: str) -> dict:
    answer = system.client.session.post(system.settings.service_1_url + "/messages",
                                        json=body, timeout=10)
    assert answer.status_code == 503, answer.text
    assert answer.headers["Content-Type"] == "application/json"
    error = answer.json()["error"]
    assert "alert report could not be written" in error and cause in error, error
    return answer.json()


def test_a_report_the_disk_refuses_gives_a_503_and_the_system_recovers(tmp_path):
    with small_disk(tmp_path / "reports"), small_disk(tmp_path / "logs"), \
            fresh_system(tmp_path) as system:
        pids = set(system.pids())
        reports = system.settings.report_dir

        filler = _fill(reports)  # full
        refused = [_refused(system, {"text": PERSONAL}, "No space left on device"),
                   _refused(system, {"text": ""}, "No space left on device"),
                   # over the body limit (413), which needs its report too
                   _refused(system, {"text": "x" * 70_000}, "No space left on device")]
        # what needs no report still goes through
        queued = system.client.send("no report needed")
        assert queued.status == 202
        assert system.client.wait_for_task(queued.task_id, deadline=30)["state"] == "SUCCESS"
        failed = {e["request_id"] for e in events(system, "report.failed", "service_1")}
        assert {r["request_id"] for r in refused} <= failed

        filler.unlink()
        _mount("-o", "remount,ro", str(reports))  # read-only
        refused.append(_refused(system, {"text": PERSONAL}, "Read-only file system"))
        _mount("-o", "remount,rw", str(reports))
        blocked = system.client.send(PERSONAL)  # writable again: the report, then 422
        assert blocked.status == 422 and blocked.alert["type"] == "PersonalData"
        assert list(load_reports(reports)["request_id"]) == [blocked.request_id]

        logs = system.settings.log_dir
        log_filler = _fill(logs)  # a full log folder: lines are lost, messages are not
        # more lines than the room left in the log files' last pages
        during = [system.client.send(f"logged nowhere {i}") for i in range(15)]
        assert [a.status for a in during] == [202] * 15
        assert system.client.send(PERSONAL).status == 422
        for answer in during:
            assert system.client.wait_for_task(answer.task_id, deadline=30)["state"] == "SUCCESS"
        log_filler.unlink()
        after = system.client.send("logged again")
        assert after.status == 202
        wait_for(lambda: any(e["request_id"] == after.request_id
                             for e in events(system, "task.finished")), 30,
                 "the worker's log lines written again")
        assert system.client.health()["status"] == "ok"
        assert set(system.pids()) == pids  # nothing crashed or was restarted
        queued_lines = {e["request_id"] for e in events(system, "task.queued")}
        unlogged = [a for a in during if a.request_id not in queued_lines]
        assert unlogged, "the log folder never refused a line"
    record_figures("disk refuses (tmpfs full, read-only)", refused_503=len(refused),
                   reports_written_while_refused=0, async_during_full_reports="SUCCESS",
                   messages_unlogged_while_logs_full=len(unlogged), crashed=0)
