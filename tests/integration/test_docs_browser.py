"""service_1's interactive docs in a real browser: Debian's Chromium (driven by Playwright)
opens /docs on a real system, presses "Try it out" on POST /messages, sends the example
message and sees the 202. The screenshot goes to tests/artifacts/swagger_try_it_out.png (to
docs/, the picture docs/operations.md shows, with ``HW4_UPDATE_DOCS_PICTURES=1``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import System
from .test_browser import launch_chromium, picture_path  # skips this module without Chromium

pytestmark = pytest.mark.browser

SCREENSHOT = picture_path("swagger_try_it_out.png")


def test_try_it_out_sends_a_message_from_the_docs(system: System, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p, tmp_path / "chromium-profile", height=1400)
        try:
            page = browser.new_page()
            # whatever the page asks for must come from service_1 itself
            elsewhere: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(
                system.settings.service_1_url) else elsewhere.append(r.url))
            page.goto(f"{system.settings.service_1_url}/docs")
            operation = page.locator("#operations-default-postMessage")
            operation.locator(".opblock-summary").click()
            operation.get_by_role("button", name="Try it out").click()
            # the body holds the description's first example, the async message
            expect(operation.locator("textarea.body-param__text")).to_contain_text(
                "Hello, workers!")
            operation.get_by_role("button", name="Execute").click()

            answer = operation.locator(".live-responses-table .response")
            expect(answer.locator(".response-col_status")).to_have_text("202", timeout=30_000)
            body = answer.locator(".response-col_description pre").first.inner_text()
            task_id = re.search(r'"task_id": "([0-9a-f-]{36})"', body).group(1)
            # the round trip as a picture: from the operation's title to the 202
            top = operation.bounding_box()["y"] - 10
            end = answer.bounding_box()
            bottom = end["y"] + end["height"] + 10
            page.screenshot(path=str(SCREENSHOT), full_page=True,
                            clip={"x": 0, "y": top, "width": 1200, "height": bottom - top})
        finally:
            browser.close()
    assert not elsewhere, f"the docs page fetched from elsewhere: {elsewhere}"
    # what the page showed is what the system did: the task runs to SUCCESS
    assert system.client.wait_for_task(task_id, deadline=60)["state"] == "SUCCESS"
