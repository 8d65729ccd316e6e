"""The notebooks' display helpers (hw4/notebook.py) that need no running system."""

from __future__ import annotations

import pandas as pd

from hw4.notebook import relative_times


def test_times_are_shown_as_seconds_since_the_first():
    t0 = pd.Timestamp("2026-11-30T22:32:53.781Z")
    frame = pd.DataFrame({"worker": ["worker2", "worker1"],
                          "started": [t0 + pd.Timedelta(seconds=1.5), t0],
                          "ended": [t0 + pd.Timedelta(seconds=2.5), pd.NaT],
                          "seconds": [1.0, None]})
    shown = relative_times(frame)
    assert list(shown.columns) == ["worker", "started_s", "ended_s", "seconds"]
    assert shown["started_s"].tolist() == [1.5, 0.0] and shown["ended_s"][0] == 2.5
    assert pd.isna(shown["ended_s"][1])
    assert "2026" not in shown.to_string()
    assert list(frame.columns) == ["worker", "started", "ended", "seconds"]  # a copy


def test_a_given_origin_and_a_table_without_times():
    t0 = pd.Timestamp("2026-11-30T22:32:53Z")
    frame = pd.DataFrame({"time": [t0 + pd.Timedelta(milliseconds=250)]})
    assert relative_times(frame, origin=t0)["time_s"].tolist() == [0.25]
    plain = pd.DataFrame({"a": [1]})
    assert relative_times(plain).equals(plain)
