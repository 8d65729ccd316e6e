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

import hashlib
import math
import re
from collections.abc import Iterator

from hw4.detection.base import (
    CJK,
    COPULA,
    PASSWORD,
    SECRET,
    SKIP_WORDS,
    Candidate,
    fold,
    phrase_regex,
    triggers,
    words_regex,
)

# --------------------------------------------------------------------------------------------
# PASSWORD

_PASSWORD_WORDS = (
    "password", "passwort", "kennwort", "mot de passe", "mdp", "contraseña", "contrasena",
    "clave", "senha", "palavra-passe", "palavra passe", "wachtwoord", "passcode", "passphrase",
    "pwd", "pw", "pass", "pin", "pin code", "PIN-Code", "code PIN", "parola d'ordine",
    "codice PIN", "code secret", "Geheimzahl",
    # PL RU EL AR HE HI ZH JA KO, and TR CS SV FI NO DA HU
    "hasło", "haslo", "пароль", "κωδικός πρόσβασης", "κωδικός", "συνθηματικό", "كلمة المرور",
    "كلمة السر", "סיסמה", "סיסמא", "पासवर्ड", "密码", "密碼", "口令", "パスワード", "暗証番号",
    "비밀번호", "암호", "şifre", "parola", "heslo", "lösenord", "salasana", "passord",
    "adgangskode", "jelszó")
PASSWORD_TRIGGERS = triggers(_PASSWORD_WORDS)
_PASSWORD_RE = re.compile(
    rf"(?P<word>{words_regex(*_PASSWORD_WORDS)})(?:{SKIP_WORDS}\s*"
    rf"(?P<sep>{COPULA})"
    # no copula at all right after a word in a script other than Latin: "मेरा पासवर्ड X है",
    # "密码 X" (base.spaced made the "是" of "密码是X" a space)
    r"|(?<=[^\x00-\u024f])(?=\s)"
    # or the value right after the word: "ok, password Media3524!" (_looks_generated)
    r"|(?P<direct>)(?=\s))\s*"
    rf"['\"«“]?(?P<val>[^\s'\"»”{CJK}]{{3,64}})")
# Words that name a password but are also ordinary words or commands ("boarding pass X12345",
# "pwd /srv/app2", "pin 3 of J12"): a value right after them needs a separator or copula
_AMBIGUOUS_WORDS = frozenset(("pass", "pw", "pwd", "pin", "clave", "parola", "code secret"))
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
    r"""(?ix) (?:
      [x*•#?._-]+                                   # XXXX, ********, ...
    | <[^<>]*>? | \$\{.*\}? | \{\{.*(?:\}\})?           # <YOUR_TOKEN>, ${VAR}, {{ var }}
    | (?-i:\$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*))    # $VAR, $db_pass: one case
    | %\(?\w*\)?s | \[[^\[\]]*\]?                       # %s, [token]
    | .*your[_-]?\w* | .*(?:placeholder|redacted|example|dummy|_here|-here).*
    )""")


def is_placeholder(value: str) -> bool:
    """True for a stand-in such as "XXXX" or "<YOUR_TOKEN>" rather than a real value."""
    return _PLACEHOLDER.fullmatch(value) is not None


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


# Letters with digits that are no password: the names of hashes and encodings ("password
# sha256 hashed"), hashlib's and a few more; versions and dates ("v1.2.3", "2024-01-05")
_ALGORITHMS = frozenset(name.lower() for name in hashlib.algorithms_available) | {
    "bcrypt", "scrypt", "argon2", "argon2id", "pbkdf2", "base64", "base32", "utf8", "utf-8",
    "aes256", "aes-256", "rsa2048", "rsa4096"}
_VERSION_OR_DATE = re.compile(r"v?\d+(?:[.-]\d+)+(?:[.-]?[a-z]+\.?\d*)?", re.IGNORECASE)


def _looks_generated(value: str) -> bool:
    """A value right after the word, with nothing between: it must look made up.

    Without a separator the next word is usually prose ("password reset tomorrow", "password
    manager"), so only a token of 6+ characters with letters and digits counts ("Media3524!",
    "hunter22", "vmdmB5pX$c2B+"), and not a version, a date or the name of a hash.
    """
    return (len(value) >= 6 and re.search(r"\d", value) is not None
            and re.search(r"[^\W\d_]", value) is not None
            and _VERSION_OR_DATE.fullmatch(value) is None and value.lower() not in _ALGORITHMS)


def _strip_trailing(raw: str) -> str:
    # "!" and "?" stay: they are common in passwords, and a sentence rarely ends right after one
    return raw.rstrip(".,;:)]}")


def find_password(text: str) -> Iterator[Candidate]:
    # matched in the lower-cased text, as keywords are (3x faster than re.IGNORECASE on long
    # texts); the value is read from `text` itself, where the case is the user's
    for m in _PASSWORD_RE.finditer(fold(text)):
        val = _strip_trailing(text[m.start("val"):m.end("val")])
        if m.group("direct") is not None:
            word = " ".join(m.group("word").split())
            ok = word not in _AMBIGUOUS_WORDS and _looks_generated(val) and _password_like(val, "")
        else:
            ok = _password_like(val, (m.group("sep") or "").strip())
        if ok:
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

# Provider token formats: a fixed prefix, an alphabet and a length, as each provider documents
# them (gitleaks' rule list, config/gitleaks.toml, collects them). They are reported anywhere,
# without a context word: the prefix and the length are distinctive enough.
_TOKEN_SHAPES = {
    "AWS access key": r"(?:AKIA|ASIA)[0-9A-Z]{16}",
    "GitHub token": r"gh[pousr]_[A-Za-z0-9]{36,}",
    "GitHub fine-grained token": r"github_pat_[A-Za-z0-9_]{22,}",
    "GitLab token (personal, runner, deploy, CI job, ...)":
        r"gl(?:pat|rt|dt|ptt|ft|imt|oas|cbt|soat)-[A-Za-z0-9_-]{20,}",
    "Slack token": r"xox[baprse]-[A-Za-z0-9-]{10,}",
    "Slack webhook": r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,}",
    "Stripe key": r"(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
    "OpenAI key": r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}",
    "Anthropic key": r"sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}",
    "Google API key": r"AIza[0-9A-Za-z_-]{35}",
    "Google OAuth access token": r"ya29\.[0-9A-Za-z_-]{30,}",
    "npm token": r"npm_[A-Za-z0-9]{36}",
    "PyPI token": r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
    "Docker Hub token": r"dckr_pat_[A-Za-z0-9_-]{27,}",
    "Hugging Face token": r"hf_[A-Za-z]{34}",
    "SendGrid key": r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    "Twilio key": r"SK[0-9a-f]{32}",
    "Mailgun key": r"key-[0-9a-f]{32}",
    "Shopify token": r"shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}",
    "DigitalOcean token": r"do[opr]_v1_[0-9a-f]{64}",
    "Atlassian API token": r"ATATT3[A-Za-z0-9_=-]{150,}",
    "Doppler token": r"dp\.(?:pt|st|ct|scim|audit)\.[A-Za-z0-9]{40,}",
    "Linear key": r"lin_api_[A-Za-z0-9]{40}",
    "Postman key": r"PMAK-[0-9a-f]{24}-[0-9a-f]{34}",
    "Pulumi token": r"pul-[0-9a-f]{40}",
    "Grafana service account token": r"glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}",
    "HashiCorp Vault token": r"hv[sb]\.[A-Za-z0-9_-]{90,}",
    "Terraform Cloud token": r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}",
    "Databricks token": r"dapi[0-9a-f]{32}",
    "New Relic key": r"NRAK-[A-Z0-9]{27}",
    "Telegram bot token": r"\d{8,10}:AA[A-Za-z0-9_-]{33}",
    "Supabase token": r"sbp_[0-9a-f]{40}",
    "age secret key": r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
    "Groq key": r"gsk_[A-Za-z0-9]{52}",
    "Replicate token": r"r8_[A-Za-z0-9]{37}",
    "Sentry token": r"sntry[us]_[A-Za-z0-9_=+/]{40,}",
    "Figma token": r"figd_[A-Za-z0-9_-]{40}",
    # header.payload.signature, both JSON objects base64url-encoded ("{" is "eyJ"); the
    # signature is empty for "alg": "none"
    "JWT": r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
}
_SECRET_RE = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_TOKEN_SHAPES.values()) + ")")
# Every token above is a run of 20 or more of these characters. The shapes are only looked
# for inside such runs: trying 40 shapes at every position of a long text costs more.
LONG_TOKEN = re.compile(r"[A-Za-z0-9_.+/=:-]{20,}")
_PEM_RE = re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]{0,8000}?"
                     r"-----END (?:[A-Z]+ )*PRIVATE KEY-----")
_SECRET_WORDS = (
    "api key", "api-key", "api_key", "apikey", "access key", "secret key", "secret",
    "token", "access token", "auth token", "bearer", "client secret", "key", "private key",
    "Schlüssel", "API-Schlüssel", "Geheimnis", "clé", "clé API", "jeton", "clave",
    "clave API", "chiave", "chiave API", "chave", "chave API", "sleutel", "API-sleutel",
    "geheim", "klucz", "klucz API", "ключ", "API-ключ", "токен", "κλειδί", "κλειδί API",
    "مفتاح", "مفتاح API", "מפתח", "מפתח API", "टोकन", "कुंजी", "API कुंजी", "密钥", "令牌",
    "API密钥", "キー", "APIキー", "トークン", "키", "API 키", "토큰")
SECRET_TRIGGERS = triggers(_SECRET_WORDS)
_SECRET_CONTEXT_RE = re.compile(
    words_regex(*_SECRET_WORDS) +
    rf"(?:\s+\w+){{0,2}}?\s*(?:{COPULA})?\s*['\"]?"
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
    if "-----BEGIN" in text:
        for m in _PEM_RE.finditer(text):
            yield SECRET, m.start(), m.end(), 0.97, m.group()
    for run in LONG_TOKEN.finditer(text):
        for m in _SECRET_RE.finditer(text, run.start(), run.end()):
            yield SECRET, m.start(), m.end(), 0.97, m.group()


def find_secret_after_word(text: str) -> Iterator[Candidate]:
    for m in _SECRET_CONTEXT_RE.finditer(text):
        val = m.group("val").rstrip(".")
        if _high_entropy(val) and not is_placeholder(val):
            yield SECRET, m.start("val"), m.start("val") + len(val), 0.8, val
