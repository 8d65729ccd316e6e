import socket

import pytest

from hw4.sandbox import free_port, isolated_env, wait_for


def test_free_port_is_bindable_and_below_the_ephemeral_range():
    port = free_port()
    assert 20000 <= port < 32000
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_isolated_env_has_own_ports_and_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("HW4_REDIS_URL", "redis://elsewhere:6379")
    env = isolated_env(tmp_path, HW4_KEYWORD_POLICY="warn")
    ports = {env[f"HW4_{name}_PORT"] for name in ("SERVICE_1", "SERVICE_2", "REDIS")}
    assert len(ports) == 3 and not ports & {"5001", "5002", "6380"}
    assert env["HW4_LOG_DIR"] == str(tmp_path / "logs")
    assert env["HW4_KEYWORD_POLICY"] == "warn" and "HW4_REDIS_URL" not in env


def test_wait_for_returns_the_first_true_value_or_times_out():
    values = iter([0, None, "ready"])
    assert wait_for(lambda: next(values), 5, "a value", interval=0) == "ready"
    with pytest.raises(TimeoutError, match="never: not within 0.1 s"):
        wait_for(lambda: False, 0.1, "never", interval=0.01)
