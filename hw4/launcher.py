"""Start, stop and inspect hw4's processes: ``python -m hw4.launcher
start|stop|restart|status|settings|clean|kill`` (and ``pause|resume``: SIGSTOP/SIGCONT, a
hung component for the failure drills).

``scripts/run_all.sh``, ``stop_all.sh``, ``restart.sh``, ``status.sh``, ``settings.sh``
and ``clean.sh`` call this after preparing the Python environment. Each component runs in a
session of its own (so a Jupyter kernel restart, which kills its process
group, does not take the system down), with a pid file in the run folder,
its output in ``run/<name>.out`` and its log in ``logs/<name>.txt``.
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from hw4.clean import empty_folder, folders_to_clear
from hw4.code_version import code_file
from hw4.components import (
    Component,
    LaunchError,
    check_network,
    command,
    component_env,
    internal_token,
    is_healthy,
    is_stale,
    port_is_free,
    read_pid,
    ready_marker,
    running_pid,
    select_components,
)
from hw4.config import COMPONENTS, ROOT, Settings, described, env_file
from hw4.logs import log_event, setup_logging
from hw4.processes import signal_group, stop_group, write_pid_file
from hw4.status import (
    display_path,
    format_table,
    off_rows,
    settings_line,
    stale_files,
    status,
)

#: seconds to wait for every component to become healthy
START_DEADLINE = float(os.environ.get("HW4_START_DEADLINE", "60"))
#: seconds a component gets to stop after SIGTERM before SIGKILL
STOP_DEADLINE = float(os.environ.get("HW4_STOP_DEADLINE", "10"))


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
    for path in (component.pid_file(settings), ready_marker(component, settings),
                 code_file(settings.run_dir, component.name)):
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
    ready_marker(component, settings).unlink(missing_ok=True)
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


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "".join(path.read_text(errors="replace").splitlines(True)[-lines:])
    except OSError:
        return "(nothing written)\n"


def failure_report(component: Component, settings: Settings) -> str:
    files = dict.fromkeys([component.log_file(settings), component.output_file(settings)])
    return "".join(f"--- last lines of {path} ---\n{_tail(path)}" for path in files)


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
            command(component, settings), cwd=ROOT,
            env={**env, **component_env(component, settings)}, stdin=subprocess.DEVNULL,
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
    if not settings.flower and "flower" in (names or ()):
        raise LaunchError("flower is off (HW4_FLOWER=0): set HW4_FLOWER=1 to start it")
    # with HW4_FLOWER=0 a Flower still running from before is left alone, and not started
    selected = [c for c in select_components(settings, names)
                if c.name != "flower" or settings.flower]
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
            # one look at the process per poll: on 2 cores the launcher's CPU is taken
            # from the components starting beside it
            pid = running_pid(component, settings)
            if pid is None:
                raise LaunchError(f"{component.name} exited while starting\n"
                                  + failure_report(component, settings))
            if is_healthy(component, settings, pid):
                waiting.remove(component)
        if waiting and time.monotonic() > end:
            names = ", ".join(c.name for c in waiting)
            raise LaunchError(f"{names} not healthy after {deadline:g} s\n"
                              + "".join(failure_report(c, settings) for c in waiting))
        # every 50 ms: each poll asks the waiting components (see is_healthy), and at 20 ms the
        # launcher took about a third more CPU in a full start (0.54-0.69 s, not
        # 0.39-0.56 s), taken from the components starting beside it on 2 cores
        time.sleep(0.05)


def stop_components(settings: Settings, names: Iterable[str] | None = None) -> list[str]:
    """Stop components (all by default): the services and workers at once, then Redis.

    Redis goes last because a worker in its warm shutdown still talks to it. The
    others stop side by side: a Celery node takes about 3 s to end its pool, and
    one after the other they made ``stop_all.sh`` take 10 s.
    """
    chosen = select_components(settings, names)
    stopped = []
    for batch in ([c for c in chosen if c.name != "redis"],
                  [c for c in chosen if c.name == "redis"]):
        with ThreadPoolExecutor(max_workers=max(len(batch), 1)) as pool:
            ran = list(pool.map(lambda c: stop_component(c, settings), batch))
        stopped += [c.name for c, was_running in zip(batch, ran, strict=True) if was_running]
    return stopped


stop = one_at_a_time(stop_components)


def restart(settings: Settings, names: Iterable[str] | None = None) -> list[str]:
    """Stop components (all by default), then start them: each then runs the code on disk."""
    stop(settings, names)
    return start(settings, names)


@one_at_a_time
def clean(settings: Settings) -> dict[Path, int]:
    """Stop everything, then empty the log, report and run folders (only folders inside
    the repository: :func:`hw4.clean.folders_to_clear`). Returns how many entries each lost."""
    folders = folders_to_clear(settings)  # refused before anything stops
    stop_components(settings)
    return {folder: empty_folder(folder) for folder in folders}


def show_status(settings: Settings, names: list[str], whole_table: bool = False) -> int:
    """Print the settings line (to stderr, so stdout is the table alone), the table (of the
    components named, or all with ``whole_table``) and a note for each stale component.
    Exits 0 only when every component named is healthy (Flower off is no failure)."""
    off = off_rows(settings, names)  # Flower left out by HW4_FLOWER=0: shown, not asked
    named = [name for name in names if name != "flower"] if off else names
    asked = status(settings, named) if named or not names else []
    shown = status(settings) + off_rows(settings) if whole_table else asked + off
    print(settings_line(settings), file=sys.stderr)
    print(format_table(shown), flush=True)
    for row in asked:
        if row["code"] == "stale":
            name = row["component"]
            changed = stale_files(Component(str(name), None, None), settings) or []
            print(f"{name} runs older code: {', '.join(changed)} changed since it started; "
                  f"restart it: scripts/restart.sh {name}", file=sys.stderr)
    return 0 if all(r["healthy"] for r in asked) else 1


def show_settings(settings: Settings) -> int:
    rows = [{"variable": v, "value": value, "from": o} for v, value, o in described(settings)]
    print(format_table(rows, ["variable", "value", "from"]))
    path = env_file()
    print(f"settings file: {path}" + ("" if path.is_file() else " (none)"))
    return 0


def clean_slate(settings: Settings, yes: bool) -> int:
    """``clean.sh``: asks first (unless ``yes``), then stops everything and empties the
    folders; refused at once for a folder outside the repository."""
    folders = folders_to_clear(settings)
    listed = ", ".join(display_path(f) + "/" for f in folders)
    if not yes:
        question = f"Stop every component and delete everything in {listed}? [y/N] "
        try:
            answer = input(question)
        except EOFError:  # no terminal to ask: a script must say --yes
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing done (clean.sh --yes skips the question)")
            return 1
    removed = sum(clean(settings).values())
    print(f"stopped everything; emptied {listed} "
          f"({removed} {'entry' if removed == 1 else 'entries'} removed)")
    return 0


#: the actions that signal running components: what each calls and the word it prints
_SIGNAL_ACTIONS: dict[str, tuple[Callable[[Component, Settings], bool], str]] = {
    "kill": (kill_component, "killed"),  # SIGKILL, as a crash would
    "pause": (pause_component, "paused"),  # SIGSTOP: hung, answers nothing
    "resume": (resume_component, "resumed"),  # SIGCONT
}


def run_action(settings: Settings, action: str, names: list[str], yes: bool = False) -> int:
    """Carry out one command-line action; returns the exit status."""
    if action in ("start", "restart"):
        act = start if action == "start" else restart
        done = act(settings, names)
        print(f"{action}ed: {', '.join(done) or 'nothing (all were running)'}")
        return show_status(settings, names, whole_table=True)
    if action == "stop":
        stopped = stop(settings, names)
        print(f"stopped: {', '.join(stopped) or 'nothing (none was running)'}")
        return 0
    if action == "status":
        return show_status(settings, names)
    if action == "settings":
        return show_settings(settings)
    if action == "clean":
        return clean_slate(settings, yes)
    act_on, word = _SIGNAL_ACTIONS[action]
    for component in select_components(settings, names or None):
        if act_on(component, settings):
            print(f"{word}: {component.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hw4.launcher", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "restart", "status", "settings",
                                           "clean", *_SIGNAL_ACTIONS])
    parser.add_argument("components", nargs="*",
                        help=f"some of {', '.join(COMPONENTS)}, or an extra node: worker3, "
                             "worker-b1")
    parser.add_argument("--yes", action="store_true", help="clean without asking first")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.action != "settings":  # settings.sh only reads
            settings.log_dir.mkdir(parents=True, exist_ok=True)
            setup_logging("launcher", settings.log_dir)
        return run_action(settings, args.action, args.components, args.yes)
    except (LaunchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    try:
        status_code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped reading (scripts/status.sh | head -1): end quietly, as
        # Python's documentation of the signal module advises ("Note on SIGPIPE"):
        # the output goes nowhere from here on, so the flush at exit fails no more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status_code = 1
    sys.exit(status_code)
