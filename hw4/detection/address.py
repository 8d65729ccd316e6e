"""ADDRESS: street addresses in the order each language writes them, or after "I live at".

pyap only knows US/CA/GB addresses and usaddress labels the parts of a string that is
already known to be an address (it does not find one in free text), so neither covers the
languages here; the patterns below do: a street-type word with a house number in the
order each language uses, optionally followed by a postal code and a city. After an
introduction ("I live at", "my address is", "address:") a capitalised name with a house
number is enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hw4.detection.base import (
    ADDRESS,
    COPULA,
    SKIP_WORDS,
    Candidate,
    phrase_regex,
    triggers,
    words_regex,
)

# no "-" or "." inside a word: the joiner below handles hyphens, and a class that overlapped
# with it would make the regex backtrack exponentially on long hyphenated names. Capitals of
# Latin-1 and Latin Extended-A (İnönü, Šárovo, Łódzka; that block mixes both cases)
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ž][\w'’]*\.?"
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
    "Ferry", "Fort", "Forest", "Field", "Island", "Lake", "Mission", "Park", "Stream", "Ville",
    "Branch", "Brook", "Burg", "Bypass", "Camp", "Canyon", "Cape", "Causeway", "Center",
    "Cliff", "Club", "Common", "Corner", "Course", "Cove", "Crest", "Crossroad", "Curve", "Dale",
    "Dam", "Divide", "Estate", "Flat", "Ford", "Forge", "Fork", "Garden", "Gateway", "Green",
    "Hill", "Inlet", "Isle", "Key", "Knoll", "Loaf", "Lock", "Lodge", "Mews", "Motorway",
    "Mountain", "Neck", "Orchard", "Oval", "Overpass", "Passage", "Path", "Pine", "Plain",
    "Prairie", "Radial", "Ramp", "Rapid", "Rest", "River", "Shoal", "Spur", "Stravenue",
    "Throughway", "Track", "Trafficway", "Tunnel", "Underpass", "Union", "Viaduct", "Wall", "Well",
    # and British and Australian ones
    "Centre", "Parade", "Esplanade", "Promenade", "Quay", "Wynd", "Grange", "Approach", "Strand",
    "Circuit", "Rise")
_DE_NL_SUFFIXES = ("straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ufer",
                   "chaussee", "pfad", "straat", "laan", "baan", "gracht", "plein", "kade",
                   "singel", "dijk", "dreef", "boulevard", "steeg", "lei",
                   # Swedish and Danish (Storgatan 5, Kyrkvägen 12, Gentorget 7, Nørregade 3)
                   "gatan", "vägen", "gränd", "torget", "stigen", "gade", "vej", "stræde")
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
    "rua", "r.", "av.", "av", "travessa", "praça", "estrada", "alameda", "rotunda", "beco",
    # Mexico and Brazil (the street types of their postal services)
    "cerrada", "privada", "prolongación", "continuación", "circunvalación", "calzada",
    "retorno", "periférico", "diagonal", "andador", "corredor", "ampliación", "viaducto",
    "eje vial", "setor", "passarela", "vereda", "viela", "vila", "trecho", "conjunto",
    "quadra", "residencial", "sítio", "chácara", "condomínio", "ladeira", "lagoa", "esplanada",
    "fazenda", "núcleo", "loteamento", "rodovia", "recanto", "jardim", "parque", "morro",
    "pátio", "distrito", "colônia", "aeroporto", "estação", "favela", "feira", "viaduto",
    # Czech (Náměstí Míru 5, Nábřeží Kpt. Jaroše 12)
    "náměstí", "nábřeží", "třída", "ulice")
_US_STATE_ZIP = r",\s+[A-Z]{2}\s+\d{5}"  # ", MT 73436"
_POSTAL = (r"(?:\b\d{4}\s?[A-Z]{2}\b|\b\d{4}-\d{3}\b|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"
           r"|\b\d{5}\b|\b\d{4}\b)")
_TAIL = rf"(?:,?\s*(?:{_POSTAL})?,?\s*{_CAP}(?:\s{_CAP})?(?:,?\s*{_POSTAL})?)?"
# US: 7835 Erica Trace, Farleytown, MT 73436 (any street word when city, state and ZIP follow)
_US_FORM = rf"{_HOUSE}\s+{_NAME}(?:\s+(?:Apt\.|Suite|Unit)\s*\d+)?,?\s+{_NAME}{_US_STATE_ZIP}"
# 221B Baker Street / 12 Main St / Flat 83, 9 Clarke Alley / Studio 58b, Russell Gateway
_EN_FORM = (rf"(?:(?:Flat|Studio|Apartment|Apt\.|Suite|Unit)\s+{_HOUSE},?\s+(?:{_HOUSE}\s+)?"
            rf"|{_HOUSE}\s+){_NAME}\s+(?:{phrase_regex(*_EN_STREETS, lower=False)})s?(?!\w)")
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
    + rf"|{words_regex(*_ADDRESS_NOUNS)}(?:{SKIP_WORDS}\s*(?:{COPULA})|(?P<direct>)(?=\s))"
    # up to the end of the sentence; a "." before a number is an abbreviation ("Apt. 215")
    + r")\s*(?P<rest>(?:[^\n.;!?]|\.(?=\s?\d)){4,90})", re.IGNORECASE)
_INTRO_VALUE = re.compile(
    rf"{_CAP}[\s,]+{_HOUSE}\b|\b{_HOUSE},?\s+{_CAP}|{_POSTAL}\s+{_CAP}")
# Right after the noun, with no copula ("ok, address Gentorget 7", "adres Dirkpad 7"), the
# address must start there: a capitalised name, then a house number. (A number first is left
# to the street forms above, which know "12 rue ...", "4157 Aslan Plain"; "address 404 Not
# Found" is no address.)
_DIRECT_VALUE = re.compile(rf"{_NAME},?\s+{_HOUSE}(?!\w)")
# where "address" names something else: "IP address 10.0.0.1", "email address ..."
_OTHER_ADDRESS = re.compile(r"(?:\bip|\bmac|mail|\bweb|\burl|memory|wallet|return)[\s-]*$",
                            re.IGNORECASE)


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
        if m.group("direct") is not None:
            ok = (_DIRECT_VALUE.match(rest) is not None
                  and _OTHER_ADDRESS.search(text, max(0, m.start() - 10), m.start()) is None)
        else:
            ok = _INTRO_VALUE.search(rest) is not None
        if ok:
            yield ADDRESS, m.start("rest"), m.start("rest") + len(rest), 0.75, rest
