"""Personal-data detector: finds values (emails, cards, IBANs, ...) and bare keywords in text.

Pure module, no I/O. All patterns are compiled once at import time because `detect` runs on
every HTTP request. Validation is delegated to libraries that know the formats
(phonenumbers, python-stdnum, ipaddress) instead of hand-written checksums.

Policy, in short (docs/detection.md has the long form):
* a *value* finding is emitted only when the value validates (checksum, numbering plan, date)
  or, for free-form values (passwords, secrets, passport numbers, ...), when a context word in
  one of EN/DE/FR/ES/IT/PT/NL introduces it;
* overlapping candidates are resolved by keeping the most specific type (see `_RANK`);
* a KEYWORD finding ("password", "IBAN", "Reisepass", ...) is emitted only when no value
  finding sits next to that keyword, so "my password is hunter2" gives PASSWORD alone.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as _iban
from stdnum import luhn as _luhn
from stdnum.be import nn as _be_nn
from stdnum.de import idnr as _de_idnr
from stdnum.es import dni as _es_dni
from stdnum.es import nie as _es_nie
from stdnum.fr import nir as _fr_nir
from stdnum.it import codicefiscale as _it_cf
from stdnum.nl import bsn as _nl_bsn
from stdnum.pt import cc as _pt_cc
from stdnum.us import ssn as _us_ssn

__all__ = [
    "ADDRESS", "CREDIT_CARD", "DATE_OF_BIRTH", "EMAIL", "IBAN", "IP_ADDRESS", "KEYWORD",
    "PASSWORD", "PERSON_ID", "PHONE", "SECRET", "SSN", "TYPES", "Finding", "detect",
    "keyword_only", "mask",
]

EMAIL = "EMAIL"
PHONE = "PHONE"
CREDIT_CARD = "CREDIT_CARD"
IBAN = "IBAN"
SSN = "SSN"
IP_ADDRESS = "IP_ADDRESS"
PASSWORD = "PASSWORD"
SECRET = "SECRET"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
PERSON_ID = "PERSON_ID"
ADDRESS = "ADDRESS"
KEYWORD = "KEYWORD"

# Most specific first: when two candidates overlap, the one earlier in this list wins. Types
# with a checksum beat free-form ones, and KEYWORD loses to everything.
_RANK = (SECRET, CREDIT_CARD, IBAN, PERSON_ID, SSN, EMAIL, PASSWORD, IP_ADDRESS,
         DATE_OF_BIRTH, PHONE, ADDRESS, KEYWORD)
TYPES = frozenset(_RANK)
_RANK_OF = {t: i for i, t in enumerate(_RANK)}


@dataclass(frozen=True)
class Finding:
    """One detected item. `value` holds the raw text and is kept out of repr, eq and public()."""

    type: str
    start: int
    end: int
    confidence: float
    hint: str
    value: str = field(repr=False, compare=False)

    def public(self) -> dict:
        """The serialisable view: everything but the raw value."""
        return {"type": self.type, "start": self.start, "end": self.end,
                "confidence": self.confidence, "hint": self.hint}


# --------------------------------------------------------------------------------------------
# masking

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
        normal = _normalise_email(value)
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


# --------------------------------------------------------------------------------------------
# helpers

_Candidate = tuple[str, int, int, float, str]  # type, start, end, confidence, raw value


def _near_before(pattern: re.Pattern[str], text: str, start: int, window: int = 40) -> bool:
    """True when `pattern` occurs in the `window` characters before `start`."""
    return pattern.search(text, max(0, start - window), start) is not None


_WORD = re.compile(r"\w+")
# re.IGNORECASE matches these to "i"/"s"; str.lower() does not (it even turns "İ" into two
# characters), so they are mapped first: a trigger word must be found whenever the regex matches
_LIKE_IGNORECASE = (("İ", "i"), ("ı", "i"), ("ſ", "s"))


def _fold(text: str) -> str:
    """`text` lower-cased the way re.IGNORECASE compares letters, with the same length.

    The same length keeps match positions in the folded text valid in `text`. Only "İ"
    lower-cases to two characters (Unicode 15) and it is mapped above; the slow path is there
    in case a later Unicode adds another.
    """
    if text.isascii():
        return text.lower()
    for char, like in _LIKE_IGNORECASE:  # str.replace: str.translate is 10x slower here
        text = text.replace(char, like)
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return folded


def _triggers(phrases: tuple[str, ...], *, open_end: bool = False,
              plural: bool = False) -> frozenset[str]:
    """Words of which one is in a text (whole, lower case) whenever one of `phrases` matches.

    `detect` checks these against the words of the text before running an expensive
    phrase regex. One word per phrase, its longest. The patterns put a word boundary before
    every phrase; after it only when `open_end` is false, otherwise the phrase's last word may
    run on ("i live at" matches "I live athens") and another word is taken. `plural`: the
    pattern allows "s"/"es" after the phrase, so those forms of the last word count too.
    """
    found = set()
    for phrase in phrases:
        words = _WORD.findall(_fold(phrase))
        ends_in_word = _WORD.fullmatch(phrase[-1]) is not None
        usable = words[:-1] if open_end and ends_in_word else words
        if not usable:
            raise ValueError(f"{phrase!r} has no whole word to trigger on")
        word = max(usable, key=len)
        found.add(word)
        if plural and ends_in_word and word == words[-1]:
            found |= {word + "s", word + "es"}
    return frozenset(found)


def _words(*alternatives: str, fold: bool = True) -> str:
    """A regex matching any of the literal phrases, the longest one when several match.

    Spaces in a phrase match any run of whitespace. The regex is a trie (one branch per first
    character, then per next character, ...) rather than a flat alternation: `re` tries the
    branches of an alternation one after the other at every position of the text, so a flat
    list of 150 phrases cost ~150 failed attempts per character and was the most expensive part
    of `detect`. At each node the longer continuations come before the end of a shorter phrase,
    so the longest phrase is tried first, as in a longest-first alternation. `fold` lower-cases
    the phrases, for patterns compiled with re.IGNORECASE: it keeps "Telefon" and "telefon" on
    one branch (two branches matching the same text would break the longest-first order).
    """
    trie: dict[str, dict] = {}
    for phrase in alternatives:
        node = trie
        for ch in phrase.lower() if fold else phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def branch(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + branch(child)
                for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return branch(trie)


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


def _normalise_email(value: str) -> str:
    return _NORMALISE_DOT.sub(".", _NORMALISE_AT.sub("@", value.strip()))


def _find_email(text: str) -> Iterator[_Candidate]:
    for m in _EMAIL_RE.finditer(text):
        yield EMAIL, m.start(), m.end(), 0.95, m.group()


def _find_spelled_email(text: str) -> Iterator[_Candidate]:
    for m in _OBF_EMAIL_RE.finditer(text):
        local, _, domain = _normalise_email(m.group()).partition("@")
        if local.lower() in _OBF_STOPWORDS or domain.split(".")[0].lower() in _OBF_STOPWORDS:
            continue
        yield EMAIL, m.start(), m.end(), 0.8, m.group()


# --------------------------------------------------------------------------------------------
# PHONE

# National formats of other countries are only tried when a phone word is present: without
# context a bare digit group is far more often an order number than a phone number.
_PHONE_CONTEXT = re.compile(
    r"\b(?:" + _words(
        "phone", "telephone", "tel", "tel.", "mobile", "cell", "cellphone", "call me", "text me",
        "whatsapp", "reach me", "number is", "Telefon", "Telefonnummer", "Handy", "Handynummer",
        "Mobil", "ruf mich", "ruf an", "erreichbar", "téléphone", "portable", "appelle-moi",
        "appelez", "numéro", "teléfono", "telefono", "móvil", "movil", "llámame", "llamame",
        "cellulare", "chiamami", "numero", "telemóvel", "telemovel", "telefone", "liga-me",
        "ligue", "telefoon", "telefoonnummer", "mobiel", "bel me", "gsm", "número",
    ) + r")", re.IGNORECASE)
_PHONE_REGIONS = ("GB", "DE", "FR", "ES", "IT", "PT", "NL", "BE", "CH", "AT", "IE")
# Phone-shaped runs: optional +/00 prefix, 7-15 digits with the usual separators. Each one is
# parsed and validated by phonenumbers; this is several times faster than PhoneNumberMatcher,
# which tries every substring per region.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+/.-])(?:\+|00)?\(?\d(?:[\s().-]{0,2}\d){6,16}(?![\w/-]|\.\d)")


_NANP_DIGITS = 10


def _valid_phone(raw: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _find_phone(text: str, taken: list[_Candidate]) -> Iterator[_Candidate]:
    """Phone numbers; digit runs overlapping a `taken` (kept, more specific) value are skipped.

    They would lose to that value in _resolve anyway, and parsing is the slowest step of
    `detect`: a card, IBAN or id number is a phone-shaped run too.
    """
    context = None
    for m in _PHONE_CANDIDATE.finditer(text):
        raw = m.group().rstrip(" ")
        start, end = m.start(), m.start() + len(raw)
        if sum(c.isdigit() for c in raw) > 15 or any(start < k[2] and k[1] < end for k in taken):
            continue
        if raw.startswith(("+", "00")):
            if _valid_phone(raw, "US"):  # the region is ignored for +CC numbers
                yield PHONE, m.start(), m.start() + len(raw), 0.9, raw
            continue
        digits = sum(c.isdigit() for c in raw)
        # a US (NANP) national number has 10 digits and parsing never adds any: skip the
        # parse, the slowest step of detect, for the many shorter digit runs
        if digits >= _NANP_DIGITS and _valid_phone(raw, "US"):
            yield PHONE, m.start(), m.start() + len(raw), 0.85, raw
            continue
        if context is None:
            context = _PHONE_CONTEXT.search(text) is not None
        # short national numbers are valid somewhere in Europe more often than they are phones
        if context and digits >= 8 and any(_valid_phone(raw, r) for r in _PHONE_REGIONS):
            yield PHONE, m.start(), m.start() + len(raw), 0.8, raw


# --------------------------------------------------------------------------------------------
# CREDIT_CARD

_CARD_RE = re.compile(r"(?<![\d.,-])\d(?:[ -]?\d){11,18}(?![\d.,]\d|-\d)")
# Issuer prefixes and lengths (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro,
# UnionPay). Luhn alone accepts one random number in ten, the prefix check removes most of them.
_CARD_PREFIX = re.compile(
    r"^(?:4\d{12}(?:\d{3}|\d{6})?|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
    r"|3[47]\d{13}|3(?:0[0-5]|[68]\d)\d{11,16}|35\d{14,17}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}"
    r"|62\d{14,17}|(?:50|5[6-9]|6\d)\d{10,17}|0604\d{8,15})$")
# "GB02 RMSV 6852 0067 8631 71": digits that continue an IBAN-shaped token are not a card
_IBAN_HEAD = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4})*[ ]?$")


def _find_card(text: str) -> Iterator[_Candidate]:
    for m in _CARD_RE.finditer(text):
        raw = m.group()
        seps = set(re.sub(r"\d", "", raw))
        if len(seps) > 1:  # "1234 5678-9012" mixes separators: not a card as people write it
            continue
        digits = re.sub(r"\D", "", raw)
        if _near_before(_IBAN_HEAD, text, m.start()):
            continue
        if _CARD_PREFIX.match(digits) and _luhn.is_valid(digits):
            yield CREDIT_CARD, m.start(), m.end(), 0.95, raw


# --------------------------------------------------------------------------------------------
# IBAN

_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")


def _find_iban(text: str) -> Iterator[_Candidate]:
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


# --------------------------------------------------------------------------------------------
# SSN

_SSN_CONTEXT = re.compile(
    r"\b(?:ssn|social\s+security(?:\s+(?:no|number|#))?|sozialversicherungsnummer)\b",
    re.IGNORECASE)
_SSN_RE = re.compile(r"(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])")


def _find_ssn(text: str) -> Iterator[_Candidate]:
    for m in _SSN_RE.finditer(text):
        # "123-45-6789" is the SSN shape; undelimited or space-separated nine digits need
        # an SSN word nearby, otherwise any nine-digit reference number would match
        if m.group(2) != "-" and not _near_before(_SSN_CONTEXT, text, m.start()):
            continue
        if _us_ssn.is_valid(m.group(1) + m.group(3) + m.group(4)):
            yield SSN, m.start(), m.end(), 0.9, m.group()


# --------------------------------------------------------------------------------------------
# IP_ADDRESS

_IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6_RE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?::?[0-9A-Fa-f]{1,4}|:){1,7}"
    r"(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)")
# "version 1.2.3.4", "v1.2.3.4", "the patch notes for 1.2.3.4": a dotted quad in a version
# sentence is a version number. Version nouns may stand a few words before the number; verbs
# like "update" only right before it ("update the DNS for 10.1.2.3" is an address).
_VERSION_NOUNS = _words("version", "versions", "ver", "release", "build", "firmware", "patch",
                        "versión", "versione", "versão", "versie", "changelog", "v")
_VERSION_CONTEXT = re.compile(
    rf"\b(?:(?:{_VERSION_NOUNS})(?:\s+\w+){{0,3}}|"
    + _words("update", "upgrade", "updated", "upgraded", "bump", "install", "installed")
    + r")\W{0,3}$", re.IGNORECASE)


def _find_ip(text: str) -> Iterator[_Candidate]:
    if "." in text:
        for m in _IPV4_RE.finditer(text):
            if _near_before(_VERSION_CONTEXT, text, m.start()):
                continue
            try:
                ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            yield IP_ADDRESS, m.start(), m.end(), 0.9, m.group()
    if text.count(":") >= 2:
        for m in _IPV6_RE.finditer(text):
            raw = m.group()
            if raw.count(":") < 2 or not re.search(r"[0-9A-Fa-f]", raw):
                continue
            try:
                ipaddress.IPv6Address(raw)
            except ValueError:
                continue
            yield IP_ADDRESS, m.start(), m.end(), 0.9, raw


# --------------------------------------------------------------------------------------------
# PASSWORD

_PASSWORD_WORDS = (
    "password", "passwort", "kennwort", "mot de passe", "mdp", "contraseña", "contrasena",
    "clave", "senha", "palavra-passe", "palavra passe", "wachtwoord", "passcode", "passphrase",
    "pwd", "pw", "pass", "pin", "pin code", "PIN-Code", "code PIN", "parola d'ordine",
    "codice PIN", "code secret", "Geheimzahl")
_PASSWORD_TRIGGERS = _triggers(_PASSWORD_WORDS)
# word copulas need word boundaries, otherwise the "e" inside "serve" counts as Italian "è"
_COPULA = r":=|->|[:=—-]|(?<!\w)(?:" + _words(
    "is", "ist", "lautet", "est", "es", "è", "e", "é", "era", "was", "war", "is now",
    "ist jetzt", "est maintenant", "es ahora", "è ora", "agora é", "is nu") + r")(?!\w)"
_PASSWORD_RE = re.compile(
    rf"\b(?:{_words(*_PASSWORD_WORDS)})\b(?:\s+\w+\b){{0,2}}?\s*(?P<sep>{_COPULA})\s*['\"«“]?"
    r"(?P<val>[^\s'\"»”]{3,64})",
    re.IGNORECASE)
# "login: ann / hunter2", "user ann pass hunter2", "ann:hunter2@host"
_LOGIN_WORDS = ("login", "user", "username", "benutzer", "benutzername", "utilisateur", "usuario",
                "utente", "utilizador", "gebruiker", "gebruikersnaam", "identifiant")
_LOGIN_WORD = _words(*_LOGIN_WORDS)
# No boundary after the word ("users: ann / hunter2" matches), so the pre-scan looks for it
# anywhere in the folded text.
_LOGIN_ANYWHERE = re.compile(_LOGIN_WORD)
_LOGIN_RE = re.compile(
    rf"\b(?:{_LOGIN_WORD})\s*[:=]?\s*\S+\s*"
    r"(?:/|\||,|\s(?:pass|pw|pwd|password|passwort|kennwort|mdp|contraseña|senha|wachtwoord)"
    r"\s*[:=]?)\s*(?P<val>\S{3,64})",
    re.IGNORECASE)
_URL_CREDENTIALS_RE = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<val>[^\s@/]{3,64})@")
# Words that follow "password is/:" in ordinary talk about passwords. Lower-case only.
_NOT_A_PASSWORD = frozenset("""
    the a an my your his her our their this that it not too very so still now also again
    same wrong incorrect invalid expired required needed missing empty weak strong short long
    correct changed reset saved stored forgotten lost case-sensitive secure safe there here
    zu nicht falsch abgelaufen erforderlich leer schwach stark kurz lang richtig geändert mein
    meine dein deine sehr noch auch jetzt trop pas faux incorrect expiré obligatoire vide
    faible fort court long correct changé mon ma ton ta très encore aussi demasiado no
    incorrecta incorrecto caducada obligatoria vacía débil fuerte corta larga mi tu muy
    troppo non sbagliata scaduta obbligatoria vuota debole forte corta lunga mia tua molto
    muito não errada expirada obrigatória vazia fraca forte curta longa minha tua te niet fout
    verlopen verplicht leeg zwak sterk kort lang juist mijn jouw erg nog ook nu und and or
    oder ou o y e en of for für pour para per voor to à zum al manager policy field reset
    change changes protected protegido protégé geschützt beveiligd sicuro seguro sicher sûr
    veilig hier ici aquí qui aqui hint length requirements rules required. in with mit avec
    con com met is ist est es è é was war""".split())


def _password_like(value: str, sep: str) -> bool:
    v = value.lower()
    if v in _NOT_A_PASSWORD or len(value) < 4:
        return False
    # after an explicit separator ("pwd: sunshine") a plain word is a password; after a
    # copula ("the password is ...") a plain lower-case word is more often prose, so there we
    # want a digit, a symbol or mixed case
    if sep in (":", "=", ":=", "->"):
        return True
    return bool(re.search(r"\d|[^\w]|[A-Z]", value[1:]) or len(value) >= 8)


def _strip_trailing(raw: str) -> str:
    # "!" and "?" stay: they are common in passwords, and a sentence rarely ends right after one
    return raw.rstrip(".,;:)]}")


def _find_password(text: str) -> Iterator[_Candidate]:
    for m in _PASSWORD_RE.finditer(text):
        val = _strip_trailing(m.group("val"))
        if _password_like(val, m.group("sep").strip()):
            yield PASSWORD, m.start("val"), m.start("val") + len(val), 0.85, val


def _credentials(regex: re.Pattern[str], text: str) -> Iterator[_Candidate]:
    for m in regex.finditer(text):
        val = _strip_trailing(m.group("val"))
        if val.lower() not in _NOT_A_PASSWORD:
            yield PASSWORD, m.start("val"), m.start("val") + len(val), 0.8, val


def _find_login(text: str) -> Iterator[_Candidate]:
    return _credentials(_LOGIN_RE, text)


def _find_url_credentials(text: str) -> Iterator[_Candidate]:
    return _credentials(_URL_CREDENTIALS_RE, text)


# --------------------------------------------------------------------------------------------
# SECRET

_SECRET_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{36,}"
    r"|github_pat_[A-Za-z0-9_]{22,}"
    r"|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|(?:sk|pk|rk)_live_[A-Za-z0-9]{16,}"
    r"|eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"
    r"|-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]{0,8000}?-----END (?:[A-Z]+ )*PRIVATE KEY-----"
    r")")
# one of these is in every match of _SECRET_RE ("_" for gh?_, github_pat_, ?k_live_): a few
# substring tests are cheaper than the regex pass over a message that has none
_SECRET_MARKERS = ("AKIA", "ASIA", "_", "glpat-", "xox", "eyJ", "-----BEGIN")
_SECRET_WORDS = (
    "api key", "api-key", "api_key", "apikey", "access key", "secret key", "secret",
    "token", "access token", "auth token", "bearer", "client secret", "key", "private key",
    "Schlüssel", "API-Schlüssel", "Geheimnis", "clé", "clé API", "jeton", "clave",
    "clave API", "chiave", "chiave API", "chave", "chave API", "sleutel", "API-sleutel",
    "geheim")
_SECRET_TRIGGERS = _triggers(_SECRET_WORDS)
_SECRET_CONTEXT_RE = re.compile(
    r"\b(?:" + _words(*_SECRET_WORDS) + r")\b"
    r"(?:\s+\w+){0,2}?\s*(?:[:=]|is|ist|est|es|è|é|:=)?\s*['\"]?"
    r"(?P<val>[A-Za-z0-9_\-+/=.]{20,200})", re.IGNORECASE)


def _entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


def _high_entropy(s: str) -> bool:
    # a 20+ char token with letters AND digits and >= 3.5 bits/char is what generated keys
    # look like; long words, URLs-ish paths and repeated chars stay below
    classes = sum(bool(re.search(p, s)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes >= 2 and re.search(r"\d", s) is not None and _entropy(s) >= 3.5


def _find_secret(text: str) -> Iterator[_Candidate]:
    for m in _SECRET_RE.finditer(text):
        yield SECRET, m.start(), m.end(), 0.97, m.group()


def _find_secret_after_word(text: str) -> Iterator[_Candidate]:
    for m in _SECRET_CONTEXT_RE.finditer(text):
        val = m.group("val").rstrip(".")
        if _high_entropy(val):
            yield SECRET, m.start("val"), m.start("val") + len(val), 0.8, val


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
_MONTH = _words(*_MONTHS)
_DATE = (
    r"(?P<date>"
    r"(?P<iso>(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))"
    r"|(?P<num>(?P<na>\d{1,2})[./-](?P<nb>\d{1,2})[./-](?P<ny>\d{4}|\d{2}))"
    rf"|(?P<dmy>(?P<td>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?(?P<tm>{_MONTH})\.?"
    r",?\s+(?:de\s+)?(?P<ty>\d{4}))"
    rf"|(?P<mdy>(?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}}))"
    r")")
_DOB_WORDS = (
    "born", "born on", "date of birth", "dob", "d.o.b.", "birthday", "birth date", "birthdate",
    "geboren", "geboren am", "geburtsdatum", "geburtstag", "geb.", "né le", "née le", "né",
    "née", "date de naissance", "nacido el", "nacida el", "nacido", "nacida",
    "fecha de nacimiento", "nato il", "nata il", "nato", "nata", "data di nascita",
    "nascido em", "nascida em", "nascido", "nascida", "data de nascimento", "geboren op",
    "geboortedatum", "verjaardag", "compleanno", "cumpleaños", "anniversaire", "aniversário")
_DOB_TRIGGERS = _triggers(_DOB_WORDS)
_DOB_RE = re.compile(rf"(?<!\w)(?:{_words(*_DOB_WORDS)})(?!\w)[^\n\d]{{0,25}}?{_DATE}(?!\d)",
                     re.IGNORECASE)


def _valid_dob(m: re.Match[str]) -> bool:
    g = m.group
    if g("iso"):
        candidates = [(g("iy"), g("im"), g("id"))]
    elif g("num"):
        year = g("ny") if len(g("ny")) == 4 else "19" + g("ny")
        # day-first (Europe) or month-first (US): accept when either reading is a real date
        candidates = [(year, g("nb"), g("na")), (year, g("na"), g("nb"))]
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


def _find_dob(text: str) -> Iterator[_Candidate]:
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
_ID_TRIGGERS = _triggers(_ID_WORDS)
_ID_CONTEXT = re.compile(r"(?<!\w)(?:" + _words(*_ID_WORDS) + r")(?!\w)", re.IGNORECASE)
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
    "paspoort", "paspoortnummer")
_PASSPORT_TRIGGERS = _triggers(_PASSPORT_WORDS)
_PASSPORT_RE = re.compile(
    r"(?<!\w)(?:" + _words(*_PASSPORT_WORDS) + r")(?!\w)"
    r"(?:\s+(?:is|ist|est|es|è|é|no\.?|nr\.?|number|#|n°|nº))?\s*[:#]?\s*"
    r"(?P<val>(?=[A-Z0-9]*\d)[A-Z0-9]{6,9})\b", re.IGNORECASE)


def _find_strong_id(text: str) -> Iterator[_Candidate]:
    for regex, valid in _STRONG_IDS:
        for m in regex.finditer(text):
            if valid(m.group()):
                yield PERSON_ID, m.start(), m.end(), 0.9, m.group()


def _find_context_id(text: str) -> Iterator[_Candidate]:
    for regex, valid in _CONTEXT_IDS:
        for m in regex.finditer(text):
            if _near_before(_ID_CONTEXT, text, m.start()) and valid(m.group()):
                yield PERSON_ID, m.start(), m.end(), 0.85, m.group()


def _find_passport(text: str) -> Iterator[_Candidate]:
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
_DE_NL_SUFFIX = f"(?:{_words(*_DE_NL_SUFFIXES)})"
# Suffixes that also end ordinary words ("During 5", "Spring 2024"): only with postal code + city.
_DE_NL_WEAK_SUFFIXES = ("ring", "hof", "markt", "park", "pad", "steig", "berg", "veld")
_DE_NL_WEAK_SUFFIX = f"(?:{_words(*_DE_NL_WEAK_SUFFIXES)})"
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
_EN_FORM = rf"{_HOUSE}\s+{_NAME}\s+(?:{_words(*_EN_STREETS, fold=False)})s?(?!\w)"
# Hauptstraße 5, Berliner Straße 12a, Kerkstraat 3
_DE_NL_FORMS = (
    rf"{_NAME}-?(?i:{_DE_NL_SUFFIX})\s*{_HOUSE}(?!\d)",
    rf"{_NAME}-?(?i:{_DE_NL_WEAK_SUFFIX})\s*{_HOUSE},?\s+{_POSTAL}\s+{_CAP}",
    rf"{_NAME}\s(?:Stra(?:ß|ss)e|Str\.|Weg|Platz|Allee)\s*{_HOUSE}(?!\d)")
_ROMANCE_FORMS = (
    # 12, rue de la Paix / 12 rue de la Paix
    rf"{_HOUSE},?\s+(?i:{_words(*_ROMANCE_STREETS)})\s+{_PARTICLE}{_NAME}",
    # Calle Mayor 5 / Via Roma, 10 / Rua Augusta, n.º 12
    rf"(?i:{_words(*_ROMANCE_STREETS)})\s+{_PARTICLE}{_NAME},?"
    r"\s*(?:n\.?\s?[º°o]\.?\s*)?\d{1,5}(?!\d)")


def _address_regex(*forms: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{'|'.join(forms)}){_TAIL}")


_ADDRESS_RE = _address_regex(_US_FORM, _EN_FORM, *_DE_NL_FORMS, *_ROMANCE_FORMS)
# The German/Dutch forms start at every capitalised word and cost most of the pass. Without a
# street suffix before a number (_DE_NL_STREET) they cannot match anywhere, and leaving them
# out of the alternation then changes no match.
_ADDRESS_NO_DE_NL_RE = _address_regex(_US_FORM, _EN_FORM, *_ROMANCE_FORMS)
# Every form above has a street word or suffix, or a state and ZIP; and a house number.
_STREET_TRIGGERS = (_triggers(_EN_STREETS, plural=True) | _triggers(_ROMANCE_STREETS))
# the suffix is the end of a longer word (Hauptstraße): found in the folded text, with the
# house number that follows every German/Dutch form
_DE_NL_STREET = re.compile(rf"(?:{_words(*_DE_NL_SUFFIXES, *_DE_NL_WEAK_SUFFIXES)})\s*\d")
_US_ADDRESS_END = re.compile(_US_STATE_ZIP)
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
_INTRO_TRIGGERS = _triggers(_INTRO_WORDS, open_end=True)
_ADDRESS_INTRO = re.compile(
    r"(?<!\w)(?:" + _words(*_INTRO_WORDS) + r")\s*(?P<rest>[^\n.;!?]{4,90})", re.IGNORECASE)
_INTRO_VALUE = re.compile(
    rf"{_CAP}[\s,]+{_HOUSE}\b|\b{_HOUSE},?\s+{_CAP}|{_POSTAL}\s+{_CAP}")


def _street_addresses(regex: re.Pattern[str], text: str) -> Iterator[_Candidate]:
    for m in regex.finditer(text):
        yield ADDRESS, m.start(), m.end(), 0.8, m.group().rstrip(", ")


def _find_address(text: str) -> Iterator[_Candidate]:
    return _street_addresses(_ADDRESS_RE, text)


def _find_address_not_de_nl(text: str) -> Iterator[_Candidate]:
    return _street_addresses(_ADDRESS_NO_DE_NL_RE, text)


def _find_address_after_intro(text: str) -> Iterator[_Candidate]:
    for m in _ADDRESS_INTRO.finditer(text):
        rest = m.group("rest").rstrip(", ")
        if _INTRO_VALUE.search(rest):
            yield ADDRESS, m.start("rest"), m.start("rest") + len(rest), 0.75, rest


# --------------------------------------------------------------------------------------------
# KEYWORD

_KEYWORDS = (
    # EN
    "password", "passwords", "passcode", "pin code", "email", "e-mail", "email address",
    "phone number", "telephone number", "mobile number", "credit card", "card number",
    "cvv", "iban", "bank account", "account number", "ssn", "social security number",
    "passport", "passport number", "id card", "identity card", "national id",
    "date of birth", "home address", "postal address", "ip address",
    "api key", "secret key", "access token", "private key",
    # DE
    "passwort", "kennwort", "telefonnummer", "handynummer", "kreditkarte",
    "kreditkartennummer", "kontonummer", "bankverbindung", "sozialversicherungsnummer",
    "reisepass", "personalausweis", "geburtsdatum", "adresse", "anschrift", "steuer-id",
    "ip-adresse",
    # FR
    "mot de passe", "courriel", "adresse e-mail", "numéro de téléphone", "carte de crédit",
    "carte bancaire", "numéro de carte", "numéro de sécurité sociale", "passeport",
    "carte d'identité", "date de naissance", "adresse postale", "adresse ip",
    # ES
    "contraseña", "correo electrónico", "número de teléfono", "tarjeta de crédito",
    "número de tarjeta", "cuenta bancaria", "pasaporte", "dni", "fecha de nacimiento",
    # bare "dirección" also means direction or management: only the unambiguous phrases
    "dirección postal", "dirección de correo", "seguridad social",
    # IT
    "parola d'ordine", "numero di telefono", "carta di credito", "passaporto",
    "codice fiscale", "carta d'identità", "data di nascita", "indirizzo",
    "conto corrente",
    # PT
    "senha", "palavra-passe", "número de telefone", "cartão de crédito", "passaporte",
    "data de nascimento", "morada", "endereço", "nif", "cartão de cidadão",
    # NL
    "wachtwoord", "telefoonnummer", "creditcard", "paspoort", "bsn", "geboortedatum",
    "adres", "rekeningnummer", "identiteitskaart", "burgerservicenummer")
_KEYWORD_TRIGGERS = _triggers(_KEYWORDS, plural=True)
# Run on the folded text (see _fold), without re.IGNORECASE: a case-sensitive branch is
# skipped at the first character that differs, an ignore-case one is not, which makes this
# pass over long texts about twice as fast.
_KEYWORD_RE = re.compile(r"(?<!\w)(?:" + _words(*_KEYWORDS) + r")(?:s|es)?(?!\w)")
# A keyword is "covered" by a value finding this close to it (the value it introduces).
_KEYWORD_WINDOW = 60


def _find_keyword(text: str, folded: str) -> Iterator[_Candidate]:
    for m in _KEYWORD_RE.finditer(folded):
        yield KEYWORD, m.start(), m.end(), 0.5, text[m.start():m.end()]


# --------------------------------------------------------------------------------------------
# detect


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the most specific of overlapping candidates (rank, then longer span)."""
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (_RANK_OF[c[0]], c[1] - c[2], c[1])):
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    return kept


class _Scan:
    """Cheap facts about a text, computed once, that decide which finders run at all.

    Every finder runs one or more regexes over the whole text, and most need something a
    single pass finds: a digit, a run of six digits, "@", or one of their trigger words. A
    chat message without digits or trigger words then costs one tokenising pass instead of
    about twenty regex passes.
    """

    __slots__ = ("digits", "folded", "numberish", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = _fold(text)
        self.words = frozenset(_WORD.findall(self.folded))
        self.digits = _DIGIT.search(text) is not None
        self.numberish = self.digits and _NUMBERISH.search(text) is not None

    def has(self, triggers: frozenset[str]) -> bool:
        return not self.words.isdisjoint(triggers)


_DIGIT = re.compile(r"\d")
# six digits with at most three other characters between neighbours: the least that a phone
# number, card, IBAN, SSN or national id contains
_NUMBERISH = re.compile(r"\d(?:\D{0,3}\d){5}")

# Each finder with the test a text must pass for the finder to find anything at all. The
# order is that of _RANK (_find_phone relies on it) and settles exact ties in _resolve.
# (_find_phone also takes the values kept so far, see _find_values)
_FINDERS: tuple[tuple[Callable[..., Iterator[_Candidate]], Callable[[_Scan], bool]], ...] = (
    (_find_secret, lambda s: any(m in s.text for m in _SECRET_MARKERS)),
    # the value must contain a digit (_high_entropy)
    (_find_secret_after_word, lambda s: s.digits and s.has(_SECRET_TRIGGERS)),
    (_find_card, lambda s: s.numberish),
    (_find_iban, lambda s: s.numberish),
    (_find_strong_id, lambda s: s.numberish),
    (_find_context_id, lambda s: s.numberish and s.has(_ID_TRIGGERS)),
    (_find_passport, lambda s: s.numberish and s.has(_PASSPORT_TRIGGERS)),
    (_find_ssn, lambda s: s.numberish),
    (_find_email, lambda s: "@" in s.text),
    (_find_spelled_email, lambda s: "dot" in s.words),
    (_find_password, lambda s: s.has(_PASSWORD_TRIGGERS)),
    (_find_login, lambda s: _LOGIN_ANYWHERE.search(s.folded) is not None),
    (_find_url_credentials, lambda s: "://" in s.text),
    # an IPv6 address may be all hex letters
    (_find_ip, lambda s: s.digits or s.text.count(":") >= 2),
    (_find_dob, lambda s: s.digits and s.has(_DOB_TRIGGERS)),
    (_find_phone, lambda s: s.numberish),
    # one of these two, depending on whether a German/Dutch form can match
    (_find_address, lambda s: s.digits and _DE_NL_STREET.search(s.folded) is not None),
    (_find_address_not_de_nl, lambda s: s.digits and (
        s.has(_STREET_TRIGGERS) or _US_ADDRESS_END.search(s.text) is not None)
        and _DE_NL_STREET.search(s.folded) is None),
    (_find_address_after_intro, lambda s: s.digits and s.has(_INTRO_TRIGGERS)),
)


def _find_values(scan: _Scan) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for find, can_match in _FINDERS:
        if not can_match(scan):
            continue
        if find is _find_phone:
            # every finder before it reports a more specific type (_FINDERS is in _RANK order)
            candidates.extend(_find_phone(scan.text, _resolve(candidates)))
        else:
            candidates.extend(find(scan.text))
    return _resolve(candidates)


def detect(text: str) -> list[Finding]:
    """All personal data found in `text`, sorted by start offset."""
    if not text:
        return []
    scan = _Scan(text)
    values = _find_values(scan)
    keywords = [
        k for k in (_find_keyword(text, scan.folded) if scan.has(_KEYWORD_TRIGGERS) else ())
        if not any(v[1] - _KEYWORD_WINDOW <= k[2] and k[1] <= v[2] + _KEYWORD_WINDOW // 2
                   for v in values)
    ]
    kept = _resolve(values + keywords)
    kept.sort(key=lambda c: (c[1], c[2]))
    return [Finding(t, s, e, conf, mask(v, t), v) for t, s, e, conf, v in kept]


def keyword_only(findings: list[Finding]) -> bool:
    """True when there are findings and every one is a bare KEYWORD (no value disclosed)."""
    return bool(findings) and all(f.type == KEYWORD for f in findings)
