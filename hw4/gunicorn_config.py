"""gunicorn's configuration for both services (``gunicorn --config python:hw4.gunicorn_config``).

gunicorn imports this module before it loads the service (with ``--preload``,
in the master process, which then forks the workers). Only gunicorn should
import it: importing it turns the garbage collector off until ``on_starting``.
"""

from __future__ import annotations

import gc

from gunicorn import util

from hw4.web_server import json_error

# No garbage collection while gunicorn imports the service: the collector would
# scan the growing heap of just-imported modules again and again (~15% of
# service_1's import time; a warm start's median 0.76-0.81 s -> 0.74-0.76 s).
gc.disable()


def on_starting(server: object) -> None:
    """In the master, after the service is loaded and before any worker is forked."""
    # gunicorn's workers call util.write_error for requests they cannot parse;
    # they are forked from this process, so they inherit the change
    util.write_error = json_error
    # what was imported is never garbage: frozen, no collection scans it again,
    # in the master or in the workers it forks
    gc.freeze()
    gc.enable()


# How long an idle kept-alive connection stays open (gthread workers keep them;
# gunicorn's default is 2 s). A client that reuses a connection just as the server
# closes it sees "connection closed without response"; with 30 s that race needs
# a client idle for exactly 30 s, instead of any pause of about 2 s.
keepalive = 30
