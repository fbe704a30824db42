"""The published run in a real headless Chromium: what a board member's browser does with it.

Debian's /usr/bin/chromium through Python Playwright (never ``playwright install``). Without it the
test skips, except in CI (``CI`` set), where .ci/run installs it and a skip would hide a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from board import INJECTED

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {message} (.ci/run installs it)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


def visit(browser, path: Path, screenshot: Path | None = None) -> dict:
    """Open ``path`` and return what happened: console errors, failed requests, dialogs, images, text."""
    seen: dict[str, list] = {"console": [], "failed": [], "dialogs": [], "pageerrors": []}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} {r.failure}"))
    page.on("pageerror", lambda e: seen["pageerrors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    seen["images"] = page.evaluate("Array.from(document.images, i => [i.complete, i.naturalWidth])")
    seen["summary"] = page.locator("section.samenvatting").count()
    seen["text"] = page.inner_text("body")
    seen["title"] = page.title()
    seen["links"] = page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))")
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return seen


def test_index_and_every_report_load_cleanly_offline(browser, board_run: tuple[Path, int], tmp_path: Path) -> None:
    out, _ = board_run
    index = visit(browser, out / "index.html")
    assert (index["console"], index["failed"], index["pageerrors"], index["dialogs"]) == ([], [], [], [])
    reports = [link for link in index["links"] if link.endswith(".html")]
    assert len(reports) == 8 and all(not link.startswith(("/", "http", "file:")) for link in reports)
    assert "Alkmaar" in index["text"] and "december 2025" in index["text"]
    for link in reports:
        # screenshots stay in pytest's temporary folder for a person to look at
        seen = visit(browser, out / link, screenshot=tmp_path / f"{link.replace('/', '_')}.png")
        problems = {k: seen[k] for k in ("console", "failed", "pageerrors", "dialogs") if seen[k]}
        assert problems == {}, link
        assert seen["images"] and all(done and width > 0 for done, width in seen["images"]), link
        assert seen["summary"] >= 1, link
        assert "december 2025" in seen["title"], link


@pytest.mark.parametrize("page", ["GM0361/aanbieders.html", "noord-kennemerland/volwassenheid.html"])
def test_an_injected_aanbieder_name_shows_as_text_and_never_runs(browser, board_run: tuple[Path, int], page: str) -> None:
    out, _ = board_run
    seen = visit(browser, out / "2025-12" / page)
    assert seen["dialogs"] == []
    assert INJECTED in seen["text"]
