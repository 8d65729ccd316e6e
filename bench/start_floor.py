"""The warm start's floor: what the start row's ratio would be if hw4's apps did nothing.

``python -m bench.start_floor [--rounds N]`` (``scripts/bench.sh`` is not needed: it
starts its own Redis in a temporary folder, on free ports, and stops everything).

The start row of ``python -m bench`` compares ``run_all.sh`` (all components at once)
with the slowest component started alone. Most of that time is not hw4's code: it is
Python, gunicorn, Flask, Celery's command line and Flower importing themselves. This
measures it. The same five processes (service_1, service_2, worker1, worker2, Flower)
start from hw4's own command lines (``hw4.components.command``) twice, alternating
round by round:

* **hw4**: as ``run_all.sh`` starts them;
* **floor**: the same command lines with do-nothing apps (``bench.floor_web``: Flask
  alone; ``bench.floor_node``: hw4's Celery settings and a no-op task).

Each stack is started whole and each process alone (Redis already up), and timed
from the spawn until it answers (a service's ``/health``, Flower's ``/healthcheck``,
a node's ready marker), polled every 50 ms with the launcher's own check
(``hw4.components.is_healthy``). ``run_all.sh`` adds its own time (bash, finding the
environment, importing the launcher, the final table):
measured here as ``run_all.sh worker1`` less worker1 started alone by this script, and
added to both sides of the "with the launcher" ratio, as the start row pays it on both
sides (an estimate: the launcher asks six components, not one, in a whole start).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.processes import Hw4
from hw4.components import (
    Component,
    command,
    component_env,
    internal_token,
    is_healthy,
    port_is_free,
    ready_marker,
    select_components,
)
from hw4.config import ROOT
from hw4.launcher import START_DEADLINE
from hw4.processes import stop_group
from hw4.sandbox import wait_for

STARTED = ("service_1", "service_2", "worker1", "worker2", "flower")
#: what the floor puts in place of hw4's apps in the command lines
FLOOR_APPS = {"hw4.service_1:create_app()": "bench.floor_web:create_app('service_1')",
              "hw4.service_2:create_app()": "bench.floor_web:create_app('service_2')",
              "hw4.worker": "bench.floor_node"}


def stack_commands(hw4: Hw4, floor: bool) -> dict[str, tuple[list[str], Component]]:
    """Each process's command line, with the floor's apps if ``floor``."""
    chosen = select_components(hw4.settings, list(STARTED))
    return {c.name: ([FLOOR_APPS.get(part, part) if floor else part
                      for part in command(c, hw4.settings)], c) for c in chosen}


def start_together(items: list[tuple[list[str], Component]], hw4: Hw4) -> float:
    """Spawn them all at once; seconds until every one answers; stop them again."""
    env = {**hw4.env, **hw4.settings.env(), "PYTHONUNBUFFERED": "1",
           "HW4_INTERNAL_TOKEN": internal_token(hw4.settings)}
    for _, component in items:
        ready_marker(component, hw4.settings).unlink(missing_ok=True)
        if component.port is not None:  # the last run's processes are all gone
            wait_for(lambda p=component.port: port_is_free(hw4.settings.host, p), 30,
                     f"port {component.port}")
    began = time.perf_counter()
    processes = [(subprocess.Popen(cmd, cwd=ROOT, env={**env, **component_env(c, hw4.settings)},
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True), c)
                 for cmd, c in items]
    try:
        waiting = list(processes)
        while waiting:
            for process, component in list(waiting):
                if process.poll() is not None:
                    raise RuntimeError(f"{component.name} exited while starting")
                if is_healthy(component, hw4.settings, process.pid):
                    waiting.remove((process, component))
            if waiting and time.perf_counter() - began > START_DEADLINE:
                names = ", ".join(c.name for _, c in waiting)
                raise TimeoutError(f"{names}: not healthy after {START_DEADLINE} s")
            if waiting:
                time.sleep(0.05)
        return time.perf_counter() - began
    finally:
        for process, _ in processes:
            stop_group(process.pid, deadline=10)
            process.wait()


def measure(rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per round: ``run_all.sh worker1`` (``launcher``), and for each stack its
    whole start (``full``) and each process alone."""
    base = Path(tempfile.mkdtemp(prefix="hw4-floor-"))
    hw4 = Hw4(base)
    times: dict[str, dict[str, list[float]]] = {"launcher": {"worker1": []}}
    try:
        hw4.start("redis")
        for _ in range(rounds):
            for stack in ("hw4", "floor"):
                commands = stack_commands(hw4, floor=stack == "floor")
                row = times.setdefault(stack, {})
                for name, item in commands.items():
                    row.setdefault(name, []).append(start_together([item], hw4))
                row.setdefault("full", []).append(start_together(list(commands.values()), hw4))
            times["launcher"]["worker1"].append(hw4.start("worker1"))
            hw4.stop("worker1")
    finally:
        hw4.stop()
        shutil.rmtree(base, ignore_errors=True)
    return times


def report(times: dict[str, dict[str, list[float]]]) -> str:
    through_script = statistics.median(times["launcher"]["worker1"])
    launcher = through_script - statistics.median(times["hw4"]["worker1"])
    lines = [f"run_all.sh worker1: {through_script:.2f} s, of which run_all.sh's own "
             f"{launcher:.2f} s",
             "| apps | all at once | slowest alone | ratio | with the launcher |",
             "|---|---|---|---|---|"]
    for stack in ("hw4", "floor"):
        median = {name: statistics.median(v) for name, v in times[stack].items()}
        full = median.pop("full")
        slowest = max(median, key=median.__getitem__)
        alone = median[slowest]
        lines.append(f"| {stack} | {full:.2f} s | {alone:.2f} s ({slowest}) | "
                     f"{full / alone:.2f}× | {(full + launcher) / (alone + launcher):.2f}× |")
        lines.append("|  | alone: " + ", ".join(f"{n} {t:.2f} s" for n, t in median.items())
                     + " | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.start_floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per stack (5)")
    args = parser.parse_args(argv)
    print(report(measure(args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
