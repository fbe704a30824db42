"""The command line: ``inkoopmonitor demo | build | reports | prognose-toets | bench`` (also ``python -m analysis``).

The only module (with ``settings``) that knows about arguments and the environment; everything
below it receives plain values.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analysis import __version__, settings
from analysis.privacy import DEMO_KEY
from analysis.startup import skip_iri_syntax_check

log = logging.getLogger("inkoopmonitor")
SKIPPED_SHOWN = 20  # skipped entries logged one by one; laadlog holds them all
DEMO_SCALE = 0.1  # default scale of `demo`
LANDELIJK_SCALE = 0.01  # default scale of `demo --landelijk`: about 486,000 files, a build of a few minutes


def main(argv: Sequence[str] | None = None) -> int:
    skip_iri_syntax_check()  # before anything imports nbformat (analysis.startup)
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inkoopmonitor", description=(
        "Inkoopmonitor Sociaal Domein: builds a warehouse from iJw/iWmo messages, contracts, Iv3 "
        "budgets and surveys, and reports spend, forecast gap and supplier performance per gemeente."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="generate the demo regions (Alkmaar, Noord-Limburg) in the real formats",
                          description="Write a deterministic demo of two regions (with --landelijk: all 342 "
                                      "gemeenten in their 42 jeugdzorgregio's), 2019-2025, into DIR "
                                      "(same seed and scale: byte-identical files).")
    demo.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write (data/raw layout)")
    demo.add_argument("--scale", type=float, default=None, help="size; 1 = about 10,000 clients and EUR 130 "
                      f"million a year for Noord-Kennemerland (default {DEMO_SCALE}, with --landelijk "
                      f"{LANDELIJK_SCALE})")
    demo.add_argument("--landelijk", action="store_true", help="every gemeente of the Netherlands (342) in its "
                      "jeugdzorgregio (42); the two seed regions keep their files and story")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.set_defaults(run=_run_demo)

    build = sub.add_parser("build", help="rebuild the DuckDB warehouse from the raw files",
                           description="Read every file below RAW, quarantine what fails its checks, and "
                                       "replace FILE atomically. Real data needs INKOOPMONITOR_SECRET (32 or more "
                                       "characters, not the demo key); only the demo goes without. Exit 1 when a "
                                       "file could not be read at all, 2 when the build cannot start.")
    build.add_argument("--raw", type=Path, default=Path("data/raw"), metavar="DIR", help="raw data (default data/raw)")
    build.add_argument("--warehouse", type=Path, default=Path("data/processed/warehouse.duckdb"), metavar="FILE",
                       help="warehouse file (default data/processed/warehouse.duckdb)")
    build.add_argument("--json", action="store_true", help="print the load report as JSON on stdout")
    build.add_argument("--parquet", type=Path, default=None, metavar="DIR",
                       help="also export the views as Parquet below DIR (declaration lines partitioned by "
                            "current gemeente and year), for other tools")
    build.add_argument("--workers", type=int, default=None, metavar="N",
                       help="processes that read the files (default: the number of cores)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar (it is off without a terminal)")
    build.set_defaults(run=_run_build)

    reports = sub.add_parser(
        "reports", help="execute every report notebook per gemeente and region, check and publish the HTML",
        description="Run the report notebooks (papermill) for every gemeente with declaration data and for "
                    "their jeugdzorgregio's in parallel, check each executed notebook, publish the ones that "
                    "pass as offline HTML, and write OUT/index.html, OUT/run.json and OUT/run.log. "
                    "Exit 0 when every report was published, 1 when any failed, 2 when the run cannot start.")
    reports.add_argument("--warehouse", type=Path, default=Path("data/processed/warehouse.duckdb"), metavar="FILE",
                         help="warehouse file, opened read-only (default data/processed/warehouse.duckdb)")
    reports.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default reports)")
    reports.add_argument("--gemeente", nargs="+", metavar="GM", help="only these gemeenten (CBS codes) and "
                         "their regions (default: every current gemeente with declaration data)")
    reports.add_argument("--period", metavar="YYYY-MM", help="last month the reports cover (default: the last "
                         "month with declaration lines; the month of the data date is usually not declared yet)")
    reports.add_argument("--report", nargs="+", metavar="NAME", default=None,
                         help="only these reports (notebook names, e.g. uitgaven prognose; default: all)")
    reports.add_argument("--workers", type=int, default=None, metavar="N",
                         help="notebooks run at once, each worker with a warm kernel (default: the number of cores)")
    reports.add_argument("--isolated", action="store_true",
                         help="a fresh kernel for every report (slower: each pays the kernel start and the imports)")
    reports.add_argument("--recycle", type=int, default=None, metavar="N",
                         help="reports a warm kernel runs before a fresh one takes over (default 200)")
    reports.add_argument("--scheduler", default=os.environ.get("INKOOPMONITOR_SCHEDULER") or None,
                         metavar="tcp://HOST:PORT", help="run the reports on this Dask distributed cluster "
                         "(default: $INKOOPMONITOR_SCHEDULER, else the local pool); the workers must see the "
                         "warehouse, the notebooks and OUT at the same paths")
    reports.add_argument("--parameter", "-p", action="append", default=[], metavar="NAME=VALUE",
                         help="extra notebook parameter (threshold, scenario) for the notebooks that declare it; "
                              "VALUE is a Python literal or text; repeatable")
    reports.add_argument("--notebooks", type=Path, default=None, metavar="DIR",
                         help="folder with the report notebooks (default: the repository's notebooks/)")
    reports.add_argument("--pdf", action="store_true",
                         help="also write an A4 PDF beside each HTML page (needs headless Chromium: "
                              "apt-get install chromium; exit 2 without it)")
    reports.add_argument("--no-progress", action="store_true", help="no progress bar (it is off without a terminal)")
    reports.set_defaults(run=_run_reports)

    toets = sub.add_parser(
        "prognose-toets", help="backtest the forecast on every gemeente x domein of a warehouse",
        description="Forecast the past: every six months back, from an origin with 24 months before it and "
                    "12 closed months after it, forecast the next 12 months of every gemeente x domein and their "
                    "total with the reports' forecast, every candidate model and the two baselines, and compare "
                    "the year totals with what happened. Prints a table, or JSON with --json. Exit 0 unless it "
                    "cannot run.")
    toets.add_argument("--warehouse", type=Path, default=Path("data/processed/warehouse.duckdb"), metavar="FILE",
                       help="warehouse file, opened read-only (default data/processed/warehouse.duckdb)")
    toets.add_argument("--gemeente", nargs="+", metavar="GM", help="only these gemeenten (current CBS codes; "
                       "default: every gemeente with approved spend)")
    toets.add_argument("--json", action="store_true", help='print {"series": [...], "totals": {...}} as JSON')
    toets.add_argument("--out", type=Path, default=None, metavar="FILE", help="also write the JSON to FILE")
    toets.add_argument("--stap", type=int, default=6, metavar="N", help="months between origins (default 6)")
    toets.add_argument("--no-progress", action="store_true", help="no progress bar (it is off without a terminal)")
    toets.set_defaults(run=_run_prognose_toets)

    bench = sub.add_parser(
        "bench", help="measure ingest speed, report cost, parallel speedup and memory against their targets",
        description="Generate demos of three sizes, build and report on them, and compare each measurement "
                    "with one taken in the same run (the bare parse, the small scale, one worker). Prints a "
                    "table and writes OUT as JSON. At scale 1 this takes two to three hours and 25 GB of scratch "
                    "space. Exit 1 when a target is not met.")
    bench.add_argument("--work", type=Path, default=Path("data/bench"), metavar="DIR",
                       help="scratch folder for the demos, warehouses and reports (default data/bench)")
    bench.add_argument("--out", type=Path, default=Path("reports/bench.json"), metavar="FILE",
                       help="results as JSON (default reports/bench.json)")
    bench.add_argument("--scale", type=float, default=1.0, help="base scale; the others are a tenth of it and "
                       "COPIES times it (default 1)")
    bench.add_argument("--copies", type=int, default=10, help="copies of the base demo that make the largest "
                       "scale (default 10)")
    bench.add_argument("--workers", type=int, default=2, metavar="N", help="workers of the parallel runs (default 2)")
    bench.add_argument("--gemeente", default="GM0361", metavar="GM", help="gemeente of the report-cost runs "
                       "(default GM0361)")
    bench.add_argument("--repeat", type=int, default=2, metavar="N", help="report-cost runs per scale; the fastest "
                       "counts (default 2)")
    bench.add_argument("--limit-gemeenten", nargs="+", default=(), metavar="GM",
                       help="run the end-to-end and parallel reports for these gemeenten only (default: all)")
    bench.add_argument("--report", nargs="+", default=(), metavar="NAME",
                       help="run only these report notebooks in the report-cost and parallel runs (default: all)")
    bench.add_argument("--keep", action="store_true", help="keep the copied raw data of the largest scale")
    bench.add_argument("--resume", action="store_true",
                       help="go on with the stopped run recorded in OUT (same options, same --work): steps whose "
                            "figures it holds are skipped; the report cost, which compares the scales, runs again")
    bench.set_defaults(run=_run_bench)
    return parser


def _run_demo(args: argparse.Namespace) -> int:
    from analysis.demo import generate

    start = time.perf_counter()
    scale = args.scale if args.scale is not None else (LANDELIJK_SCALE if args.landelijk else DEMO_SCALE)
    try:
        summary = generate(args.out, scale=scale, seed=args.seed, landelijk=args.landelijk)
    except ValueError as exc:
        log.error("demo: %s", exc)
        return 2
    print(summary)
    log.info("demo written to %s in %.1f s", args.out, time.perf_counter() - start)
    return 0


def _run_build(args: argparse.Namespace) -> int:
    from analysis.privacy import SecretRefused
    from analysis.warehouse import build

    start = time.perf_counter()
    try:
        report = build(args.raw, args.warehouse, secret=settings.load().secret, workers=args.workers,
                       parquet=args.parquet, progress=not args.no_progress and sys.stderr.isatty())
    except (FileNotFoundError, SecretRefused) as exc:
        log.error("%s", exc)
        return 2
    if report.sleutel == DEMO_KEY:
        log.warning("demo data: client pseudonyms use the published demo key")
    for entry in report.unreadable:
        for error in entry["errors"]:
            log.error("%s", error)
    for entry in report.skipped[:SKIPPED_SHOWN]:
        log.warning("overgeslagen: %s: %s", entry["path"], "; ".join(entry["notes"]))
    if len(report.skipped) > SKIPPED_SHOWN:
        log.warning("overgeslagen: %d more entries (see laadlog)", len(report.skipped) - SKIPPED_SHOWN)
    if args.json:
        report.write_json(sys.stdout)
    t = report.totals
    log.info("warehouse %s built in %.1f s: %d files (%d duplicate, %d unreadable, %d skipped), %d rows read, "
             "%d loaded, %d quarantined", args.warehouse, time.perf_counter() - start, t["files"],
             t["files_duplicaat"], t["files_onleesbaar"], t["files_overgeslagen"], t["rows_read"],
             t["rows_loaded"], t["rows_quarantined"])
    return 1 if report.unreadable else 0


def _default_notebooks() -> Path:
    """The repository's ``notebooks/``: beside ``src/`` (an editable install), else in the working folder
    (a package installed with ``pip install .``, run from the repository)."""
    beside = Path(__file__).resolve().parents[2] / "notebooks"
    return beside if beside.is_dir() else Path.cwd() / "notebooks"


def _run_reports(args: argparse.Namespace) -> int:
    from analysis.runner import RunError, run_reports

    args.out.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(args.out / "run.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    log.setLevel(logging.INFO)  # run.log gets the runner's lines even when logging was set up before
    # papermill logs four INFO lines per notebook; the runner logs one line per report instead.
    logging.getLogger("papermill").setLevel(logging.WARNING)
    notebooks = args.notebooks or _default_notebooks()
    try:
        summary = run_reports(args.warehouse, args.out, notebooks=notebooks, gemeenten=args.gemeente,
                              reports=args.report, pdf=args.pdf, isolated=args.isolated,
                              scheduler=args.scheduler, **({"recycle": args.recycle} if args.recycle is not None else {}),
                              periode=args.period, workers=args.workers, extra=_parameters(args.parameter),
                              progress=not args.no_progress and sys.stderr.isatty())
        for result in summary.failed:
            log.error("mislukt: %s: %s", result.job.label, "; ".join(result.fouten))
        (log.error if summary.failed else log.info)("%s", summary.line())
        return 1 if summary.failed else 0
    except (RunError, FileNotFoundError) as exc:
        log.error("reports: %s", exc)
        return 2
    finally:
        root.removeHandler(handler)
        handler.close()


def _run_prognose_toets(args: argparse.Namespace) -> int:
    import json

    from tqdm import tqdm

    from analysis.forecast.toets import gemeenten_met_uitgaven, prognose_toets, table
    from analysis.warehouse import connect

    try:
        con = connect(args.warehouse)
    except (FileNotFoundError, ValueError) as exc:
        log.error("prognose-toets: %s", exc)
        return 2
    try:
        codes = args.gemeente or gemeenten_met_uitgaven(con)
        with tqdm(total=len(codes), unit="gemeente", disable=args.no_progress or not sys.stderr.isatty()) as bar:
            result = prognose_toets(con, gemeenten=codes, stap=args.stap, progress=lambda _: bar.update())
    except ValueError as exc:
        log.error("prognose-toets: %s", exc)
        return 2
    finally:
        con.close()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text if args.json else table(result))
    return 0


def _run_bench(args: argparse.Namespace) -> int:
    from analysis.bench import BenchConfig, ResumeError, run_bench, table
    from analysis.bench.measure import CommandFailed

    config = BenchConfig(work=args.work, out=args.out, scale=args.scale, copies=args.copies, workers=args.workers,
                         gemeente=args.gemeente, repeat=args.repeat, gemeenten=tuple(args.limit_gemeenten),
                         reports=tuple(args.report), keep=args.keep)
    try:
        results = run_bench(config, resume=args.resume)
    except (CommandFailed, ResumeError) as exc:
        log.error("bench: %s", exc)
        return 2
    print(table(results))
    log.info("bench results written to %s in %.0f s", args.out, results["bench_s"])
    return 0 if all(t["met"] for t in results["targets"].values()) else 1


def _parameters(items: Sequence[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs; VALUE as a Python literal (``0.05``, ``10``, ``True``) or else as text."""
    import ast

    from analysis.runner import RunError

    out: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            raise RunError(f"--parameter {item!r} is not NAME=VALUE")
        try:
            out[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            out[name] = value
    return out
