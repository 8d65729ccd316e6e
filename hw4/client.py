"""A small client of service_1 for notebooks, tests and benchmarks: send, follow, wait."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from hw4.config import Settings

FINAL_STATES = ("SUCCESS", "FAILURE")


@dataclass
class Answer:
    """What service_1 answered to one message."""

    status: int
    body: dict[str, Any]
    seconds: float

    @property
    def request_id(self) -> str | None:
        return self.body.get("request_id")

    @property
    def task_id(self) -> str | None:
        return self.body.get("task_id")

    @property
    def alert(self) -> dict[str, Any] | None:
        return self.body.get("alert")


@dataclass
class Client:
    """Talks to service_1 over HTTP with one kept-alive session."""

    base_url: str = field(default_factory=lambda: Settings.from_env().service_1_url)
    timeout: float = 10.0
    session: requests.Session = field(default_factory=requests.Session)

    def send(self, text: Any, mode: str = "async", work_seconds: float = 0.0,
             **fields: Any) -> Answer:
        """POST one message; ``text`` is sent as given (any JSON value)."""
        payload = {"text": text, "mode": mode, **fields}
        if work_seconds:
            payload["work_seconds"] = work_seconds
        start = time.perf_counter()
        answer = self.session.post(self.base_url + "/messages", json=payload,
                                   timeout=self.timeout)
        return Answer(answer.status_code, answer.json(), time.perf_counter() - start)

    def task(self, task_id: str) -> dict[str, Any]:
        answer = self.session.get(f"{self.base_url}/tasks/{task_id}", timeout=self.timeout)
        return {"http_status": answer.status_code, **answer.json()}

    def wait_for_task(
        self, task_id: str, deadline: float = 60.0, interval: float = 0.1,
        on_change: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Poll ``GET /tasks/<id>`` until SUCCESS or FAILURE, or raise TimeoutError.

        ``on_change`` is called with each new state (a widget shows them live).
        """
        end = time.monotonic() + deadline
        last = None
        while True:
            state = self.task(task_id)
            if on_change and state.get("state") != last:
                on_change(state)
            last = state.get("state")
            if last in FINAL_STATES:
                return state
            if time.monotonic() > end:
                raise TimeoutError(f"task {task_id} still {last} after {deadline:g} s")
            time.sleep(interval)

    def health(self) -> dict[str, Any]:
        return self.session.get(self.base_url + "/health", timeout=self.timeout).json()
