"""Two hosts for real: host b is a network namespace joined to this one by a veth pair.

Host a (the root namespace) runs Redis, service_1, service_2, worker1 and worker2 bound
to its veth address; host b runs worker3 alone, against host a's Redis. Both use the
commands of docs/operations.md, "On several machines", with the same settings (plus the
sandbox's free ports and folders). No traffic uses any other address: nothing listens
on loopback, and the namespace has no other interface up.
"""

from __future__ import annotations

import ipaddress
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from hw4.components import read_pid, select_components
from hw4.config import ROOT, Settings
from hw4.logs import load_logs
from hw4.processes import group_members
from hw4.scripts import run_script
from hw4.timeline import timeline_spans

from .conftest import System, make_system

pytestmark = pytest.mark.integration

MESSAGES = 50
#: what host b starts: scripts/run_all.sh worker3
HOST_B_NODES = ("worker3",)


def host_a_settings(ns: Namespace, password: Path) -> dict[str, str]:
    """What docs/operations.md exports on host a before ``scripts/run_all.sh``."""
    return {"HW4_HOST": ns.host_a, "HW4_REDIS_PASSWORD_FILE": str(password)}


def host_b_settings(ns: Namespace, password: Path, redis_port: int) -> dict[str, str]:
    """What it exports on host b before ``scripts/run_all.sh worker3``."""
    return {"HW4_REDIS_URL": f"redis://{ns.host_a}:{redis_port}",
            "HW4_REDIS_PASSWORD_FILE": str(password)}


@dataclass(frozen=True)
class Namespace:
    name: str
    host_a: str  # the root namespace's end of the veth pair
    host_b: str  # the namespace's end

    def run(self, *command: str, env: dict[str, str],
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``command`` on host b: in the namespace, from the repository root."""
        return subprocess.run(["ip", "netns", "exec", self.name, *command], env=env,
                              cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)

    def script(self, name: str, *args: str, env: dict[str, str]
               ) -> subprocess.CompletedProcess[str]:
        return self.run("bash", str(ROOT / "scripts" / name), *args, env=env)


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)


def _cannot(reason: str) -> None:
    # CI runs as root on Linux: there the test must run, not quietly skip
    if os.environ.get("CI"):
        pytest.fail(f"the two-host test cannot run in CI: {reason}")
    pytest.skip(f"needs network namespaces: {reason}")


@contextmanager
def network_namespace() -> Iterator[Namespace]:
    """A namespace with a veth pair, 10.200.N.1/24 here and 10.200.N.2/24 inside.

    On the way out, whatever happened: every process still in the namespace is
    killed, and the namespace goes (taking the veth pair with it).
    """
    if sys.platform != "linux" or shutil.which("ip") is None:
        _cannot("Linux with iproute2's ip")
    used = _ip("-o", "-4", "addr").stdout
    subnet = random.choice([n for n in range(1, 255) if f"10.200.{n}." not in used])
    tag = f"{os.getpid() % 100000}"
    ns = Namespace(f"hw4-host-b-{tag}", f"10.200.{subnet}.1", f"10.200.{subnet}.2")
    added = _ip("netns", "add", ns.name)
    if added.returncode != 0:
        _cannot(f"'ip netns add' was refused ({added.stderr.strip()}); run as root")
    outer, inner = f"hw4a{tag}", f"hw4b{tag}"
    try:
        for step in (["link", "add", outer, "type", "veth", "peer", "name", inner],
                     ["link", "set", inner, "netns", ns.name],
                     ["addr", "add", f"{ns.host_a}/24", "dev", outer],
                     ["link", "set", outer, "up"],
                     ["-n", ns.name, "addr", "add", f"{ns.host_b}/24", "dev", inner],
                     ["-n", ns.name, "link", "set", inner, "up"]):
            done = _ip(*step)
            assert done.returncode == 0, f"ip {' '.join(step)}: {done.stderr}"
        yield ns
    finally:
        for pid in _ip("netns", "pids", ns.name).stdout.split():
            os.kill(int(pid), signal.SIGKILL)
        _ip("netns", "del", ns.name)
        _ip("link", "del", outer)  # gone with the namespace already, unless moving failed


def _listening(system: System, names: list[str]) -> set[str]:
    """The addresses some components listen on (TCP)."""
    found = set()
    for component in select_components(system.settings, names):
        pid = read_pid(component, system.settings)
        for member in group_members(pid) if pid else []:
            found |= {c.laddr.ip for c in psutil.Process(member).net_connections("tcp")
                      if c.status == psutil.CONN_LISTEN}
    return found


def _namespace_tcp(pid: int) -> set[tuple[str, str]]:
    """(local, remote) address of every TCP socket in the network namespace of ``pid``
    (psutil sees only the sockets of its own namespace)."""
    assert len(Path(f"/proc/{pid}/net/tcp6").read_text().splitlines()) == 1  # no IPv6
    pairs = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        # 0201C80A:1F90: the address in hex, least significant byte first, then the port
        local, remote = (str(ipaddress.IPv4Address(bytes.fromhex(a.split(":")[0])[::-1]))
                         for a in line.split()[1:3])
        pairs.add((local, remote))
    return pairs


def test_a_worker_on_a_second_host(tmp_path: Path) -> None:
    began = time.monotonic()
    with network_namespace() as ns:
        # the Redis password, in a file both hosts have (docs: made once, copied to host b)
        password = tmp_path / "hw4-redis-password"
        password.write_text(secrets.token_urlsafe(24) + "\n")
        password.chmod(0o600)
        # each host: the documented settings, on the sandbox's free ports and folders
        a = make_system(tmp_path / "host-a", **host_a_settings(ns, password))
        b_env = {**make_system(tmp_path / "host-b").env,
                 **host_b_settings(ns, password, a.settings.redis_port)}
        b = System(Settings.from_env(b_env), b_env, a.client)
        a.client.session.trust_env = False  # straight to host a, never through a proxy
        try:
            # off loopback without a password: refused before anything starts
            bare = {k: v for k, v in a.env.items() if k != "HW4_REDIS_PASSWORD_FILE"}
            refused = run_script("run_all.sh", env=bare, check=False)
            assert refused.returncode == 1 and "not a loopback address" in refused.stderr
            assert not a.pids()

            a.script("run_all.sh")
            started = ns.script("run_all.sh", *HOST_B_NODES, env=b.env)
            assert started.returncode == 0, started.stdout + started.stderr
            # host b's status shows its node (and host a's parts as not running here)
            table = ns.script("status.sh", env=b.env).stdout
            assert [r.split()[2:4] for r in table.splitlines() if r.startswith("worker3 ")] \
                == [["running", "True"]], table

            answers = [a.client.send(f"Message {i} from host a, for any worker",
                                     work_seconds=0.2) for i in range(MESSAGES)]
            assert [x.status for x in answers] == [202] * MESSAGES
            finals = [a.client.wait_for_task(x.task_id, deadline=60) for x in answers]
            assert [f["state"] for f in finals] == ["SUCCESS"] * MESSAGES
            on_b = [f for f in finals if f["worker"].startswith("worker3@")]
            print(f"\nworker3 (host b) ran {len(on_b)} of {MESSAGES} messages")
            assert on_b, "worker3 ran none of the messages"
            # a sync message crosses host a's address too, with the internal token
            assert a.client.send("And one sync message", mode="sync").status == 200

            # host b: a worker without the password (or with a wrong one) is refused, by
            # Redis itself, and the launcher says why
            nopass = {k: v for k, v in b.env.items() if k != "HW4_REDIS_PASSWORD_FILE"}
            for env, why in ((nopass, "it requires a password and hw4 has none"),
                             ({**nopass, "HW4_REDIS_PASSWORD": "guess"},
                              "the password hw4 gave is wrong")):
                intruder = ns.script("run_all.sh", "worker-b1", env=env)
                assert intruder.returncode == 1
                assert f"refused hw4: {why}; give its password with HW4_REDIS_PASSWORD" \
                    in intruder.stderr, intruder.stderr
            assert not (b.settings.run_dir / "worker-b1.pid").exists()
            assert "worker-b1" not in ns.script("status.sh", env=b.env).stdout
            # and service_2 still wants its token from another host
            probe = ns.run(sys.executable, "-c", "import requests, sys; print(requests.post("
                           "sys.argv[1], json={'text': 'hi'}, timeout=5).status_code)",
                           a.settings.service_2_url + "/process", env=b.env)
            assert probe.stdout.strip() == "401", probe.stderr

            # the traffic stays on the veth pair's two addresses
            assert _listening(a, ["redis", "service_1", "service_2"]) == {ns.host_a}
            worker3 = read_pid(select_components(b.settings, ["worker3"])[0], b.settings)
            assert _namespace_tcp(worker3) == {(ns.host_b, ns.host_a)}

            # each host wrote its own logs; together they give each message's whole path
            logs = load_logs({"host-a": a.settings.log_dir, "host-b": b.settings.log_dir})
            assert (b.settings.log_dir / "worker3.txt").exists()
            assert not (a.settings.log_dir / "worker3.txt").exists()
            lanes = timeline_spans(logs, [x.request_id for x in answers])["lane"]
            assert {"service_1@host-a", "worker3@host-b"} <= set(lanes)
        finally:
            ns.script("stop_all.sh", env=b.env)
            a.script("stop_all.sh", check=False)
            leftovers = a.leftovers() + b.leftovers()
        assert not leftovers, f"processes left behind: {leftovers}"
    assert not any(ns.name == line.split()[0]
                   for line in _ip("netns", "list").stdout.splitlines())
    print(f"two-host test: {time.monotonic() - began:.1f} s")


def test_the_docs_give_the_commands_this_test_runs() -> None:
    """docs/operations.md's host a and host b blocks: the same variables, the same starts."""
    section = (ROOT / "docs/operations.md").read_text().split("## On several machines")[1]
    blocks = {host: section.split(f"**Host {host}**")[1].split("```bash")[1].split("```")[0]
              for host in ("a", "b")}
    ns = Namespace("-", "10.200.0.1", "10.200.0.2")
    for host, settings, nodes in (("a", host_a_settings(ns, Path("p")), ()),
                                  ("b", host_b_settings(ns, Path("p"), 6380), HOST_B_NODES)):
        assert set(re.findall(r"^export (HW4_\w+)=", blocks[host], re.M)) == set(settings)
        starts = re.findall(r"^scripts/run_all\.sh([^#\n]*)", blocks[host], re.M)
        assert [start.split() for start in starts] == [list(nodes)]
    assert "export HW4_REDIS_URL=redis://10.200.0.1:6380 " in blocks["b"]
