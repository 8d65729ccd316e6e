"""PERSON_ID: national id numbers named by their own word, in the country's language.

python-stdnum validates the personal codes, national insurance and tax ids of dozens of
countries (`stdnum.pl.pesel`, `stdnum.se.personnummer`, ...). Their check digits let through
one random number in 10 to 100, so a number is only taken right after the word that names
that id ("PESEL: 84070728307", "my personnummer is 800802-9319", "身份证号码是…"), and only
when the validator of that id accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stdnum.at import vnr
from stdnum.bg import egn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.ch import ssn as ch_ssn
from stdnum.cn import ric
from stdnum.cz import rc
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.ee import ik
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gr import amka
from stdnum.hr import oib
from stdnum.il import idnr as il_idnr
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.jp import in_ as jp_in
from stdnum.kr import rrn
from stdnum.lt import asmens
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.pl import pesel
from stdnum.pt import nif
from stdnum.ro import cnp
from stdnum.ru import inn
from stdnum.se import personnummer
from stdnum.tr import tckimlik
from stdnum.ua import rntrc

from hw4.detection.base import (
    COPULA,
    PERSON_ID,
    SKIP_WORDS,
    Candidate,
    fold,
    triggers,
    words_regex,
)

# the words that name each id (lower case), and the validators of the ids they may name
_NAMES: dict[str, tuple[Callable[[str], bool], ...]] = {}
for _validator, _words in (
        (pesel.is_valid, ("pesel", "numer pesel")),
        (personnummer.is_valid, ("personnummer", "personnr")),
        (cpr.is_valid, ("cpr", "cpr-nummer", "cpr-nr", "personnummer")),
        (hetu.is_valid, ("henkilötunnus", "hetu", "personbeteckning")),
        (fodselsnummer.is_valid, ("fødselsnummer", "fodselsnummer", "personnummer")),
        (bsn.is_valid, ("bsn", "burgerservicenummer")),
        (codicefiscale.is_valid, ("codice fiscale", "cf")),
        (nir.is_valid, ("numéro de sécurité sociale", "nir", "numéro insee", "sécu")),
        (cpf.is_valid, ("cpf",)),
        (nif.is_valid, ("nif", "número de contribuinte")),
        (il_idnr.is_valid, ("תעודת זהות", "ת.ז", "ת\"ז", "מספר זהות", "teudat zehut")),
        (ric.is_valid, ("身份证", "身份证号", "身份证号码", "居民身份证", "身份證", "身份證號碼")),
        (tckimlik.is_valid, ("tc kimlik", "tc kimlik no", "t.c. kimlik no", "kimlik no",
                             "kimlik numarası", "tckn")),
        (amka.is_valid, ("αμκα", "amka")),
        (cnp.is_valid, ("cnp", "cod numeric personal")),
        (ik.is_valid, ("isikukood",)),
        (oib.is_valid, ("oib",)),
        (vnr.is_valid, ("sozialversicherungsnummer", "svnr", "versicherungsnummer")),
        (ch_ssn.is_valid, ("ahv-nummer", "ahv", "avs", "numéro avs", "ahv-nr")),
        (rntrc.is_valid, ("рнокпп", "іпн", "ідентифікаційний код", "идентификационный код")),
        (inn.is_valid, ("инн",)),
        (sin.is_valid, ("sin", "social insurance number", "numéro d'assurance sociale")),
        (dni.is_valid, ("dni",)),
        (nie.is_valid, ("nie",)),
        (idnr.is_valid, ("steuer-id", "steuerid", "idnr", "steuer-identifikationsnummer",
                         "steueridentifikationsnummer", "identifikationsnummer")),
        (aadhaar.is_valid, ("aadhaar", "aadhar", "आधार", "आधार नंबर", "आधार संख्या")),
        (rrn.is_valid, ("주민등록번호", "주민번호")),
        (jp_in.is_valid, ("マイナンバー", "個人番号")),
        (rc.is_valid, ("rodné číslo", "rodne cislo")),
        (egn.is_valid, ("егн",)),
        (asmens.is_valid, ("asmens kodas",)),
):
    for _word in _words:
        _NAMES[_word] = (*_NAMES.get(_word, ()), _validator)

NAMED_ID_TRIGGERS = triggers(tuple(_NAMES))
# the name, a few words and a copula or colon ("my PESEL is", "oto PESEL, o który prosiłeś:",
# "身份证号码是"), then a number with its usual separators ("800802-9319", "756.2140.3579.85")
_NAMED_ID_RE = re.compile(
    rf"(?P<name>{words_regex(*_NAMES)})(?:{SKIP_WORDS}\s*(?:{COPULA}))?\s*"
    r"(?P<val>[0-9A-Z]+(?:[ ./+-][0-9A-Z]+){0,4})", re.IGNORECASE)


def named_before(text: str, start: int) -> bool:
    """True when the name of a national id introduces the value at `start` ("my CNP is 4710…")."""
    return any(m.start("val") == start
               for m in _NAMED_ID_RE.finditer(text, max(0, start - 60), start + 1))


def find_named_id(text: str) -> Iterator[Candidate]:
    for m in _NAMED_ID_RE.finditer(text):
        validators = _NAMES.get(re.sub(r"\s+", " ", fold(m.group("name"))), ())
        # the value may run into the next word ("84070728307 thanks"): drop trailing groups
        # until a validator accepts it
        val = m.group("val")
        while val:
            if any(valid(val) for valid in validators):
                yield PERSON_ID, m.start("val"), m.start("val") + len(val), 0.85, val
                break
            cut = max(val.rfind(sep) for sep in " ./+-")
            val = val[:cut] if cut > 0 else ""
