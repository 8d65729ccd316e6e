"""hw4.detection on text it was not written with (issue 14): hard negatives, the benign corpus."""

from __future__ import annotations

import pytest

from hw4.detection import TYPES, detect
from tests.pii_corpus import score
from tests.pii_eval.benign import benign_corpus
from tests.pii_eval.generate import eval_set, half
from tests.pii_eval.languages import LANGS
from tests.pii_eval.scoring import hw4_predict, message_f1
from tests.pii_eval.values import SECRET_SHAPES

MAX_BENIGN_BLOCKED = 0.005  # issue 14: at most 0.5 % of ordinary messages refused

# Ordinary messages that must give no finding at all (service_1 would refuse them)
HARD_NEGATIVES = [
    "The meeting is on 2024-01-05 12:00", "deploy 2025-03-14 09:30 UTC",
    "ticket 4155550100 closed", "room 2.4.1.3", "see section 4.2.1.7 of the spec",
    "bumped to 2.14.3.1 yesterday", "released 1.2.3, then 1.2.4-rc.1",
    "total 1,234,567.89 USD", "1.234.567,89 € bis 31.12.2025", "order #982734112 shipped",
    "PO 4069-124968 is late", "postcode 10115", "75008 Paris", "1012 AB", "SW1A 1AA",
    "05.01.2024 09:30", "12/31/2024 11:59 PM", "2024-01-05T12:00:00.123Z",
    "git checkout 3f9a2c1d", "docker run -p 8080:8080 app:1.4.2",
    "for i in range(1000000): x += i", "SELECT * FROM t WHERE id = 4155550100;",
    "curl -s http://localhost:5000/health", "export PORT=8080 && make test",
    "request 3e4f6a2b-9c1d-4e8f-a0b1-c2d3e4f5a6b7 took 412 ms",
    "transfer ref DE89 3704 0044 0532 0130 01 failed", "ref DE89370400440532013001",
    "ref GB82 WEST 1234 5698 7654 31", "ref FR76 3000 6000 0112 3456 7890 188",
]
# A placeholder stands where a value would go: the word is named (KEYWORD), no value disclosed
PLACEHOLDERS = [
    "password: XXXX", "password: ********", "pwd: <password>", "api key: <YOUR_TOKEN>",
    "token=${GITHUB_TOKEN}", "password = $DB_PASS", "secret: {{ secrets.NPM_TOKEN }}",
    "password: xxxxxxxx", "token: YOUR_API_TOKEN_HERE",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negative_gives_nothing(text: str) -> None:
    assert [(f.type, text[f.start:f.end]) for f in detect(text)] == []


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholder_is_not_a_value(text: str) -> None:
    assert {f.type for f in detect(text)} <= {"KEYWORD"}


def test_other_scripts_and_shapes() -> None:
    assert [(f.type, f.hint) for f in detect("我的邮箱是ann@example.org")] == [
        ("EMAIL", "a***@e***.org")]
    assert {f.type for f in detect("мой пароль: Zebra#4471")} == {"PASSWORD"}
    assert {f.type for f in detect("我忘记密码了")} == {"KEYWORD"}
    assert {f.type for f in detect("パスワードを忘れました")} == {"KEYWORD"}
    assert {f.type for f in detect("mój PESEL to 84070728307")} == {"PERSON_ID"}
    assert {f.type for f in detect("npm_" + "a1B2" * 9)} == {"SECRET"}
    assert {f.type for f in detect("tel:0612345678, téléphone")} == {"PHONE"}
    # an IBAN failing mod 97 is nothing, not a card
    assert detect("ref CH56 5690 8381 7871 1433 1") == []


def test_values_next_to_the_negatives_are_still_found() -> None:
    assert {f.type for f in detect("call me at 4155550100")} == {"PHONE"}
    assert {f.type for f in detect("(415) 555-0100 after 5")} == {"PHONE"}
    assert {f.type for f in detect("server 10.0.0.1 is down")} == {"IP_ADDRESS"}
    assert {f.type for f in detect("ping 8.8.8.8")} == {"IP_ADDRESS"}
    assert {f.type for f in detect("db at 10.1.2.3:5432")} == {"IP_ADDRESS"}
    assert {f.type for f in detect("password: hunter2")} == {"PASSWORD"}


def test_benign_corpus_is_rarely_blocked() -> None:
    corpus = benign_corpus()
    assert len(corpus) >= 2000 and len(set(corpus)) >= 1900
    blocked = [(text, [f.type for f in detect(text)]) for text in corpus if detect(text)]
    assert len(blocked) / len(corpus) <= MAX_BENIGN_BLOCKED, blocked[:20]


# ----------------------------------------------------------------------------- the eval set
# Issue 14's targets on the reporting half (every type meets them; docs/detection.md has the
# figures and what is still missed)
TARGET = 0.95
TARGET_F1 = 0.97


def test_eval_set_shape() -> None:
    messages = eval_set()
    assert len(messages) >= 3000
    # the same without the cache: fixed seeds. Not every text, though: Faker draws some birth
    # dates (inside national ids) up to "now", so an id can change when the clock passes
    # midnight between the two (and the whole set drifts by a few ids from day to day)
    again = eval_set.__wrapped__()
    assert [m[1:] for m in again] == [m[1:] for m in messages]
    same = sum(a[0] == b[0] for a, b in zip(again, messages, strict=True))
    assert same >= 0.99 * len(messages), len(messages) - same
    assert all(labels <= TYPES for _, labels, _, _ in messages)
    # the split is by template: no template in both halves
    halves: dict[str, set[str]] = {}
    for _, _, half_name, template in messages:
        halves.setdefault(template, set()).add(half_name)
    assert all(len(h) == 1 for h in halves.values())
    assert 0.4 <= len(half("report")) / len(messages) <= 0.6
    assert len(SECRET_SHAPES) >= 40 and len(LANGS) >= 12


@pytest.fixture(scope="module")
def report_scores() -> dict[str, tuple[float, float, int, int, int]]:
    return score(half("report"), hw4_predict, TYPES)


# A type the set has no examples of (a kind added after it) scores 1.0 by `score`'s reading,
# unless it finds something here: every such finding is a false positive.
@pytest.mark.parametrize("kind", sorted(TYPES))
def test_reporting_half_per_type(kind: str, report_scores) -> None:
    p, r, *_ = report_scores[kind]
    assert p >= TARGET and r >= TARGET, (p, r)


@pytest.mark.parametrize("reading", ["strict", "keyword"])
def test_reporting_half_message_f1(reading: str) -> None:
    _, _, f = message_f1(half("report"), hw4_predict, keyword=reading == "keyword")
    assert f >= TARGET_F1, f


def test_masking_never_leaks_a_value_of_the_eval_set() -> None:
    for text, _, _, _ in eval_set():
        for found in detect(text):
            value = text[found.start:found.end]
            assert value not in str(found.public()) and value not in repr(found) or (
                found.type == "KEYWORD")
