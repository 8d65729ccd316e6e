"""The recipe of docs/detection.md ("Adding a kind of personal data"), followed as written:
an employee number (EMP-123456) declared once, then found, masked and refused by service_1."""

from __future__ import annotations

from pathlib import Path

import pytest

from hw4.detection import KEYWORD, TYPES, Kind, detect, register, unregister

# Step 1: the declaration, as the recipe puts it at the end of hw4/detection/kinds.py
EMPLOYEE_NUMBER = Kind(
    "EMPLOYEE_NUMBER",
    find=r"\bEMP-\d{6}\b",
    mask=lambda value: "EMP-******",
    words=("employee number", "Personalnummer"),
)

RAW = "EMP-123456"


@pytest.fixture(autouse=True)
def employee_numbers():
    """kinds.py registers its kinds when it is imported; this test registers its own, and
    takes it away again so that no other test sees it (unless kinds.py declares it: then a
    student has followed the recipe, and these tests check that)."""
    if "EMPLOYEE_NUMBER" in TYPES:
        yield
        return
    register(EMPLOYEE_NUMBER)
    yield
    unregister("EMPLOYEE_NUMBER")


# Step 2: its own tests (the recipe's two first, word for word)
def test_employee_number_is_found_and_masked():
    [found] = detect("my employee number is EMP-123456")
    assert (found.type, found.hint) == ("EMPLOYEE_NUMBER", "EMP-******")


def test_service_1_refuses_it(client):  # Flask's test client, tests/conftest.py
    answer = client.post("/messages", json={"text": "employee number: EMP-123456"})
    assert answer.status_code == 422
    assert answer.get_json()["alert"]["hints"] == ["EMPLOYEE_NUMBER EMP-******"]


# and what the recipe's text promises besides
def test_the_raw_value_is_kept_out_of_the_hint_and_in_the_types() -> None:
    [found] = detect(f"my employee number is {RAW}, thanks")
    assert found.value == RAW and RAW not in repr(found) and RAW not in str(found.public())
    assert "EMPLOYEE_NUMBER" in TYPES


@pytest.mark.parametrize("text", ["EMP-12345", "EMP-1234567", "TEMP-123456", "emp-123456"])
def test_other_shapes_are_not_employee_numbers(text: str) -> None:
    assert detect(text) == []


def test_its_words_alone_are_a_keyword() -> None:
    found = detect("Where do I find my Personalnummer?")
    assert [(f.type, f.hint) for f in found] == [(KEYWORD, "personalnummer")]


def test_the_422_and_every_log_and_report_hold_only_the_hint(client, settings) -> None:
    answer = client.post("/messages", json={"text": f"employee number: {RAW}"})
    assert answer.status_code == 422
    assert answer.get_json()["alert"]["findings"] == ["EMPLOYEE_NUMBER"]
    assert RAW not in answer.get_data(as_text=True)
    written = {path: path.read_text() for path in _files(settings.log_dir, settings.report_dir)}
    assert any("message.rejected" in text for text in written.values())
    assert any("EMP-******" in text for text in written.values())
    assert [path for path, text in written.items() if RAW in text] == []


def _files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]
