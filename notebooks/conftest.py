"""nbval runs the notebooks against the system on the default ports; notebook 4 ends by
stopping it. This is the safety net for a run that fails before that: whatever a
notebook started is stopped when the test session ends."""

from __future__ import annotations

import pytest

from hw4.notebook import stop_system


def pytest_sessionfinish(session: pytest.Session) -> None:
    if any(str(item.path).endswith(".ipynb") for item in getattr(session, "items", [])):
        stop_system()
