"""One log format for every process: writing it, parsing it, loading it into pandas.

A line is::

    2026-11-28T18:31:19.123Z INFO service_1 message.received 4f1c2a9b0d3e chars=12 mode=async

UTC timestamp with milliseconds, level, component, event, request id (``-`` when
there is none), then ``key=value`` details. A value with spaces, quotes, ``=``
or any control or line-breaking character is written as a JSON string, so no
text a user sends can start a new line or fake a field.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:  # imported when a frame is built: services and workers never need it,
    import pandas as pd  # and it was a third of their start-up time

LOGGER_NAME = "hw4"

# Characters that some reader could take as a line break or that hide text:
# C* (controls, format, surrogates, private use) and Z[lp] (line/paragraph separators).
_UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_BARE_VALUE = re.compile(r'[^\s"=\\]+')
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _escape_unsafe(text: str) -> str:
    return "".join(
        ch if unicodedata.category(ch) not in _UNSAFE_CATEGORIES else _code_point(ch)
        for ch in text
    )


def _code_point(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    # JSON spells an astral code point as a surrogate pair
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def format_value(value: object) -> str:
    """One detail value, on one line, unambiguous for :func:`parse_line`."""
    text = value if isinstance(value, str) else (
        json.dumps(value, ensure_ascii=False, default=str)
        if isinstance(value, (list, dict)) else str(value)
    )
    if text and _BARE_VALUE.fullmatch(text) and text.isprintable():
        return text
    return _escape_unsafe(json.dumps(text, ensure_ascii=False))


def utc_timestamp(moment: datetime | None = None) -> str:
    """``2026-11-28T18:31:19.123Z`` (now by default): the one time format of hw4's
    log lines, reports and task results."""
    moment = datetime.now(timezone.utc) if moment is None else moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def format_line(
    time: datetime, level: str, component: str, event: str,
    request_id: str | None, details: Mapping[str, object],
) -> str:
    """A whole log line (without the newline)."""
    parts = [utc_timestamp(time), level, component, format_value(event),
             format_value(request_id or "-")]
    for key, value in details.items():
        if not _KEY.fullmatch(key):  # keys come from hw4's code, never from a user
            raise ValueError(f"log detail key {key!r} is not a plain name")
        parts.append(f"{key}={format_value(value)}")
    return " ".join(parts)


class LineFormatter(logging.Formatter):
    """Formats records made by :func:`log_event` (and plain ones) as one hw4 line."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "event", None)
        details = dict(getattr(record, "details", {}))
        if event is None:  # a record from a library or a plain logger.info(...)
            event = "log." + record.name
            details["msg"] = record.getMessage()
        if record.exc_info:
            details["exception"] = self.formatException(record.exc_info)
        # the moment log_event was given (``at``), or when the line was made
        at = getattr(record, "at", None) or datetime.fromtimestamp(record.created, timezone.utc)
        return format_line(
            at, record.levelname,
            self.component, event, getattr(record, "request_id", None), details,
        )


class AppendLineHandler(logging.Handler):
    """Writes each line with a single ``write`` to a file opened with O_APPEND.

    Several processes (gunicorn workers, Celery pool processes) share one log
    file; one ``write`` per line on an O_APPEND descriptor is what keeps their
    lines whole and never interleaved (Python's buffered FileHandler may split
    a long line into several writes).
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
            os.write(self.fd, line.encode("utf-8", "backslashreplace"))
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass
        super().close()


def setup_logging(component: str, log_dir: Path, level: int = logging.INFO) -> logging.Logger:
    """Send the ``hw4`` logger to ``<log_dir>/<component>.txt``.

    Every process calls this once with its component name; calling it again
    replaces the handler, so tests can point it at another folder.
    """
    handler = AppendLineHandler(Path(log_dir) / f"{component}.txt")
    handler.setFormatter(LineFormatter(component))
    logger = logging.getLogger(LOGGER_NAME)
    for old in list(logger.handlers):
        if isinstance(old, AppendLineHandler):
            logger.removeHandler(old)
            old.close()
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


_LOGGER = logging.getLogger(LOGGER_NAME)


def log_event(
    event: str, request_id: str | None = None, level: int = logging.INFO,
    at: datetime | None = None, **details: object,
) -> None:
    """Log one event of hw4: ``log_event("task.queued", rid, task_id=...)``.

    ``at``: when the event happened, if that moment was taken before (and given
    elsewhere too, as a task's ``queued_at``); the line's time is then that one.
    """
    _LOGGER.log(level, event, extra={"event": event, "request_id": request_id,
                                     "details": details, "at": at})


# ---------------------------------------------------------------- reading

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')
_DETAIL = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)')


def read_value(raw: str) -> str:
    return json.loads(raw) if raw.startswith('"') else raw


def parse_line(line: str) -> dict[str, Any] | None:
    """Parse one line into a dict (``None`` for a line that is not in the format)."""
    head = line.rstrip("\n").split(" ", 3)
    if len(head) < 4:
        return None
    stamp, level, component, rest = head
    tokens = _TOKEN.findall(rest)
    if len(tokens) < 2:
        return None
    try:
        time = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        event, request_id = read_value(tokens[0]), read_value(tokens[1])
        skip = len(tokens[0]) + len(tokens[1]) + 2
        details = {k: read_value(v) for k, v in _DETAIL.findall(rest[skip:])}
    except ValueError:
        return None
    return {
        "time": time, "level": level, "component": component, "event": event,
        "request_id": None if request_id == "-" else request_id, "details": details,
    }


def iter_log_lines(log_dir: Path) -> Iterator[dict[str, Any]]:
    """Every parsed line of every ``*.txt`` file in ``log_dir``."""
    for path in sorted(Path(log_dir).glob("*.txt")):
        # newline="\n": only a real newline ends a line (never \r or U+2028)
        with open(path, encoding="utf-8", errors="replace", newline="\n") as f:
            for line in f:
                parsed = parse_line(line)
                if parsed is not None:
                    parsed["file"] = path.name
                    yield parsed


def records_to_frame(records: Iterable[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rows of dicts whose ``details`` dict is spread into columns, sorted by time."""
    import pandas as pd

    rows = []
    for record in records:
        row = {k: v for k, v in record.items() if k != "details"}
        # a detail never hides a base column: "component=redis" becomes detail_component
        for key, value in record.get("details", {}).items():
            row["detail_" + key if key in row else key] = value
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    if len(frame):
        frame["time"] = pd.to_datetime(frame["time"], utc=True)
        frame = frame.sort_values("time", kind="stable").reset_index(drop=True)
    else:
        frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame


#: where the loaders read: one folder, several (each named after its host:
#: ``collected/host-a``), or ``{host: folder}``
Folders: TypeAlias = "Folder | Sequence[Folder] | Mapping[str, Folder]"
Folder: TypeAlias = "str | os.PathLike"


def folders_by_host(where: Folders) -> list[tuple[str | None, Path]]:
    """``(host, folder)`` pairs for :data:`Folders`; the host is None for one folder."""
    if isinstance(where, (str, os.PathLike)):
        return [(None, Path(where))]
    if isinstance(where, Mapping):
        return [(str(host), Path(folder)) for host, folder in where.items()]
    return [(Path(folder).name, Path(folder)) for folder in where]


def with_hosts(where: Folders, read: Callable[[Path], Iterable[dict[str, Any]]],
               ) -> tuple[Iterator[dict[str, Any]], list[str]]:
    """The records ``read`` finds in each folder, each with its ``host`` when there are
    several hosts, and the base column that adds (``["host"]``, or none)."""
    pairs = folders_by_host(where)
    if pairs[0][0] is None:
        return iter(read(pairs[0][1])), []
    return ({**record, "host": host} for host, folder in pairs for record in read(folder)), \
        ["host"]


#: the details that are numbers (docs/events.md), loaded as numbers by :func:`load_logs`.
#: A list, not a guess from the values: a text detail may happen to look like a number
#: (an alert id such as ``20261128``, a short commit), and would change type from log to log
WHOLE_NUMBER_DETAILS = ("attempt", "bytes", "chars", "pid", "resent", "status", "words")
DECIMAL_DETAILS = ("missing_s", "ms", "retry_in_s", "seconds", "work_seconds")


def numbers_as_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """The numeric details as numbers: whole numbers as pandas' ``Int64`` (an empty
    cell stays ``<NA>``, and 202 is not shown as 202.0), the others as floats."""
    import pandas as pd

    for column in WHOLE_NUMBER_DETAILS + DECIMAL_DETAILS:
        if column in frame.columns:
            numbers = pd.to_numeric(frame[column], errors="coerce")
            frame[column] = numbers.astype("Int64" if column in WHOLE_NUMBER_DETAILS
                                           else "float64")
    return frame


def load_logs(log_dir: Folders) -> pd.DataFrame:
    """All log lines of all components as a DataFrame, one row a line, sorted by time.

    Columns: time (UTC), level, component, event, request_id, file, and one
    column per detail key (empty where a line has no such key): text, but the
    numbers of :data:`WHOLE_NUMBER_DETAILS` and :data:`DECIMAL_DETAILS` as numbers.
    ``log_dir`` may also be several hosts' folders (see :data:`Folders`): every
    line then has its ``host``, and a message's lines from every host are together
    by its request id (the hosts' clocks must agree: keep them synchronised).
    """
    records, host_column = with_hosts(log_dir, iter_log_lines)
    return numbers_as_numbers(records_to_frame(
        records, ["time", "level", "component", "event", "request_id", "file", *host_column],
    ))
