"""Notebook 2 in a real browser: Voila serves it on 127.0.0.1 against a real system, Debian's
Chromium (driven by Playwright) types a message into the form, clicks Send, and sees the
answer and the task's final state. The screenshots (the whole page, and the form alone) go to
tests/artifacts/. The form's picture is also the one notebook 2 shows where the form cannot
run (on GitHub): ``HW4_UPDATE_DOCS_PICTURES=1`` makes this test write it to
docs/notebook2_form.png, so the picture in the docs is always this test's, but an ordinary
test run never changes a committed file. Flower too, in the same Chromium, during a batch:
its screenshot is docs/flower.png (written there the same way)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from hw4.components import FLOWER_USER, flower_password
from hw4.config import ROOT
from hw4.processes import group_members, stop_group

from .conftest import System, free_port, wait_for

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
NOTEBOOK = ROOT / "notebooks" / "2_send_messages.ipynb"
# flags that work in a container without a display, a GPU or the network
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


def _kernels(runtime: Path) -> list[int]:
    """Live kernels started with a connection file in ``runtime`` (this test's only)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "ipykernel" in cmdline and str(runtime) in cmdline:
                found.append(int(entry.name))
    return found


def picture_path(name: str) -> Path:
    """Where a screenshot that docs/ shows is saved: tests/artifacts/, or docs/ itself
    when ``HW4_UPDATE_DOCS_PICTURES=1`` (refreshing the docs' pictures is a choice)."""
    if os.environ.get("HW4_UPDATE_DOCS_PICTURES") == "1":
        return ROOT / "docs" / name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


FORM_PICTURE = picture_path("notebook2_form.png")
FLOWER_PICTURE = picture_path("flower.png")


def launch_chromium(playwright: Any, profile: Path, height: int, **options: Any) -> Any:
    """Debian's Chromium, headless, 1200 px wide, with a profile of its own (``options``:
    more of Playwright's, such as ``http_credentials``)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
        viewport={"width": 1200, "height": height}, **options)


@pytest.fixture
def voila(system: System, tmp_path: Path) -> Iterator[tuple[str, object]]:
    """Voila serving notebook 2 against the tests' running system; stopped after."""
    runtime = tmp_path / "jupyter-runtime"
    port, token = free_port(), secrets.token_hex(16)
    env = {**system.env, "JUPYTER_RUNTIME_DIR": str(runtime),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTER_PLATFORM_DIRS": "1"}
    log = open(tmp_path / "voila.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1", f"--token={token}", "--show_tracebacks=True"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}/?token={token}"

    def answering() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/api/status?token={token}",
                                timeout=2).status_code < 500
        except requests.RequestException:
            return server.poll() is not None  # died: stop waiting, the assert says so

    try:
        wait_for(answering, 60, "Voila answering")
        assert server.poll() is None, (tmp_path / "voila.log").read_text()
        yield url, system
    finally:
        # SIGTERM: Voila shuts its kernels down; then make sure nothing is left
        stop_group(server.pid, deadline=20)
        server.wait(5)
        log.close()
        end = time.monotonic() + 10
        while _kernels(runtime) and time.monotonic() < end:
            time.sleep(0.1)
        left = _kernels(runtime) + group_members(server.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"processes left by Voila: {left}"


def test_send_a_message_from_notebook_2_in_chromium(voila, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, system = voila
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p, tmp_path / "chromium-profile", height=1600)
        try:
            page = browser.new_page()
            # Voila runs every cell (the notebook's own sends and batches) before the
            # page is complete; the last cell's table marks the end
            page.goto(url, timeout=240_000)
            expect(page.get_by_text("CREDIT_CARD").first).to_be_visible(timeout=240_000)
            answer = page.locator(".hw4-answer")
            expect(answer).to_have_attribute("data-kind", "alert")  # the notebook's last send

            page.locator(".widget-textarea textarea").fill("Hello from Chromium!")
            # the notebook's cells left the form on sync: choose async, as a person would
            page.get_by_role("button", name="async: a Celery worker").click()
            # the button's name is its icon and "Send" (not "Send sample batch")
            page.get_by_role("button", name=re.compile(r"^\W*Send$")).click()

            done = page.locator(".hw4-answer[data-kind='queued'] .hw4-done")
            expect(done).to_be_visible(timeout=90_000)
            expect(page.locator(".hw4-states")).to_contain_text("SUCCESS")
            expect(done).to_contain_text("done by worker")
            page.screenshot(path=str(ARTIFACTS / "notebook2_send.png"), full_page=True)
            page.locator(".hw4-form").screenshot(path=str(FORM_PICTURE))
            task_id = page.locator(".hw4-answer code").nth(1).inner_text()
        finally:
            browser.close()
    # what the page said is what the system did
    task = system.client.task(task_id)
    assert task["state"] == "SUCCESS"
    assert f"task_id={task_id}" in system.log_text(task["worker"].split("@")[0])


def test_flower_shows_both_nodes_and_a_running_batch_but_no_text(system, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings = system.settings
    words = [f"flowerprobe{secrets.token_hex(6)}" for _ in range(6)]
    batch = [system.client.send(f"Batch message {i}: {word}.", work_seconds=3)
             for i, word in enumerate(words)]
    assert all(answer.status == 202 for answer in batch)
    login = {"username": FLOWER_USER, "password": flower_password(settings)}
    with sync_playwright() as p:
        browser = launch_chromium(p, tmp_path / "chromium-profile", height=900,
                                  http_credentials=login)
        try:
            page = browser.new_page()
            pages = []
            # the nodes announce themselves with events: online within a few seconds
            page.goto(settings.flower_url + "/workers")
            for node in ("worker1@", "worker2@"):
                row = page.locator("#workers-table tbody tr", has_text=node)
                expect(row).to_contain_text("Online", timeout=30_000)
            pages.append(page.content())
            # the batch is still running: its tasks are listed with their states
            page.goto(settings.flower_url + "/tasks")
            # the shared system has run other tests' tasks too: more than the
            # 15 a page shows by default, so show 100 (the most Flower offers)
            page.get_by_label("Tasks per page").select_option("100")
            for answer in batch:
                expect(page.locator(f"tr[id='{answer.task_id}']")).to_be_visible(
                    timeout=30_000)
            page.screenshot(path=str(FLOWER_PICTURE))
            pages.append(page.content())
            for answer in batch:
                system.client.wait_for_task(answer.task_id, deadline=60)
                page.goto(f"{settings.flower_url}/task/{answer.task_id}")
                expect(page.get_by_text(answer.request_id).first).to_be_visible()
                pages.append(page.content())
        finally:
            browser.close()
    assert not [word for word in words if any(word in html for html in pages)]
