import logging
from datetime import datetime, timezone

import pandas as pd
import pytest

from hw4.logs import (
    DECIMAL_DETAILS,
    WHOLE_NUMBER_DETAILS,
    format_line,
    load_logs,
    log_event,
    parse_line,
    setup_logging,
)

LINE = ("2026-11-28T18:31:19.123Z INFO service_1 message.received abc123 "
        'bytes=12 reason="text is empty"')


def test_line_format_is_documented_shape():
    line = format_line(datetime(2026, 11, 28, 18, 31, 19, 123456, tzinfo=timezone.utc),
                       "INFO", "service_1", "message.received", "abc123",
                       {"bytes": 12, "reason": "text is empty"})
    assert line == LINE


def test_parse_line_reads_every_field():
    parsed = parse_line(LINE)
    assert parsed["time"] == datetime(2026, 11, 28, 18, 31, 19, 123000, tzinfo=timezone.utc)
    assert (parsed["level"], parsed["component"], parsed["event"], parsed["request_id"]) == \
        ("INFO", "service_1", "message.received", "abc123")
    assert parsed["details"] == {"bytes": "12", "reason": "text is empty"}


@pytest.mark.parametrize("evil", [
    "a\n2026-11-28T18:31:19.123Z INFO service_1 forged - x=1",
    "cr\r\nline", "sep\u2028line\u2029", "nel\x85", "quote\" key=value", "tab\tesc\x1b[31m",
    "lone \ud800 surrogate", "emoji 🎉 é",
])
def test_no_value_can_break_or_forge_a_line(evil):
    line = format_line(datetime.now(timezone.utc), "INFO", "service_1", "x", evil,
                       {"text": evil})
    assert "\n" not in line and "\r" not in line and len(line.splitlines()) == 1
    parsed = parse_line(line)
    assert parsed["details"]["text"] == evil
    assert parsed["request_id"] == evil


def test_setup_logging_writes_lines_and_load_logs_reads_them(tmp_path):
    setup_logging("worker1", tmp_path)
    log_event("task.started", "rid1", task_id="t1", worker="worker1@h")
    log_event("task.finished", "rid1", level=logging.WARNING, seconds=0.5)
    logging.getLogger("hw4.somewhere").info("plain %s", "message")
    text = (tmp_path / "worker1.txt").read_text()
    assert len(text.splitlines()) == 3
    frame = load_logs(tmp_path)
    assert list(frame["event"]) == ["task.started", "task.finished", "log.hw4.somewhere"]
    assert list(frame["request_id"][:2]) == ["rid1", "rid1"]
    assert frame.loc[0, "task_id"] == "t1" and frame.loc[1, "level"] == "WARNING"
    assert str(frame["time"].dtype).startswith("datetime64")
    assert frame.loc[2, "msg"] == "plain message"


def test_load_logs_of_an_empty_folder_has_the_columns(tmp_path):
    frame = load_logs(tmp_path)
    assert len(frame) == 0 and {"time", "event", "request_id"} <= set(frame.columns)


def test_unparseable_lines_are_skipped(tmp_path):
    (tmp_path / "x.txt").write_text("garbage\n" + LINE + "\n")
    assert list(load_logs(tmp_path)["event"]) == ["message.received"]


def _write_many(log_dir: str, worker: int, lines: int) -> None:
    setup_logging("shared", log_dir)
    for i in range(lines):
        # long lines: larger than a pipe buffer's atomic size and than one stdio buffer
        log_event("load.line", f"w{worker}-{i}", payload="x" * 9000)


def test_processes_sharing_a_file_never_tear_a_line(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_write_many, args=(str(tmp_path), w, 200))
                 for w in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
        assert p.exitcode == 0
    lines = (tmp_path / "shared.txt").read_text().splitlines()
    assert len(lines) == 800
    parsed = [parse_line(line) for line in lines]
    assert all(p is not None and p["details"]["payload"] == "x" * 9000 for p in parsed)
    assert len({p["request_id"] for p in parsed}) == 800


def test_a_del_character_is_escaped_in_a_quoted_value():
    # a quoted ASCII value skips the per-character check, except for DEL
    line = format_line(datetime.now(timezone.utc), "INFO", "service_1", "x", None,
                       {"text": "a b\x7f"})
    assert "\x7f" not in line and 'text="a b\\u007f"' in line
    assert parse_line(line)["details"]["text"] == "a b\x7f"


@pytest.mark.parametrize("key", ["two words", "key=", "key\n", "1st"])
def test_a_detail_key_that_is_not_a_plain_name_is_refused(key):
    with pytest.raises(ValueError, match="not a plain name"):
        format_line(datetime.now(timezone.utc), "INFO", "service_1", "x", None, {key: 1})


def test_load_logs_gives_numbers_as_numbers(tmp_path):
    setup_logging("worker1", tmp_path)
    log_event("task.started", "rid1", task_id="t1", worker="worker1@h", attempt=1,
              work_seconds=1.5)
    log_event("task.finished", "rid1", task_id="t1", attempt=1, seconds=1.502)
    # a text detail that looks like a number stays text: alert ids are declared text
    log_event("alert.raised", "rid1", alert_id="20261128", alert_type="PersonalData")
    frame = load_logs(tmp_path)
    assert str(frame["attempt"].dtype) == "Int64"
    assert frame["attempt"].tolist()[:2] == [1, 1] and pd.isna(frame["attempt"][2])
    assert frame["seconds"].dtype == float and frame["seconds"][1] == 1.502
    assert frame["work_seconds"].sum() == 1.5  # no cast needed
    assert frame["alert_id"][2] == "20261128"


def test_every_numeric_detail_is_declared_once():
    assert not set(WHOLE_NUMBER_DETAILS) & set(DECIMAL_DETAILS)


def test_an_event_logged_at_a_moment_taken_before_carries_that_time(tmp_path):
    setup_logging("service_1", tmp_path)
    moment = datetime(2026, 11, 28, 18, 31, 19, 123456, tzinfo=timezone.utc)
    log_event("task.queued", "rid1", at=moment, task_id="t1")
    line = (tmp_path / "service_1.txt").read_text()
    assert line.startswith("2026-11-28T18:31:19.123Z INFO service_1 task.queued rid1 ")
    assert "at=" not in line
