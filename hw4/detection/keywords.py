"""The sensitive words themselves: KEYWORD findings ("password", "IBAN", "Reisepass", ...).

A keyword is not personal data, but a message that names one is probably about to give or ask
for some. The list covers EN/DE/FR/ES/IT/PT/NL, PL/RU/EL/AR/HE/HI and ZH/JA/KO (those three
are written without spaces, so their words are found inside longer runs of letters: see
base.words_regex). `detect` reports a keyword only when no value finding sits next to it,
so "my password is hunter2" gives PASSWORD alone. A kind of personal data declared with
`words=` (kinds.py) adds its words to these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from hw4.detection.base import KEYWORD, Candidate, triggers, words_regex

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
    "adres", "rekeningnummer", "identiteitskaart", "burgerservicenummer",
    # API keys and tokens, in the seven languages above
    "api-schlüssel", "clé api", "clave api", "chiave api", "chave api", "api-sleutel",
    "zugangstoken", "jeton d'accès", "token de acceso",
    # PL
    "hasło", "hasła", "hasłem", "numer telefonu", "paszport", "paszportu", "karta kredytowa",
    "numer karty", "pesel", "data urodzenia", "adres e-mail", "klucz api", "numer konta",
    # RU (and the cases a sentence puts them in)
    "пароль", "пароля", "паролем", "номер телефона", "паспорт", "паспорта", "номер карты",
    "кредитная карта", "дата рождения", "электронная почта", "инн", "снилс", "api-ключ",
    "номер счёта",
    # EL
    "κωδικός πρόσβασης", "κωδικό πρόσβασης", "αριθμός τηλεφώνου", "αριθμό τηλεφώνου",
    "διαβατήριο", "διαβατήριό", "πιστωτική κάρτα", "ημερομηνία γέννησης", "κλειδί api", "αμκα",
    # AR
    "كلمة المرور", "كلمة السر", "رقم الهاتف", "جواز السفر", "بطاقة الائتمان", "تاريخ الميلاد",
    "البريد الإلكتروني", "مفتاح api", "رقم الحساب",
    # HE (also with the article ה- written onto the word)
    "סיסמה", "הסיסמה", "סיסמא", "מספר טלפון", "מספר הטלפון", "דרכון", "הדרכון",
    "כרטיס אשראי", "תאריך לידה", "תעודת זהות", "מפתח api",
    # HI
    "पासवर्ड", "फ़ोन नंबर", "फोन नंबर", "पासपोर्ट", "क्रेडिट कार्ड", "जन्म तिथि", "आधार",
    "api कुंजी", "खाता संख्या",
    # ZH
    "密码", "密碼", "电话号码", "電話號碼", "手机号", "手机号码", "护照", "護照", "信用卡",
    "身份证", "身份證", "出生日期", "邮箱", "电子邮件", "银行账号", "api密钥",
    # JA
    "パスワード", "電話番号", "パスポート", "クレジットカード", "マイナンバー", "生年月日",
    "メールアドレス", "口座番号", "apiキー",
    # KO
    "비밀번호", "전화번호", "여권", "신용카드", "주민등록번호", "생년월일", "이메일", "계좌번호",
    "api 키")


@cache
def keyword_matcher(extra: tuple[str, ...] = ()) -> tuple[frozenset[str], re.Pattern[str]]:
    """The trigger words and the regex of the words above and of `extra`.

    `extra` are the words of the kinds declared with `words=` (registry.py). The regex is run
    on the folded text (see base.fold), without re.IGNORECASE: a case-sensitive branch is
    skipped at the first character that differs, an ignore-case one is not, which makes this
    pass over long texts about twice as fast.
    """
    words = (*_KEYWORDS, *extra)
    return triggers(words, plural=True), re.compile(words_regex(*words, plural=True))


# A keyword is "covered" by a value finding this close to it (the value it introduces).
KEYWORD_WINDOW = 60


def find_keyword(text: str, folded: str, regex: re.Pattern[str]) -> Iterator[Candidate]:
    """Keywords `regex` finds in `folded` (base.fold of `text`), with `text`'s spelling."""
    for m in regex.finditer(folded):
        yield KEYWORD, m.start(), m.end(), 0.5, text[m.start():m.end()]
