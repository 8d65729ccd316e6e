"""Personal-data detector: finds values (emails, cards, IBANs, ...) and bare keywords in text.

Pure package, no I/O. All patterns are compiled once at import time because `detect` runs on
every HTTP request. Validation is delegated to libraries that know the formats
(phonenumbers, python-stdnum, ipaddress) instead of hand-written checksums.

Policy, in short (docs/detection.md has the long form):
* a *value* finding is emitted only when the value validates (checksum, numbering plan, date)
  or, for free-form values (passwords, secrets, passport numbers, ...), when a context word
  introduces it, in the languages docs/detection.md lists for each type;
* overlapping candidates are resolved by keeping the most specific type (the kind declared
  first in `kinds`);
* a KEYWORD finding ("password", "IBAN", "Reisepass", ...) is emitted only when no value
  finding sits next to that keyword, so "my password is hunter2" gives PASSWORD alone.

Where the code is: `kinds` (every kind of personal data, declared once: its name, finders,
hint and rank; docs/detection.md has the recipe for adding one), `registry` (`Kind`,
`register` and the tables derived from the declarations), `core` (detect: the pre-scan, the
finders, overlaps), `base` (type names, Finding, Scan, shared text helpers), `masking` (hints),
and one module per family of personal data:
`contact` (email, phone), `finance` (card, IBAN), `identity` (national ids with letters, ids
after an id word, passports, SSN, date of birth), `national_ids` (the national ids of 31
countries after their own name), `address` (street addresses), `network` (IP address),
`credentials` (passwords, logins, API keys and tokens), `keywords` (the sensitive words
themselves). docs/detection.md has the same map, with what each module finds.
"""

# kinds registers the built-in kinds; after that, `register` adds more
from hw4.detection import kinds  # noqa: F401
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
    Finding,
)
from hw4.detection.core import detect, keyword_only
from hw4.detection.registry import TYPES, Finder, Kind, mask, register, unregister

__all__ = [
    "ADDRESS", "CREDIT_CARD", "DATE_OF_BIRTH", "EMAIL", "IBAN", "IP_ADDRESS", "KEYWORD",
    "PASSWORD", "PERSON_ID", "PHONE", "SECRET", "SSN", "TYPES", "Finder", "Finding", "Kind",
    "detect", "keyword_only", "mask", "register", "unregister",
]
