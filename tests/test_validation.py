import pytest

from hw4.config import Settings
from hw4.validation import InvalidMessage, Message, validate_message

S = Settings(max_text_chars=10, max_work_seconds=30)


def test_a_normal_message_with_defaults():
    assert validate_message({"text": "hi"}, S) == Message("hi", "async", 0.0, False)
    assert validate_message({"text": "hi", "mode": "sync", "work_seconds": 2.5}, S) == \
        Message("hi", "sync", 2.5, False)
    assert validate_message({"text": "hi", "mode": "sync", "fail": False}, S).mode == "sync"
    assert validate_message({"text": "hi", "fail": True}, S).fail  # async


@pytest.mark.parametrize("payload, words", [
    ([], "JSON object"), ("text", "JSON object"), (None, "JSON object"), (3, "JSON object"),
    ({}, "'text' is missing"), ({"text": 5}, "'text' must be a string"),
    ({"text": ["a"]}, "'text' must be a string"), ({"text": None}, "'text' must be a string"),
    ({"text": ""}, "'text' is empty"), ({"text": "  \n"}, "'text' is empty"),
    ({"text": "x" * 11}, "too long"), ({"text": "a\x00b"}, "NUL"),
    ({"text": "\ud800"}, "surrogate"),
    ({"text": "a", "mode": "later"}, "'mode'"), ({"text": "a", "mode": ["sync"]}, "'mode'"),
    ({"text": "a", "work_seconds": "1"}, "'work_seconds' must be a number"),
    ({"text": "a", "work_seconds": True}, "'work_seconds' must be a number"),
    ({"text": "a", "work_seconds": -1}, "between 0 and 30"),
    ({"text": "a", "work_seconds": 31}, "between 0 and 30"),
    ({"text": "a", "work_seconds": 10 ** 400}, "between 0 and 30"),
    ({"text": "a", "work_seconds": float("nan")}, "must be a number"),
    ({"text": "a", "fail": "yes"}, "'fail'"),
    ({"text": "a", "mode": "sync", "fail": True}, "'fail' applies to async messages only"),
    ({"text": "a", "colour": "red"}, "unknown field"),
    ({"text": "a", "colour": "red"}, "'colour'"),
    ({"text": "a", "jane@example.org": 1, "+44 20 7946 0958": 2}, r"field\(s\): 2 not shown;"),
    ({"text": "a", "b\nc": 1, "colour": 2}, r"'colour', 1 not shown"),
    ({"text": "a", "colour\n": 1}, r"field\(s\): 1 not shown;"),
])
def test_each_invalid_message_says_what_is_wrong(payload, words):
    with pytest.raises(InvalidMessage, match=words):
        validate_message(payload, S)


def test_sync_work_may_outlast_the_service_2_timeout_but_not_the_maximum():
    # more work than service_1 waits for is a 504 later, as from any slow service
    assert validate_message({"text": "a", "mode": "sync", "work_seconds": 20}, S).work_seconds \
        == 20
    with pytest.raises(InvalidMessage, match="between 0 and 30"):
        validate_message({"text": "a", "mode": "sync", "work_seconds": 31}, S)
