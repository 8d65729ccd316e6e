from pathlib import Path

import pytest

from hw4.config import Settings


def test_defaults_bind_to_loopback_on_documented_ports():
    s = Settings.from_env({})
    assert (s.host, s.service_1_port, s.service_2_port, s.redis_port) == \
        ("127.0.0.1", 5001, 5002, 6380)
    assert s.broker_url == "redis://127.0.0.1:6380/0"
    assert s.result_url == "redis://127.0.0.1:6380/1"


def test_every_setting_comes_from_its_environment_variable():
    s = Settings.from_env({"HW4_SERVICE_1_PORT": "7001", "HW4_LOG_DIR": "/tmp/x",
                           "HW4_BROKER_TIMEOUT": "0.25", "HW4_KEYWORD_POLICY": "warn"})
    assert s.service_1_port == 7001 and s.log_dir == Path("/tmp/x")
    assert s.broker_timeout == 0.25 and s.keyword_policy == "warn"


def test_env_round_trips():
    s = Settings(service_2_port=6000, redis_password="p w")
    assert Settings.from_env(s.env()) == s


def test_password_and_existing_redis_url():
    assert Settings(redis_password="a/b").broker_url == "redis://:a%2Fb@127.0.0.1:6380/0"
    s = Settings(redis_url="redis://other:6379/5")
    assert (s.broker_url, s.result_url) == ("redis://other:6379/0", "redis://other:6379/1")


@pytest.mark.parametrize(("redis_url", "password", "broker_url"), [
    ("rediss://h:6379/0?ssl_cert_reqs=required", "",
     "rediss://h:6379/0?ssl_cert_reqs=required"),
    ("rediss://h:6379?ssl_cert_reqs=none", "p/w", "rediss://:p%2Fw@h:6379/0?ssl_cert_reqs=none"),
    ("redis://ann@h:6379/3", "pw", "redis://ann:pw@h:6379/0"),  # a user, no password
    ("redis://h:6379/", "", "redis://h:6379/0"),
])
def test_a_redis_url_keeps_its_query_and_gets_its_database(redis_url, password, broker_url):
    s = Settings(redis_url=redis_url, redis_password=password)
    assert s.broker_url == broker_url
    assert s.result_url == broker_url.replace("/0", "/1", 1)


@pytest.mark.parametrize("env", [{"HW4_SERVICE_1_PORT": "many"},
                                 {"HW4_KEYWORD_POLICY": "maybe"}])
def test_bad_values_name_the_variable(env):
    with pytest.raises(ValueError, match="HW4_"):
        Settings.from_env(env)


def test_retry_waits_double_up_to_the_cap():
    s = Settings(task_retry_backoff_max=10)
    assert [s.retry_wait(n) for n in range(6)] == [1, 2, 4, 8, 10, 10]


@pytest.mark.parametrize("env", [
    {"HW4_VISIBILITY_TIMEOUT": "30"},  # not above the 30 s of work
    {"HW4_VISIBILITY_TIMEOUT": "34"},  # 30 s of work + the last retry's 4 s wait
    {"HW4_TASK_MAX_RETRIES": "8", "HW4_TASK_RETRY_BACKOFF_MAX": "60"},  # a 60 s wait
    {"HW4_MAX_WORK_SECONDS": "45"},
])
def test_a_visibility_timeout_that_would_run_a_task_twice_is_refused(env):
    with pytest.raises(ValueError) as refused:
        Settings.from_env(env)
    assert "HW4_VISIBILITY_TIMEOUT=" in str(refused.value)
    assert "HW4_MAX_WORK_SECONDS=" in str(refused.value)
    assert "runs twice" in str(refused.value)


@pytest.mark.parametrize("env", [
    {},
    {"HW4_VISIBILITY_TIMEOUT": "35"},
    {"HW4_TASK_MAX_RETRIES": "10"},  # the waits stop growing at 10 s: 30 + 10 < 45
    {"HW4_VISIBILITY_TIMEOUT": "15", "HW4_MAX_WORK_SECONDS": "10"},
    {"HW4_VISIBILITY_TIMEOUT": "31", "HW4_TASK_MAX_RETRIES": "0"},
])
def test_a_visibility_timeout_above_work_and_retry_wait_is_accepted(env):
    Settings.from_env(env)


def test_a_dotenv_file_fills_what_is_not_exported(tmp_path, monkeypatch):
    from hw4.config import described, environment, origins
    dotenv = tmp_path / ".env"
    dotenv.write_text("# my settings\nHW4_SERVICE_1_PORT=6001\nHW4_SERVICE_2_PORT=6002\n"
                      "HW4_LOG_DIR=/tmp/my-logs\nexport HW4_REDIS_PORT='6381'\n")
    monkeypatch.setenv("HW4_ENV_FILE", str(dotenv))
    monkeypatch.setenv("HW4_SERVICE_2_PORT", "7002")  # exported: wins over the file
    monkeypatch.setenv("HW4_LOG_DIR", "")  # exported but empty: unset, the file's counts
    # not exported (the notebooks' sandbox may have exported them in this process)
    monkeypatch.delenv("HW4_SERVICE_1_PORT", raising=False)
    monkeypatch.delenv("HW4_REDIS_PORT", raising=False)
    s = Settings.from_env()
    assert (s.service_1_port, s.service_2_port, s.redis_port) == (6001, 7002, 6381)
    assert s.log_dir == Path("/tmp/my-logs") and s.web_workers == 2
    where = origins()
    assert (where["HW4_SERVICE_1_PORT"], where["HW4_SERVICE_2_PORT"],
            where["HW4_WEB_WORKERS"]) == (".env", "environment", "default")
    assert ("HW4_REDIS_PORT", "6381", ".env") in described(s)
    # a mapping given by the caller is all there is: no file
    assert Settings.from_env({}).service_1_port == 5001
    monkeypatch.setenv("HW4_ENV_FILE", str(tmp_path / "missing"))
    assert "HW4_SERVICE_1_PORT" not in environment()


def test_secrets_are_never_shown(monkeypatch):
    from hw4.config import described
    monkeypatch.setenv("HW4_ENV_FILE", "/dev/null")
    monkeypatch.setenv("HW4_REDIS_PASSWORD", "hunter2")
    rows = described(Settings.from_env())
    assert ("HW4_REDIS_PASSWORD", "(set)", "environment") in rows
    assert not any("hunter2" in value for _, value, _ in rows)

@pytest.mark.parametrize("env", [
    {"HW4_DROP_GRACE": "50"},  # the 45 s visibility timeout + 5 s until a worker restores
    {"HW4_VISIBILITY_TIMEOUT": "60"},  # the default grace (60 s) is then too short
    {"HW4_DROP_GRACE": "8", "HW4_VISIBILITY_TIMEOUT": "3", "HW4_MAX_WORK_SECONDS": "1",
     "HW4_TASK_MAX_RETRIES": "0"},
])
def test_a_drop_grace_that_would_send_a_restored_task_twice_is_refused(env):
    with pytest.raises(ValueError) as refused:
        Settings.from_env(env)
    assert str(refused.value).startswith(f"HW4_DROP_GRACE={env.get('HW4_DROP_GRACE', 60)} ")
    assert "HW4_VISIBILITY_TIMEOUT=" in str(refused.value) and "sent twice" in str(refused.value)


def test_a_drop_grace_above_visibility_timeout_and_restore_is_accepted():
    settings = Settings.from_env({"HW4_DROP_GRACE": "9", "HW4_VISIBILITY_TIMEOUT": "3",
                                  "HW4_MAX_WORK_SECONDS": "1", "HW4_TASK_MAX_RETRIES": "0",
                                  "HW4_DROP_CHECK_INTERVAL": "0.5"})
    assert (settings.drop_grace, settings.drop_check_interval) == (9.0, 0.5)
    with pytest.raises(ValueError, match="HW4_DROP_CHECK_INTERVAL"):
        Settings.from_env({"HW4_DROP_CHECK_INTERVAL": "0"})
