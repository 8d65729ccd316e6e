"""Every setting of hw4 in one place: environment variables with defaults.

Each setting is read from an ``HW4_*`` environment variable when a process
builds its :class:`Settings`: a service in ``create_app``, the launcher in its
``main``, a worker when Celery imports its entry module ``hw4.worker`` (``celery
-A`` needs the app there). No other module reads them when it is imported, so
tests can override any of them.

A ``.env`` file in the repository root (python-dotenv's format, as Flask and Docker
Compose read one) fills in the variables that are not exported: an exported variable
wins. ``.env.example`` shows the format.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from dotenv import dotenv_values

#: the repository root (the folder that holds ``hw4/``)
ROOT = Path(__file__).resolve().parent.parent

#: the component names: each is also its log file, pid file and worker node name
COMPONENTS = ("redis", "service_1", "service_2", "worker1", "worker2", "flower")

#: the settings file: ``HW4_ENV_FILE`` names another (the tests' sandbox gives /dev/null,
#: so a student's .env never moves a test's system onto the student's ports or folders)
ENV_FILE = ROOT / ".env"

#: seconds between two looks of a worker for tasks whose worker died (the Redis
#: transport's ``unacked_restore_interval``): they go back to their queue then
UNACKED_RESTORE_INTERVAL = 5

#: the secrets that may also come from a file, ``HW4_<NAME>_FILE`` (kept off command
#: lines and shell histories, and easy to copy from one host to another)
SECRETS = ("redis_password", "internal_token", "flower_password")


@dataclass(frozen=True)
class Settings:
    """The whole configuration. The field docs are docs/configuration.md's settings table.

    The secrets, and a Redis URL that may hold one, are left out of its ``repr``: the
    workers' Celery configuration holds these settings, and ``celery inspect conf`` (Flower's
    worker page too) shows that configuration to whoever asks.
    """

    #: interface the services and the launched Redis bind to
    host: str = "127.0.0.1"
    #: service_1's port
    service_1_port: int = 5001
    #: service_2's port
    service_2_port: int = 5002
    #: port of the Redis server the launcher starts
    redis_port: int = 6380
    #: password of that Redis (empty: none)
    redis_password: str = field(default="", repr=False)
    #: an existing Redis to use instead of starting one (redis://...)
    redis_url: str = field(default="", repr=False)
    #: where service_1 sends sync messages; empty: service_2 on host and service_2_port
    service_2_target: str = field(default="", metadata={"env": "HW4_SERVICE_2_URL"})
    #: folder of the log files
    log_dir: Path = ROOT / "logs"
    #: folder of the alert reports
    report_dir: Path = ROOT / "error_reports"
    #: folder of pid files, Redis data and process output
    run_dir: Path = ROOT / "run"
    #: the token service_1 sends to service_2 (the launcher generates one)
    internal_token: str = field(default="", repr=False)
    #: longest accepted message text, in characters
    max_text_chars: int = 5000
    #: largest accepted request body, in bytes
    max_body_bytes: int = 65536
    #: longest simulated processing time a message may ask for, in seconds
    max_work_seconds: float = 30.0
    #: seconds service_1 waits for service_2 before answering 504
    service_2_timeout: float = 5.0
    #: seconds service_1 waits for Redis before answering 503
    broker_timeout: float = 1.0
    #: seconds before a task of a dead worker is handed out again
    visibility_timeout: int = 45
    #: seconds a task's state and result are kept in Redis (a week)
    result_expires: int = 7 * 24 * 3600
    #: what a message that only names a sensitive word gets: "block" or "warn"
    keyword_policy: str = "block"
    #: gunicorn worker processes per service
    web_workers: int = 2
    #: threads per gunicorn process (1: gunicorn's sync worker; more: its threaded
    #: worker, gthread, which also keeps client connections alive)
    web_threads: int = 4
    #: 1: import the app once in gunicorn's master and fork the processes from
    #: it (faster start); nothing connects before the fork
    web_preload: int = 1
    #: processes per Celery worker node
    worker_concurrency: int = 2
    #: retries of a failing task before it ends in FAILURE (3: four attempts in all)
    task_max_retries: int = 3
    #: longest wait before a retry, in seconds (the waits double: 1, 2, 4 ... up to it)
    task_retry_backoff_max: int = 10
    #: seconds between two rounds of the check for tasks the broker dropped
    drop_check_interval: float = 10.0
    #: seconds a task must be missing (no queue, no worker, no final state) before it is sent again
    drop_grace: float = 60.0
    #: 1: the launcher starts Flower, Celery's monitor, with the rest; 0: it leaves it out
    flower: int = 1
    #: Flower's port
    flower_port: int = 5555
    #: the password of Flower's user ``hw4`` (the launcher generates one)
    flower_password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``HW4_<FIELD>`` variables; unset ones keep their default.

        Without ``env``: the exported variables, and the ``.env`` file for the others.
        """
        env = environment() if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(env_name(f))
            if not raw and f.name in SECRETS:
                raw = _read_secret_file(env, env_name(f) + "_FILE")
            if raw is None or raw == "":
                continue
            # the default's type is the setting's type (Path, int, float, str)
            kind = Path if isinstance(f.default, Path) else type(f.default)
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(f"{env_name(f)}={raw!r}: {exc}") from None
        settings = cls(**values)
        if settings.keyword_policy not in ("block", "warn"):
            raise ValueError("HW4_KEYWORD_POLICY must be 'block' or 'warn'")
        check_visibility_timeout(settings)
        check_drop_grace(settings)
        return settings

    def override(self, **changes: object) -> Settings:
        return replace(self, **changes)

    def retry_wait(self, retries: int) -> int:
        """Seconds a failing task waits before its next attempt, after ``retries`` retries."""
        return min(2 ** retries, self.task_retry_backoff_max)

    @property
    def redis_base_url(self) -> str:
        """URL of the Redis every process talks to, its database number left off (each
        use adds its own: :meth:`redis_db_url`); a query (``?ssl_cert_reqs=...``) is kept."""
        password = quote(self.redis_password, safe="")
        if not self.redis_url:
            auth = f":{password}@" if password else ""
            return f"redis://{auth}{self.host}:{self.redis_port}"
        url = urlsplit(self.redis_url)
        netloc = url.netloc
        # a URL without a password takes HW4_REDIS_PASSWORD's (or its file's), so the
        # password need not be written into the URL on the command line
        if password and url.password is None:
            netloc = f"{url.username or ''}:{password}@{netloc.rpartition('@')[2]}"
        return urlunsplit((url.scheme, netloc, "", url.query, ""))

    def redis_db_url(self, db: int) -> str:
        """The URL of Redis database ``db``: ``redis://host:port/<db>?<query>``."""
        return urlunsplit(urlsplit(self.redis_base_url)._replace(path=f"/{db}"))

    @property
    def has_redis_password(self) -> bool:
        """Does every client of Redis send a password (the setting's or the URL's)?"""
        return urlsplit(self.redis_base_url).password is not None

    @property
    def broker_url(self) -> str:
        return self.redis_db_url(0)

    @property
    def result_url(self) -> str:
        return self.redis_db_url(1)

    @property
    def service_1_url(self) -> str:
        return f"http://{self.host}:{self.service_1_port}"

    @property
    def flower_url(self) -> str:
        return f"http://{self.host}:{self.flower_port}"

    @property
    def service_2_url(self) -> str:
        """Where service_1 reaches service_2: ``HW4_SERVICE_2_URL``, else host and port."""
        return self.service_2_target.rstrip("/") or f"http://{self.host}:{self.service_2_port}"

    def env(self) -> dict[str, str]:
        """These settings as ``HW4_*`` variables, for child processes."""
        return {env_name(f): str(getattr(self, f.name)) for f in fields(self)}


def env_file() -> Path:
    """The settings file this process reads: ``$HW4_ENV_FILE``, else ``.env`` in the root."""
    return Path(os.environ.get("HW4_ENV_FILE") or ENV_FILE)


def read_env_file(path: Path) -> dict[str, str]:
    """The variables a ``.env`` file sets (none when there is no such file)."""
    return {name: value for name, value in dotenv_values(path).items() if value}


def environment() -> dict[str, str]:
    """The variables hw4 reads: the ``.env`` file's, and the exported ones over them (an
    exported empty variable counts as unset, as it does for every setting)."""
    exported = {name: value for name, value in os.environ.items() if value}
    return {**read_env_file(env_file()), **exported}


def origins() -> dict[str, str]:
    """Where each setting comes from, by variable: ``"environment"`` (exported), ``".env"``
    or ``"default"`` (a secret from its ``_FILE`` variable: where that one comes from)."""
    in_file = read_env_file(env_file())
    found = {}
    for f in fields(Settings):
        names = [env_name(f)] + ([env_name(f) + "_FILE"] if f.name in SECRETS else [])
        found[env_name(f)] = next(
            ("environment" if os.environ.get(name) else ".env" for name in names
             if os.environ.get(name) or name in in_file), "default")
    return found


def described(settings: Settings) -> list[tuple[str, str, str]]:
    """Every setting as (variable, value, where it comes from); secrets shown as "(set)"."""
    where = origins()
    rows = []
    for f in fields(settings):
        value = str(getattr(settings, f.name))
        if f.name in SECRETS and value:
            value = "(set)"
        rows.append((env_name(f), value, where[env_name(f)]))
    return rows


def check_visibility_timeout(settings: Settings) -> None:
    """Refuse a visibility timeout that would run a task twice (:class:`ValueError`).

    Redis hands a task that a worker has not acknowledged within the visibility timeout
    to another worker. A worker holds a task from the moment it takes it until it is
    done: a retry's wait (the worker takes the task at once, and waits) plus the work.
    """
    wait = settings.retry_wait(settings.task_max_retries - 1) if settings.task_max_retries else 0
    if settings.visibility_timeout <= settings.max_work_seconds + wait:
        raise ValueError(
            f"HW4_VISIBILITY_TIMEOUT={settings.visibility_timeout} must be more than "
            f"HW4_MAX_WORK_SECONDS={settings.max_work_seconds:g} plus the longest wait "
            f"before a retry ({wait} s, by HW4_TASK_MAX_RETRIES={settings.task_max_retries} "
            f"and HW4_TASK_RETRY_BACKOFF_MAX={settings.task_retry_backoff_max}): a task "
            "still held by its worker after the visibility timeout is handed to another "
            "worker and runs twice")


def check_drop_grace(settings: Settings) -> None:
    """Refuse a grace period that would send a task again while Redis still holds it.

    A task a worker took and never acknowledged (its node died) is in no queue until the
    visibility timeout has passed and a worker's next look for such tasks puts it back
    (every :data:`UNACKED_RESTORE_INTERVAL` s): the drop check must wait longer than that.
    """
    if settings.drop_grace <= settings.visibility_timeout + UNACKED_RESTORE_INTERVAL:
        raise ValueError(
            f"HW4_DROP_GRACE={settings.drop_grace:g} must be more than "
            f"HW4_VISIBILITY_TIMEOUT={settings.visibility_timeout} plus "
            f"{UNACKED_RESTORE_INTERVAL} s: a task whose worker died is out of its queue "
            "that long before Redis hands it out again, and would be sent twice")
    if settings.drop_check_interval <= 0:
        raise ValueError("HW4_DROP_CHECK_INTERVAL must be more than 0")


def env_name(setting: Field) -> str:
    """A setting's variable: ``HW4_`` and its name in capitals, unless it names its own."""
    return setting.metadata.get("env", "HW4_" + setting.name.upper())


def _read_secret_file(env: Mapping[str, str], variable: str) -> str | None:
    """The secret in the file ``env[variable]`` names (its first line), or None."""
    name = env.get(variable)
    if not name:
        return None
    try:
        lines = Path(name).expanduser().read_text().splitlines()
    except OSError as exc:
        raise ValueError(f"{variable}={name!r}: cannot read it: {exc.strerror}") from None
    if not lines or not lines[0].strip():
        raise ValueError(f"{variable}={name!r}: the file is empty")
    return lines[0].strip()


def is_loopback(host: str) -> bool:
    """Is ``host`` reachable from this machine only (127.0.0.0/8, ::1, localhost)?

    ``0.0.0.0`` (every interface) is not; a name counts as loopback only when every
    address it resolves to is.
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name
        pass
    try:
        found = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in found)
