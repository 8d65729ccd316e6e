"""Settings for several hosts: service_2's URL, secrets from files, refusing to bind off
loopback without a Redis password, and asking a Redis elsewhere before starting a node."""

from __future__ import annotations

import socket

import pytest

from hw4.components import LaunchError, check_network, select_components
from hw4.config import Settings, is_loopback
from hw4.launcher import start


def test_service_2_url_defaults_to_host_and_port_and_can_be_set():
    assert Settings.from_env({"HW4_SERVICE_2_PORT": "6000"}).service_2_url == \
        "http://127.0.0.1:6000"
    s = Settings.from_env({"HW4_SERVICE_2_URL": "http://host-a:5002/"})
    assert s.service_2_url == "http://host-a:5002"
    assert s.env()["HW4_SERVICE_2_URL"] == "http://host-a:5002/"
    assert Settings.from_env(s.env()) == s


def test_secrets_come_from_files(tmp_path):
    (tmp_path / "password").write_text("s3cret/x\n")
    (tmp_path / "token").write_text("tok\n")
    s = Settings.from_env({"HW4_REDIS_PASSWORD_FILE": str(tmp_path / "password"),
                           "HW4_INTERNAL_TOKEN_FILE": str(tmp_path / "token")})
    assert (s.redis_password, s.internal_token) == ("s3cret/x", "tok")
    assert s.broker_url == "redis://:s3cret%2Fx@127.0.0.1:6380/0"
    # the variable itself wins over the file
    assert Settings.from_env({"HW4_REDIS_PASSWORD": "v",
                              "HW4_REDIS_PASSWORD_FILE": str(tmp_path / "password")}
                             ).redis_password == "v"


@pytest.mark.parametrize("content", [None, "", "\n"])
def test_a_missing_or_empty_secret_file_is_refused(tmp_path, content):
    path = tmp_path / "password"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError, match="HW4_REDIS_PASSWORD_FILE"):
        Settings.from_env({"HW4_REDIS_PASSWORD_FILE": str(path)})


def test_a_redis_url_without_password_takes_the_password_setting():
    s = Settings(redis_url="redis://10.0.0.1:6380", redis_password="p w")
    assert s.broker_url == "redis://:p%20w@10.0.0.1:6380/0" and s.has_redis_password
    given = Settings(redis_url="redis://:mine@10.0.0.1:6380/0", redis_password="other")
    assert given.broker_url == "redis://:mine@10.0.0.1:6380/0"
    assert not Settings(redis_url="redis://10.0.0.1:6380").has_redis_password


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("10.200.0.1", False), ("::", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_binding_off_loopback_without_a_password_is_refused_before_anything_starts(settings):
    exposed = settings.override(host="0.0.0.0")
    with pytest.raises(LaunchError, match="not a loopback address.*HW4_REDIS_PASSWORD"):
        start(exposed, ["redis", "service_1"])
    assert not list(exposed.run_dir.glob("*.pid"))
    # with a password, or for a worker (it listens on nothing), there is nothing to refuse
    check_network(exposed.override(redis_password="pw"),
                  select_components(exposed, ["service_2"]))
    check_network(exposed, select_components(exposed, ["worker3"]))


def test_a_redis_elsewhere_that_cannot_be_reached_is_said_at_once(settings):
    with socket.socket() as s:  # a port that refuses connections
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    remote = settings.override(redis_url=f"redis://127.0.0.1:{port}")
    with pytest.raises(LaunchError, match=f"cannot reach Redis at 127.0.0.1:{port}"):
        check_network(remote, select_components(remote, ["worker-b1"]))
    # service_2 alone never talks to Redis
    check_network(remote, select_components(remote, ["service_2"]))
