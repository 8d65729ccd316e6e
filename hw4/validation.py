"""Checking what a user sent to ``POST /messages`` before anything else looks at it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from hw4.config import Settings

MODES = ("async", "sync")
_FIELDS = {"text", "mode", "work_seconds", "fail"}
#: a request id a client may choose (header X-Request-ID); anything else is replaced
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: a name that may be repeated in an error message: a word, no digits in a row
PLAIN_NAME = re.compile(r"[A-Za-z_]{1,30}[0-9]?")


class InvalidMessage(ValueError):
    """The message cannot be processed; ``str(exc)`` says why, for the user."""


@dataclass(frozen=True)
class Message:
    text: str
    mode: str = "async"
    work_seconds: float = 0.0
    #: ask the task to fail on purpose (for the failure demo and tests)
    fail: bool = False


def check_work_seconds(work: object, settings: Settings) -> float:
    """``work_seconds`` as a float, or :class:`InvalidMessage` (service_1 and service_2 ask)."""
    # an int is compared as it is: math.isfinite(10**400) would raise OverflowError
    if isinstance(work, bool) or not isinstance(work, (int, float)) or \
            (isinstance(work, float) and not math.isfinite(work)):
        raise InvalidMessage("'work_seconds' must be a number")
    if not 0 <= work <= settings.max_work_seconds:
        raise InvalidMessage(
            f"'work_seconds' must be between 0 and {settings.max_work_seconds:g}")
    return float(work)


def validate_message(payload: object, settings: Settings) -> Message:
    """Turn a decoded JSON body into a :class:`Message`, or raise :class:`InvalidMessage`."""
    if not isinstance(payload, dict):
        raise InvalidMessage(
            f"the body must be a JSON object, not {_json_type(payload)}")
    unknown = sorted(set(payload) - _FIELDS)
    if unknown:
        # the reason is logged and written to a report: only plain names are
        # repeated, never a key that could hold personal data or a line break
        shown = [repr(k) for k in unknown if PLAIN_NAME.fullmatch(k)][:5]
        if len(unknown) > len(shown):
            shown.append(f"{len(unknown) - len(shown)} not shown")
        raise InvalidMessage(
            f"unknown field(s): {', '.join(shown)}; allowed: text, mode, work_seconds, fail")
    if "text" not in payload:
        raise InvalidMessage("'text' is missing")
    text = payload["text"]
    if not isinstance(text, str):
        raise InvalidMessage(f"'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise InvalidMessage("'text' is empty")
    if len(text) > settings.max_text_chars:
        raise InvalidMessage(
            f"'text' is too long: {len(text)} characters, at most {settings.max_text_chars}")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise InvalidMessage("'text' holds a lone surrogate, which is not valid Unicode")
    if "\x00" in text:
        raise InvalidMessage("'text' holds a NUL character")
    mode = payload.get("mode", "async")
    if mode not in MODES:
        raise InvalidMessage("'mode' must be \"async\" or \"sync\"")
    work = check_work_seconds(payload.get("work_seconds", 0), settings)
    fail = payload.get("fail", False)
    if not isinstance(fail, bool):
        raise InvalidMessage("'fail' must be true or false")
    if fail and mode == "sync":
        # only a task fails on purpose (and is retried); service_2 has no such switch
        raise InvalidMessage("'fail' applies to async messages only (a task that fails "
                             "on purpose and is retried); leave it out of a sync message")
    return Message(text=text, mode=mode, work_seconds=work, fail=fail)


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
