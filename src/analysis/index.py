"""The run's front page (``OUT/index.html``) and its machine-readable twin (``OUT/run.json``).

The page is one self-contained file in Dutch: every region with its overview and its gemeenten,
each report linked relatively (it works from the file system, offline) with its status, periode
and data date; readable on a laptop and printable on A4. Every text from the data passes
``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from analysis.publish import periode_label
from analysis.jobs import GEMEENTE_NOTEBOOKS, REGIO_NOTEBOOKS, REPORT_NAMES, Result
from analysis.periode import datum_tekst


CSS = """
:root { --ok: #1b7a3a; --fout: #b42318; --lijn: #d0d5dd; --zacht: #f5f6f8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
       color: #1d2939; margin: 0 auto; padding: 1.5rem; max-width: 70rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--lijn); padding-bottom: .25rem; }
.meta { color: #475467; margin: 0 0 1rem; }
.samenvatting { background: var(--zacht); padding: .75rem 1rem; border-left: 4px solid var(--ok); }
.samenvatting.fout { border-left-color: var(--fout); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--lijn); }
th { background: var(--zacht); font-weight: 600; }
a { color: #1849a9; }
.status { font-size: .85rem; font-weight: 600; }
.gepubliceerd { color: var(--ok); }
.mislukt { color: var(--fout); }
.reden { display: block; font-size: .8rem; color: #475467; overflow-wrap: anywhere; }
footer { margin-top: 2rem; font-size: .8rem; color: #667085; }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def datum_label(value: date | None) -> str:
    """A date the Dutch way (``8 januari 2026``); ``onbekend`` when missing."""
    return datum_tekst(value)


def index_html(results: Sequence[Result], *, out_dir: Any, periode: str, datadatum: date | None,
               gemaakt: datetime) -> str:
    """The front page for ``results`` of one run written below ``out_dir``."""
    regios = sorted({r.job.regio for r in results})
    failed = sum(not r.ok for r in results)
    summary_cls = "samenvatting fout" if failed else "samenvatting"
    parts = [
        "<!DOCTYPE html>", '<html lang="nl">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Inkoopmonitor Sociaal Domein – rapporten {_e(periode_label(periode))}</title>",
        f"<style>{CSS}</style>", "</head>", "<body>",
        "<h1>Inkoopmonitor Sociaal Domein</h1>",
        f'<p class="meta">Rapporten over <strong>{_e(periode_label(periode))}</strong> · '
        f"data tot en met {_e(datum_label(datadatum))} · gemaakt op {_e(datum_label(gemaakt.date()))} "
        f"{gemaakt:%H:%M}</p>",
        f'<p class="{summary_cls}">{len(results) - failed} van {len(results)} rapporten gepubliceerd'
        + (f"; <strong>{failed} mislukt</strong> (niet gepubliceerd, reden in de tabel)." if failed else ".")
        + "</p>",
    ]
    for regio in regios:
        parts += _regio_section(regio, [r for r in results if r.job.regio == regio], out_dir)
    parts += [f"<footer>Periode {_e(periode)} · datadatum {_e(str(datadatum))}. Het uitgevoerde notebook "
              "naast elk rapport (.ipynb) is de controlekopie met de gebruikte parameters.</footer>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


def _regio_section(regio: str, results: list[Result], out_dir: Any) -> list[str]:
    overview = [r for r in results if r.job.soort == "regio"]
    gemeenten = [r for r in results if r.job.soort == "gemeente"]
    parts = [f"<h2>Regio {_e(regio)}</h2>"]
    if overview:
        parts += ["<table>", "<thead><tr><th>Regio</th>"
                  + "".join(f"<th>{_e(REPORT_NAMES[s])}</th>" for s in REGIO_NOTEBOOKS) + "</tr></thead>",
                  "<tbody>", _row(regio, "", overview, REGIO_NOTEBOOKS, out_dir), "</tbody>", "</table>"]
    if gemeenten:
        names = sorted({(r.job.naam, r.job.code) for r in gemeenten})
        parts += ["<table>", "<thead><tr><th>Gemeente</th>"
                  + "".join(f"<th>{_e(REPORT_NAMES[s])}</th>" for s in GEMEENTE_NOTEBOOKS) + "</tr></thead>",
                  "<tbody>"]
        parts += [_row(naam, code, [r for r in gemeenten if r.job.code == code], GEMEENTE_NOTEBOOKS, out_dir)
                  for naam, code in names]
        parts += ["</tbody>", "</table>"]
    return parts


def _row(naam: str, code: str, results: list[Result], stems: Sequence[str], out_dir: Any) -> str:
    by_stem = {r.job.notebook.stem: r for r in results}
    label = f"{_e(naam)} <small>({_e(code)})</small>" if code else _e(naam)
    cells = [f"<td>{_cell(by_stem[s], out_dir) if s in by_stem else '–'}</td>" for s in stems]
    return f"<tr><th scope=\"row\">{label}</th>{''.join(cells)}</tr>"


def _cell(result: Result, out_dir: Any) -> str:
    job = result.job
    if result.ok:
        href = quote(job.html.relative_to(out_dir).as_posix())
        return (f'<a href="{_e(href)}">{_e(job.report)}</a> '
                f'<span class="status gepubliceerd">gepubliceerd</span>')
    reden = "; ".join(result.fouten) or "onbekende fout"
    audit = ""
    if job.ipynb.is_file():
        audit = f' <a class="reden" href="{_e(quote(job.ipynb.relative_to(out_dir).as_posix()))}">controlekopie (.ipynb)</a>'
    return f'<span class="status mislukt">mislukt</span><span class="reden">{_e(reden)}</span>{audit}'


def run_record(results: Sequence[Result], *, out_dir: Any, periode: str, datadatum: date | None,
               gemaakt: datetime, workers: int, duur_s: float) -> dict[str, Any]:
    """``run.json``: the run and every report with its status, duration and errors."""
    def rel(path: Any) -> str | None:
        return path.relative_to(out_dir).as_posix() if path.is_file() else None

    reports = [{"notebook": r.job.notebook.stem, "soort": r.job.soort, "code": r.job.code, "naam": r.job.naam,
                "regio": r.job.regio, "titel": r.job.title, "status": r.status, "duur_s": r.duur_s,
                "fouten": r.fouten, "parameters": r.job.parameters, "ipynb": rel(r.job.ipynb),
                "html": rel(r.job.html) if r.ok else None} for r in results]
    return {"periode": periode, "datadatum": datadatum.isoformat() if datadatum else None,
            "gemaakt": gemaakt.isoformat(timespec="seconds"), "workers": workers, "duur_s": round(duur_s, 2),
            "totaal": len(results), "gepubliceerd": sum(r.ok for r in results),
            "mislukt": sum(not r.ok for r in results), "rapporten": reports}


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)
