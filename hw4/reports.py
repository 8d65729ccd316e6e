"""Alert reports: one plain-text file per alert in ``error_reports/``, and loading them.

A report's name is ``<UTC time>_<type>_<short id>.txt``, never built from user
input. It is written to a temporary file and renamed into place, so a reader
never sees half a report. Each line is ``key: value``; values use the log
format's escaping, so a report is one field per line whatever the message held.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Alert:
    id: str
    type: str
    path: Path

    def report(self) -> str:
        """The report's path as the API shows it: relative to the repository root."""
        try:
            return str(self.path.relative_to(ROOT))
        except ValueError:
            return str(self.path)


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
    stamp = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    name = f"{stamp}_{alert_type}_{alert_id}.txt"
    fields: dict[str, object] = {
        "id": alert_id,
        "time": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "type": alert_type,
        "request_id": request_id or "-",
        "service": service,
        "description": description,
        "findings": "; ".join(findings_summary(findings)) or "-",
        **extra,
    }
    body = "".join(f"{key}: {_report_value(value)}\n" for key, value in fields.items())
    report_dir = Path(report_dir)
    _write_atomically(report_dir, name, body.encode("utf-8"))
    alert = Alert(alert_id, alert_type, report_dir / name)
    log_event("alert.raised", request_id, alert_id=alert_id, alert_type=alert_type,
              report=alert.report())
    return alert


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    """Write ``folder/name`` so that a reader sees the whole file or none of it.

    A hidden temporary file (``.<name>.part``, never matched by ``*.txt``)
    renamed into place. The name is already unique (it holds the alert id),
    so this is two system calls on the folder, with no random-name search
    and no per-call ``mkdir`` (only when the folder is missing): creating
    files is the slow part of a rejected request, see bench/README.md.
    """
    tmp = folder / f".{name}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(tmp, flags, 0o600)
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, flags, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
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
