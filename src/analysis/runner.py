"""The scheduled run: every report notebook for every gemeente and region, in parallel, then published.

``plan`` turns a warehouse into jobs (one notebook for one gemeente or region), ``run`` executes
them with papermill's Python API in a pool of worker processes, checks each executed notebook
(``check_notebook``) and publishes only what passes (``analysis.publish``). One failing job never
stops the others; it comes back as ``mislukt`` with its reasons.

Layout (the contract with the notebooks): ``OUT/<periode>/<gemeente code or regio slug>/<notebook>``
``.ipynb`` (the executed audit copy, parameters recorded by papermill) and ``.html`` beside it.

The runner treats notebooks as files: it reads their parameters with ``papermill.inspect_notebook``
and never imports them.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import nbformat

from analysis import index, reference
from analysis.jobs import GEMEENTE_NOTEBOOKS, GEPUBLICEERD, MISLUKT, REGIO_NOTEBOOKS, SCAN_NOTEBOOKS, Job, Result
from analysis.periode import Periode
from analysis.pdf import PdfError, print_pdf, require_browser
from analysis.publish import publish
from analysis.reference.volwassenheid import regio_slug
from analysis.warehouse import connect

log = logging.getLogger("inkoopmonitor.runner")

RUNNER_PARAMETERS = ("gemeente", "regio", "periode", "warehouse")
SUMMARY_MARK = '<section class="samenvatting">'
KERNEL_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""Set for every kernel unless already set: one BLAS thread. The frames are small, and BLAS threads that
spin while waiting make two kernels on two cores get in each other's way (the runner's parallelism is
one process per report)."""


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


# --- checks on an executed notebook (pure functions: notebook in, problems out) -----------------------

def check_no_errors(nb: nbformat.NotebookNode) -> list[str]:
    """No ``error`` output and no ``stderr`` stream (warnings included) in any cell."""
    problems = []
    for i, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cel {i}: fout {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", "")).strip().splitlines() or [""]
                problems.append(f"cel {i}: uitvoer op stderr: {text[0][:200]}")
    return problems


def check_summary(nb: nbformat.NotebookNode) -> list[str]:
    """An executive summary: some ``text/html`` output holds ``<section class="samenvatting">``."""
    for _, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if SUMMARY_MARK in "".join(out.get("data", {}).get("text/html", "")):
                return []
    return ["geen samenvatting: geen uitvoer met <section class=\"samenvatting\">"]


def check_figures(nb: nbformat.NotebookNode) -> list[str]:
    """Every cell tagged ``figuur`` shows at least one ``image/png``."""
    return [f"cel {i}: figuur zonder afbeelding (geen image/png)" for i, cell in _code_cells(nb)
            if "figuur" in cell.get("metadata", {}).get("tags", [])
            and not any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))]


def check_parameters(nb: nbformat.NotebookNode, expected: Mapping[str, Any]) -> list[str]:
    """papermill recorded the parameters the notebook ran with, and they are the ones asked for."""
    recorded = nb.get("metadata", {}).get("papermill", {}).get("parameters")
    if recorded is None:
        return ["geen parameters vastgelegd (metadata.papermill.parameters ontbreekt)"]
    if dict(recorded) != dict(expected):
        diff = sorted(k for k in set(recorded) | set(expected) if recorded.get(k) != expected.get(k))
        return ["parameters wijken af van de opdracht: " + ", ".join(
            f"{k}={recorded.get(k)!r} (gevraagd {expected.get(k)!r})" for k in diff)]
    return []


def kerncijfers(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The key figures the summary left as data (:data:`analysis.report.summary.KERNCIJFERS_MIME`)."""
    from analysis.report.summary import KERNCIJFERS_MIME

    for _, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get(KERNCIJFERS_MIME)
            if isinstance(data, dict):
                return [dict(k) for k in data.get("kerncijfers", []) if isinstance(k, dict)]
    return []


def check_notebook(nb: nbformat.NotebookNode, expected: Mapping[str, Any]) -> list[str]:
    """All problems of an executed notebook; empty means it may be published."""
    return check_no_errors(nb) + check_summary(nb) + check_figures(nb) + check_parameters(nb, expected)


def _code_cells(nb: nbformat.NotebookNode) -> Iterable[tuple[int, Any]]:
    return ((i, c) for i, c in enumerate(nb.get("cells", []), start=1) if c.get("cell_type") == "code")


# --- execution -----------------------------------------------------------------------------------------

def run(jobs: Sequence[Job], *, workers: int | None = None, progress: bool = False) -> list[Result]:
    """Execute, check and publish every job in ``workers`` processes; results in the order of ``jobs``.

    Parameters are checked against each notebook before anything runs; a job that fails that check
    is ``mislukt`` without being executed. A failure never stops the other jobs.
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
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    bar = tqdm(total=len(jobs), initial=len(results), unit="rapport", disable=not progress)
    with bar, ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context) as pool:
        futures = {pool.submit(execute, jobs[i]): i for i in todo}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except BrokenProcessPool as exc:
                results[i] = Result(jobs[i], MISLUKT, [f"werkproces afgebroken: {exc}"])
            except Exception as exc:  # noqa: BLE001 - one job's trouble is that job's failure
                results[i] = Result(jobs[i], MISLUKT, [f"{type(exc).__name__}: {exc}"])
            _log(results[i])
            bar.update()
    return [results[i] for i in range(len(jobs))]


def execute(job: Job) -> Result:
    """Run one notebook with papermill, check the executed copy, and publish it if it passes."""
    start = time.perf_counter()
    job.html.unlink(missing_ok=True)  # a stale page from an earlier run must not look current
    if job.pdf:
        job.pdf.unlink(missing_ok=True)
    job.ipynb.parent.mkdir(parents=True, exist_ok=True)
    problems, kern = _papermill(job), []
    if not problems:
        executed = nbformat.read(job.ipynb, as_version=4)
        problems, kern = check_notebook(executed, job.parameters), kerncijfers(executed)
    if not problems:
        try:
            publish(job.ipynb, job.html, title=job.title)
        except Exception as exc:  # noqa: BLE001 - reported with the job, the run goes on
            problems = [f"publiceren mislukt: {type(exc).__name__}: {exc}"]
    if not problems and job.pdf:
        try:
            print_pdf(job.html, job.pdf, browser=require_browser())
        except PdfError as exc:
            job.html.unlink(missing_ok=True)  # published means both, as asked
            problems = [f"PDF mislukt: {exc}"]
    if problems:
        return Result(job, MISLUKT, problems, round(time.perf_counter() - start, 2))
    return Result(job, GEPUBLICEERD, [], round(time.perf_counter() - start, 2), kerncijfers=kern)


def _papermill(job: Job) -> list[str]:
    """Execute the notebook into its audit copy; the error that stopped it, if any."""
    import papermill
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="inkoopmonitor-kernel-") as tmp:
        config = Config()
        config.KernelManager.transport = "ipc"  # no TCP warning, and a socket of its own per run
        config.KernelManager.ip = str(Path(tmp) / "kernel")
        config.NotebookClient.kernel_manager_class = _kernel_manager_class()
        config.QuietKernelManager.stderr_path = str(Path(tmp) / "kernel.stderr")
        try:
            papermill.execute_notebook(str(job.notebook), str(job.ipynb), parameters=job.parameters,
                                       kernel_name="python3", progress_bar=False, cwd=str(job.notebook.parent),
                                       config=config)
        except papermill.PapermillExecutionError as exc:
            return [f"cel {exc.cell_index + 1}: fout {exc.ename}: {exc.evalue}"]
        except Exception as exc:  # noqa: BLE001 - kernel died, notebook unreadable, ...
            return [f"uitvoeren mislukt: {type(exc).__name__}: {exc}"]
        finally:
            _log_kernel_stderr(job, Path(tmp) / "kernel.stderr")
    return []


@functools.cache
def _kernel_manager_class() -> type:
    """A kernel manager that sends the kernel process's own stderr to a file.

    What a notebook writes to stderr reaches the executed notebook as ``stream`` outputs anyway
    (and fails ``check_no_errors``); the process's stderr holds only the kernel's own log, such as
    the harmless ``KeyboardInterrupt caught in kernel`` at shutdown, which would clutter cron logs.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode

    class QuietKernelManager(AsyncKernelManager):
        stderr_path = Unicode("").tag(config=True)

        async def start_kernel(self, **kw: Any) -> None:
            kw["env"] = kernel_env(kw.get("env", os.environ))
            if self.stderr_path:
                with open(self.stderr_path, "ab") as sink:  # Popen dups the descriptor
                    return await super().start_kernel(stderr=sink, **kw)
            return await super().start_kernel(**kw)

    return QuietKernelManager


def kernel_env(base: Mapping[str, str]) -> dict[str, str]:
    """The kernel's environment: ``base`` with ``KERNEL_THREADS`` where ``base`` does not say otherwise."""
    return {**KERNEL_THREADS, **base}


_KERNEL_NOISE = ("KeyboardInterrupt caught in kernel",)


def _log_kernel_stderr(job: Job, path: Path) -> None:
    lines = path.read_text(errors="replace").splitlines() if path.is_file() else []
    for line in lines:
        if line.strip() and not any(noise in line for noise in _KERNEL_NOISE):
            log.warning("%s: kernel: %s", job.label, line)


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
                pdf: bool = False) -> RunSummary:
    """Plan, execute and publish every report, then write ``OUT/index.html`` and ``OUT/run.json``.

    ``reports`` (notebook names) runs only those reports, e.g. one gemeente's ``prognose`` again.
    ``pdf`` also writes an A4 PDF beside each HTML page (headless Chromium; a ``RunError`` without it).

    Raises ``RunError`` (before anything runs) for a run that cannot start; failures of single
    reports are in the summary instead.
    """
    import json
    from datetime import datetime, timezone


    if workers is not None and workers < 1:
        raise RunError(f"workers must be at least 1, got {workers}")
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
    log.info("%d rapporten voor %d gemeente(n) en %d regio('s), periode %s, datadatum %s, %d werkprocessen",
             len(jobs), len(selected), len({g['regio'] for g in selected}), periode, facts.datadatum, workers)
    results = run(jobs, workers=workers, progress=progress)
    summary = RunSummary(results, Path(out), periode, facts.datadatum, time.perf_counter() - start)
    page = index.index_html(results, out_dir=out, periode=periode, datadatum=facts.datadatum, gemaakt=gemaakt)
    (out / "index.html").write_text(page, encoding="utf-8")
    record = index.run_record(results, out_dir=out, periode=periode, datadatum=facts.datadatum, gemaakt=gemaakt,
                              workers=workers, duur_s=summary.duur_s)
    (out / "run.json").write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n",
                                  encoding="utf-8")
    return summary
