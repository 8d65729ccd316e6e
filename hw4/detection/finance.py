"""Bank details: CREDIT_CARD numbers and IBANs.

Both carry a checksum, so they are reported without a context word. A card number is 12-19
digits with an issuer's prefix and length that passes the Luhn check (`stdnum.luhn`); an
IBAN is a country code, check digits and the account that `stdnum.iban` validates (format
per country and mod 97).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as _iban
from stdnum import luhn as _luhn

from hw4.detection.base import CREDIT_CARD, IBAN, Candidate, near_before
from hw4.detection.national_ids import named_before

# --------------------------------------------------------------------------------------------
# CREDIT_CARD

_CARD_RE = re.compile(r"(?<![\w.,-])\d(?:[ -]?\d){11,18}(?![\d.,]\d|-\d)")
# Issuer prefixes and lengths (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro,
# UnionPay). Luhn alone accepts one random number in ten, the prefix check removes most of them.
_CARD_PREFIX = re.compile(
    r"(?:4\d{12}(?:\d{3}|\d{6})?|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
    r"|3[47]\d{13}|3(?:0[0-5]|[68]\d)\d{11,16}|35\d{14,17}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}"
    r"|62\d{14,17}|0604\d{8,15}"
    # Maestro and RuPay: their own prefixes, not all of 5x/6x ("610323…" is an id, not a card)
    r"|(?:50(?:18|20|38)|5[6-9]\d\d|6304|6390|6759|676[1-3]|60\d\d)\d{8,15})")
# "GB02 RMSV 6852 0067 8631 71": digits that continue an IBAN-shaped token are not a card
_IBAN_HEAD = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4})*[ ]?$")


def find_card(text: str) -> Iterator[Candidate]:
    for m in _CARD_RE.finditer(text):
        raw = m.group()
        seps = set(re.sub(r"\d", "", raw))
        if len(seps) > 1:  # "1234 5678-9012" mixes separators: not a card as people write it
            continue
        digits = re.sub(r"\D", "", raw)
        if near_before(_IBAN_HEAD, text, m.start()):
            continue
        # "my CNP is 4710616354247": a personal code named as such, which Luhn accepts by chance
        if named_before(text, m.start()):
            continue
        if _CARD_PREFIX.fullmatch(digits) and _luhn.is_valid(digits):
            yield CREDIT_CARD, m.start(), m.end(), 0.95, raw


# --------------------------------------------------------------------------------------------
# IBAN

_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")


def find_iban(text: str) -> Iterator[Candidate]:
    for m in _IBAN_RE.finditer(text):
        # the pattern may swallow a following upper-case word ("... 00 EUR"): drop trailing
        # space-separated groups until the checksum holds
        raw = m.group()
        while raw:
            if _iban.is_valid(raw):
                yield IBAN, m.start(), m.start() + len(raw), 0.97, raw
                break
            cut = raw.rfind(" ")
            raw = raw[:cut] if cut > 0 else ""
