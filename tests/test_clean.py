"""A clean slate never empties a folder outside the repository (hw4/clean.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hw4.clean import empty_folder, folders_to_clear
from hw4.config import ROOT, Settings


def _inside(root: Path) -> Settings:
    return Settings(log_dir=root / "logs", report_dir=root / "error_reports",
                    run_dir=root / "run")


@pytest.mark.parametrize("variable, folder", [
    ("HW4_LOG_DIR", Path("/")), ("HW4_REPORT_DIR", Path.home()), ("HW4_RUN_DIR", ROOT),
    ("HW4_LOG_DIR", ROOT / ".." / "elsewhere"), ("HW4_LOG_DIR", Path("/tmp")),
])
def test_a_folder_outside_the_repository_is_refused(variable, folder):
    field = {"HW4_LOG_DIR": "log_dir", "HW4_REPORT_DIR": "report_dir",
             "HW4_RUN_DIR": "run_dir"}[variable]
    settings = _inside(ROOT).override(**{field: folder})
    with pytest.raises(ValueError, match=f"refusing to clean {variable}="):
        folders_to_clear(settings)


def test_a_symlink_out_of_the_repository_is_refused(tmp_path):
    root = tmp_path / "repo"
    (root / "logs").parent.mkdir()
    (root / "logs").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(ValueError, match="HW4_LOG_DIR"):
        folders_to_clear(_inside(root), root=root)


def test_the_folders_are_emptied_but_their_placeholders_kept(tmp_path):
    settings = _inside(tmp_path)
    for folder in ("logs", "error_reports", "run/redis"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "something.txt").write_text("x")
    (tmp_path / "logs" / ".gitkeep").touch()
    (tmp_path / "run" / "launcher.lock").touch()
    folders = folders_to_clear(settings, root=tmp_path)
    assert [empty_folder(f) for f in folders] == [1, 1, 1]  # run/redis went whole
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        ".gitkeep", "error_reports", "launcher.lock", "logs", "run"]
    assert empty_folder(tmp_path / "never-made") == 0
