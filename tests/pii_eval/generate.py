"""The evaluation set of issue 14: `eval_set()`, split by template into two halves.

Each message is (text, labels, half, template). Values come from Faker in 29 locales, from
python-stdnum (national ids of 22 countries, valid and spoiled) and from 53 documented secret
token shapes (values.py); the sentences come from the frames of 16 languages (languages.py).
The half is decided by the frame, not the value: frames 0 and 2 of every language are the
tuning half, frames 1 and 3 the reporting half. Tune the detector on `half == "tune"` only
and report the scores of `half == "report"`.

Labels: the value types in the message, {"KEYWORD"} when it only names a kind of personal
data, empty for a hard negative (dates, versions, amounts, numbers failing their checksum,
code, ...; placeholders such as "password: XXXX" are labelled KEYWORD: the word is named,
no value given). Run `python -m tests.pii_eval.generate` for the counts.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.us import ssn as us_ssn

from tests.pii_eval import benign
from tests.pii_eval.languages import FRAMES, KEYWORD_ONLY, LANGS, NEUTRAL, NOUNS
from tests.pii_eval.values import NATIONAL_IDS, SECRET_SHAPES, spoil

if TYPE_CHECKING:
    from faker import Faker

SEED = 14_2026
Message = tuple[str, frozenset[str], str, str]  # text, labels, half, template id

# Faker locales whose values go into each language's frames
LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB", "en_AU", "en_CA", "tr_TR", "sv_SE", "cs_CZ"),
    "de": ("de_DE", "de_AT", "de_CH"), "fr": ("fr_FR", "fr_CH"), "es": ("es_ES", "es_MX"),
    "it": ("it_IT",), "pt": ("pt_PT", "pt_BR"), "nl": ("nl_NL", "nl_BE"), "pl": ("pl_PL",),
    "ru": ("ru_RU",), "el": ("el_GR",), "ar": ("ar_SA",), "he": ("he_IL",),
    "hi": ("hi_IN", "en_IN"), "zh": ("zh_CN", "zh_TW"), "ja": ("ja_JP",), "ko": ("ko_KR",),
}
PER_FRAME = 4  # messages per (type, language, frame)
DOB_FORMATS = {
    "zh": ("{y}年{m}月{d}日", "{y}-{mm}-{dd}"), "ja": ("{y}年{m}月{d}日", "{y}/{mm}/{dd}"),
    "ko": ("{y}년 {m}월 {d}일", "{y}.{mm}.{dd}"), "en": ("{y}-{mm}-{dd}", "{mm}/{dd}/{y}"),
}
DOB_DEFAULT = ("{dd}.{mm}.{y}", "{y}-{mm}-{dd}", "{dd}/{mm}/{y}")


def half_of(index: int) -> str:
    return "tune" if index % 2 == 0 else "report"


@cache
def _faker(locale: str) -> Faker:
    # imported on first use: importing Faker takes about a second, which every test
    # process would spend while it collects the modules that import this one
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(SEED + sum(map(ord, locale)))
    return fake


def _group(s: str, n: int = 4) -> str:
    return " ".join(s[i:i + n] for i in range(0, len(s), n))


def _phone(rng: random.Random, locale: str) -> str | None:
    raw = _faker(locale).phone_number()
    try:
        number = phonenumbers.parse(raw, locale[3:])
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    form = rng.choice([None, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                       phonenumbers.PhoneNumberFormat.NATIONAL])
    return raw if form is None else phonenumbers.format_number(number, form)


def _card(rng: random.Random, locale: str) -> str:
    kind = rng.choice(["visa16", "mastercard", "amex", "discover", "jcb16", "maestro"])
    digits = _faker("en_US").credit_card_number(card_type=kind)
    return rng.choice([digits, _group(digits), _group(digits).replace(" ", "-")])


def _iban(rng: random.Random, locale: str) -> str | None:
    value = _faker(locale).iban()
    if not std_iban.is_valid(value):
        return None
    return _group(value) if rng.random() < 0.5 else value


def _dob(rng: random.Random, locale: str, lang: str) -> str:
    when = _faker(locale).date_of_birth(minimum_age=18, maximum_age=90)
    form = rng.choice(DOB_FORMATS.get(lang, DOB_DEFAULT))
    return form.format(y=when.year, m=when.month, d=when.day, mm=f"{when.month:02d}",
                       dd=f"{when.day:02d}")


def _passport(rng: random.Random, locale: str) -> str:
    letters = string.ascii_uppercase
    return rng.choice([
        rng.choice(letters) + f"{rng.randint(10 ** 7, 10 ** 8 - 1)}",
        rng.choice(letters) + rng.choice(letters) + f"{rng.randint(10 ** 6, 10 ** 7 - 1)}",
        f"{rng.randint(10 ** 8, 10 ** 9 - 1)}"])


def _password(rng: random.Random, locale: str) -> str:
    fake = _faker(locale)
    return rng.choice([fake.password(length=rng.randint(8, 14)),
                       _faker("en_US").word().capitalize() + str(rng.randint(1, 9999))
                       + rng.choice(["", "!", "#", "?"])])


def _address(rng: random.Random, locale: str) -> str | None:
    fake = _faker(locale)
    value = fake.address() if rng.random() < 0.5 else fake.street_address()
    if any(w in value for w in ("FPO", "APO", "DPO", "S/N", "PSC", "Box")) or not any(
            c.isdigit() for c in value):
        return None
    return value.replace("\n", ", ")


def _ssn(rng: random.Random, locale: str) -> str | None:
    value = _faker("en_US").ssn()
    return value if us_ssn.is_valid(value) else None


def _value(kind: str, rng: random.Random, locale: str, lang: str) -> str | None:
    return {
        "EMAIL": lambda: _faker(locale).email(), "PHONE": lambda: _phone(rng, locale),
        "CREDIT_CARD": lambda: _card(rng, locale), "IBAN": lambda: _iban(rng, locale),
        "IP_ADDRESS": lambda: rng.choice([_faker(locale).ipv4, _faker(locale).ipv6,
                                          _faker(locale).ipv4_private])(),
        "PASSWORD": lambda: _password(rng, locale),
        "SECRET": lambda: rng.choice(list(SECRET_SHAPES.values()))(rng),
        "DATE_OF_BIRTH": lambda: _dob(rng, locale, lang),
        "PASSPORT": lambda: _passport(rng, locale), "ADDRESS": lambda: _address(rng, locale),
        "SSN": lambda: _ssn(rng, locale),
    }[kind]()


def _positives(rng: random.Random) -> list[Message]:
    out: list[Message] = []
    for kind, nouns in NOUNS.items():
        label = frozenset({"PERSON_ID" if kind == "PASSPORT" else kind})
        per_frame = PER_FRAME * (10 if kind == "SSN" else 2 if kind == "ADDRESS" else 1)
        for lang, noun in nouns.items():
            for index, frame in enumerate(FRAMES[lang]):
                made = tries = 0
                while made < per_frame and tries < per_frame * 30:
                    tries += 1
                    locale = LOCALES[lang][tries % len(LOCALES[lang])]
                    value = _value(kind, rng, locale, lang)
                    if value is None:
                        continue
                    text = frame.format(n=noun, v=value)
                    out.append((text, label, half_of(index), f"{lang}/{index}"))
                    made += 1
    for _country, module, source, noun, lang in NATIONAL_IDS:
        for index, frame in enumerate(FRAMES[lang]):
            made = 0
            while made < 3:
                value = source(rng) if callable(source) else _faker(source).ssn()
                if not module.is_valid(value):
                    continue
                out.append((frame.format(n=noun, v=value), frozenset({"PERSON_ID"}),
                            half_of(index), f"{lang}/{index}"))
                made += 1
                bad = spoil(value, module.is_valid)
                if bad and made == 1:  # a number failing its checksum is no id: no value
                    out.append((NEUTRAL[lang][index].format(v=bad), frozenset(),
                                half_of(index), f"neutral/{lang}/{index}"))
    return out


def _negatives(rng: random.Random) -> list[Message]:
    out: list[Message] = []
    for lang in LANGS:
        for index, sentence in enumerate(KEYWORD_ONLY[lang]):
            for prefix in ("", "hi, ", "btw "):
                out.append((prefix + sentence, frozenset({"KEYWORD"}), half_of(index),
                            f"keyword/{lang}/{index}"))
        for index, frame in enumerate(NEUTRAL[lang]):
            half, template = half_of(index), f"neutral/{lang}/{index}"
            for maker in benign.MAKERS.values():
                out.append((frame.format(v=maker(rng)), frozenset(), half, template))
            card = _faker("en_US").credit_card_number(card_type="visa16")
            out.append((frame.format(v=_group(spoil(card, luhn.is_valid))), frozenset(),
                        half, template))
            locale = LOCALES[lang][index % len(LOCALES[lang])]
            iban = _faker("de_DE" if lang in ("ar", "zh") else locale).iban()
            out.append((frame.format(v=_group(spoil(iban, std_iban.is_valid))), frozenset(),
                        half, template))
        # placeholders where a value would go: the word is named, nothing disclosed
        for index, frame in enumerate(FRAMES[lang]):
            for kind, placeholder in (("PASSWORD", rng.choice(["XXXX", "********", "<password>"])),
                                      ("SECRET", rng.choice(["<YOUR_TOKEN>", "${API_KEY}",
                                                             "{{ secrets.API_KEY }}"]))):
                out.append((frame.format(n=NOUNS[kind][lang], v=placeholder),
                            frozenset({"KEYWORD"}), half_of(index), f"{lang}/{index}"))
    return out


@cache
def eval_set() -> tuple[Message, ...]:
    """The whole set, the same on every run (fixed seeds), but for a few national ids whose
    birth date Faker draws up to today."""
    _faker.cache_clear()  # fresh Fakers: each starts from its seed
    rng = random.Random(SEED)
    return tuple(_positives(rng) + _negatives(rng))


def half(name: str) -> list[tuple[str, frozenset[str]]]:
    """(text, labels) of the "tune" or "report" half."""
    return [(text, labels) for text, labels, h, _ in eval_set() if h == name]


if __name__ == "__main__":
    messages = eval_set()
    print(f"{len(messages)} messages; tune {len(half('tune'))}, report {len(half('report'))}")
    print(Counter(label for _, labels, _, _ in messages for label in labels or {"(none)"}))
