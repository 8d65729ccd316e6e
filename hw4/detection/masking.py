"""The hints shown in place of a finding's value: one masking function per shape of value.

Only the hint is ever logged or sent, so it shows just enough to recognise the value
("j***@e***.org", "**** **** **** 4242", "h******") and never more than about a third of it.
Each kind of personal data names its masking function in its declaration (kinds.py);
`mask(value, kind)` (registry.py) calls it.
"""

from __future__ import annotations

import re

from hw4.detection.contact import normalise_email

_MAX_STARS = 8  # caps how much a hint leaks about the length of the value


def tail_mask(value: str, compact: bool = False) -> str:
    """Stars then at most the last 2-4 characters, never more than a third of the value.

    The hint of every kind that names no masking function of its own.
    """
    # numbers are masked without their spaces so the kept tail is always real characters
    v = re.sub(r"\s+", "", value) if compact else value.strip()
    visible = len(v) - sum(c.isspace() for c in v)
    keep = 4 if visible >= 12 else 2 if visible >= 6 else 0
    return "*" * min(len(v) - keep, _MAX_STARS) + (v[-keep:] if keep else "")


def number_mask(value: str) -> str:
    """`tail_mask` of the value without its spaces: "DE89 3704 …" gives "********3000"."""
    return tail_mask(value, compact=True)


def email_mask(value: str) -> str:
    """"j***@e***.org", also for a spelled-out address ("ann at example dot org")."""
    local, _, domain = normalise_email(value).partition("@")
    host, _, tld = domain.rpartition(".")
    if local and host and tld:
        return f"{local[0]}***@{host[0]}***.{tld}"
    return tail_mask(value)


def card_mask(value: str) -> str:
    """"**** **** **** 4242": the last four digits, as card receipts print them."""
    return "**** **** **** " + re.sub(r"\D", "", value)[-4:]


def password_mask(value: str) -> str:
    """The first character and one star per further character, at most 8: "h******"."""
    v = value.strip()
    if len(v) < 3:
        return "*" * len(v)
    return v[0] + "*" * min(len(v) - 1, _MAX_STARS)


def keyword_hint(value: str) -> str:
    """A keyword is not personal data; showing it tells the reader what triggered the alert."""
    return value.lower()
