"""The labs of notebook 6, "Change it yourself": checks that test the running system.

Each lab asks for a change (a line of code, a setting, one more worker) and a restart.
Its check sends messages to service_1 and reads what the system answered, logged and
shows in its status table: it never reads the code, so an edit that no running
process has loaded yet is not done. It says ``Done: ...``, or ``Not done yet: ...`` and
what is still wrong (nothing changed? the change made but not restarted?).

A check never raises: a system that is down is "not done yet" too, with the command
that starts it. ``hw4.exercises`` imports the checks, like the other notebooks' ones.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import pandas as pd
import requests

from hw4.client import Client
from hw4.config import COMPONENTS, Settings
from hw4.flow import batch_seconds, send_batch, work_batch
from hw4.logs import iter_log_lines
from hw4.sandbox import wait_for
from hw4.status import status

#: lab 1: the value of the kind the lab declares, and the hint its alert must show
EMPLOYEE_TEXT = "my employee number is EMP-123456"
EMPLOYEE_HINT = "EMPLOYEE_NUMBER EMP-******"
#: lab 2: a message of five words (``len(text.split())``)
WORDS_TEXT = "Count these five words please"
#: lab 3: the timeout the lab asks for, and more work than that (less than the default 5 s)
SHORT_TIMEOUT = 2
SLOW_WORK = 3.0
#: lab 4: one task of 1 s per slot of three nodes; on two nodes they take two rounds
THIRD_WORKER_BATCH = 6
#: lab 5: a message that names a sensitive word and holds no value
KEYWORD_TEXT = "I forgot my password, can you help?"


class LabFeedback(str):
    """A check's sentence (shown as plain text in a notebook); ``done`` says if the lab is."""

    done: bool

    def __new__(cls, text: str, done: bool) -> LabFeedback:
        feedback = super().__new__(cls, ("Done: " if done else "Not done yet: ") + text)
        feedback.done = done
        return feedback

    def __repr__(self) -> str:
        return str(self)


def done(text: str) -> LabFeedback:
    return LabFeedback(text, True)


def not_done(text: str) -> LabFeedback:
    return LabFeedback(text, False)


Check = Callable[[Settings], LabFeedback]


def lab_check(check: Check) -> Callable[[Settings | None], LabFeedback]:
    """A check that takes the settings of the system to test (by default this checkout's:
    ``.env`` and the exported ``HW4_*``), and says "not done yet" instead of raising when
    the system does not answer."""
    @wraps(check)
    def checked(settings: Settings | None = None) -> LabFeedback:
        settings = settings or Settings.from_env()
        try:
            return check(settings)
        except requests.RequestException as exc:
            return not_done(f"service_1 does not answer at {settings.service_1_url} "
                            f"({type(exc).__name__}): start the system with "
                            "scripts/run_all.sh, then run this check again.")
        except TimeoutError as exc:
            return not_done(f"{exc}: is every component healthy? (scripts/status.sh)")
    return checked


# ------------------------------------------------------------------ what the system shows

def stale_hint(settings: Settings, names: list[str]) -> str | None:
    """"X runs older code: restart it" for those of ``names`` whose code is stale
    (``scripts/status.sh``'s code column), or None when all run the code on disk."""
    stale = [row["component"] for row in status(settings, names) if row["code"] == "stale"]
    if not stale:
        return None
    who = " and ".join(stale)
    verb = "runs" if len(stale) == 1 else "run"
    return (f"{who} {verb} older code than the files on disk (scripts/status.sh: stale): "
            f"scripts/restart.sh {' '.join(stale)}")


def worker_nodes(settings: Settings) -> list[str]:
    """The worker nodes that run: worker1, worker2 and any extra node (worker3 ...)."""
    return [row["component"] for row in status(settings)
            if str(row["component"]).startswith("worker") and row["state"] == "running"]


def wait_for_event(settings: Settings, request_id: str, event: str,
                   deadline: float) -> dict[str, object] | None:
    """The first log line of ``event`` about ``request_id``, waiting up to ``deadline`` s
    for it (None if it did not come)."""
    def found() -> dict[str, object] | None:
        return next((line for line in iter_log_lines(settings.log_dir)
                     if line["request_id"] == request_id and line["event"] == event), None)
    try:
        return wait_for(found, deadline, f"{event} of {request_id}", interval=0.2)
    except TimeoutError:
        return None


def seconds_after_received(logs: pd.DataFrame, request_id: str) -> pd.DataFrame:
    """One message's log lines: whole seconds since service_1 received it, component,
    event and HTTP status (where the line has one)."""
    lines = logs[logs["request_id"] == request_id]
    start = lines.loc[lines["event"] == "message.received", "time"].min()
    return pd.DataFrame({
        "after_s": (lines["time"] - start).dt.total_seconds().round().astype(int),
        "component": lines["component"], "event": lines["event"],
        "status": lines["status"] if "status" in lines else None,
    }).reset_index(drop=True)


# ------------------------------------------------------------------ the checks

@lab_check
def lab_employee_number(settings: Settings) -> LabFeedback:
    """Lab 1: service_1 blocks an employee number (EMP-123456) with a 422 and a masked hint."""
    answer = Client(settings.service_1_url).send(EMPLOYEE_TEXT)
    hints = (answer.alert or {}).get("hints")
    if answer.status == 422 and hints == [EMPLOYEE_HINT]:
        return done(f"service_1 blocks {EMPLOYEE_TEXT!r} with a 422; its alert shows only "
                    f"the hint {EMPLOYEE_HINT!r}.")
    if answer.status == 422:
        return not_done(f"service_1 blocks the message, but its alert's hints are {hints}, "
                        f"not [{EMPLOYEE_HINT!r}]: compare your Kind with docs/detection.md.")
    return not_done(f"service_1 answered {answer.status} to {EMPLOYEE_TEXT!r}, not 422. "
                    + (stale_hint(settings, ["service_1"]) or
                       "Declare the kind at the end of hw4/detection/kinds.py (docs/"
                       "detection.md, step 1), then: scripts/restart.sh service_1"))


@lab_check
def lab_word_count(settings: Settings) -> LabFeedback:
    """Lab 2: the task's result has a ``word_count`` (5 for a message of five words), and
    every worker node runs that code."""
    client = Client(settings.service_1_url)
    answer = client.send(WORDS_TEXT)
    if answer.status != 202:
        return not_done(f"service_1 answered {answer.status}, not 202: scripts/status.sh")
    task = client.wait_for_task(answer.task_id, deadline=30)
    count = (task.get("result") or {}).get("word_count")
    restart = stale_hint(settings, worker_nodes(settings))
    if count == 5 and restart is None:
        return done(f"the task's result says word_count={count} for {WORDS_TEXT!r}.")
    if restart is not None:
        has = "no 'word_count'" if count is None else f"word_count={count!r}"
        return not_done(f"the task's result has {has}. {restart}")
    if count is not None:
        return not_done(f"the result says word_count={count!r} for {WORDS_TEXT!r} "
                        "(five words): count with len(text.split()).")
    return not_done("the task's result has no 'word_count': add \"word_count\": "
                    "len(text.split()), to the dict that analyse_message returns "
                    "(hw4/tasks.py), then: scripts/restart.sh worker1 worker2")


@lab_check
def lab_short_timeout(settings: Settings) -> LabFeedback:
    """Lab 3: a sync message of 3 s of work gets a 504 after about 2 s, and service_2
    logs its answer later all the same."""
    client = Client(settings.service_1_url, timeout=SLOW_WORK + 10)
    answer = client.send("Take your time, service_2.", mode="sync", work_seconds=SLOW_WORK)
    waited = f"{answer.seconds:.0f} s"
    if answer.status == 504 and answer.seconds < SLOW_WORK:
        answered = wait_for_event(settings, answer.request_id, "process.answered",
                                  SLOW_WORK + 5)
        if answered is None:
            return not_done(f"service_1 gave up after {waited} (504), but service_2 logged "
                            "no process.answered for it: is service_2 healthy?")
        failed = wait_for_event(settings, answer.request_id, "message.failed", 1.0)
        later = (answered["time"] - failed["time"]).total_seconds() if failed else 0.0
        return done(f"service_1 gave up after {waited} and answered 504 (message.failed in "
                    f"its log); service_2 went on and logged process.answered {later:.0f} s "
                    f"later: log_lines({answer.request_id!r}) shows both.")
    if answer.status == 200 and settings.service_2_timeout < SLOW_WORK:
        return not_done(f"service_1 waited {waited} and answered 200, though your "
                        f"settings say HW4_SERVICE_2_TIMEOUT={settings.service_2_timeout:g}: "
                        "service_1 reads them when it starts: scripts/restart.sh service_1")
    if answer.status == 200:
        return not_done(f"service_1 waited {waited} for service_2 and answered 200: put "
                        f"HW4_SERVICE_2_TIMEOUT={SHORT_TIMEOUT} in .env, then: "
                        "scripts/restart.sh service_1")
    return not_done(f"service_1 answered {answer.status} after {waited} "
                    f"({answer.body.get('error')}), not 504 before {SLOW_WORK:g} s.")


@lab_check
def lab_third_worker(settings: Settings) -> LabFeedback:
    """Lab 4: a third worker node runs, and a batch of one task per slot takes one round."""
    extra = [name for name in worker_nodes(settings) if name not in COMPONENTS]
    if not extra:
        return not_done("no third worker node runs (scripts/status.sh lists worker1 and "
                        "worker2 only): scripts/run_all.sh worker3")
    batch = send_batch(Client(settings.service_1_url),
                       work_batch(THIRD_WORKER_BATCH, work_seconds=1.0), deadline=30)
    seconds = batch_seconds(batch)
    ran = sorted({str(o.worker).split("@")[0] for o in batch})
    if seconds < 1.75 and any(name in ran for name in extra):
        return done(f"{THIRD_WORKER_BATCH} tasks of 1 s took {seconds:.1f} s, run by "
                    f"{', '.join(ran)}: one round (on 4 slots they take two, about 2 s).")
    return not_done(f"{THIRD_WORKER_BATCH} tasks of 1 s took {seconds:.1f} s, run by "
                    f"{', '.join(ran)}: is {extra[0]} healthy? (scripts/status.sh)")


@lab_check
def lab_keyword_warn(settings: Settings) -> LabFeedback:
    """Lab 5: a message that only names a sensitive word is processed (202), with a report."""
    answer = Client(settings.service_1_url).send(KEYWORD_TEXT)
    if answer.status == 202:
        return done(f"{KEYWORD_TEXT!r} was queued (202); service_1 logged message.flagged "
                    "and wrote a PersonalData report with action: warned.")
    if answer.status == 422 and settings.keyword_policy == "warn":
        return not_done("service_1 still blocks it (422), though your settings say "
                        "HW4_KEYWORD_POLICY=warn: scripts/restart.sh service_1")
    return not_done(f"service_1 answered {answer.status} to {KEYWORD_TEXT!r}: put "
                    "HW4_KEYWORD_POLICY=warn in .env, then: scripts/restart.sh service_1")

