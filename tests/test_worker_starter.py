"""hw4.worker_starter's own checks (tests/integration/test_lifecycle.py starts real nodes)."""

from __future__ import annotations

import gc

import pytest

from hw4.worker_starter import main, write_pid_file


@pytest.mark.parametrize("names", [[], ["service_1"], ["worker1", "redis"], ["worker3"]])
def test_only_worker_nodes_can_be_started(names, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HW4_RUN_DIR", str(tmp_path))
    assert main(names) == 2
    assert "error:" in capsys.readouterr().err
    assert gc.isenabled()  # the import-time pause of the collector is undone
    assert list(tmp_path.iterdir()) == []  # nothing forked, no pid file


def test_a_pid_file_is_replaced_whole(tmp_path):
    path = tmp_path / "worker1.pid"
    path.write_text("999999\n")
    write_pid_file(path, 4242)
    assert path.read_text() == "4242\n"
    assert [p.name for p in tmp_path.iterdir()] == ["worker1.pid"]  # no partial file left
