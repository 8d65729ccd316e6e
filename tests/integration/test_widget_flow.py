"""The notebooks' helpers on the real system: the form's handlers, batches followed to
the end, the logs of a batch on the timeline, and the start/stop helpers."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from hw4.flow import SAMPLE_MESSAGES, SENSITIVE_MESSAGES, send_batch
from hw4.logs import load_logs
from hw4.message_paths import latencies
from hw4.notebook import ScriptFailed, ensure_running, status_table
from hw4.processes import signal_group
from hw4.scripts import run_script, script_env
from hw4.timeline import timeline_spans
from hw4.widget import MessageForm

from .conftest import make_system


@pytest.fixture
def form(system) -> MessageForm:
    return MessageForm(system.client, deadline=60, settings=system.settings)


def test_send_async_follows_the_task_live_to_success(system, form):
    seen = []
    form.answer.observe(lambda change: seen.append(change["new"]), names="value")
    form.text.value = "Hello from the widget test"
    form.mode.value, form.work_seconds.value = "async", 0.5
    outcome = form.on_send()
    assert form.wait(60) is outcome
    assert outcome.status == 202 and outcome.state == "SUCCESS"
    assert outcome.worker.split("@")[0] in ("worker1", "worker2")
    assert outcome.result["seconds"] >= 0.5
    assert "done by <b>" + outcome.worker in form.answer.value
    # the answer was redrawn while the task ran, before it was done
    assert any("hw4-done" not in html and "queued as task" in html for html in seen)
    assert f"task_id={outcome.task_id}" in system.log_text(outcome.worker.split("@")[0])


def test_send_sync_and_sensitive_and_invalid(system, form):
    form.mode.value, form.work_seconds.value = "sync", 0.5
    form.text.value = "Hello, service_2 from the widget"
    form.on_send()
    assert form.wait(30).status == 200
    assert "service_2 answered" in form.answer.value
    form.text.value = "my password is hunter2"
    form.on_send()
    outcome = form.wait(30)
    assert outcome.status == 422 and outcome.alert["type"] == "PersonalData"
    assert (system.settings.report_dir / outcome.alert["report"].rsplit("/", 1)[-1]).exists()
    assert "hunter2" not in form.answer.value
    form.text.value = "   "
    form.on_send()
    assert form.wait(30).alert["type"] == "InvalidMessage"


def test_the_form_follows_several_tasks_at_once(system, form):
    form.mode.value, form.work_seconds.value = "async", 1.0
    sent = []
    for text in ("first of two", "second of two"):
        form.text.value = text
        sent.append(form.on_send())
    form.wait(60)
    assert [o.state for o in sent] == ["SUCCESS", "SUCCESS"]
    # both were followed at once: the second started before the first ended
    assert sent[1].result["started_at"] < sent[0].result["finished_at"]


def test_sample_batch_reaches_both_workers_and_the_timeline(system, form):
    outcomes = form.on_samples()
    assert [o.outcome() for o in outcomes] == [
        "SUCCESS" if m["mode"] == "async" else "OK" for m in SAMPLE_MESSAGES]
    assert form.progress.value == form.progress.max == len(SAMPLE_MESSAGES)
    assert form.progress.bar_style == "success"
    # the batch's live panel watched its 4 tasks to the end, and stopped by itself
    form.panel.wait(30)
    assert not form.panel.running and form.panel.ended == "the batch is done"
    assert (form.panel.last.done, form.panel.last.tasks) == (4, 4)
    ids = [o.request_id for o in outcomes]
    # a worker logs task.finished before it stores the result, and service_1 logs a
    # request before it answers: what the batch saw is in the logs already
    logs = load_logs(system.settings.log_dir)
    spans = timeline_spans(logs, ids)
    assert {"service_1", "service_2", "queue", "worker1", "worker2"} == set(spans["lane"])
    lat = latencies(logs, ids)
    assert list(lat["mode"]) == [m["mode"] for m in SAMPLE_MESSAGES]
    assert (lat.loc[lat["mode"] == "async", "queue_s"] >= 0).all()


def test_sensitive_batch_is_all_blocked(system):
    outcomes = send_batch(system.client, SENSITIVE_MESSAGES)
    assert {o.alert["findings"][0] for o in outcomes} == {"PASSWORD", "EMAIL", "CREDIT_CARD",
                                                          "PHONE"}


def test_ensure_running_leaves_a_running_system_alone(system):
    before = status_table(system.settings)
    after = ensure_running(system.settings)
    assert after["healthy"].all() and after["pid"].tolist() == before["pid"].tolist()


def test_a_failing_script_raises_with_its_output(system):
    with pytest.raises(ScriptFailed, match="unknown component"):
        run_script("stop_all.sh", "no_such_component", env=script_env(system.settings))


def test_a_kernel_restart_does_not_stop_what_its_notebook_started(tmp_path):
    """Jupyter ends a kernel by killing its process group; the system must outlive it."""
    system = make_system(tmp_path)
    kernel = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from hw4.notebook import start_system\n"
         "start_system(); print('started', flush=True); time.sleep(600)"],
        env=system.env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert kernel.stdout.readline().strip() == "started"
        signal_group(kernel.pid, signal.SIGKILL)  # what a kernel restart does
        kernel.wait(10)
        assert status_table(system.settings)["healthy"].all()
    finally:
        if kernel.poll() is None:
            signal_group(kernel.pid, signal.SIGKILL)
            kernel.wait(10)
        system.script("stop_all.sh", check=False)
    assert system.pids() == []
