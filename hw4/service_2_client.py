"""How service_1 calls service_2: ``requests`` with a kept-alive session per thread.

gunicorn runs service_1 with several threads per process, and a
``requests.Session`` is not documented as thread-safe, so each thread keeps a
session of its own (and with it one kept-alive connection to service_2).
"""

from __future__ import annotations

import threading

import requests

from hw4.config import Settings

#: seconds to wait for a connection to service_2 (the wait for its answer is a setting)
CONNECT_TIMEOUT = 1.0


class Service2Error(Exception):
    """service_2 could not process a message: ``status`` is what service_1 answers."""

    def __init__(self, status: int, alert_type: str, reason: str, error: str = "-") -> None:
        super().__init__(reason)
        self.status, self.alert_type, self.reason, self.error = status, alert_type, reason, error


class Service2Client:
    def __init__(self, settings: Settings) -> None:
        self.url = settings.service_2_url + "/process"
        self.timeout = (CONNECT_TIMEOUT, settings.service_2_timeout)
        self.token = settings.internal_token
        self.sessions = threading.local()

    def session(self) -> requests.Session:
        """This thread's session (made on first use: nothing connects before gunicorn forks)."""
        if not hasattr(self.sessions, "session"):
            session = requests.Session()
            session.headers["X-Internal-Token"] = self.token
            # service_2 is ours: never reach it through a proxy set in the environment
            session.trust_env = False
            self.sessions.session = session
        return self.sessions.session

    def process(self, request_id: str, text: str, work_seconds: float = 0.0) -> dict:
        """service_2's answer to ``POST /process``; :class:`Service2Error` when there is none.

        service_2 spends ``work_seconds`` on the message before it answers, and this
        thread of service_1 waits all that time: that is what sync means.
        """
        try:
            answer = self.session().post(
                self.url, json={"request_id": request_id, "text": text,
                                       "work_seconds": work_seconds},
                headers={"X-Request-ID": request_id}, timeout=self.timeout)
            if answer.status_code != 200:
                raise Service2Error(502, "Service2Unavailable",
                                    f"service_2 answered {answer.status_code}")
            return answer.json()
        except requests.ConnectionError as exc:  # nobody listens (or a connect timeout)
            raise Service2Error(503, "Service2Unavailable", "service_2 is unavailable",
                                type(exc).__name__) from exc
        except requests.Timeout as exc:  # connected, but no answer in time
            raise Service2Error(504, "Service2Timeout", "service_2 did not answer within "
                                f"{self.timeout[1]:g} s", type(exc).__name__) from exc
        except requests.RequestException as exc:  # e.g. an answer that is not JSON
            raise Service2Error(502, "Service2Unavailable", "service_2 answered with a body "
                                "that is not JSON", type(exc).__name__) from exc
