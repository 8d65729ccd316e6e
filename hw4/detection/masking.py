"""The hint shown in place of a finding's value: `mask(value, kind)`.

Only the hint is ever logged or sent, so it shows just enough to recognise the value
("j***@e***.org", "**** **** **** 4242", "h******") and never more than about a third of it.
"""

from __future__ import annotations

import re

from hw4.detection.base import CREDIT_CARD, EMAIL, IBAN, KEYWORD, PASSWORD, PERSON_ID, PHONE, SSN
from hw4.detection.contact import normalise_email

_MAX_STARS = 8  # caps how much a hint leaks about the length of the value


def _tail_mask(value: str, compact: bool = False) -> str:
    """Stars then at most the last 2-4 characters, never more than a third of the value."""
    # numbers are masked without their spaces so the kept tail is always real characters
    v = re.sub(r"\s+", "", value) if compact else value.strip()
    visible = len(v) - sum(c.isspace() for c in v)
    keep = 4 if visible >= 12 else 2 if visible >= 6 else 0
    return "*" * min(len(v) - keep, _MAX_STARS) + (v[-keep:] if keep else "")


def mask(value: str, kind: str) -> str:
    """The masked hint shown in place of `value` (a finding's raw text) for type `kind`."""
    if kind == KEYWORD:
        # a keyword is not personal data; showing it tells the reader what triggered the alert
        return value.lower()
    if kind == EMAIL:
        normal = normalise_email(value)
        local, _, domain = normal.partition("@")
        host, _, tld = domain.rpartition(".")
        if local and host and tld:
            return f"{local[0]}***@{host[0]}***.{tld}"
        return _tail_mask(value)
    if kind == CREDIT_CARD:
        digits = re.sub(r"\D", "", value)
        return "**** **** **** " + digits[-4:]
    if kind == PASSWORD:
        v = value.strip()
        if len(v) < 3:
            return "*" * len(v)
        return v[0] + "*" * min(len(v) - 1, _MAX_STARS)
    return _tail_mask(value, compact=kind in (IBAN, PHONE, SSN, PERSON_ID))
