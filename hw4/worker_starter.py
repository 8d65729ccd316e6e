"""Start Celery nodes from one process that has imported Celery once.

``python -m hw4.worker_starter worker1 worker2`` (the launcher calls it, with
the settings in the environment). Each node runs Celery's command line,
``celery -A hw4.worker worker -n worker1@%h ...`` (``launcher.celery_arguments``),
writes its own pid file, and sends its output to ``run/<name>.out``.

Why: a Celery node spends about three quarters of its start importing Celery,
kombu, redis and hw4 (~0.3 s of CPU on the 2-core machines hw4 is taught on).
Started as two ``celery`` processes, worker1 and worker2 each pay for it,
while the services boot on the same two cores. Here the imports happen once;
each node is then a forked child that runs Celery's own command line,
``celery.bin.celery.main``, with the same arguments, in a session of its own.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path


def write_pid_file(path: str | Path, pid: int) -> None:
    """Write ``pid`` to ``path`` atomically: a reader never sees half a number."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(f"{pid}\n")
    os.replace(partial, path)


def _preload() -> None:
    """Import what every node would import itself while it starts (found by
    comparing ``sys.modules`` at the fork and at ``worker_ready``)."""
    import encodings.idna  # noqa: F401 - the host name, for the node name

    import billiard.popen_fork  # noqa: F401
    import billiard.sharedctypes  # noqa: F401
    import billiard.synchronize  # noqa: F401
    import celery.app.control  # noqa: F401
    import celery.app.events  # noqa: F401
    import celery.apps.worker  # noqa: F401
    import celery.bin.celery  # noqa: F401
    import celery.concurrency.prefork  # noqa: F401
    import celery.events.dispatcher  # noqa: F401
    import celery.events.receiver  # noqa: F401
    import celery.worker.autoscale  # noqa: F401
    import celery.worker.components  # noqa: F401
    import celery.worker.consumer  # noqa: F401
    import celery.worker.consumer.delayed_delivery  # noqa: F401
    import celery.worker.strategy  # noqa: F401
    import kombu.pidbox  # noqa: F401
    import kombu.transport.redis  # noqa: F401

    import hw4.tasks  # noqa: F401
    import hw4.worker  # noqa: F401

    # Each pool process sets its parent-death signal through billiard, which
    # uses cffi when it is installed (Jupyter brings it) and then imports cffi's
    # C parser: 25 ms of CPU per pool process, four of them at a warm start
    with contextlib.suppress(ImportError):
        import cffi.cparser  # noqa: F401


def _become_node(name: str, pid_file: Path, output: Path, argv: list[str]) -> None:
    """In the forked child: detach, redirect output, run Celery's command line."""
    os.setsid()  # a session and process group of its own, as the launcher expects
    write_pid_file(pid_file, os.getpid())
    # the name top and ps -o comm show (Linux): the node's, not "python"
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    gc.enable()
    from celery.bin.celery import main

    sys.argv = ["celery", *argv]
    main()
    # Celery's main exits through SystemExit; this child must never go back to
    # the loop that forks the nodes
    sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    # no collections while importing (~15% of an import's time); the imported
    # objects are then frozen, so the children never scan them
    gc.disable()
    from hw4.config import Settings
    from hw4.launcher import LaunchError, celery_arguments, select_components
    from hw4.logs import log_event, setup_logging

    try:
        settings = Settings.from_env()
        nodes = select_components(settings, sys.argv[1:] if argv is None else argv)
        if not nodes or not all(n.is_worker for n in nodes):
            raise LaunchError("name one or more Celery workers (worker1, worker2)")
        _preload()
        gc.freeze()
        sys.stdout.flush()
        sys.stderr.flush()
        started = []
        for node in nodes:
            pid = os.fork()
            if pid == 0:
                _become_node(node.name, node.pid_file(settings), node.output_file(settings),
                             celery_arguments(node, settings))
            write_pid_file(node.pid_file(settings), pid)
            started.append((node.name, pid))
        # only now: a handler set up before the forks would follow the nodes
        setup_logging("launcher", settings.log_dir)
        for name, pid in started:
            log_event("component.started", None, component=name, pid=pid,
                      via="hw4.worker_starter")
    except (LaunchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
