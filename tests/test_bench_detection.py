"""A smoke run of the detection benchmark, so it cannot rot (the full run is by hand)."""

import subprocess
import sys

from hw4.config import ROOT


def test_detection_benchmark_runs_and_reports_its_targets():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_detection.py"), "--repeat", "1",
         "--budget", "2"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "| hw4       | EMAIL" in result.stdout
    assert "targets:" in result.stdout and "normal message" in result.stdout
