"""A clean slate: the folders ``scripts/clean.sh`` empties, and how it empties them.

``python -m hw4.launcher clean`` stops every component, then empties the log, report
and run folders (``hw4.launcher.clean``). It empties only folders inside the
repository, never the repository itself: a setting such as ``HW4_LOG_DIR=/`` or
``HW4_LOG_DIR=$HOME``, made by mistake, is refused before anything is stopped or removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hw4.config import ROOT, Settings

#: what an emptied folder keeps: git's placeholders, and the lock the launcher holds
#: while it cleans
KEPT = (".gitkeep", "launcher.lock")


def folders_to_clear(settings: Settings, root: Path = ROOT) -> list[Path]:
    """The log, report and run folders, each checked to lie inside ``root``.

    Raises :class:`ValueError` naming the setting of a folder that does not (a symlink
    counts where it leads).
    """
    root = root.resolve()
    folders = {"HW4_LOG_DIR": settings.log_dir, "HW4_REPORT_DIR": settings.report_dir,
               "HW4_RUN_DIR": settings.run_dir}
    for variable, folder in folders.items():
        real = folder.resolve()
        if real == root or root not in real.parents:
            raise ValueError(f"refusing to clean {variable}={folder}: only a folder inside "
                             f"{root} is emptied (and never that folder itself)")
    return list(dict.fromkeys(folder.resolve() for folder in folders.values()))


def empty_folder(folder: Path) -> int:
    """Remove everything in ``folder`` but :data:`KEPT`; returns how many entries went."""
    if not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        if entry.name in KEPT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed += 1
    return removed
