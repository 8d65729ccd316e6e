"""hw4.web_server's worker class that shares a burst of connections; hw4.gunicorn_config."""

from __future__ import annotations

import gc
import importlib
import socket
import sys
import threading
import time
from types import SimpleNamespace

from gunicorn import util

from hw4.web_server import BalancedThreadWorker, json_error


def _worker(threads: int, connections: int, defer_s: float) -> BalancedThreadWorker:
    """A worker with just the state ``accept`` uses; accepted connections are kept."""
    worker = BalancedThreadWorker.__new__(BalancedThreadWorker)
    worker.cfg = SimpleNamespace(threads=threads)
    worker.nr_conns = connections
    worker.defer_s = defer_s
    worker.accepted = []
    worker.enqueue_req = worker.accepted.append
    return worker


def test_a_full_process_leaves_a_new_connection_to_an_idle_sibling():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        full = _worker(threads=4, connections=4, defer_s=1.0)
        idle = _worker(threads=4, connections=0, defer_s=1.0)
        with socket.create_connection(listener.getsockname()):
            # both processes are woken by the same connection; the full one first
            woken = threading.Event()

            def full_process() -> None:
                woken.set()
                full.accept(listener)

            waiting = threading.Thread(target=full_process)
            waiting.start()
            woken.wait()
            idle.accept(listener)
            waiting.join()
        assert len(idle.accepted) == 1 and full.accepted == []
        assert full.nr_conns == 4 and idle.nr_conns == 1
        for conn in idle.accepted:
            conn.sock.close()


def test_a_full_process_still_accepts_when_no_sibling_does():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        full = _worker(threads=4, connections=5, defer_s=0.01)
        with socket.create_connection(listener.getsockname()):
            full.accept(listener)
        assert len(full.accepted) == 1 and full.nr_conns == 6
        full.accepted[0].sock.close()


def test_a_process_with_four_connections_per_thread_accepts_without_waiting():
    """Past four connections per thread every process has a backlog: waiting would
    only stall the event loop during a large burst of clients."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        busy = _worker(threads=4, connections=16, defer_s=1.0)
        with socket.create_connection(listener.getsockname()):
            began = time.monotonic()
            busy.accept(listener)
            waited = time.monotonic() - began
        assert len(busy.accepted) == 1 and waited < 0.5
        busy.accepted[0].sock.close()


def test_the_gunicorn_config_pauses_the_collector_until_gunicorn_starts():
    original = util.write_error
    sys.modules.pop("hw4.gunicorn_config", None)
    try:
        config = importlib.import_module("hw4.gunicorn_config")
        assert not gc.isenabled()  # while gunicorn goes on to load the service
        config.on_starting(None)
        assert gc.isenabled()
        assert util.write_error is json_error
        assert config.keepalive == 30
    finally:
        gc.unfreeze()
        gc.enable()
        util.write_error = original
