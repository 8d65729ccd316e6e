import socket

import pytest

from hw4 import sandbox
from hw4.sandbox import free_port, free_ports, isolated_env, wait_for


def test_free_port_is_bindable_and_below_the_ephemeral_range():
    port = free_port()
    assert 20000 <= port < 32000
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_free_ports_are_different_and_none_of_the_taken(monkeypatch):
    # free_port may pick the same port twice: it is not taken until something binds it
    picks = iter([21000, 21000, 22000, 23000, 22000, 24000])
    monkeypatch.setattr(sandbox, "free_port", lambda host="127.0.0.1": next(picks))
    assert free_ports(3, taken=(23000,)) == [21000, 22000, 24000]


def test_isolated_env_has_own_ports_and_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("HW4_REDIS_URL", "redis://elsewhere:6379")
    env = isolated_env(tmp_path, HW4_KEYWORD_POLICY="warn")
    ports = {env[f"HW4_{name}_PORT"] for name in ("SERVICE_1", "SERVICE_2", "REDIS", "FLOWER")}
    assert len(ports) == 4 and not ports & {"5001", "5002", "6380", "5555"}
    assert env["HW4_LOG_DIR"] == str(tmp_path / "logs")
    assert env["HW4_KEYWORD_POLICY"] == "warn" and "HW4_REDIS_URL" not in env


def test_wait_for_returns_the_first_true_value_or_times_out():
    values = iter([0, None, "ready"])
    assert wait_for(lambda: next(values), 5, "a value", interval=0) == "ready"
    with pytest.raises(TimeoutError, match="never: not within 0.1 s"):
        wait_for(lambda: False, 0.1, "never", interval=0.01)
