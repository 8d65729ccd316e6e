import stat

from hw4.detection import detect
from hw4.reports import load_reports, parse_report, write_report


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
    assert not stat.S_ISLNK(alert.path.lstat().st_mode)
    frame = load_reports(tmp_path)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["id"] == alert.id and set(row["finding_types"]) == {"EMAIL", "PASSWORD"}


def test_no_temporary_files_are_left(tmp_path):
    for _ in range(5):
        write_report(tmp_path, "InvalidMessage", None, "service_1", "x")
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert len(files) == 5 and all(p.suffix == ".txt" for p in files)
    # reports are written in the hidden .partial folder and renamed out of it
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [".partial"]
    assert list((tmp_path / ".partial").iterdir()) == []


def test_user_input_never_names_a_file_and_cannot_add_fields(tmp_path):
    alert = write_report(tmp_path, "InvalidMessage", "../../etc\nservice: forged", "service_1",
                         "bad\nservice: forged")
    assert "/" not in alert.path.name.replace(str(tmp_path), "")
    fields = parse_report(alert.path.read_text())
    assert fields["service"] == "service_1"
    assert fields["description"] == "bad\nservice: forged"


def test_unknown_alert_type_is_refused(tmp_path):
    import pytest
    with pytest.raises(ValueError):
        write_report(tmp_path, "Whatever", None, "service_1", "x")
