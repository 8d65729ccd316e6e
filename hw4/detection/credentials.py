"""Credentials: PASSWORDs (and logins) and SECRETs (API keys, tokens, private keys, JWTs).

Passwords are free-form, so they are only taken after a password word in one of the seven
languages and a separator or copula ("password: x", "Passwort ist x", "mot de passe est x"),
after a login ("login: ann / x", "user ann pass x"), or from a URL ("https://ann:x@host"). A
stop list keeps ordinary words out ("the password is incorrect").

Secrets are either in a provider's fixed format (AWS "AKIA...", GitHub "ghp_...", Slack,
Stripe, JWTs, PEM private keys) and reported anywhere, or a long random-looking token (high
entropy, letters and digits) after a key/token/secret word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from hw4.detection.base import PASSWORD, SECRET, Candidate, phrase_regex, triggers

# --------------------------------------------------------------------------------------------
# PASSWORD

_PASSWORD_WORDS = (
    "password", "passwort", "kennwort", "mot de passe", "mdp", "contraseña", "contrasena",
    "clave", "senha", "palavra-passe", "palavra passe", "wachtwoord", "passcode", "passphrase",
    "pwd", "pw", "pass", "pin", "pin code", "PIN-Code", "code PIN", "parola d'ordine",
    "codice PIN", "code secret", "Geheimzahl")
PASSWORD_TRIGGERS = triggers(_PASSWORD_WORDS)
# word copulas need word boundaries, otherwise the "e" inside "serve" counts as Italian "è"
_COPULA = r":=|->|[:=—-]|(?<!\w)(?:" + phrase_regex(
    "is", "ist", "lautet", "est", "es", "è", "e", "é", "era", "was", "war", "is now",
    "ist jetzt", "est maintenant", "es ahora", "è ora", "agora é", "is nu") + r")(?!\w)"
_PASSWORD_RE = re.compile(
    rf"\b(?:{phrase_regex(*_PASSWORD_WORDS)})\b(?:\s+\w+\b){{0,2}}?\s*(?P<sep>{_COPULA})\s*"
    r"['\"«“]?(?P<val>[^\s'\"»”]{3,64})",
    re.IGNORECASE)
# "login: ann / hunter2", "user ann pass hunter2", "ann:hunter2@host"
_LOGIN_WORDS = ("login", "user", "username", "benutzer", "benutzername", "utilisateur", "usuario",
                "utente", "utilizador", "gebruiker", "gebruikersnaam", "identifiant")
_LOGIN_WORD = phrase_regex(*_LOGIN_WORDS)
# No boundary after the word ("users: ann / hunter2" matches), so the pre-scan looks for it
# anywhere in the folded text.
LOGIN_ANYWHERE = re.compile(_LOGIN_WORD)
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


# What people write in place of a value in docs, configs and templates: "XXXX", "********",
# "<YOUR_TOKEN>", "${DB_PASSWORD}", "{{ secret }}", "%s", "$API_KEY", "your-api-key-here"
_PLACEHOLDER = re.compile(
    r"""(?ix) ^(?:
      [x*•#?._-]+                                   # XXXX, ********, ...
    | <[^<>]*>? | \$\{.*\}? | \{\{.*(?:\}\})?           # <YOUR_TOKEN>, ${VAR}, {{ var }}
    | \$\w+ | %\(?\w*\)?s | \[[^\[\]]*\]?               # $VAR, %s, [token]
    | .*your[_-]?\w* | .*(?:placeholder|redacted|example|dummy|_here|-here).*
    ) $""")


def is_placeholder(value: str) -> bool:
    """True for a stand-in such as "XXXX" or "<YOUR_TOKEN>" rather than a real value."""
    return _PLACEHOLDER.match(value) is not None


def _password_like(value: str, sep: str) -> bool:
    v = value.lower()
    if v in _NOT_A_PASSWORD or len(value) < 4 or is_placeholder(value):
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


def find_password(text: str) -> Iterator[Candidate]:
    for m in _PASSWORD_RE.finditer(text):
        val = _strip_trailing(m.group("val"))
        if _password_like(val, m.group("sep").strip()):
            yield PASSWORD, m.start("val"), m.start("val") + len(val), 0.85, val


def _credentials(regex: re.Pattern[str], text: str) -> Iterator[Candidate]:
    for m in regex.finditer(text):
        val = _strip_trailing(m.group("val"))
        if val.lower() not in _NOT_A_PASSWORD and not is_placeholder(val):
            yield PASSWORD, m.start("val"), m.start("val") + len(val), 0.8, val


def find_login(text: str) -> Iterator[Candidate]:
    return _credentials(_LOGIN_RE, text)


def find_url_credentials(text: str) -> Iterator[Candidate]:
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
SECRET_MARKERS = ("AKIA", "ASIA", "_", "glpat-", "xox", "eyJ", "-----BEGIN")
_SECRET_WORDS = (
    "api key", "api-key", "api_key", "apikey", "access key", "secret key", "secret",
    "token", "access token", "auth token", "bearer", "client secret", "key", "private key",
    "Schlüssel", "API-Schlüssel", "Geheimnis", "clé", "clé API", "jeton", "clave",
    "clave API", "chiave", "chiave API", "chave", "chave API", "sleutel", "API-sleutel",
    "geheim")
SECRET_TRIGGERS = triggers(_SECRET_WORDS)
_SECRET_CONTEXT_RE = re.compile(
    r"\b(?:" + phrase_regex(*_SECRET_WORDS) + r")\b"
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


def find_secret(text: str) -> Iterator[Candidate]:
    for m in _SECRET_RE.finditer(text):
        yield SECRET, m.start(), m.end(), 0.97, m.group()


def find_secret_after_word(text: str) -> Iterator[Candidate]:
    for m in _SECRET_CONTEXT_RE.finditer(text):
        val = m.group("val").rstrip(".")
        if _high_entropy(val) and not is_placeholder(val):
            yield SECRET, m.start("val"), m.start("val") + len(val), 0.8, val
