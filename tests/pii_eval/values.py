"""Value makers of the evaluation set: secrets in 45 documented token shapes, national ids.

The token shapes follow the rule lists of gitleaks (config/gitleaks.toml) and detect-secrets
(its plugins), which document each provider's prefix, alphabet and length. The national ids
come from Faker's per-locale `ssn()` providers or from python-stdnum's check-digit functions,
and are kept only when python-stdnum's validator of that country accepts them.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from types import ModuleType

from stdnum import verhoeff
from stdnum.at import vnr
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.ch import ssn as ch_ssn
from stdnum.cn import ric
from stdnum.de import idnr
from stdnum.ee import ik
from stdnum.es import dni
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gr import amka
from stdnum.hr import oib
from stdnum.il import idnr as il_idnr
from stdnum.in_ import aadhaar
from stdnum.iso7064 import mod_11_10
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.pl import pesel
from stdnum.ro import cnp
from stdnum.se import personnummer
from stdnum.tr import tckimlik
from stdnum.ua import rntrc

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64URL = ALNUM + "-_"


def _rand(rng: random.Random, n: int, chars: str = ALNUM) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _jwt(rng: random.Random) -> str:
    header = {"alg": rng.choice(["HS256", "RS256", "ES384", "none"]), "typ": "JWT"}
    if rng.random() < 0.5:
        header["kid"] = _rand(rng, 8)
    payload = {"sub": _rand(rng, 10), "iat": rng.randint(1, 2 ** 31), "scope": "read write"}
    sig = "" if header["alg"] == "none" else _rand(rng, rng.choice([43, 86, 64]), B64URL)
    return f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(payload).encode())}.{sig}"


def _pem(rng: random.Random) -> str:
    kind = rng.choice(["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED "])
    body = "\n".join(_rand(rng, 64, ALNUM + "+/") for _ in range(rng.randint(2, 6)))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"


def _u(chars: str, n: int) -> Callable[[random.Random], str]:
    return lambda rng: _rand(rng, n, chars)


UPPER_NUM = string.ascii_uppercase + string.digits
# name -> maker; each a documented shape (prefix + alphabet + length)
SECRET_SHAPES: dict[str, Callable[[random.Random], str]] = {
    "aws-access-key": lambda r: "AKIA" + _rand(r, 16, UPPER_NUM),
    "aws-session-key": lambda r: "ASIA" + _rand(r, 16, UPPER_NUM),
    "github-pat": lambda r: "ghp_" + _rand(r, 36),
    "github-oauth": lambda r: "gho_" + _rand(r, 36),
    "github-app-user": lambda r: "ghu_" + _rand(r, 36),
    "github-app-server": lambda r: "ghs_" + _rand(r, 36),
    "github-refresh": lambda r: "ghr_" + _rand(r, 36),
    "github-fine-grained": lambda r: "github_pat_" + _rand(r, 22) + "_" + _rand(r, 59),
    "gitlab-pat": lambda r: "glpat-" + _rand(r, 20, B64URL),
    "gitlab-runner": lambda r: "glrt-" + _rand(r, 20, B64URL),
    "gitlab-deploy": lambda r: "gldt-" + _rand(r, 20, B64URL),
    "gitlab-ci-job": lambda r: "glcbt-" + _rand(r, 2, HEX) + "_" + _rand(r, 20, B64URL),
    "slack-bot": lambda r: f"xoxb-{_rand(r, 12, string.digits)}-{_rand(r, 13, string.digits)}-"
                           f"{_rand(r, 24)}",
    "slack-user": lambda r: f"xoxp-{_rand(r, 12, string.digits)}-{_rand(r, 12, string.digits)}-"
                            f"{_rand(r, 13, string.digits)}-{_rand(r, 32, HEX)}",
    "slack-webhook": lambda r: "https://hooks.slack.com/services/T" + _rand(r, 10, UPPER_NUM)
                               + "/B" + _rand(r, 10, UPPER_NUM) + "/" + _rand(r, 24),
    "stripe-secret": lambda r: "sk_live_" + _rand(r, 24),
    "stripe-restricted": lambda r: "rk_live_" + _rand(r, 24),
    "stripe-test": lambda r: "sk_test_" + _rand(r, 24),
    "openai-project": lambda r: ("sk-proj-" + _rand(r, 74, B64URL) + "T3BlbkFJ"
                                 + _rand(r, 74, B64URL)),
    "openai-legacy": lambda r: "sk-" + _rand(r, 20) + "T3BlbkFJ" + _rand(r, 20),
    "anthropic": lambda r: "sk-ant-api03-" + _rand(r, 93, B64URL) + "AA",
    "google-api": lambda r: "AIza" + _rand(r, 35, B64URL),
    "google-oauth-access": lambda r: "ya29." + _rand(r, 60, B64URL),
    "npm": lambda r: "npm_" + _rand(r, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + _rand(r, 60, B64URL),
    "docker-hub": lambda r: "dckr_pat_" + _rand(r, 27, B64URL),
    "huggingface": lambda r: "hf_" + _rand(r, 34, string.ascii_letters),
    "sendgrid": lambda r: "SG." + _rand(r, 22, B64URL) + "." + _rand(r, 43, B64URL),
    "twilio": lambda r: "SK" + _rand(r, 32, HEX),
    "mailgun": lambda r: "key-" + _rand(r, 32, HEX),
    "shopify-access": lambda r: "shpat_" + _rand(r, 32, HEX),
    "shopify-shared": lambda r: "shpss_" + _rand(r, 32, HEX),
    "digitalocean": lambda r: "dop_v1_" + _rand(r, 64, HEX),
    "atlassian": lambda r: "ATATT3xFfGF0" + _rand(r, 170, B64URL) + "=" + _rand(r, 8, HEX.upper()),
    "doppler": lambda r: "dp.pt." + _rand(r, 43),
    "linear": lambda r: "lin_api_" + _rand(r, 40),
    "postman": lambda r: "PMAK-" + _rand(r, 24, HEX) + "-" + _rand(r, 34, HEX),
    "pulumi": lambda r: "pul-" + _rand(r, 40, HEX),
    "grafana-service": lambda r: "glsa_" + _rand(r, 32) + "_" + _rand(r, 8, HEX),
    "vault": lambda r: "hvs." + _rand(r, 90, B64URL),
    "terraform": lambda r: _rand(r, 14) + ".atlasv1." + _rand(r, 67, B64URL),
    "databricks": lambda r: "dapi" + _rand(r, 32, HEX),
    "newrelic": lambda r: "NRAK-" + _rand(r, 27, UPPER_NUM),
    "telegram-bot": lambda r: f"{r.randint(10 ** 8, 10 ** 10)}:AA" + _rand(r, 33, B64URL),
    "supabase": lambda r: "sbp_" + _rand(r, 40, HEX),
    "age": lambda r: "AGE-SECRET-KEY-1" + _rand(r, 58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
    "groq": lambda r: "gsk_" + _rand(r, 52),
    "replicate": lambda r: "r8_" + _rand(r, 37),
    "sentry-user": lambda r: "sntryu_" + _rand(r, 64, HEX),
    "figma": lambda r: "figd_" + _rand(r, 40, B64URL),
    "jwt": _jwt,
    "private-key": _pem,
    "generic-high-entropy": lambda r: _rand(r, r.randint(24, 48)),
}


# ------------------------------------------------------------------------ national ids
def _dni(rng: random.Random) -> str:
    digits = f"{rng.randint(10 ** 7, 10 ** 8 - 1)}"
    return digits + dni.calc_check_digit(digits)


def _idnr(rng: random.Random) -> str:
    while True:
        digits = f"{rng.randint(1, 9)}" + "".join(rng.choice(string.digits) for _ in range(9))
        number = digits + mod_11_10.calc_check_digit(digits)  # the IdNr check digit
        if idnr.is_valid(number):
            return number


def _aadhaar(rng: random.Random) -> str:
    digits = f"{rng.randint(2, 9)}" + "".join(rng.choice(string.digits) for _ in range(10))
    number = digits + verhoeff.calc_check_digit(digits)
    return f"{number[:4]} {number[4:8]} {number[8:]}"


# (country, python-stdnum module, Faker locale or a maker, the id's name, frame language)
NATIONAL_IDS: tuple[tuple[str, ModuleType, str | Callable[[random.Random], str], str, str], ...] = (
    ("PL", pesel, "pl_PL", "PESEL", "pl"),
    ("SE", personnummer, "sv_SE", "personnummer", "en"),
    ("FI", hetu, "fi_FI", "henkilötunnus", "en"),
    ("NO", fodselsnummer, "no_NO", "fødselsnummer", "en"),
    ("NL", bsn, "nl_NL", "BSN", "nl"),
    ("IT", codicefiscale, "it_IT", "codice fiscale", "it"),
    ("FR", nir, "fr_FR", "numéro de sécurité sociale", "fr"),
    ("BR", cpf, "pt_BR", "CPF", "pt"),
    ("IL", il_idnr, "he_IL", "תעודת זהות", "he"),
    ("CN", ric, "zh_CN", "身份证号码", "zh"),
    ("TR", tckimlik, "tr_TR", "TC kimlik no", "en"),
    ("GR", amka, "el_GR", "ΑΜΚΑ", "el"),
    ("RO", cnp, "ro_RO", "CNP", "en"),
    ("EE", ik, "et_EE", "isikukood", "en"),
    ("HR", oib, "hr_HR", "OIB", "en"),
    ("AT", vnr, "de_AT", "Sozialversicherungsnummer", "de"),
    ("CH", ch_ssn, "de_CH", "AHV-Nummer", "de"),
    ("UA", rntrc, "uk_UA", "РНОКПП", "ru"),
    ("CA", sin, "en_CA", "SIN", "en"),
    ("ES", dni, _dni, "DNI", "es"),
    ("DE", idnr, _idnr, "Steuer-ID", "de"),
    ("IN", aadhaar, _aadhaar, "आधार नंबर", "hi"),
)


def spoil(number: str, valid: Callable[[str], bool]) -> str | None:
    """`number` with its last digit changed so that it fails its checksum, or None."""
    for i in range(len(number) - 1, -1, -1):
        if number[i].isdigit():
            for d in "1234567890":
                if d != number[i]:
                    bad = number[:i] + d + number[i + 1:]
                    if not valid(bad):
                        return bad
            return None
    return None
