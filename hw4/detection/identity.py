"""Who a person is: SSN, PERSON_ID and DATE_OF_BIRTH.

* SSN: US social security numbers, `123-45-6789` anywhere, other spellings only after an SSN
  word; `stdnum.us.ssn` rejects the numbers never issued.
* PERSON_ID: national id numbers that python-stdnum validates. Those with letters in fixed
  places (Spanish DNI/NIE, Italian codice fiscale, Portuguese cartão de cidadão) anywhere; the
  all-digit ones (French NIR, Belgian, German IdNr, Dutch BSN) and passport numbers only after
  an id or passport word.
* DATE_OF_BIRTH: a date shortly after "born", "date of birth", "geboren am", ..., that is a
  real calendar date between 1900 and today.

ADDRESS is in address.py.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator

from stdnum.be import nn as _be_nn
from stdnum.de import idnr as _de_idnr
from stdnum.es import dni as _es_dni
from stdnum.es import nie as _es_nie
from stdnum.fr import nir as _fr_nir
from stdnum.it import codicefiscale as _it_cf
from stdnum.nl import bsn as _nl_bsn
from stdnum.pt import cc as _pt_cc
from stdnum.us import ssn as _us_ssn

from hw4.detection.base import (
    COPULA,
    DATE_OF_BIRTH,
    PERSON_ID,
    SKIP_WORDS,
    SSN,
    Candidate,
    near_before,
    phrase_regex,
    triggers,
    words_regex,
)

# --------------------------------------------------------------------------------------------
# SSN

_SSN_CONTEXT = re.compile(
    r"\b(?:ssn|social\s+security(?:\s+(?:no|number|#))?|sozialversicherungsnummer)\b",
    re.IGNORECASE)
_SSN_RE = re.compile(r"(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])")


def find_ssn(text: str) -> Iterator[Candidate]:
    for m in _SSN_RE.finditer(text):
        # "123-45-6789" is the SSN shape; undelimited or space-separated nine digits need
        # an SSN word nearby, otherwise any nine-digit reference number would match
        if m.group(2) != "-" and not near_before(_SSN_CONTEXT, text, m.start()):
            continue
        if _us_ssn.is_valid(m.group(1) + m.group(3) + m.group(4)):
            yield SSN, m.start(), m.end(), 0.9, m.group()


# --------------------------------------------------------------------------------------------
# DATE_OF_BIRTH

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
        "january jan januar jänner janvier enero gennaio janeiro januari",
        "february feb februar février fevrier febrero febbraio fevereiro februari",
        "march mar märz maerz mars marzo março marco maart",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct oktober octobre octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dicembre dezembro",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _n
_MONTH = phrase_regex(*_MONTHS)
_DATE = (
    r"(?P<date>"
    r"(?P<iso>(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))"
    r"|(?P<num>(?P<na>\d{1,2})[./-](?P<nb>\d{1,2})[./-](?P<ny>\d{4}|\d{2}))"
    rf"|(?P<dmy>(?P<td>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?(?P<tm>{_MONTH})\.?"
    r",?\s+(?:de\s+)?(?P<ty>\d{4}))"
    rf"|(?P<mdy>(?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}}))"
    # Chinese, Japanese, Korean: 1990年3月12日, 1990년 3월 12일
    r"|(?P<cjk>(?P<cy>\d{4})\s?[年년]\s?(?P<cm>\d{1,2})\s?[月월]\s?(?P<cd>\d{1,2})\s?[日일]?)"
    r")")
_DOB_WORDS = (
    "born", "born on", "date of birth", "dob", "d.o.b.", "birthday", "birth date", "birthdate",
    "geboren", "geboren am", "geburtsdatum", "geburtstag", "geb.", "né le", "née le", "né",
    "née", "date de naissance", "nacido el", "nacida el", "nacido", "nacida",
    "fecha de nacimiento", "nato il", "nata il", "nato", "nata", "data di nascita",
    "nascido em", "nascida em", "nascido", "nascida", "data de nascimento", "geboren op",
    "geboortedatum", "verjaardag", "compleanno", "cumpleaños", "anniversaire", "aniversário",
    # PL RU EL AR HE HI ZH JA KO TR
    "data urodzenia", "urodzony", "urodzona", "urodziłem się", "urodziłam się",
    "дата рождения", "родился", "родилась", "ημερομηνία γέννησης", "γεννήθηκα",
    "تاريخ الميلاد", "تاريخ الولادة", "ولدت", "תאריך לידה", "נולדתי", "נולדה", "जन्म तिथि",
    "जन्मतिथि", "जन्म", "出生日期", "出生", "生日", "生年月日", "誕生日", "생년월일", "생일",
    "doğum tarihi")
DOB_TRIGGERS = triggers(_DOB_WORDS)
_DOB_RE = re.compile(
    rf"{words_regex(*_DOB_WORDS)}[^\n\d]{{0,25}}?{_DATE}(?!\d)",
    re.IGNORECASE)


def _valid_dob(m: re.Match[str]) -> bool:
    g = m.group
    if g("iso"):
        candidates = [(g("iy"), g("im"), g("id"))]
    elif g("num"):
        year = g("ny") if len(g("ny")) == 4 else "19" + g("ny")
        # day-first (Europe) or month-first (US): accept when either reading is a real date
        candidates = [(year, g("nb"), g("na")), (year, g("na"), g("nb"))]
    elif g("cjk"):
        candidates = [(g("cy"), g("cm"), g("cd"))]
    elif g("dmy"):
        candidates = [(g("ty"), str(_MONTHS[g("tm").lower()]), g("td"))]
    else:
        candidates = [(g("uy"), str(_MONTHS[g("um").lower()]), g("ud"))]
    for y, mo, d in candidates:
        try:
            when = _dt.date(int(y), int(mo), int(d))
        except ValueError:
            continue
        if 1900 <= when.year <= _dt.date.today().year:
            return True
    return False


def find_dob(text: str) -> Iterator[Candidate]:
    for m in _DOB_RE.finditer(text):
        if _valid_dob(m):
            yield DATE_OF_BIRTH, m.start("date"), m.end("date"), 0.9, m.group("date")


# --------------------------------------------------------------------------------------------
# PERSON_ID

# Formats distinctive enough (letters in fixed places plus a check character) to be reported
# without a context word.
_STRONG_IDS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(r"\b\d{8}-?[A-Z]\b"), _es_dni.is_valid),
    (re.compile(r"\b[XYZ]-?\d{7}-?[A-Z]\b"), _es_nie.is_valid),
    (re.compile(r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z]"
                r"[0-9LMNPQRSTUV]{3}[A-Z]\b"), _it_cf.is_valid),
    (re.compile(r"\b\d{8}\s?\d\s?[A-Z]{2}\d\b"), _pt_cc.is_valid),
)
# All-digit national numbers: one random number in 10-97 passes their check digit, so they
# need a context word before them.
_ID_WORDS = (
    "bsn", "burgerservicenummer", "sofinummer", "nir", "insee", "sécurité sociale",
    "securite sociale", "numéro de sécu", "rijksregisternummer", "numéro national",
    "national number", "national id", "national identification number", "id number",
    "identification number", "steuer-id", "steuer-identifikationsnummer", "idnr",
    "steueridentifikationsnummer", "identifikationsnummer", "id-nummer", "personal id",
    "identity number", "personnummer", "número de identificação", "numero di identità",
    "numéro d'identification", "número de identificación", "identiteitsnummer",
    "rijksregister", "insz", "id", "carte d'identité", "cartão de cidadão",
    "personalausweis", "ausweisnummer", "dni", "nie", "nif", "codice fiscale")
ID_TRIGGERS = triggers(_ID_WORDS)
_ID_CONTEXT = re.compile(words_regex(*_ID_WORDS), re.IGNORECASE)
_CONTEXT_IDS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(r"(?<![\d.-])[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}"
                r"(?![\d.-])"), _fr_nir.is_valid),
    (re.compile(r"(?<![\d.-])\d{2}\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}(?![\d.-])"),
     _be_nn.is_valid),
    (re.compile(r"(?<![\d.-])\d{2}\s?\d{3}\s?\d{3}\s?\d{3}(?![\d.-])"), _de_idnr.is_valid),
    (re.compile(r"(?<![\d.-])\d{4}\.?\d{2}\.?\d{3}(?![\d.-])"), _nl_bsn.is_valid),
)
_PASSPORT_WORDS = (
    "passport", "passport no", "passport no.", "passport number", "passport nr",
    "passport #", "reisepass", "reisepassnummer", "passnummer", "pass-nr.", "passeport",
    "numéro de passeport", "n° de passeport", "pasaporte", "número de pasaporte",
    "passaporto", "numero di passaporto", "passaporte", "número do passaporte",
    "paspoort", "paspoortnummer",
    # PL RU EL AR HE HI ZH JA KO TR
    "paszport", "numer paszportu", "паспорт", "номер паспорта", "διαβατήριο",
    "αριθμός διαβατηρίου", "جواز السفر", "رقم جواز السفر", "דרכון", "מספר דרכון", "पासपोर्ट",
    "पासपोर्ट नंबर", "护照", "护照号码", "護照", "パスポート", "パスポート番号", "旅券番号", "여권",
    "여권 번호", "여권번호", "pasaport", "pasaport numarası")
PASSPORT_TRIGGERS = triggers(_PASSPORT_WORDS)
_PASSPORT_RE = re.compile(
    words_regex(*_PASSPORT_WORDS) +
    # a few words and a copula ("passport number you asked for: X", "номер паспорта: X")
    rf"(?:{SKIP_WORDS}\s*(?:{COPULA}))?"
    r"(?:\s+(?:no\.?|nr\.?|number|#|n°|nº))?\s*[:#]?\s*"
    r"(?P<val>(?=[A-Z0-9]*\d)[A-Z0-9]{6,9})\b", re.IGNORECASE)


def find_strong_id(text: str) -> Iterator[Candidate]:
    for regex, valid in _STRONG_IDS:
        for m in regex.finditer(text):
            if valid(m.group()):
                yield PERSON_ID, m.start(), m.end(), 0.9, m.group()


def find_context_id(text: str) -> Iterator[Candidate]:
    for regex, valid in _CONTEXT_IDS:
        for m in regex.finditer(text):
            if near_before(_ID_CONTEXT, text, m.start()) and valid(m.group()):
                yield PERSON_ID, m.start(), m.end(), 0.85, m.group()


def find_passport(text: str) -> Iterator[Candidate]:
    for m in _PASSPORT_RE.finditer(text):
        val = m.group("val")
        # a passport number has letters+digits or 8-9 digits; "9" or "2024" is an hour or year
        if not val.isalpha() and (not val.isdigit() or len(val) >= 8):
            yield PERSON_ID, m.start("val"), m.end("val"), 0.8, val
