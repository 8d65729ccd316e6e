"""Extra worker nodes (worker3, ...): started by name, seen by status and stop once they run."""

from __future__ import annotations

import pytest

from hw4.components import LaunchError, command, components, select_components


def test_an_extra_worker_is_started_by_name_as_a_celery_node(settings):
    (worker3,) = select_components(settings, ["worker3"])
    assert worker3.is_worker
    assert command(worker3, settings)[3:8] == ["-A", "hw4.worker", "worker", "-n",
                                               "worker3@%h"]
    assert "worker3" not in [c.name for c in components(settings)]  # not running: not listed


def test_an_extra_worker_with_a_pid_file_is_in_status_and_stop_all(settings):
    settings.run_dir.mkdir(parents=True)
    (settings.run_dir / "worker3.pid").write_text("999999")
    (settings.run_dir / "worker.b.pid").write_text("999999")  # not a node name: ignored
    names = [c.name for c in components(settings)]
    assert [n for n in names if n.startswith("worker")] == ["worker1", "worker2", "worker3"]
    assert "worker3" in [c.name for c in select_components(settings, None)]


@pytest.mark.parametrize("name", ["worker-b1", "worker_x", "workerB"])
def test_a_node_name_is_free(settings, name):
    (node,) = select_components(settings, [name])
    assert node.is_worker and f"{name}@%h" in command(node, settings)


@pytest.mark.parametrize("name", ["worker", "worker3; rm", "worker/../x", "worker.b",
                                  "service_3"])
def test_other_names_are_still_unknown(settings, name):
    with pytest.raises(LaunchError, match="unknown component"):
        select_components(settings, [name])
