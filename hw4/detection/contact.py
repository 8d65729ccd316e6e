"""Contact details: EMAIL addresses and PHONE numbers.

Emails are found by an address regex, and in spelled-out form ("ann at example dot org",
"ann [at] example [dot] org") when a known top-level domain ends them. Phone numbers are
phone-shaped digit runs that the `phonenumbers` library parses and validates: +CC numbers and
US numbers anywhere, national numbers of other countries only when a phone word is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from hw4.detection.base import EMAIL, PHONE, Candidate, words_regex

# --------------------------------------------------------------------------------------------
# EMAIL

_TLD = r"(?:com|org|net|edu|gov|io|info|biz|co|uk|us|de|fr|es|it|pt|nl|be|ch|at|eu|ie|ca|dev)"
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+"
    r"[A-Za-z]{2,24}(?![\w-])")
# "ann at example dot org", "ann [at] example [dot] org", "ann(at)example(dot)org". A bare
# " at " is only accepted together with a " dot " and a known TLD, otherwise "meet at home" hits.
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s*\(@\)\s*)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_OBF_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]{{0,63}}{_AT}[A-Za-z0-9-]{{1,63}}"
    rf"(?:(?:{_DOT}|\.)[A-Za-z0-9-]{{1,63}})*{_DOT}{_TLD}\b",
    re.IGNORECASE)
# "look at this dot com": in the spelled-out form the parts must not be ordinary words
_OBF_STOPWORDS = frozenset(
    "this that the a an it its home work school me you him her them us there here what which "
    "all once first last least most one".split())
_NORMALISE_AT = re.compile(_AT, re.IGNORECASE)
_NORMALISE_DOT = re.compile(_DOT, re.IGNORECASE)


def normalise_email(value: str) -> str:
    """`value` with a spelled-out " at " / " dot " written as "@" / "."."""
    return _NORMALISE_DOT.sub(".", _NORMALISE_AT.sub("@", value.strip()))


def find_email(text: str) -> Iterator[Candidate]:
    for m in _EMAIL_RE.finditer(text):
        yield EMAIL, m.start(), m.end(), 0.95, m.group()


def find_spelled_email(text: str) -> Iterator[Candidate]:
    for m in _OBF_EMAIL_RE.finditer(text):
        local, _, domain = normalise_email(m.group()).partition("@")
        if local.lower() in _OBF_STOPWORDS or domain.split(".")[0].lower() in _OBF_STOPWORDS:
            continue
        yield EMAIL, m.start(), m.end(), 0.8, m.group()


# --------------------------------------------------------------------------------------------
# PHONE

# National formats of other countries are only tried when a phone word is present: without
# context a bare digit group is far more often an order number than a phone number.
_PHONE_CONTEXT = re.compile(
    words_regex(
        "phone", "telephone", "tel", "tel.", "mobile", "cell", "cellphone", "call me", "text me",
        "whatsapp", "reach me", "number is", "Telefon", "Telefonnummer", "Handy", "Handynummer",
        "Mobil", "ruf mich", "ruf an", "erreichbar", "téléphone", "portable", "appelle-moi",
        "appelez", "numéro", "teléfono", "telefono", "móvil", "movil", "llámame", "llamame",
        "cellulare", "chiamami", "numero", "telemóvel", "telemovel", "telefone", "liga-me",
        "ligue", "telefoon", "telefoonnummer", "mobiel", "bel me", "gsm", "número",
        # PL RU EL AR HE HI ZH JA KO, TR CS SV FI
        "telefon", "telefonu", "komórka", "komórkowy", "телефон", "телефона", "мобильный",
        "τηλέφωνο", "τηλεφώνου", "κινητό", "هاتف", "الهاتف", "جوال", "הטלפון", "טלפון", "נייד",
        "फ़ोन", "फोन", "मोबाइल", "电话", "手机", "電話", "携帯", "전화", "전화번호", "휴대폰",
        "핸드폰", "numara", "telefonní", "číslo", "puhelin", "puhelinnumero", "mobilnummer",
    ), re.IGNORECASE)
# National numbers are tried in these numbering plans, the countries of the languages above and
# their neighbours, when a phone word is present.
_PHONE_REGIONS = ("GB", "DE", "FR", "ES", "IT", "PT", "NL", "BE", "CH", "AT", "IE", "PL", "CZ",
                  "SE", "NO", "DK", "FI", "RU", "UA", "GR", "TR", "IL", "SA", "IN", "CN", "TW",
                  "JP", "KR", "BR", "MX", "AU", "CA")
# Phone-shaped runs: optional +/00 prefix, 7-15 digits with the usual separators. Each one is
# parsed and validated by phonenumbers; this is several times faster than PhoneNumberMatcher,
# which tries every substring per region.
# A run followed by ":30" or ".5" ends in a time or a decimal and is cut back to end before it.
# An extension ("x232", "ext. 12") is part of the number for phonenumbers.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+/.-])(?<!\d:)(?:\+|00)?\(?\d(?:[\s().-]{0,2}\d){6,16}"
    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w/:-]|[.:]\d)")
# "2024-01-05 12" (the run stops before ":00"), "05.01.2024 09": a date, maybe with its hour
_STARTS_WITH_DATE = re.compile(r"\d{4}[-/.]\d\d?[-/.]\d\d?(?!\d)|\d\d?[-/.]\d\d?[-/.]\d{4}(?!\d)")


_NANP_DIGITS = 10
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d+$")
# how US numbers are grouped when written: (650) 253-0000, 650.253.0000, 1-650-253-0000
_US_GROUPS = ([3, 3, 4], [1, 3, 3, 4])


def _us_grouping(raw: str) -> bool:
    return [len(g) for g in re.findall(r"\d+", _EXTENSION.sub("", raw))] in _US_GROUPS


def _valid_phone(raw: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def find_phone(text: str, taken: list[Candidate]) -> Iterator[Candidate]:
    """Phone numbers; digit runs overlapping a `taken` (kept, more specific) value are skipped.

    They would lose to that value when `detect` resolves overlaps anyway, and parsing is the
    slowest step of `detect`: a card, IBAN or id number is a phone-shaped run too.
    """
    context = None
    for m in _PHONE_CANDIDATE.finditer(text):
        raw = m.group().rstrip(" ")
        start, end = m.start(), m.start() + len(raw)
        number = _EXTENSION.sub("", raw)
        if sum(c.isdigit() for c in number) > 15 or any(
                start < k[2] and k[1] < end for k in taken):
            continue
        if _STARTS_WITH_DATE.match(raw):
            continue
        if raw.startswith(("+", "00")):
            # "00" is the international prefix of most countries, not of the US
            if _valid_phone("+" + raw[2:] if raw.startswith("00") else raw, "US"):
                yield PHONE, m.start(), m.start() + len(raw), 0.9, raw
            continue
        digits = sum(c.isdigit() for c in number)
        if context is None:
            context = _PHONE_CONTEXT.search(text) is not None
        # a run of bare digits ("ticket 4155550100") is written as a phone number only when
        # the text talks about phoning; otherwise it is an order, ticket or account number
        if not context and (raw.isdigit() or not _us_grouping(raw)):
            continue
        # a US (NANP) national number has 10 digits and parsing never adds any: skip the
        # parse, the slowest step of detect, for the many shorter digit runs
        if digits >= _NANP_DIGITS and _valid_phone(raw, "US"):
            yield PHONE, m.start(), m.start() + len(raw), 0.85, raw
            continue
        # short national numbers are valid somewhere in Europe more often than they are phones
        if context and digits >= 8 and any(_valid_phone(raw, r) for r in _PHONE_REGIONS):
            yield PHONE, m.start(), m.start() + len(raw), 0.8, raw
