"""Alert reports: one plain-text file per alert in ``error_reports/``, and loading them.

A report's name is ``<UTC time>_<type>_<short id>.txt``, never built from user
input. It is written to a hidden temporary file next to it and renamed into
place, so a reader never sees half a report. Each line is
``key: value``; values use the log format's escaping, so a report is one field
per line whatever the message held.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hw4.config import ROOT
from hw4.logs import (
    Folders,
    format_value,
    log_event,
    read_value,
    records_to_frame,
    utc_timestamp,
    with_hosts,
)

if TYPE_CHECKING:  # loaded by records_to_frame only when a frame is built
    import pandas as pd

    from hw4.detection import Finding  # workers never load the detector

#: the alert types (a report's ``type``)
ALERT_TYPES = (
    "PersonalData", "InvalidMessage", "BrokerUnavailable", "Service2Unavailable",
    "Service2Timeout", "Unauthorized", "TaskFailed", "TaskResent", "InternalError",
)


class ReportNotWritten(RuntimeError):
    """An alert report could not be written: its folder is full, read-only or gone.

    The services answer it with a JSON 503 (``hw4.http_common``): a message that
    needs a report is never processed without one.
    """


@dataclass(frozen=True)
class Alert:
    id: str
    type: str
    path: Path

    def report(self) -> str:
        """The report's path as the API shows it: relative to the repository root."""
        try:
            return str(self.path.relative_to(ROOT))
        except ValueError:  # a report folder outside the repository
            return str(self.path)


def findings_summary(findings: Iterable[Finding]) -> list[str]:
    """``["EMAIL j***@e***.org", ...]``: the type and masked hint of each finding."""
    return [f"{f.type} {f.hint}" for f in findings]


def write_report(
    report_dir: Path, alert_type: str, request_id: str | None, service: str,
    description: str, findings: Iterable[Finding] = (), **extra: object,
) -> Alert:
    """Write one alert report and log ``alert.raised``; return where it is.

    Raises :class:`ReportNotWritten` when the report folder refuses it.
    """
    if alert_type not in ALERT_TYPES:
        raise ValueError(f"unknown alert type {alert_type!r}")
    time = utc_timestamp()  # 2026-11-28T18:37:04.684Z
    alert_id = secrets.token_hex(4)
    name = f"{time.translate(_NOT_IN_NAMES)}_{alert_type}_{alert_id}.txt"
    fields: dict[str, object] = {
        "id": alert_id,
        "time": time,
        "type": alert_type,
        "request_id": request_id or "-",
        "service": service,
        "description": description,
        "findings": "; ".join(findings_summary(findings)) or "-",
        **extra,
    }
    body = "".join(f"{key}: {_report_value(value)}\n" for key, value in fields.items())
    alert = Alert(alert_id, alert_type, Path(report_dir) / name)
    try:
        _write_atomically(alert.path, body)
    except OSError as exc:
        raise ReportNotWritten(f"an alert report could not be written to {alert.path.parent} "
                               f"({exc.strerror or exc})") from exc
    log_event("alert.raised", request_id, alert_id=alert_id, alert_type=alert_type,
              report=alert.report())
    return alert


#: what a report's time loses in its file name: 20261128T183704684Z
_NOT_IN_NAMES = str.maketrans("", "", "-:.")


def _write_atomically(path: Path, text: str) -> None:
    """Write ``path`` so that a reader sees the whole file or none of it: write a
    hidden temporary file in the same folder, then rename it (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        # "x": never over an existing file; mode 600: only the owner reads reports
        with open(partial, "x", encoding="utf-8", opener=_private) as f:
            f.write(text)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


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


def load_reports(report_dir: Folders) -> pd.DataFrame:
    """All alert reports as a DataFrame, one row a report, sorted by time.

    Columns: time (UTC), id, type, request_id, service, description, findings
    (the text), finding_types (a list), file; and host, when ``report_dir`` is
    several hosts' folders (see :data:`hw4.logs.Folders`).
    """
    records, host_column = with_hosts(report_dir, _read_reports)
    return records_to_frame(
        records,
        ["time", "id", "type", "request_id", "service", "description", "findings",
         "finding_types", "file", *host_column],
    )


def _read_reports(report_dir: Path) -> Iterator[dict[str, object]]:
    for path in sorted(Path(report_dir).glob("*.txt")):
        fields: dict[str, object] = dict(
            parse_report(path.read_text(encoding="utf-8", errors="replace")))
        findings = str(fields.get("findings", "-"))
        fields["finding_types"] = [] if findings == "-" else \
            [part.split(" ", 1)[0] for part in findings.split("; ")]
        fields["file"] = path.name
        yield fields
