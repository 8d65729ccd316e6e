"""Promise 8: no leaks.

A corpus of personal values (emails, phone numbers, card numbers, IBANs,
passwords, US SSNs; Faker with a fixed seed and libphonenumber's example
numbers) is sent every way a message can carry it: async and sync text,
text of messages refused as invalid (bad field, too long), a field's name,
and a field's value. None of the values, as sent or as bare digits, may then
appear in any file under the log, report and run folders (process output and
Redis's append-only file included), nor anywhere in Redis (queued tasks,
stored results).
"""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest
import redis

from hw4.detection import detect
from tests.pii_eval.generate import eval_set

from .conftest import System, record_figures

pytestmark = pytest.mark.timeout(120)


def corpus() -> list[tuple[str, str]]:
    """(value, message text) pairs; the text discloses the value."""
    from faker import Faker  # here, not on top: a second to import (tests/pii_eval/generate.py)

    fake = Faker("en_US")
    fake.seed_instance(4242)
    pairs = []
    for _ in range(6):
        pairs.append((fake.email(), "please write to {v} about the order"))
        pairs.append((fake.credit_card_number(card_type="visa16"), "pay with my card {v}"))
        pairs.append((fake.password(length=12), "my password is {v}"))
    for card in ("mastercard", "amex"):
        pairs.append((fake.credit_card_number(card_type=card), "card number {v} exp 09/27"))
    german = Faker("de_DE")
    german.seed_instance(4242)
    for _ in range(3):
        pairs.append((german.iban(), "please transfer it to {v}"))
    for region in ("US", "GB", "DE", "FR", "NL"):
        number = phonenumbers.example_number_for_type(
            region, phonenumbers.PhoneNumberType.MOBILE)
        pairs.append((phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL), "call me at {v} tonight"))
    for ssn in ("078-05-1120", "219-09-9999"):  # numbers once printed on sample cards
        pairs.append((ssn, "my SSN is {v}"))
    return [(value, template.format(v=value)) for value, template in pairs]


def eval_sample() -> list[tuple[str, str]]:
    """(value, text) pairs from issue 14's evaluation set (tests/pii_eval): the first
    message of each value type and language of the half the detector was not tuned on,
    with each value the detector finds in it."""
    seen, pairs = set(), []
    for text, labels, half, template in eval_set():
        key = (labels, template.split("/")[0])
        if half != "report" or not labels or labels == {"KEYWORD"} or key in seen:
            continue
        seen.add(key)
        pairs += [(text[f.start:f.end], text) for f in detect(text) if f.type != "KEYWORD"]
    return pairs


def needles(value: str) -> set[bytes]:
    """The value as sent, and as bare digits when it is a number."""
    found = {value.encode()}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9 and not re.search(r"[A-Za-z]", value):
        found.add(digits.encode())
    return found


def send_every_way(system: System, value: str, text: str) -> list[int]:
    c = system.client
    answers = [
        c.send(text), c.send(text, mode="sync"),                      # blocked: 422
        c.send(text, work_seconds="soon"), c.send(text, mode="fax"),  # invalid: 400
        c.send(text + " " + "x" * system.settings.max_text_chars),   # too long: 400
        c.send("hello", **{value: True}),                             # a field's name
        c.send("hello", mode=value), c.send("hello", work_seconds=value),
    ]
    return [a.status for a in answers]


def redis_contents(system: System) -> bytes:
    """Every key and value in Redis (the broker and result databases)."""
    dumped = []
    for db in (0, 1):
        client = redis.Redis(host=system.settings.host, port=system.settings.redis_port,
                             password=system.settings.redis_password or None, db=db)
        try:
            for key in client.scan_iter():
                kind = client.type(key)
                dumped.append(key)
                if kind == b"string":
                    dumped.append(client.get(key) or b"")
                elif kind == b"list":
                    dumped.extend(client.lrange(key, 0, -1))
                elif kind == b"hash":
                    dumped.extend(b for kv in client.hgetall(key).items() for b in kv)
                elif kind == b"zset":
                    dumped.extend(client.zrange(key, 0, -1))
                elif kind == b"set":
                    dumped.extend(client.smembers(key))
        finally:
            client.close()
    return b"\n".join(dumped)


def find_leaks(system: System, values: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files scanned (logs, reports, run folder with Redis's append-only file), and
    each (value, where) found in one of them or in Redis."""
    s = system.settings
    files = [p for folder in (s.log_dir, s.report_dir, s.run_dir)
             for p in Path(folder).rglob("*") if p.is_file()]
    assert any(p.name.startswith("appendonly") for p in files) or \
        any(p.suffix == ".aof" for p in files), "Redis's append-only file was not scanned"
    haystacks = {str(p): p.read_bytes() for p in files}
    haystacks["redis"] = redis_contents(system)
    leaks = [(value, where) for value in values for where, data in haystacks.items()
             if any(n in data for n in needles(value))]
    return files, leaks


def test_no_sensitive_value_is_written_anywhere(system: System):
    pairs = corpus()
    statuses = []
    for value, text in pairs:
        statuses += send_every_way(system, value, text)
        # the blocked ones are blocked, the others refused: none is processed
    assert set(statuses) <= {400, 422}, statuses
    assert statuses.count(422) == 2 * len(pairs)
    # something that is processed, so there are tasks and results to look into
    ok = system.client.send("an ordinary message, nothing personal in it")
    assert system.client.wait_for_task(ok.task_id, deadline=60)["state"] == "SUCCESS"

    files, leaks = find_leaks(system, [value for value, _ in pairs])
    assert not leaks, leaks
    record_figures("no leaks", values=len(pairs), requests=len(statuses),
                   files_scanned=len(files), leaks=0)


def test_no_value_of_the_evaluation_set_is_written_anywhere(system: System):
    """The same promise for the many countries, scripts and secret shapes of issue 14:
    each message is refused, async and sync, and none of its values reaches a file or Redis."""
    pairs = eval_sample()
    texts = sorted({text for _, text in pairs})
    assert len(texts) >= 150, len(texts)
    statuses = [system.client.send(text, mode=mode).status
                for text in texts for mode in ("async", "sync")]
    assert statuses == [422] * len(statuses), sorted(set(statuses))
    files, leaks = find_leaks(system, [value for value, _ in pairs])
    assert not leaks, leaks[:10]
    record_figures("no leaks, evaluation set", messages=len(texts), values=len(pairs),
                   requests=len(statuses), files_scanned=len(files), leaks=0)
