"""The benchmark's smoke run: every row, tiny counts, so the benchmark cannot rot.

The figures of a smoke run mean nothing; it checks that the benchmark starts
hw4 and the baselines, measures each row, writes its results and stops
everything it started. The full run (``scripts/bench.sh``) is not part of CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import QUICK, ROWS, run
from hw4.components import port_is_free

# it measures (and loads both cores while it does): scripts/test.sh runs it by itself
pytestmark = pytest.mark.alone


def test_quick_benchmark_measures_every_row_and_stops_everything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Flower's row and start too, even for someone who left Flower out in their shell
    monkeypatch.setenv("HW4_FLOWER", "1")
    out = tmp_path / "results" / "smoke.json"
    rows, raw = run(QUICK, out, log=lambda _: None)
    paths = " ".join(row.path for row in rows)
    for expected in ("8 clients", "32 clients", "422", "400", "service_2", "drain",
                     "Flower watching", "p50", "p99", "run_all.sh"):
        assert expected in paths
    assert len(rows) == 12 and len(ROWS) == 9
    assert all(row.hw4 > 0 and row.baseline > 0 for row in rows)
    assert raw["resent"] == 0  # the drain's queued tasks were not taken for dropped ones
    saved = json.loads(out.read_text())
    assert [r["path"] for r in saved["rows"]] == [row.path for row in rows]
    assert "| path |" in out.with_suffix(".md").read_text()
    # everything it started is gone: its ports are free, its folder removed
    assert all(port_is_free("127.0.0.1", port) for port in raw["ports"])
    assert not Path(raw["folder"]).exists()
