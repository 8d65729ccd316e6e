"""What runs: the status table of the components, and the line that says which settings
``status.sh`` used (``hw4.launcher`` prints both; notebooks show the table).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hw4.code_version import RunningCode, code_file
from hw4.components import Component, is_healthy, read_pid, running_pid, select_components
from hw4.config import ROOT, Settings, origins


def status(settings: Settings, names: Iterable[str] | None = None) -> list[dict[str, object]]:
    """One row per component (all, or the ones named): name, pid, state, healthy, code
    (``current``, or ``stale`` when a file it runs changed since it started), url, log."""
    rows = []
    for component in select_components(settings, names):
        pid = read_pid(component, settings)
        running = running_pid(component, settings)
        alive = running is not None
        rows.append({
            "component": component.name,
            "pid": running,
            "state": "running" if alive else ("dead" if pid is not None else "stopped"),
            "healthy": alive and is_healthy(component, settings, running),
            "code": code_state(component, settings) if alive else None,
            # the health URL's root: http://host:port
            "url": component.url.rsplit("/", 1)[0] if component.url else (
                f"redis://{settings.host}:{component.port}" if component.port else None),
            "log": display_path(component.log_file(settings)),
        })
    return rows


def off_rows(settings: Settings, names: Iterable[str] | None = None) -> list[dict[str, object]]:
    """A row for Flower when it is off (``HW4_FLOWER=0``) and not running: off by choice,
    not down (status.sh shows it; it does not count as unhealthy)."""
    running = any(c.name == "flower" for c in select_components(settings, None))
    if settings.flower or running or (names and "flower" not in names):
        return []
    return [{"component": "flower", "pid": None, "state": "off (HW4_FLOWER=0)",
             "healthy": None, "code": None, "url": None, "log": None}]


def stale_files(component: Component, settings: Settings) -> list[str] | None:
    """The files a running component imported that have changed since (None: unknown,
    as for Redis, or a component still starting)."""
    code = RunningCode.load(code_file(settings.run_dir, component.name))
    return None if code is None else code.changed()


def code_state(component: Component, settings: Settings) -> str | None:
    changed = stale_files(component, settings)
    return None if changed is None else ("stale" if changed else "current")


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def format_table(rows: list[dict[str, object]], columns: list[str] | None = None) -> str:
    columns = columns or ["component", "pid", "state", "healthy", "code", "url", "log"]
    cells = [[("-" if row[c] is None else str(row[c])) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def settings_line(settings: Settings) -> str:
    """The ports and folders in use, and where those settings came from: one line that
    status.sh and run_all.sh print before their table."""
    redis = "Redis at HW4_REDIS_URL" if settings.redis_url else f"redis :{settings.redis_port}"
    flower = f"flower :{settings.flower_port}" if settings.flower else "flower off"
    shown = ["HW4_HOST", "HW4_SERVICE_1_PORT", "HW4_SERVICE_2_PORT", "HW4_REDIS_PORT",
             "HW4_REDIS_URL", "HW4_FLOWER", "HW4_FLOWER_PORT", "HW4_LOG_DIR", "HW4_REPORT_DIR",
             "HW4_RUN_DIR"]
    where = origins()
    found = {kind: [name for name in shown if where[name] == kind]
             for kind in (".env", "environment")}
    sources = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in found.items() if names)
    return (f"settings: {settings.host}, service_1 :{settings.service_1_port}, service_2 "
            f":{settings.service_2_port}, {redis}, {flower}; logs in "
            f"{display_path(settings.log_dir)}/, reports in {display_path(settings.report_dir)}/, "
            "run files in "
            f"{display_path(settings.run_dir)}/ (from {sources or 'the defaults'}; "
            "scripts/settings.sh shows every setting)")
