"""docs/events.md defines every event hw4 logs, with its details, and nothing else:
the table is checked against the ``log_event`` calls in hw4/ (read with ``ast``)."""

from __future__ import annotations

import ast
import re

from hw4.config import ROOT
from hw4.logs import DECIMAL_DETAILS, WHOLE_NUMBER_DETAILS

DOC = ROOT / "docs" / "events.md"
#: a detail a call spreads in with ** (code.summary(): which code a process runs)
SPREAD = {"code.summary": {"commit", "files_time"}, "again": {"redelivered"}}


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _forwarding(tree: ast.Module) -> dict[str, int]:
    """Functions that pass one of their parameters to log_event as the event: the
    parameter's position (launcher's _signal_running(component, settings, sig, event))."""
    found = {}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        params = [a.arg for a in func.args.args]
        for call in ast.walk(func):
            if (isinstance(call, ast.Call) and _name(call.func) == "log_event" and call.args
                    and isinstance(call.args[0], ast.Name) and call.args[0].id in params):
                found[func.name] = params.index(call.args[0].id)
    return found


def _details(call: ast.Call) -> set[str]:
    keys = {k.arg for k in call.keywords if k.arg not in (None, "level", "at")}
    for spread in (k.value for k in call.keywords if k.arg is None):
        text = ast.unparse(spread.func if isinstance(spread, ast.Call) else spread)
        keys |= SPREAD[text]
    return keys


def logged_events() -> dict[str, set[str]]:
    """Every event hw4's code logs, with the detail keys its calls give it."""
    events: dict[str, set[str]] = {}
    for path in sorted((ROOT / "hw4").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        forwarding = _forwarding(tree)
        keys_of = {}  # the details the forwarding function's log_event call gives
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            if name == "log_event" and call.args and isinstance(call.args[0], ast.Name):
                keys_of[call.args[0].id] = _details(call)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            if name == "log_event" and isinstance(call.args[0], ast.Constant):
                events.setdefault(call.args[0].value, set()).update(_details(call))
            elif name in forwarding and len(call.args) > forwarding[name]:
                event = call.args[forwarding[name]]
                assert isinstance(event, ast.Constant), ast.unparse(call)
                events.setdefault(event.value, set()).update(*keys_of.values())
    return events


def documented_events() -> dict[str, set[str]]:
    """The rows of the events table: `event` | component | details | meaning."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`[a-z_0-9]+\.[a-z_]+`", cells[0]):
            rows[cells[0].strip("`")] = set(re.findall(r"`([a-z_]+)`", cells[2]))
    return rows


def test_every_logged_event_is_defined_and_every_defined_event_is_logged():
    logged, documented = logged_events(), documented_events()
    assert len(logged) > 30
    assert sorted(set(logged) - set(documented)) == [], "events logged but not in docs/events.md"
    assert sorted(set(documented) - set(logged)) == [], "events in docs/events.md never logged"


def test_each_event_lists_the_details_it_carries():
    logged, documented = logged_events(), documented_events()
    wrong = {event: (sorted(keys), sorted(documented.get(event, set())))
             for event, keys in logged.items() if documented.get(event) != keys}
    assert wrong == {}, "(logged, documented) details differ"


def test_the_details_loaded_as_numbers_are_the_documented_ones():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Numbers", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`([a-z_]+)`", section.split("whole numbers", 1)[1]
                          .split("decimals", 1)[0])) == set(WHOLE_NUMBER_DETAILS)
    assert set(re.findall(r"`([a-z_]+)`", section.split("decimals", 1)[1])) \
        == set(DECIMAL_DETAILS)
