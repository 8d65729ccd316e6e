"""The benchmark waits for the disk to settle before it measures (bench/run.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import bench.run as bench_run
from bench.run import RECENTLY_DELETED_S, Options, previous_run_finished, wait_for_fast_creates


def probes(monkeypatch, figures: list[float]) -> list[float]:
    """Make the file-create probe return ``figures`` in turn; returns what is left."""
    left = list(figures)
    monkeypatch.setattr(bench_run, "file_create_us", lambda folder: left.pop(0))
    return left


def test_a_slow_disk_is_probed_again_until_it_is_fast(monkeypatch, tmp_path):
    left = probes(monkeypatch, [400.0, 250.0, 30.0, 999.0])
    lines, raw = [], {}
    figure = wait_for_fast_creates(tmp_path, Options(settle=10), raw, lines.append,
                                   interval=0, results=tmp_path)
    assert figure == 30.0 and left == [999.0]
    assert raw["file_create_probes_us"] == [400.0, 250.0, 30.0]
    assert len(lines) == 1 and "waiting up to 10 s" in lines[0]


def test_the_wait_is_bounded_and_skipped_when_no_row_writes_reports(monkeypatch, tmp_path):
    probes(monkeypatch, [400.0] * 3)
    raw = {}
    # settle 0: one probe, no wait
    assert wait_for_fast_creates(tmp_path, Options(settle=0), raw, print, interval=0,
                                 results=tmp_path) == 400.0
    assert raw["file_create_probes_us"] == [400.0]
    # only rows that write no report: no reason to wait
    opts = Options(settle=60, rows=("accept8", "start"))
    assert wait_for_fast_creates(tmp_path, opts, raw, print, interval=0,
                                 results=tmp_path) == 400.0
    assert raw["file_create_probes_us"] == [400.0]


def write_run(folder, name: str, finished: datetime, rows: list[str] | None = None) -> None:
    (folder / name).write_text(json.dumps({"finished": finished.isoformat(),
                                           "options": {"rows": rows or []}}))


def test_a_run_starts_only_minutes_after_the_previous_one_deleted_its_folder(
        monkeypatch, tmp_path):
    now = datetime.now(timezone.utc)
    write_run(tmp_path, "20261128T100000Z-aaaa.json", now - timedelta(seconds=100))
    write_run(tmp_path, "20261128T100500Z-quick-bbbb.json", now)  # a smoke run: ignored
    write_run(tmp_path, "20261128T100600Z-cccc.json", now, rows=["start", "accept8"])  # no reports
    assert abs((previous_run_finished(tmp_path) - now).total_seconds() + 100) < 1
    probes(monkeypatch, [30.0])
    sleeps, lines = [], []
    monkeypatch.setattr(bench_run.time, "sleep", sleeps.append)
    wait_for_fast_creates(tmp_path, Options(settle=600), {}, lines.append, results=tmp_path)
    assert len(sleeps) == 1 and abs(sleeps[0] - (RECENTLY_DELETED_S - 100)) < 2
    assert "deleted its folder 100 s ago" in lines[0]
    # bounded by --settle
    probes(monkeypatch, [30.0])
    wait_for_fast_creates(tmp_path, Options(settle=20), {}, lines.append, results=tmp_path)
    assert sleeps[-1] == 20
