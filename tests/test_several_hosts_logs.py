"""Logs and reports of several hosts: one parser, a host column, lanes labelled with hosts."""

from __future__ import annotations

from datetime import timedelta

from hw4.logs import format_line, load_logs
from hw4.message_paths import message_path, task_runs
from hw4.reports import load_reports, write_report
from hw4.timeline import plot_timeline, timeline_spans
from tests.test_timeline import ASYNC, RETRIED, T0, _lines

#: which host wrote which component's file: worker2 ran on host b
HOSTS = {"service_1": "host-a", "service_2": "host-a", "worker1": "host-a",
         "worker2": "host-b"}


def _write_hosts(base):
    for component, lines in _lines().items():
        folder = base / HOSTS[component]
        folder.mkdir(exist_ok=True)
        (folder / f"{component}.txt").write_text("".join(
            format_line(T0 + timedelta(seconds=at), "INFO", component, event, rid, details)
            + "\n" for at, event, rid, details in lines))
    return {host: base / host for host in ("host-a", "host-b")}


def test_one_folder_has_no_host_column(tmp_path):
    folders = _write_hosts(tmp_path)
    assert "host" not in load_logs(folders["host-a"]).columns


def test_several_folders_give_each_line_its_host(tmp_path):
    folders = _write_hosts(tmp_path)
    logs = load_logs(folders)
    assert logs["time"].is_monotonic_increasing
    assert set(zip(logs["component"], logs["host"], strict=True)) == set(HOSTS.items())
    # a list of folders named after their hosts is the same
    assert load_logs(list(folders.values())).equals(logs)
    # one message's path crosses both hosts, by its request id
    path = message_path(logs, RETRIED)
    assert {"service_1", "worker1", "worker2"} <= set(path["component"])
    assert "host=" not in " ".join(path["details"])


def test_lanes_carry_the_host(tmp_path):
    logs = load_logs(_write_hosts(tmp_path))
    runs = task_runs(logs)
    assert set(runs["worker"]) == {"worker1@host-a", "worker2@host-b"}
    spans = timeline_spans(logs)
    assert {"service_1@host-a", "service_2@host-a", "queue"} <= set(spans["lane"])
    lanes = [t.get_text() for t in plot_timeline(spans).axes[0].get_yticklabels()]
    # in LANES' order, and no empty lane without a host
    assert lanes == ["service_1@host-a", "service_2@host-a", "queue", "worker1@host-a",
                     "worker2@host-b"]
    assert ASYNC in set(spans.loc[spans["lane"] == "worker1@host-a", "request_id"])


def test_reports_of_several_hosts(tmp_path):
    for host in ("host-a", "host-b"):
        write_report(tmp_path / host, "TaskFailed", "r" * 16, "worker1", "failed")
    reports = load_reports([tmp_path / "host-a", tmp_path / "host-b"])
    assert sorted(reports["host"]) == ["host-a", "host-b"]
    assert "host" not in load_reports(tmp_path / "host-a").columns
