"""Who a person is and where they live: SSN, PERSON_ID, DATE_OF_BIRTH and ADDRESS.

* SSN: US social security numbers, `123-45-6789` anywhere, other spellings only after an SSN
  word; `stdnum.us.ssn` rejects the numbers never issued.
* PERSON_ID: national id numbers that python-stdnum validates. Those with letters in fixed
  places (Spanish DNI/NIE, Italian codice fiscale, Portuguese cartão de cidadão) anywhere; the
  all-digit ones (French NIR, Belgian, German IdNr, Dutch BSN) and passport numbers only after
  an id or passport word.
* DATE_OF_BIRTH: a date shortly after "born", "date of birth", "geboren am", ..., that is a
  real calendar date between 1900 and today.
* ADDRESS: a street word and a house number in the order each language writes them, with an
  optional postal code and city; or what follows "I live at", "my address is", ...
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
    ADDRESS,
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


# --------------------------------------------------------------------------------------------
# ADDRESS
#
# pyap only knows US/CA/GB addresses and usaddress labels the parts of a string that is
# already known to be an address (it does not find one in free text), so neither covers the
# seven languages here; the patterns below do: a street-type word with a house number in the
# order each language uses, optionally followed by a postal code and a city.

# no "-" or "." inside a word: the joiner below handles hyphens, and a class that overlapped
# with it would make the regex backtrack exponentially on long hyphenated names
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’]*\.?"
_LINK = r"(?:de|del|della|di|da|do|dos|das|van|der|den|la|le|les|du|des|von|am|an)"
_NAME = rf"{_CAP}(?:[ -](?:{_CAP}|{_LINK}))*"
_PARTICLE = (r"(?:(?:de la|de los|de las|de l'|de|del|della|dello|degli|di|da|do|dos|das|du|des|"
             r"d'|l')\s*)?")
# 12, 12a, 12 B, 1-2, 8/7, 5 bis
_HOUSE = r"\d{1,5}(?:\s?[a-zA-Z](?!\w))?(?:[-/]\d{1,4})?(?:\s?(?:bis|ter))?"
_EN_STREETS = (
    "Street", "St", "St.", "Avenue", "Ave", "Ave.", "Road", "Rd", "Rd.", "Boulevard", "Blvd",
    "Lane", "Ln", "Drive", "Dr", "Dr.", "Court", "Ct", "Way", "Place", "Pl", "Terrace",
    "Circle", "Parkway", "Highway", "Square", "Trail", "Crescent", "Close", "Row", "Walk",
    "Alley", "Bridge", "Crossing", "Heights", "Hills", "Point", "Ridge", "Run", "Valley",
    "View", "Plaza", "Loop", "Pike", "Expressway", "Freeway", "Route", "Mall", "Gardens",
    # more USPS suffix words (Publication 28, appendix C1)
    "Junction", "Skyway", "Spring", "Light", "Port", "Trace", "Station", "Village", "Harbor",
    "Manor", "Mount", "Glen", "Grove", "Haven", "Landing", "Meadow", "Mill", "Pass", "Ranch",
    "Shore", "Summit", "Vista", "Extension", "Turnpike", "Hollow", "Creek", "Estates", "Falls",
    "Ferry", "Fort", "Forest", "Field", "Island", "Lake", "Mission", "Park", "Stream", "Ville")
_DE_NL_SUFFIXES = ("straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ufer",
                   "chaussee", "pfad", "straat", "laan", "baan", "gracht", "plein", "kade",
                   "singel", "dijk", "dreef", "boulevard", "steeg")
_DE_NL_SUFFIX = f"(?:{phrase_regex(*_DE_NL_SUFFIXES)})"
# Suffixes that also end ordinary words ("During 5", "Spring 2024"): only with postal code + city.
_DE_NL_WEAK_SUFFIXES = ("ring", "hof", "markt", "park", "pad", "steig", "berg", "veld")
_DE_NL_WEAK_SUFFIX = f"(?:{phrase_regex(*_DE_NL_WEAK_SUFFIXES)})"
_ROMANCE_STREETS = (
    # FR
    "rue", "avenue", "boulevard", "bd", "place", "allée", "chemin", "impasse", "quai", "route",
    "cours", "square",
    # ES
    "calle", "c/", "avenida", "avda.", "plaza", "paseo", "camino", "carrer", "ronda",
    "carretera", "travesía", "glorieta", "acceso", "vial", "rambla", "urbanización",
    "callejón", "cañada", "pasaje", "cuesta", "pasadizo", "vía",
    # IT
    "via", "viale", "piazza", "corso", "vicolo", "largo", "strada", "piazzale", "borgo",
    "contrada", "rotonda", "stretto",
    # PT
    "rua", "r.", "av.", "av", "travessa", "praça", "estrada", "alameda", "rotunda", "beco")
_US_STATE_ZIP = r",\s+[A-Z]{2}\s+\d{5}"  # ", MT 73436"
_POSTAL = (r"(?:\b\d{4}\s?[A-Z]{2}\b|\b\d{4}-\d{3}\b|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"
           r"|\b\d{5}\b|\b\d{4}\b)")
_TAIL = rf"(?:,?\s*(?:{_POSTAL})?,?\s*{_CAP}(?:\s{_CAP})?(?:,?\s*{_POSTAL})?)?"
# US: 7835 Erica Trace, Farleytown, MT 73436 (any street word when city, state and ZIP follow)
_US_FORM = rf"{_HOUSE}\s+{_NAME}(?:\s+(?:Apt\.|Suite|Unit)\s*\d+)?,?\s+{_NAME}{_US_STATE_ZIP}"
# 221B Baker Street / 12 Main St
_EN_FORM = rf"{_HOUSE}\s+{_NAME}\s+(?:{phrase_regex(*_EN_STREETS, lower=False)})s?(?!\w)"
# Hauptstraße 5, Berliner Straße 12a, Kerkstraat 3
_DE_NL_FORMS = (
    rf"{_NAME}-?(?i:{_DE_NL_SUFFIX})\s*{_HOUSE}(?!\d)",
    rf"{_NAME}-?(?i:{_DE_NL_WEAK_SUFFIX})\s*{_HOUSE},?\s+{_POSTAL}\s+{_CAP}",
    rf"{_NAME}\s(?:Stra(?:ß|ss)e|Str\.|Weg|Platz|Allee)\s*{_HOUSE}(?!\d)")
_ROMANCE_FORMS = (
    # 12, rue de la Paix / 12 rue de la Paix
    rf"{_HOUSE},?\s+(?i:{phrase_regex(*_ROMANCE_STREETS)})\s+{_PARTICLE}{_NAME}",
    # Calle Mayor 5 / Via Roma, 10 / Rua Augusta, n.º 12
    rf"(?i:{phrase_regex(*_ROMANCE_STREETS)})\s+{_PARTICLE}{_NAME},?"
    r"\s*(?:n\.?\s?[º°o]\.?\s*)?\d{1,5}(?!\d)")


def _address_regex(*forms: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms)}){_TAIL}")


_ADDRESS_RE = _address_regex(_US_FORM, _EN_FORM, *_DE_NL_FORMS, *_ROMANCE_FORMS)
# The German/Dutch forms start at every capitalised word and cost most of the pass. Without a
# street suffix before a number (DE_NL_STREET) they cannot match anywhere, and leaving them
# out of the alternation then changes no match.
_ADDRESS_NO_DE_NL_RE = _address_regex(_US_FORM, _EN_FORM, *_ROMANCE_FORMS)
# Every form above has a street word or suffix, or a state and ZIP; and a house number.
STREET_TRIGGERS = (triggers(_EN_STREETS, plural=True) | triggers(_ROMANCE_STREETS))
# the suffix is the end of a longer word (Hauptstraße): found in the folded text, with the
# house number that follows every German/Dutch form
DE_NL_STREET = re.compile(rf"(?:{phrase_regex(*_DE_NL_SUFFIXES, *_DE_NL_WEAK_SUFFIXES)})\s*\d")
US_ADDRESS_END = re.compile(_US_STATE_ZIP)
# "I live at ..." and friends: with one of these in front, a Name + number or a postal code
# is enough.
_INTRO_WORDS = (
    "i live at", "i live in", "my address is", "address:", "home address", "ship it to",
    "send it to", "deliver to", "mail it to", "postal address", "Adresse:", "Anschrift:",
    "ich wohne in", "ich wohne", "wohnhaft in", "meine adresse ist", "liefern an",
    "j'habite au", "j'habite à", "j'habite", "mon adresse est", "adresse :",
    "livrez à", "vivo en", "mi dirección es", "dirección:", "envíalo a", "abito in",
    "abito a", "il mio indirizzo è", "indirizzo:", "spedisci a", "moro na", "moro em",
    "vivo na", "a minha morada é", "morada:", "endereço:", "woon op", "woon aan",
    "ik woon op", "ik woon aan", "mijn adres is", "adres:", "stuur het naar")
# or the word "address" with a copula or colon after it ("the address you asked for: ...")
_ADDRESS_NOUNS = ("address", "adresse", "anschrift", "dirección", "dirección postal",
                  "indirizzo", "morada", "endereço", "adres")
INTRO_TRIGGERS = triggers(_INTRO_WORDS, open_end=True) | triggers(_ADDRESS_NOUNS)
_ADDRESS_INTRO = re.compile(
    r"(?<!\w)(?:" + phrase_regex(*_INTRO_WORDS)
    + rf"|{words_regex(*_ADDRESS_NOUNS)}{SKIP_WORDS}\s*(?:{COPULA})"
    + r")\s*(?P<rest>[^\n.;!?]{4,90})", re.IGNORECASE)
_INTRO_VALUE = re.compile(
    rf"{_CAP}[\s,]+{_HOUSE}\b|\b{_HOUSE},?\s+{_CAP}|{_POSTAL}\s+{_CAP}")


def _street_addresses(regex: re.Pattern[str], text: str) -> Iterator[Candidate]:
    for m in regex.finditer(text):
        yield ADDRESS, m.start(), m.end(), 0.8, m.group().rstrip(", ")


def find_address(text: str) -> Iterator[Candidate]:
    return _street_addresses(_ADDRESS_RE, text)


def find_address_not_de_nl(text: str) -> Iterator[Candidate]:
    return _street_addresses(_ADDRESS_NO_DE_NL_RE, text)


def find_address_after_intro(text: str) -> Iterator[Candidate]:
    for m in _ADDRESS_INTRO.finditer(text):
        rest = m.group("rest").rstrip(", ")
        if _INTRO_VALUE.search(rest):
            yield ADDRESS, m.start("rest"), m.start("rest") + len(rest), 0.75, rest
