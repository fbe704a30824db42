"""The published run in a real headless Chromium: what a board member's browser does with it.

Debian's /usr/bin/chromium through Python Playwright (never ``playwright install``). Without it the
test skips, except in CI (``CI`` set), where .ci/run installs it and a skip would hide a failure.
"""

from __future__ import annotations

import json
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
    reports = sorted({link for link in index["links"] if link.endswith(".html")})  # "eerst" links some twice
    assert len(reports) == 9 and all(not link.startswith(("/", "http", "file:")) for link in reports)
    assert "Alkmaar" in index["text"] and "december 2025" in index["text"]
    for link in reports:
        # screenshots stay in pytest's temporary folder for a person to look at
        seen = visit(browser, out / link, screenshot=tmp_path / f"{link.replace('/', '_')}.png")
        problems = {k: seen[k] for k in ("console", "failed", "pageerrors", "dialogs") if seen[k]}
        assert problems == {}, link
        assert seen["images"] and all(done and width > 0 for done, width in seen["images"]), link
        assert seen["summary"] >= 1, link
        assert "december 2025" in seen["title"], link


@pytest.mark.parametrize("page", ["GM0361/aanbieders.html", "noord-kennemerland/volwassenheid.html",
                                  "noord-kennemerland/datakwaliteit.html"])
def test_an_injected_aanbieder_name_shows_as_text_and_never_runs(browser, board_run: tuple[Path, int], page: str) -> None:
    out, _ = board_run
    seen = visit(browser, out / "2025-12" / page)
    assert seen["dialogs"] == []
    assert INJECTED in seen["text"]


@pytest.mark.parametrize(("media", "width"), [("screen", 1100), ("print", 703)], ids=["laptop", "A4"])
def test_the_maturity_tables_fit_the_page_whole(browser, board_run: tuple[Path, int], media: str, width: int) -> None:
    # The inkoopontwikkelmodel's table of the organisations ran past the page, its last columns cut off behind a
    # scroll bar (on paper too). A4 leaves 210 − 2 × 12 mm margin = 186 mm = 703 CSS pixels.
    out, _ = board_run
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.emulate_media(media=media)
    page.goto((out / "2025-12" / "noord-kennemerland" / "volwassenheid.html").as_uri(), wait_until="load")
    tables = page.evaluate("""Array.from(document.querySelectorAll('table.tabel'), t => ({
        width: t.scrollWidth, room: t.closest('.jp-OutputArea-output').clientWidth,
        columns: t.querySelectorAll('thead th').length}))""")
    page.close()
    # the pillars, the KMM and the inkoopontwikkelmodel side by side (2 + 7 pillars + 2 means), the aanbieders
    assert [t["columns"] for t in tables] == [9, 9, 11, 10]
    assert [t for t in tables if t["width"] > t["room"]] == []


def _tiles(browser, path: Path) -> list[dict]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    tiles = page.evaluate("""Array.from(document.querySelectorAll('li.tegel, a.kop'), t => {
        const r = t.getBoundingClientRect(), s = getComputedStyle(t);
        return {cls: t.className, top: Math.round(r.top), width: r.width, border: s.borderLeftColor,
                text: t.innerText}; })""")
    page.close()
    return tiles


def test_key_figures_are_tiles_with_their_status_colour(browser, board_run: tuple[Path, int]) -> None:
    out, _ = board_run
    tiles = _tiles(browser, out / "2025-12" / "GM0361" / "aanbieders.html")
    assert 3 <= len(tiles) <= 5
    assert len({t["top"] for t in tiles}) < len(tiles)  # side by side on a laptop, not a list under each other
    red = [t for t in tiles if "status-slecht" in t["cls"]]
    good = [t for t in tiles if "status-goed" in t["cls"]]
    assert all(t["border"] == "rgb(180, 35, 24)" for t in red) and all(t["border"] == "rgb(27, 122, 58)" for t in good)
    assert red or good
    assert all(t["text"].split("\n")[-1].lower() in ("slecht", "goed", "let op") for t in red + good)  # the word too
    index = _tiles(browser, out / "index.html")
    # the landing page: a headline figure for every published report, linked, coloured by status
    published = json.loads((out / "run.json").read_text())["gepubliceerd"]
    assert len(index) == published and all(t["width"] > 0 for t in index)


def test_reports_pdf_writes_an_a4_copy_with_header_and_page_numbers(demo_warehouse: Path, tmp_path: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing")
    from pypdf import PdfReader

    from analysis import cli

    out = tmp_path / "out"
    code = cli.main(["reports", "--warehouse", str(demo_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "--report", "uitgaven", "--pdf", "--workers", "1"])
    assert code == 0
    pdf = out / "2025-12" / "GM0361" / "uitgaven.pdf"
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # lines wrap
    assert 2 <= len(reader.pages) <= 20
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in mm
    assert "Samenvatting Alkmaar (GM0361), tot en met december 2025" in text
    assert f"pagina 1 van {len(reader.pages)}" in text and "Uitgaven en budget – Alkmaar – december 2025" in text
    assert 'href="2025-12/GM0361/uitgaven.pdf"' in (out / "index.html").read_text()


def test_reports_pdf_without_a_browser_says_so_and_exits_2(demo_warehouse: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    from analysis import cli

    monkeypatch.setattr("analysis.pdf.BROWSERS", ("no-such-browser",))
    code = cli.main(["reports", "--warehouse", str(demo_warehouse), "--out", str(tmp_path), "--pdf"])
    assert code == 2 and "--pdf needs headless Chromium" in caplog.text and "apt-get install" in caplog.text
    assert not list(tmp_path.glob("*/*/*.html"))  # nothing ran
