"""The scheduled run: every report notebook for every gemeente and region, in parallel, then published.

``plan`` turns a warehouse into jobs (one notebook for one gemeente or region), ``run`` executes
them with papermill's Python API (:mod:`analysis.werker`) in a pool of worker processes with a warm
kernel each (``isolated``: a fresh kernel per report) or on a Dask cluster (:mod:`analysis.dask_run`),
checks each executed notebook (:mod:`analysis.controle`) and publishes only what passes
(``analysis.publish``). One failing job never stops the others; it comes back as ``mislukt`` with its
reasons.

Layout (the contract with the notebooks): ``OUT/<periode>/<gemeente code or regio slug>/<notebook>``
``.ipynb`` (the executed audit copy, parameters recorded by papermill) and ``.html`` beside it.

The runner treats notebooks as files: it reads their parameters with ``papermill.inspect_notebook``
and never imports them.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from analysis import index, reference
from analysis.forecast.model import FIT_CACHE
from analysis.controle import (SUMMARY_MARK, check_figures, check_no_errors, check_notebook,  # noqa: F401
                               check_parameters, check_summary, kerncijfers)
from analysis.jobs import GEMEENTE_NOTEBOOKS, MISLUKT, REGIO_NOTEBOOKS, SCAN_NOTEBOOKS, Job, Result
from analysis.pdf import PdfError, require_browser
from analysis.periode import Periode
from analysis.reference.volwassenheid import regio_slug
from analysis.warehouse import connect
from analysis.werker import KERNEL_THREADS, RECYCLE, execute, execute_warm, kernel_env  # noqa: F401

log = logging.getLogger("inkoopmonitor.runner")

RUNNER_PARAMETERS = ("gemeente", "regio", "periode", "warehouse")


class RunError(ValueError):
    """The run cannot start (no data, an unknown gemeente or parameter, a missing notebook)."""


@dataclass(frozen=True)
class WarehouseFacts:
    """What the runner needs to know of a warehouse: data date, last month with data, gemeenten, and
    since when each region has maturity-scan answers."""

    datadatum: date | None
    laatste_maand: str | None  # YYYY-MM of the last product period with declaration lines
    gemeenten: tuple[str, ...]  # current gemeente codes with declaration data
    scans: dict[str, date] = field(default_factory=dict)  # jeugdzorgregio -> first day with scan answers


def warehouse_facts(warehouse: Path) -> WarehouseFacts:
    """Read the data date (``bouw.datadatum``) and which gemeenten have declarations."""
    with connect(warehouse) as con:
        datadatum = con.sql("SELECT max(datadatum) FROM bouw").fetchall()[0][0]
        maand = con.sql("SELECT strftime(max(periode_begin), '%Y-%m') FROM declaratieregel").fetchall()[0][0]
        codes = con.sql("SELECT DISTINCT gemeente_code_huidig FROM declaratieregel "
                        "WHERE gemeente_code_huidig IS NOT NULL ORDER BY 1").fetchall()
        has_scans = con.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'volwassenheid'"
                            ).fetchall()[0][0]  # a warehouse built before the scans has no such view
        scans = con.sql("SELECT regio, min(ingevuld) FROM volwassenheid WHERE organisatie_soort <> 'aanbieder' "
                        "GROUP BY regio").fetchall() if has_scans else []
    return WarehouseFacts(datadatum, maand, tuple(c for (c,) in codes), dict(scans))


def default_periode(facts: WarehouseFacts) -> str:
    """The last month with declaration lines (``YYYY-MM``), not the month of the data date.

    Declarations for a month arrive after it ends, so the month of ``bouw.datadatum`` (the latest
    message) is normally still empty: reporting on it would show a collapse that is not there.
    """
    if facts.laatste_maand is None:
        raise RunError("the warehouse holds no declaration lines: nothing to report on")
    return facts.laatste_maand


def select_gemeenten(facts: WarehouseFacts, requested: Sequence[str] | None = None) -> list[dict[str, str]]:
    """The gemeenten to report on (code, naam, regio): ``requested`` or every one with data."""
    table = reference.gemeenten().set_index("gemeente_code")
    codes = facts.gemeenten
    if requested:
        codes = tuple(dict.fromkeys(_code(c) for c in requested))
        unknown = [c for c in codes if c not in table.index]
        if unknown:
            raise RunError(f"unknown gemeente code(s): {', '.join(unknown)}")
        no_data = [c for c in codes if c not in facts.gemeenten]
        if no_data:
            raise RunError(f"no declaration data in the warehouse for: {', '.join(no_data)}")
    known = [c for c in codes if c in table.index]
    return [{"code": c, "naam": str(table.at[c, "gemeentenaam"]), "regio": str(table.at[c, "jeugdzorgregio"])}
            for c in known]


def plan(warehouse: Path, out: Path, *, notebooks: Path, periode: str, gemeenten: Sequence[Mapping[str, str]],
         extra: Mapping[str, Any] | None = None, scans: Mapping[str, date] | None = None,
         pdf: bool = False) -> list[Job]:
    """Every job of a run: each gemeente's three notebooks, then the region notebooks of each region.

    ``extra`` parameters (thresholds, scenario) go to the notebooks that declare them. ``scans`` (region
    -> first day with scan answers) leaves out the maturity report of a region without answers by the
    end of ``periode``; ``None`` plans it for every region. ``pdf`` also prints each page to A4 PDF.
    """
    try:
        einde = Periode.parse(periode).einde
    except ValueError as exc:
        raise RunError(str(exc)) from None
    base = {"periode": periode, "warehouse": str(Path(warehouse).resolve())}
    targets = [("gemeente", g["code"], g["naam"], g["regio"], g["code"]) for g in gemeenten]
    regios = sorted({g["regio"] for g in gemeenten})
    targets += [("regio", r, r, r, regio_slug(r)) for r in regios]
    jobs = []
    for soort, code, naam, regio, folder in targets:
        for stem in GEMEENTE_NOTEBOOKS if soort == "gemeente" else REGIO_NOTEBOOKS:
            if stem in SCAN_NOTEBOOKS and scans is not None and not (regio in scans and scans[regio] <= einde):
                continue
            nb = notebooks / f"{stem}.ipynb"
            params = {soort: code, **base, **_declared(nb, extra or {})}
            target = Path(out) / periode / folder / stem
            jobs.append(Job(nb, soort, code, naam, regio, params, target.with_suffix(".ipynb"),
                            target.with_suffix(".html"), target.with_suffix(".pdf") if pdf else None))
    return jobs


def declared_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its ``parameters`` cell (``papermill.inspect_notebook``)."""
    import papermill

    if not notebook.is_file():
        raise RunError(f"{notebook}: notebook not found")
    return papermill.inspect_notebook(str(notebook))


def parameter_problems(notebook: Path, parameters: Mapping[str, Any]) -> list[str]:
    """Why ``parameters`` cannot be given to ``notebook`` (papermill itself would only warn)."""
    try:
        declared = declared_parameters(notebook)
    except Exception as exc:  # an unreadable notebook is a problem of that job, not of the run
        return [f"{notebook.name}: cannot be read: {exc}"]
    if not declared:
        return [f"{notebook.name}: no cell tagged 'parameters'"]
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        return [f"{notebook.name}: unknown parameter(s) {', '.join(unknown)} "
                f"(the notebook declares: {', '.join(declared)})"]
    return []


def check_extra(notebooks: Iterable[Path], extra: Mapping[str, Any]) -> None:
    """Reject ``extra`` parameters that no notebook of the run declares (a typo must not pass silently),
    and those the runner sets itself (gemeente, regio, periode, warehouse)."""
    own = sorted(set(extra) & set(RUNNER_PARAMETERS))
    if own:
        raise RunError(f"parameter(s) {', '.join(own)} are set by the runner: use --gemeente, --period or --warehouse")
    declared: set[str] = set()
    for nb in notebooks:
        declared |= set(declared_parameters(nb))
    unknown = sorted(set(extra) - declared)
    if unknown:
        raise RunError(f"unknown parameter(s) {', '.join(unknown)}: no report notebook declares them "
                       f"(declared: {', '.join(sorted(declared))})")


def _declared(notebook: Path, extra: Mapping[str, Any]) -> dict[str, Any]:
    if not extra:
        return {}
    names = set(declared_parameters(notebook))
    return {k: v for k, v in extra.items() if k in names}


def _code(value: str) -> str:
    try:
        return reference.cbs_code(value)
    except ValueError as exc:
        raise RunError(str(exc)) from None


# --- execution -----------------------------------------------------------------------------------------

def run(jobs: Sequence[Job], *, workers: int | None = None, progress: bool = False, isolated: bool = False,
        scheduler: str | None = None, recycle: int = RECYCLE) -> list[Result]:
    """Execute, check and publish every job; results in the order of ``jobs``.

    Locally in ``workers`` processes, each with a warm kernel (:class:`analysis.werker.Werker`, a fresh one
    after ``recycle`` reports), or with a fresh kernel per report (``isolated``); or on the Dask cluster at
    ``scheduler``. Parameters are checked against each notebook before anything runs; a job that fails that
    check is ``mislukt`` without being executed. A failure never stops the other jobs.
    """
    from tqdm import tqdm

    results: dict[int, Result] = {}
    todo = []
    for i, job in enumerate(jobs):
        problems = parameter_problems(job.notebook, job.parameters)
        if problems:
            results[i] = _failed(job, problems)
            _log(results[i])
        else:
            todo.append(i)
    todo.sort(key=lambda i: jobs[i].soort != "regio")  # the longest first, so no worker idles at the end
    bar = tqdm(total=len(jobs), initial=len(results), unit="rapport", disable=not progress)
    with bar, (contextlib.nullcontext() if scheduler else fit_cache()):  # before the pool forks its workers
        if scheduler:
            from analysis.dask_run import run_on_cluster

            done = run_on_cluster({i: jobs[i] for i in todo}, scheduler, recycle=recycle)
        else:
            done = _run_local({i: jobs[i] for i in todo}, workers=workers, isolated=isolated, recycle=recycle)
        for i, result in done:
            results[i] = result
            _log(result)
            bar.update()
    return [results[i] for i in range(len(jobs))]


@contextlib.contextmanager
def fit_cache() -> Iterator[Path]:
    """A folder the run's kernels share for their forecast fits (:data:`analysis.forecast.model.FIT_CACHE`),
    removed when the run ends. One the environment already names (a shared disk for a cluster, say) is used
    as it is and kept."""
    if os.environ.get(FIT_CACHE):
        yield Path(os.environ[FIT_CACHE])
        return
    with tempfile.TemporaryDirectory(prefix="inkoopmonitor-fits-") as folder:
        os.environ[FIT_CACHE] = folder
        try:
            yield Path(folder)
        finally:
            del os.environ[FIT_CACHE]


def _run_local(jobs: Mapping[int, Job], *, workers: int | None, isolated: bool,
               recycle: int) -> Iterator[tuple[int, Result]]:
    """(index, result) of every job as it finishes, in a local pool of processes."""
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context) as pool:
        futures = {(pool.submit(execute, job) if isolated else pool.submit(execute_warm, job, recycle)): i
                   for i, job in jobs.items()}
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except BrokenProcessPool as exc:
                yield i, Result(jobs[i], MISLUKT, [f"werkproces afgebroken: {exc}"])
            except Exception as exc:  # noqa: BLE001 - one job's trouble is that job's failure
                yield i, Result(jobs[i], MISLUKT, [f"{type(exc).__name__}: {exc}"])


def _failed(job: Job, problems: list[str]) -> Result:
    job.html.unlink(missing_ok=True)
    return Result(job, MISLUKT, problems)


def _log(result: Result) -> None:
    job = result.job
    if result.ok:
        log.info("%s: %s in %.1f s -> %s", job.label, result.status, result.duur_s, job.html)
    else:
        log.error("%s: %s in %.1f s: %s", job.label, result.status, result.duur_s, "; ".join(result.fouten))


# --- the whole run: plan, execute, index ------------------------------------------------------------------

@dataclass
class RunSummary:
    """A finished run: its results and where its index is."""

    results: list[Result]
    out: Path
    periode: str
    datadatum: date | None
    duur_s: float

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    def line(self) -> str:
        """The closing log line: how many reports, how many failed, how long, where."""
        ok = len(self.results) - len(self.failed)
        return (f"{'KLAAR' if not self.failed else 'MISLUKT'}: {ok} van {len(self.results)} rapporten "
                f"gepubliceerd, {len(self.failed)} mislukt, periode {self.periode}, in {self.duur_s:.1f} s; "
                f"overzicht: {self.out / 'index.html'}")


def run_reports(warehouse: Path, out: Path, *, notebooks: Path, gemeenten: Sequence[str] | None = None,
                periode: str | None = None, workers: int | None = None, progress: bool = False,
                extra: Mapping[str, Any] | None = None, reports: Sequence[str] | None = None,
                pdf: bool = False, isolated: bool = False, scheduler: str | None = None,
                recycle: int = RECYCLE) -> RunSummary:
    """Plan, execute and publish every report, then write ``OUT/index.html`` and ``OUT/run.json``.

    ``reports`` (notebook names) runs only those reports, e.g. one gemeente's ``prognose`` again.
    ``pdf`` also writes an A4 PDF beside each HTML page (headless Chromium; a ``RunError`` without it).
    ``isolated``, ``scheduler`` and ``recycle``: see :func:`run`. On a cluster, every path (warehouse,
    notebooks, ``out``) is made absolute: the workers must see the same paths.

    Raises ``RunError`` (before anything runs) for a run that cannot start; failures of single
    reports are in the summary instead.
    """
    import json
    from datetime import datetime, timezone

    if workers is not None and workers < 1:
        raise RunError(f"workers must be at least 1, got {workers}")
    if recycle < 1:
        raise RunError(f"recycle must be at least 1, got {recycle}")
    if scheduler and isolated:
        raise RunError("--isolated is for the local pool; a Dask cluster always runs warm workers")
    if scheduler:
        warehouse, out, notebooks = Path(warehouse).resolve(), Path(out).resolve(), Path(notebooks).resolve()
    if pdf:
        try:
            require_browser()
        except PdfError as exc:
            raise RunError(str(exc)) from None
    start, gemaakt = time.perf_counter(), datetime.now(timezone.utc).astimezone()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    facts = warehouse_facts(warehouse)
    periode = periode or default_periode(facts)
    if facts.laatste_maand and periode > facts.laatste_maand:
        raise RunError(f"periode {periode} lies after the last month with data ({facts.laatste_maand})")
    selected = select_gemeenten(facts, gemeenten)
    if not selected:
        raise RunError("no gemeente with declaration data in the warehouse")
    if extra:
        check_extra([p for s in GEMEENTE_NOTEBOOKS + REGIO_NOTEBOOKS if (p := notebooks / f"{s}.ipynb").is_file()],
                    extra)
    jobs = plan(warehouse, out, notebooks=notebooks, periode=periode, gemeenten=selected, extra=extra,
                scans=facts.scans, pdf=pdf)
    if reports:
        unknown = sorted(set(reports) - set(GEMEENTE_NOTEBOOKS + REGIO_NOTEBOOKS))
        if unknown:
            raise RunError(f"unknown report(s) {', '.join(unknown)} "
                           f"(reports: {', '.join(GEMEENTE_NOTEBOOKS + REGIO_NOTEBOOKS)})")
        jobs = [job for job in jobs if job.notebook.stem in reports]
    workers = workers or os.cpu_count() or 1
    uitvoering = f"dask {scheduler}" if scheduler else "isolated" if isolated else "warm"
    log.info("%d rapporten voor %d gemeente(n) en %d regio('s), periode %s, datadatum %s, %s", len(jobs),
             len(selected), len({g['regio'] for g in selected}), periode, facts.datadatum,
             f"op het Dask-cluster {scheduler}" if scheduler else
             f"{workers} werkprocessen, {'een verse kernel per rapport' if isolated else 'warme kernels'}")
    results = run(jobs, workers=workers, progress=progress, isolated=isolated, scheduler=scheduler, recycle=recycle)
    summary = RunSummary(results, Path(out), periode, facts.datadatum, time.perf_counter() - start)
    page = index.index_html(results, out_dir=out, periode=periode, datadatum=facts.datadatum, gemaakt=gemaakt)
    (out / "index.html").write_text(page, encoding="utf-8")
    record = index.run_record(results, out_dir=out, periode=periode, datadatum=facts.datadatum, gemaakt=gemaakt,
                              workers=workers, duur_s=summary.duur_s, uitvoering=uitvoering)
    (out / "run.json").write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n",
                                  encoding="utf-8")
    return summary
