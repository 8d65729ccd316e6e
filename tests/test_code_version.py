"""Which code a process runs, and when a file it imported has changed since."""

from __future__ import annotations

from hw4.code_version import RunningCode, code_file, note_running_code, running_code
from hw4.config import ROOT


def test_a_process_knows_the_hw4_files_it_imported():
    code = running_code()
    assert "hw4/code_version.py" in code.files and "hw4/config.py" in code.files
    assert all(name.startswith("hw4/") for name in code.files)
    assert code.changed() == []
    summary = code.summary()
    assert summary["files_time"].endswith("Z") and len(summary["files_time"]) == 20
    assert code.commit is None or code.commit.isalnum()


def test_a_file_changed_since_makes_the_code_stale(tmp_path):
    now = (ROOT / "hw4" / "tasks.py").stat().st_mtime
    code = RunningCode("abc1234", {"hw4/tasks.py": now - 60, "hw4/config.py":
                                   (ROOT / "hw4" / "config.py").stat().st_mtime})
    assert code.changed() == ["hw4/tasks.py"]
    path = code_file(tmp_path / "run", "worker1")
    code.save(path)
    assert RunningCode.load(path) == code
    assert RunningCode.load(tmp_path / "missing.code") is None
    assert note_running_code(tmp_path / "run", "service_1").files
    assert (tmp_path / "run" / "service_1.code").exists()
