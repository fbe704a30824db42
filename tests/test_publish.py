"""Publishing: offline HTML without code or prompts, and an index page that escapes what the data says."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from board import INJECTED, PNG

from analysis.index import index_html
from analysis.publish import css_string, periode_label, to_html
from analysis.jobs import GEPUBLICEERD, MISLUKT, Job, Result

EXTERNAL = re.compile(r'<script[^>]*\ssrc=|<link[^>]*href="http|<(img|iframe)[^>]*src="http|import\("http')


CODE = re.compile(r'class="[^"]*\b(jp-InputPrompt|jp-OutputPrompt|jp-CodeMirrorEditor|highlight)\b')


def offline_problems(page: str) -> list[str]:
    """What makes a page not a code-free offline report: external requests, scripts, input cells, prompts."""
    body = page[page.index("<body"):]  # the stylesheet names the prompt classes too; markdown is an "input" too
    problems = [m.group(0) for m in EXTERNAL.finditer(page)] + [m.group(0) for m in CODE.finditer(body)]
    return problems + [s for s in ("<script", "In&nbsp;[", "Out[") if s in body]


TITLE = "Uitgaven en budget – <Alkmaar> – december 2025"
NB = new_notebook(cells=[
    new_markdown_cell("# Uitgaven"),
    new_code_cell("geheime_code = 42\ngeheime_code", execution_count=1,
                  outputs=[new_output("execute_result", data={"text/plain": "42"}, execution_count=1)]),
    new_code_cell("fig", execution_count=2, outputs=[new_output("display_data", data={"image/png": PNG})]),
    new_code_cell("table", execution_count=3, outputs=[new_output(
        "display_data", data={"text/html": '<section class="samenvatting">Samenvatting</section>'})]),
])


@pytest.fixture(scope="module")
def page() -> str:
    return to_html(NB, title=TITLE)


def test_report_page_is_offline_without_code_or_prompts(page: str) -> None:
    assert offline_problems(page) == []
    assert "geheime_code" not in page
    assert '<section class="samenvatting">Samenvatting</section>' in page
    assert 'src="data:image/png;base64,' in page and 'alt="Figuur"' in page


def test_report_page_is_the_page_nbconvert_makes_without_its_beautifulsoup_pass(page: str) -> None:
    """The same elements and attributes as nbconvert's own exporter with the offline template gives (which
    parses and rewrites the page): the one markdown text and the three outputs focusable, every figure's alt
    text from the template."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from analysis.publish import TEMPLATE, template_dir

    nb = nbformat.from_dict(NB)
    nb.metadata.update(title=TITLE, kop_css=css_string(TITLE))  # as to_html sets them
    stock, _ = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(template_dir())], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code="nl").from_notebook_node(nb)

    def parsed(html: str) -> str:
        soup = BeautifulSoup(html, features="html.parser")
        for element in soup.find_all(attrs={"tabindex": True}):  # bs4 puts the attribute last
            element.attrs = dict(sorted(element.attrs.items()))
        return str(soup)

    assert page.count('tabindex="0"') == stock.count('tabindex="0"') == 4
    assert parsed(page) == parsed(stock)


def test_report_page_has_a_dutch_title_and_forbids_requests(page: str) -> None:
    assert "<title>Uitgaven en budget – &lt;Alkmaar&gt; – december 2025</title>" in page
    assert '<html lang="nl">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert periode_label("2025-01") == "januari 2025"


def test_every_published_report_of_a_run_is_offline(board_run: tuple[Path, int]) -> None:
    out, _ = board_run
    pages = sorted(out.glob("*/*/*.html"))
    assert len(pages) == 9
    assert {p.name: offline_problems(p.read_text()) for p in pages} == {p.name: [] for p in pages}


def _result(tmp_path: Path, code: str, naam: str, status: str, fouten: list[str]) -> Result:
    html = tmp_path / "2025-12" / code / "uitgaven.html"
    job = Job(tmp_path / "uitgaven.ipynb", "gemeente", code, naam, "Noord-Kennemerland",
              {"gemeente": code, "periode": "2025-12", "warehouse": "w"}, html.with_suffix(".ipynb"), html)
    return Result(job, status, fouten, 1.5)


def test_index_escapes_names_and_reasons_and_links_relatively(tmp_path: Path) -> None:
    results = [_result(tmp_path, "GM0361", INJECTED, GEPUBLICEERD, []),
               _result(tmp_path, "GM0373", "Bergen", MISLUKT, [f"cel 3: fout ValueError: {INJECTED}"])]
    page = index_html(results, out_dir=tmp_path, periode="2025-12", datadatum=date(2026, 1, 8),
                      gemaakt=datetime(2026, 1, 9, 7, 30))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "fout ValueError: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="2025-12/GM0361/uitgaven.html"' in page
    assert "december 2025" in page and "8 januari 2026" in page and "1 van 2 rapporten gepubliceerd" in page
    assert '<html lang="nl">' in page and "@media print" in page and "@page { size: A4" in page


def _kop(label: str, waarde: str, status: str | None) -> list[dict]:
    return [{"label": label, "waarde": waarde, "status": status, "kop": True},
            {"label": "ander", "waarde": "9", "status": "slecht", "kop": False}]


def test_index_is_a_landing_page_with_headline_figures_exceptions_first(tmp_path: Path) -> None:
    calm = _result(tmp_path, "GM0361", "Alkmaar", GEPUBLICEERD, [])
    calm.kerncijfers = _kop("afwijking van de begroting 2025", "€ 12", "goed")
    red = _result(tmp_path, "GM1980", "Dijk en Waard", GEPUBLICEERD, [])
    red.kerncijfers = _kop("afwijking van de begroting 2025", "€ 4.000", "slecht")
    watch = _result(tmp_path, "GM0373", "Bergen", GEPUBLICEERD, [])
    watch.kerncijfers = _kop("afwijking van de begroting 2025", "€ 100", "let op")
    page = index_html([calm, red, watch], out_dir=tmp_path, periode="2025-12", datadatum=date(2026, 1, 8),
                      gemaakt=datetime(2026, 1, 9, 7, 30))
    # the gemeenten by urgency (slecht, let op, goed), not by name; only the headline tile is shown
    assert page.index("Dijk en Waard <small>") < page.index("Bergen <small>") < page.index("Alkmaar <small>")
    assert '<a class="kop status-slecht" href="2025-12/GM1980/uitgaven.html"><span class="waarde">€ 4.000</span>' in page
    assert ">ander<" not in page
    first = page[page.index('<section class="eerst">'):page.index("</section>")]
    assert "Dijk en Waard" in first and "€ 4.000" in first and "Bergen" not in first and "Alkmaar" not in first
    assert first.count("<li>") == 1  # one line per gemeente, its figures named in it
    assert page.count('<span class="woord">') == 3
