"""Alert reports: one plain-text file per alert in ``error_reports/``, and loading them.

A report's name is ``<UTC time>_<type>_<short id>.txt``, never built from user
input. It is written to a temporary file (in the hidden ``.partial`` subfolder)
and renamed into place, so a reader never sees half a report. Each line is
``key: value``; values use the log format's escaping, so a report is one field
per line whatever the message held.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from hw4.config import ROOT
from hw4.logs import format_value, log_event, read_value, records_to_frame

if TYPE_CHECKING:  # loaded by records_to_frame only when a frame is built
    import pandas as pd

    from hw4.detection import Finding  # workers never load the detector

#: the alert types (a report's ``type``)
ALERT_TYPES = (
    "PersonalData", "InvalidMessage", "BrokerUnavailable", "Service2Unavailable",
    "Service2Timeout", "Unauthorized", "TaskFailed", "InternalError",
)


_ROOT_PREFIX = str(ROOT) + os.sep


@dataclass(frozen=True)
class Alert:
    id: str
    type: str
    path: Path

    def report(self) -> str:
        """The report's path as the API shows it: relative to the repository root."""
        # string work: pathlib's relative_to parses both paths on every call
        shown = str(self.path)
        return shown[len(_ROOT_PREFIX):] if shown.startswith(_ROOT_PREFIX) else shown


def findings_summary(findings: Iterable[Finding]) -> list[str]:
    """``["EMAIL j***@e***.org", ...]``: the type and masked hint of each finding."""
    return [f"{f.type} {f.hint}" for f in findings]


def write_report(
    report_dir: Path, alert_type: str, request_id: str | None, service: str,
    description: str, findings: Iterable[Finding] = (), **extra: object,
) -> Alert:
    """Write one alert report and log ``alert.raised``; return where it is."""
    if alert_type not in ALERT_TYPES:
        raise ValueError(f"unknown alert type {alert_type!r}")
    now = datetime.now(timezone.utc)
    alert_id = secrets.token_hex(4)
    iso = now.isoformat(timespec="milliseconds")[:23]  # 2026-11-28T18:37:04.684
    name = f"{iso.replace('-', '').replace(':', '').replace('.', '')}Z_{alert_type}_{alert_id}.txt"
    fields: dict[str, object] = {
        "id": alert_id,
        "time": iso + "Z",
        "type": alert_type,
        "request_id": request_id or "-",
        "service": service,
        "description": description,
        "findings": "; ".join(findings_summary(findings)) or "-",
        **extra,
    }
    body = "".join(f"{key}: {_report_value(value)}\n" for key, value in fields.items())
    folder = os.fspath(report_dir)
    _write_atomically(folder, name, body.encode("utf-8"))
    alert = Alert(alert_id, alert_type, Path(folder, name))
    log_event("alert.raised", request_id, alert_id=alert_id, alert_type=alert_type,
              report=alert.report())
    return alert


#: where a report is written before it is renamed into the report folder
PARTIAL_DIR = ".partial"


def _write_atomically(folder: str, name: str, data: bytes) -> None:
    """Write ``folder/name`` so that a reader sees the whole file or none of it.

    The file is written in the hidden subfolder ``.partial`` and renamed into
    place. The temporary name lives in a folder that stays nearly empty, so
    the report folder itself sees one lookup and one new entry per report
    instead of an entry created, looked up and removed again: the report
    folder grows to thousands of files, and searching its blocks is what a
    file create costs in the kernel (30 instead of 39 µs a report, see
    bench/README.md). The name is already unique (it holds the alert id), so
    there is no random-name search, and no ``mkdir`` unless a folder is missing.
    """
    partial = os.path.join(folder, PARTIAL_DIR)
    tmp = os.path.join(partial, name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(tmp, flags, 0o600)
    except FileNotFoundError:
        os.makedirs(partial, exist_ok=True)
        fd = os.open(tmp, flags, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _report_value(value: object) -> str:
    # plain text where that is unambiguous (easier for a person to read),
    # the log format's quoting where it holds anything that could break a line
    text = str(value)
    if text.isprintable() and text == text.strip() and not text.startswith('"'):
        return text
    return format_value(text)


def parse_report(text: str) -> dict[str, str]:
    """A report's ``key: value`` lines as a dict."""
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            fields[key] = read_value(value)
    return fields


def load_reports(report_dir: Path) -> pd.DataFrame:
    """All alert reports as a DataFrame, one row a report, sorted by time.

    Columns: time (UTC), id, type, request_id, service, description, findings
    (the text), finding_types (a list), file.
    """
    records = []
    for path in sorted(Path(report_dir).glob("*.txt")):
        fields = parse_report(path.read_text(encoding="utf-8", errors="replace"))
        findings = fields.get("findings", "-")
        fields["finding_types"] = [] if findings == "-" else \
            [part.split(" ", 1)[0] for part in findings.split("; ")]
        fields["file"] = path.name
        records.append(fields)
    return records_to_frame(
        records,
        ["time", "id", "type", "request_id", "service", "description", "findings",
         "finding_types", "file"],
    )
