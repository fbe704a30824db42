"""The run's front page (``OUT/index.html``) and its machine-readable twin (``OUT/run.json``).

The page is the board's landing page, one self-contained file in Dutch: per region and gemeente the
headline figure of each report (the summary's tile marked ``kop``: the projected budget deviation, the
forecast saldo at the horizon, the aanbieders on red) with its status, the exceptions first, each
linked relatively to its report (it works from the file system, offline), and the failed reports with
their reasons. It is rendered from ``templates/index/index.html.j2`` (package data) with Jinja's
autoescape, so every text from the data is escaped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from analysis.jobs import GEMEENTE_NOTEBOOKS, REGIO_NOTEBOOKS, REPORT_NAMES, Result
from analysis.periode import datum_tekst
from analysis.publish import periode_label, template_dir

ERNST = {"slecht": 3, "let op": 2, "goed": 1}
"""How urgent a headline figure is; a failed report counts as the most urgent (4)."""


def datum_label(value: date | None) -> str:
    """A date the Dutch way (``8 januari 2026``); ``onbekend`` when missing."""
    return datum_tekst(value)


@dataclass(frozen=True)
class Cel:
    """One report on the front page: its link and headline figure, or why it failed."""

    report: str
    ok: bool
    href: str = ""
    kop: dict[str, Any] | None = None
    reden: str = ""
    audit: str = ""
    pdf: str = ""

    @property
    def ernst(self) -> int:
        return 4 if not self.ok else ERNST.get((self.kop or {}).get("status"), 0)

    @property
    def status_class(self) -> str:
        return str((self.kop or {}).get("status") or "geen").replace(" ", "-")


@dataclass(frozen=True)
class Rij:
    """A gemeente (or the region's overview) with one cell per report."""

    naam: str
    code: str
    cellen: tuple[Cel | None, ...]

    @property
    def ernst(self) -> tuple[int, ...]:
        """Most urgent first: the worst cell, then how many cells are that bad."""
        levels = sorted((c.ernst for c in self.cellen if c is not None), reverse=True) or [0]
        return tuple(levels)


def index_html(results: Sequence[Result], *, out_dir: Any, periode: str, datadatum: date | None,
               gemaakt: datetime) -> str:
    """The front page for ``results`` of one run written below ``out_dir``."""
    regios = []
    for regio in sorted({r.job.regio for r in results}):
        mine = [r for r in results if r.job.regio == regio]
        overview = [r for r in mine if r.job.soort == "regio"]
        gemeenten = sorted({(r.job.naam, r.job.code) for r in mine if r.job.soort == "gemeente"})
        rows = [_rij(naam, code, [r for r in mine if r.job.soort == "gemeente" and r.job.code == code],
                     GEMEENTE_NOTEBOOKS, out_dir) for naam, code in gemeenten]
        rows.sort(key=lambda row: tuple(-e for e in row.ernst))  # stable: alphabetical within a level
        regios.append({"naam": regio, "gemeenten": rows,
                       "overzicht": _rij(regio, "", overview, REGIO_NOTEBOOKS, out_dir) if overview else None})
    regios.sort(key=lambda r: tuple(-e for e in max([row.ernst for row in _rows(r)], default=(0,))))
    failed = sum(not r.ok for r in results)
    return _template().render(
        periode=periode, periode_label=periode_label(periode), datadatum=str(datadatum),
        datadatum_label=datum_label(datadatum), gemaakt_label=f"{datum_label(gemaakt.date())} {gemaakt:%H:%M}",
        totaal=len(results), mislukt=failed, regios=regios, eerst=_eerst(regios),
        regio_kolommen=[REPORT_NAMES[s] for s in REGIO_NOTEBOOKS],
        gemeente_kolommen=[REPORT_NAMES[s] for s in GEMEENTE_NOTEBOOKS]) + "\n"


@functools.cache
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir() / "index"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template("index.html.j2")


def _rows(regio: dict[str, Any]) -> list[Rij]:
    return [*([regio["overzicht"]] if regio["overzicht"] else []), *regio["gemeenten"]]


def _eerst(regios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the board discusses first: one line per gemeente or region with a failed report or a headline
    figure outside tolerance, naming each (linked); the most such figures first."""
    items = []
    for regio in regios:
        for row in _rows(regio):
            punten = [{"report": c.report, "href": c.href,
                       "tekst": f"{c.kop['label']} {c.kop['waarde']}" if c.ok else f"mislukt ({c.reden})",
                       "ernst": c.ernst}
                      for c in row.cellen if c is not None and c.ernst >= ERNST["slecht"]]
            if punten:
                items.append({"naam": row.naam, "punten": sorted(punten, key=lambda p: -p["ernst"])})
    return sorted(items, key=lambda i: (-max(p["ernst"] for p in i["punten"]), -len(i["punten"])))


def _rij(naam: str, code: str, results: list[Result], stems: Sequence[str], out_dir: Any) -> Rij:
    by_stem = {r.job.notebook.stem: r for r in results}
    return Rij(naam, code, tuple(_cel(by_stem[s], out_dir) if s in by_stem else None for s in stems))


def _cel(result: Result, out_dir: Any) -> Cel:
    job = result.job
    if result.ok:
        pdf = quote(job.pdf.relative_to(out_dir).as_posix()) if job.pdf and job.pdf.is_file() else ""
        return Cel(job.report, True, href=quote(job.html.relative_to(out_dir).as_posix()), kop=result.kop, pdf=pdf)
    audit = quote(job.ipynb.relative_to(out_dir).as_posix()) if job.ipynb.is_file() else ""
    return Cel(job.report, False, reden="; ".join(result.fouten) or "onbekende fout", audit=audit)


def run_record(results: Sequence[Result], *, out_dir: Any, periode: str, datadatum: date | None,
               gemaakt: datetime, workers: int, duur_s: float, uitvoering: str = "warm") -> dict[str, Any]:
    """``run.json``: the run (how its reports ran: ``warm``, ``isolated`` or ``dask <scheduler>``) and every
    report with its status, duration, errors, where it ran (``waar``) and, from a warm worker, its kernel's
    resident memory after it (``kernel_mb``: flat over a run when nothing piles up in the kernel) and which
    report of which of its kernels it was (``kernel``: ``[2, 7]``, the seventh report of the second kernel)."""
    def rel(path: Any) -> str | None:
        return path.relative_to(out_dir).as_posix() if path.is_file() else None

    reports = [{"notebook": r.job.notebook.stem, "soort": r.job.soort, "code": r.job.code, "naam": r.job.naam,
                "regio": r.job.regio, "titel": r.job.title, "status": r.status, "duur_s": r.duur_s, "waar": r.waar,
                "kernel_mb": r.kernel_mb, "kernel": list(r.kernel) if r.kernel else None,
                "fouten": r.fouten, "kerncijfers": r.kerncijfers, "parameters": r.job.parameters,
                "ipynb": rel(r.job.ipynb),
                "html": rel(r.job.html) if r.ok else None} for r in results]
    return {"periode": periode, "datadatum": datadatum.isoformat() if datadatum else None,
            "gemaakt": gemaakt.isoformat(timespec="seconds"), "workers": workers, "uitvoering": uitvoering, "duur_s": round(duur_s, 2),
            "totaal": len(results), "gepubliceerd": sum(r.ok for r in results),
            "mislukt": sum(not r.ok for r in results), "rapporten": reports}
