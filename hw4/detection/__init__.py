"""Personal-data detector: finds values (emails, cards, IBANs, ...) and bare keywords in text.

Pure package, no I/O. All patterns are compiled once at import time because `detect` runs on
every HTTP request. Validation is delegated to libraries that know the formats
(phonenumbers, python-stdnum, ipaddress) instead of hand-written checksums.

Policy, in short (docs/detection.md has the long form):
* a *value* finding is emitted only when the value validates (checksum, numbering plan, date)
  or, for free-form values (passwords, secrets, passport numbers, ...), when a context word in
  one of EN/DE/FR/ES/IT/PT/NL introduces it;
* overlapping candidates are resolved by keeping the most specific type (see `base.RANK`);
* a KEYWORD finding ("password", "IBAN", "Reisepass", ...) is emitted only when no value
  finding sits next to that keyword, so "my password is hunter2" gives PASSWORD alone.

Where the code is: `core` (detect: the pre-scan, the finders, overlaps), `base` (types,
Finding, shared text helpers), `masking` (hints), and one module per family of personal data:
`contact` (email, phone), `finance` (card, IBAN), `identity` (national ids, passports, SSN,
date of birth, address), `network` (IP address), `credentials` (passwords, logins, API keys
and tokens), `keywords` (the sensitive words themselves).
"""

from hw4.detection.base import (
    ADDRESS,
    CREDIT_CARD,
    DATE_OF_BIRTH,
    EMAIL,
    IBAN,
    IP_ADDRESS,
    KEYWORD,
    PASSWORD,
    PERSON_ID,
    PHONE,
    SECRET,
    SSN,
    TYPES,
    Finding,
)
from hw4.detection.core import detect, keyword_only
from hw4.detection.masking import mask

__all__ = [
    "ADDRESS", "CREDIT_CARD", "DATE_OF_BIRTH", "EMAIL", "IBAN", "IP_ADDRESS", "KEYWORD",
    "PASSWORD", "PERSON_ID", "PHONE", "SECRET", "SSN", "TYPES", "Finding", "detect",
    "keyword_only", "mask",
]
