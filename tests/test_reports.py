import re

import pytest

from hw4 import reports
from hw4.detection import detect
from hw4.reports import ReportNotWritten, load_reports, parse_report, write_report


def test_report_file_name_content_and_loader(tmp_path):
    text = "write to john.doe@example.org, my password is hunter2"
    findings = detect(text)
    alert = write_report(tmp_path, "PersonalData", "rid-1", "service_1",
                         "The message holds personal data and was blocked.", findings)
    assert alert.path.parent == tmp_path and alert.path.name.endswith(
        f"_PersonalData_{alert.id}.txt")
    body = alert.path.read_text()
    fields = parse_report(body)
    assert fields["type"] == "PersonalData" and fields["request_id"] == "rid-1"
    assert fields["service"] == "service_1"
    assert "j***@e***.org" in fields["findings"] and "EMAIL" in fields["findings"]
    # the raw values never reach the disk
    assert "john.doe@example.org" not in body and "hunter2" not in body
    frame = load_reports(tmp_path)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["id"] == alert.id and set(row["finding_types"]) == {"EMAIL", "PASSWORD"}


def test_reports_are_private_files(tmp_path):
    for _ in range(5):
        write_report(tmp_path, "InvalidMessage", None, "service_1", "x")
    names = [p.name for p in tmp_path.iterdir()]
    assert len(names) == 5 and all(n.endswith(".txt") and not n.startswith(".") for n in names)
    assert all(p.stat().st_mode & 0o077 == 0 for p in tmp_path.iterdir())


def test_a_report_that_cannot_be_renamed_into_place_leaves_no_temporary_file(tmp_path,
                                                                             monkeypatch):
    # each report is written as a hidden .partial file, then renamed: when the rename
    # fails (the folder became read-only, say), the partial file goes too
    def refuse(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reports.os, "replace", refuse)
    with pytest.raises(ReportNotWritten, match="Permission denied"):
        write_report(tmp_path, "InvalidMessage", None, "service_1", "x")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_user_input_never_names_a_file_and_cannot_add_fields(tmp_path):
    alert = write_report(tmp_path, "InvalidMessage", "../../etc\nforged: 1", "service_1",
                         "bad\rservice: forged\u2028forged: 2")
    # the name is time, type and a random id only, and the file is in the folder
    assert alert.path.parent == tmp_path
    assert re.fullmatch(r"\d{8}T\d{9}Z_InvalidMessage_[0-9a-f]{8}\.txt", alert.path.name)
    fields = parse_report(alert.path.read_text())
    assert list(fields) == ["id", "time", "type", "request_id", "service", "description",
                            "findings"]
    assert fields["request_id"] == "../../etc\nforged: 1"
    assert fields["service"] == "service_1"
    assert fields["description"] == "bad\rservice: forged\u2028forged: 2"


def test_unknown_alert_type_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown alert type"):
        write_report(tmp_path, "Whatever", None, "service_1", "x")
    assert list(tmp_path.iterdir()) == []
