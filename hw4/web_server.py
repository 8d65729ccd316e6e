"""The web server's pieces shared by both services; ``hw4.gunicorn_config`` uses them.

A request that is not valid HTTP (a garbled request line, a header over
8190 bytes, more than 100 headers, an unknown transfer coding) never reaches
Flask: gunicorn answers it itself, with an HTML page. Here it answers in the
same JSON shape as every other error of hw4, and with a 4xx: what a client sent
is never a server error (gunicorn would say 501 for an unknown transfer coding).
"""

from __future__ import annotations

import json
import socket
import time

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker


def json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Drop-in for ``gunicorn.util.write_error``: the same answer, as JSON."""
    if status_int == 501:
        status_int, reason = 400, "Bad Request"
    error = f"{reason}: {mesg}" if mesg else reason
    body = json.dumps({"error": error, "request_id": None}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)
    _drain(sock)


def _drain(sock: socket.socket, deadline: float = 0.5) -> None:
    """Read what the client still sends before gunicorn closes the socket.

    The request was refused at its headers, so its body is still unread; closing
    a socket with unread input makes the kernel send a reset, and a reset can
    destroy the answer before the client reads it (a "lingering close").
    """
    try:
        sock.shutdown(socket.SHUT_WR)  # the answer is complete: tell the client
        sock.settimeout(deadline)
        end = time.monotonic() + deadline
        while time.monotonic() < end and sock.recv(65536):
            pass
    except OSError:
        pass  # the client is gone already: nothing left to protect


class BalancedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, except that a process lets its siblings accept first
    once it holds a connection per thread.

    Every worker process waits on the same listening socket and the first to wake
    takes a new connection, so a burst of kept-alive connections (a class opening
    its notebooks, a load generator) often lands on one process while the other
    idles: measured on 2 cores, 8 connections split 0/8, 1/7 or 4/4 between runs,
    and at 0/8 a service answers at half speed (one process, one core). gunicorn
    leaves this to the kernel (benoitc/gunicorn#3433). Here a process that is
    already full waits a few milliseconds before it accepts: an idle sibling,
    woken by the same connection, takes it first; if none does, it is accepted
    anyway, so no connection is ever refused or starved.
    """

    #: how long a full process leaves a new connection to its siblings
    defer_s = 0.005

    def accept(self, listener: socket.socket) -> None:
        # only up to four connections per thread: each wait stalls this process's
        # event loop, and with no limit a burst of 200 clients took p99 from
        # ~0.1 s to ~0.6 s; past that, every process has a backlog of its own
        if self.cfg.threads <= self.nr_conns < 4 * self.cfg.threads:
            time.sleep(self.defer_s)
        super().accept(listener)  # EAGAIN (a sibling took it) is ignored there
