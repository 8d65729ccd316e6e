"""A private copy of hw4 next to any other: free ports and its own folders.

The integration tests and the benchmark each start the real system this way, so
they never touch the default ports (5001/5002/6380) and folders that a learner's
notebooks use, and several can run on one machine at once. Also :func:`wait_for`,
the polling helper with a deadline that the tests, the benchmark and the launcher's
stop use (a loop that shows each state as it comes, such as
``Client.wait_for_task`` or the launcher's wait for health, polls on its own).
"""

from __future__ import annotations

import os
import random
import socket
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    """A free port below the ephemeral range (Linux: 32768 and up, macOS: 49152 and up).

    A port the kernel hands out for port 0 comes from that range, where any
    outgoing connection (a test run makes thousands) may take it before the
    system binds it.
    """
    while True:
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port


def free_ports(count: int, host: str = "127.0.0.1", taken: Iterable[int] = ()) -> list[int]:
    """``count`` different free ports, none of ``taken``: two calls of :func:`free_port`
    may pick the same one (it is not taken until a component binds it), and then two
    components would share it (it happened: service_2's port was also Flower's)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port(host)
        if port not in ports and port not in taken:
            ports.append(port)
    return ports


def isolated_env(base: Path, **overrides: str) -> dict[str, str]:
    """The environment for hw4's scripts to run a copy in ``base`` on free ports.

    ``overrides`` are more ``HW4_*`` variables. The copy uses this interpreter
    (``HW4_PYTHON``), always starts its own Redis, and reads no ``.env`` file: a
    learner's settings file never changes what a test checks.
    """
    ports = free_ports(4)
    env = {
        **os.environ,
        "HW4_PYTHON": sys.executable,
        "HW4_ENV_FILE": os.devnull,
        "HW4_SERVICE_1_PORT": str(ports[0]),
        "HW4_SERVICE_2_PORT": str(ports[1]),
        "HW4_REDIS_PORT": str(ports[2]),
        "HW4_FLOWER_PORT": str(ports[3]),
        "HW4_RUN_DIR": str(base / "run"),
        "HW4_LOG_DIR": str(base / "logs"),
        "HW4_REPORT_DIR": str(base / "reports"),
        **overrides,
    }
    env.pop("HW4_REDIS_URL", None)
    return env


def wait_for(check: Callable[[], T], deadline: float, what: str, interval: float = 0.05) -> T:
    """Poll ``check`` until it returns something true and return that; after
    ``deadline`` seconds raise :class:`TimeoutError` naming ``what``."""
    end = time.monotonic() + deadline
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"{what}: not within {deadline:g} s")
        time.sleep(interval)
