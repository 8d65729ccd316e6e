"""Defences against hostile HTTP: what both services need beyond Flask's defaults.

Not part of the lesson: read ``read_json_body()`` as Flask's ``request.get_json()``
and ``drain_unread_body()`` as nothing at all. They exist because anyone can send
anything to a port: the reliability tests (``tests/reliability/test_hostile_input.py``,
``test_oversized.py``) send what a browser never would.

* :func:`read_json_body` reads a body strictly (UTF-8, no NaN or Infinity, no
  key twice, nothing that crashes Python's parser) and says in one sentence
  what is wrong, so a bad body is a 400 with a reason, never a 500.
* :func:`drain_unread_body` reads the body of a request refused before its body
  was read, so the client's kept-alive connection stays usable.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import g, request
from werkzeug.exceptions import HTTPException

_PLAIN_MIMETYPE = re.compile(r"[a-z]{1,20}/[a-z.+-]{1,40}")

#: the most of a refused body the service reads to keep the connection usable
MAX_DISCARD_BYTES = 8 * 1024 * 1024


class BadBody(ValueError):
    """The request body is not one JSON document; ``str(exc)`` says why."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise BadBody(f"the JSON object has the key {dup[:50]!r} more than once")
    return dict(pairs)


def _no_constants(name: str) -> None:
    raise BadBody(f"{name} is not valid JSON")


def read_json_body() -> Any:
    """The request's JSON body, strictly: UTF-8, no NaN/Infinity, no duplicate keys."""
    text = _read_text()
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BadBody(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} "
                      f"column {exc.colno}") from None
    except RecursionError:
        raise BadBody("the JSON body is nested too deeply") from None
    except BadBody:
        raise
    except ValueError:
        # an integer of more than 4300 digits (Python's guard against slow int parsing)
        raise BadBody("the body holds a number too long to read") from None


def _read_text() -> str:
    """The body as text, if it was sent as JSON, could be read, and is UTF-8."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        # the content type is repeated (logged, reported) only when it is a plain one
        got = repr(mimetype) if _PLAIN_MIMETYPE.fullmatch(mimetype) else (
            "another content type" if mimetype else "no content type")
        raise BadBody(
            f"the body must be JSON sent with Content-Type: application/json (got {got})")
    try:
        raw = request.get_data(cache=True)
        g.body_read = True
    except HTTPException:
        raise  # 413: over the size limit
    except Exception as exc:
        # the server could not read what the client sent (e.g. a broken chunked
        # encoding, raised by gunicorn while Flask reads): the client's fault, a 400
        raise BadBody(f"the body could not be read ({type(exc).__name__})") from None
    if not raw.strip():
        raise BadBody("the body is empty; send a JSON object such as {\"text\": \"hello\"}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(f"the body is not valid UTF-8 (byte {exc.start})") from None


def drain_unread_body() -> None:
    """Read and drop a body the service refused without reading (wrong content type,
    over the size limit).

    gunicorn's threaded worker answers with "Connection: keep-alive", then drains
    at most 64 KiB of an unread body and closes the connection when there is more:
    the client's next call on that connection then fails with "connection closed
    without response". Reading the body here keeps the promise gunicorn made.
    """
    stream = request.environ.get("wsgi.input")
    if g.get("body_read") or stream is None or not (
            request.content_length or request.headers.get("Transfer-Encoding")):
        return
    left = MAX_DISCARD_BYTES
    try:
        while left > 0:
            chunk = stream.read(min(65536, left))
            if not chunk:
                return
            left -= len(chunk)
    except Exception:  # a broken body: the server closes the connection anyway
        return
