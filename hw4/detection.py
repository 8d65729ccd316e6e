"""Personal-data detection (baseline): keywords, emails, phone numbers, card numbers.

``detect(text)`` returns :class:`Finding` objects. A finding keeps the raw value
in memory only (``value``, left out of ``repr`` and :meth:`Finding.public`); logs
and reports get the masked ``hint``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from stdnum import luhn

KEYWORD = "KEYWORD"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_PASSWORD = re.compile(
    r"\b(?:password|passwd|pwd|passcode)\b\s*(?:is|was|:|=)\s*(?P<value>\S+)", re.IGNORECASE,
)
_KEYWORDS = re.compile(
    r"\b(?:password|passwd|passcode|e-?mail|credit\s+card|card\s+number|passport|iban|ssn)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    type: str
    start: int
    end: int
    confidence: float
    hint: str
    value: str = field(repr=False, compare=False)

    def public(self) -> dict[str, object]:
        """What may be shown, logged or written: everything but the value."""
        return {"type": self.type, "start": self.start, "end": self.end,
                "confidence": self.confidence, "hint": self.hint}


def mask(value: str, kind: str) -> str:
    """A hint that tells a person what was found without repeating it."""
    if kind == "EMAIL" and "@" in value:
        local, _, domain = value.partition("@")
        name, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{name[:1]}***.{tld}"
    if kind == "CREDIT_CARD":
        digits = re.sub(r"\D", "", value)
        return "**** **** **** " + digits[-4:]
    if kind == "PASSWORD":
        return value[:1] + "*" * min(len(value) - 1, 8)
    if kind == KEYWORD:
        return value.lower()
    keep = min(4, len(value) // 3)
    return "*" * (len(value) - keep) + value[len(value) - keep:] if keep else "*" * len(value)


def keyword_only(findings: list[Finding]) -> bool:
    """True when something was found and all of it is only sensitive words."""
    return bool(findings) and all(f.type == KEYWORD for f in findings)


def _finding(kind: str, start: int, end: int, value: str, confidence: float) -> Finding:
    return Finding(kind, start, end, confidence, mask(value, kind), value)


def detect(text: str) -> list[Finding]:
    """All findings in ``text``, sorted by position, overlaps resolved."""
    found: list[Finding] = []
    for m in _EMAIL.finditer(text):
        found.append(_finding("EMAIL", m.start(), m.end(), m.group(), 0.95))
    for m in _PASSWORD.finditer(text):
        found.append(_finding("PASSWORD", m.start("value"), m.end("value"), m.group("value"), 0.8))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if luhn.is_valid(digits):
            found.append(_finding("CREDIT_CARD", m.start(), m.end(), m.group(), 0.9))
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        found.append(_finding("PHONE", match.start, match.end, match.raw_string, 0.8))
    values = sorted(found, key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    for f in values:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    covered = {i for f in kept for i in range(f.start, f.end)}
    for m in _KEYWORDS.finditer(text):
        has_value = bool(kept) or m.start() in covered
        if not has_value:
            kept.append(_finding(KEYWORD, m.start(), m.end(), m.group(), 0.5))
    return sorted(kept, key=lambda f: f.start)
