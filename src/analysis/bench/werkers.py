"""Warm workers against a fresh kernel per report, measured in one run (``inkoopmonitor bench``, step 7).

The same reports run twice with the same workers: ``reports --isolated`` (a fresh kernel per report) and
``reports`` (warm workers). Figures: reports per minute of each, the speed-up (target at least 4x), and
``report_cost_ratio_to_cold_import``: the worker seconds per warm report (the run's summed ``duur_s``,
kernel warm-ups included, divided by the reports) over the seconds a fresh interpreter takes to import
the product (:data:`COLD_IMPORT`, the median of three, measured in the same run; target at most 0.5).

Those six modules now import their heavy libraries on first use (statsforecast, matplotlib's pyplot,
seaborn), so their import alone no longer measures what a fresh kernel pays before a report can run. Hence
also ``report_cost_ratio_to_cold_report_import``: the same worker seconds over a fresh interpreter's import
of everything a report imports (:data:`analysis.werker.WARM_IMPORTS` and the forecast models: what a warm
kernel's warm-up imports), ``cold_report_import_s``.

Also on its own: ``python -m analysis.bench.werkers --warehouse W --work DIR [--gemeente GM ...]`` prints the
figures as JSON.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.bench.measure import Measured, logged, product
from analysis.werker import WARM_IMPORTS

COLD_IMPORT = ("analysis.forecast", "analysis.plots", "analysis.report", "analysis.spend", "analysis.suppliers",
               "analysis.budget")
_TIMED_IMPORT = ("import time\nstart = time.perf_counter()\nimport " + ", ".join(COLD_IMPORT)
                 + "\nprint(time.perf_counter() - start)")


_TIMED_REPORT_IMPORT = ("import importlib, time\nstart = time.perf_counter()\n"
                        f"for name in {WARM_IMPORTS!r}:\n    importlib.import_module(name)\n"
                        "import analysis.forecast.model\nanalysis.forecast.model.models()\n"
                        "print(time.perf_counter() - start)")
"""What a warm kernel's warm-up imports, timed. The names are written into the code: importing them from
:mod:`analysis.werker` in the timed interpreter would time the runner's own imports too (nbformat and its
jsonschema, about 1.4 s), which a kernel never pays."""


def cold_import_s(python: str = sys.executable, *, repeat: int = 3, code: str = _TIMED_IMPORT) -> float:
    """Seconds a fresh interpreter takes to import the product (median of ``repeat`` fresh interpreters);
    ``code`` prints the seconds of the imports it times."""
    times = [float(subprocess.run([python, "-c", code], capture_output=True, text=True,
                                  check=True).stdout.split()[-1]) for _ in range(repeat)]
    return statistics.median(times)


def cold_report_import_s(python: str = sys.executable, *, repeat: int = 3) -> float:
    """Seconds a fresh interpreter takes to import everything a report imports (median of ``repeat``)."""
    return cold_import_s(python, repeat=repeat, code=_TIMED_REPORT_IMPORT)


def warm_against_isolated(warehouse: Path, work: Path, *, workers: int = 2, only: Sequence[str] = (),
                          measure: Callable[..., Measured] | None = None) -> dict[str, Any]:
    """Every report (``only``: extra ``reports`` options such as ``--gemeente GM0361``) with ``--isolated``
    and warm, ``workers`` each, then the cold import; the figures."""
    measure = measure or logged(work)
    runs: dict[str, dict[str, Any]] = {}
    for mode in ("isolated", "warm"):
        out = work / f"reports-{mode}"
        shutil.rmtree(out, ignore_errors=True)
        measured = measure(f"reports-{mode}-{workers}-workers", [
            *product("reports"), "--warehouse", str(warehouse), "--out", str(out),
            "--workers", str(workers), *(["--isolated"] if mode == "isolated" else []), *only, "--no-progress"])
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
        durations = [r["duur_s"] for r in record["rapporten"]]
        runs[mode] = {"s": measured.seconds, "peak_mb": measured.peak_mb, "reports": len(durations),
                      "worker_s_per_report": sum(durations) / len(durations),
                      "waar": len({r["waar"] for r in record["rapporten"]})}
    cold, cold_report = cold_import_s(), cold_report_import_s()
    warm, isolated = runs["warm"], runs["isolated"]
    return {
        "warm_reports": warm["reports"],
        "reports_per_minute_2_workers_warm": 60 * warm["reports"] / warm["s"],
        "reports_per_minute_2_workers_isolated": 60 * isolated["reports"] / isolated["s"],
        "warm_s": warm["s"], "isolated_s": isolated["s"],
        "warm_peak_mb": warm["peak_mb"], "isolated_peak_mb": isolated["peak_mb"],
        "warm_speedup_over_isolated": isolated["s"] / warm["s"],
        "report_worker_s_warm": warm["worker_s_per_report"],
        "report_worker_s_isolated": isolated["worker_s_per_report"],
        "cold_import_s": cold,
        "report_cost_ratio_to_cold_import": warm["worker_s_per_report"] / cold,
        "cold_report_import_s": cold_report,
        "report_cost_ratio_to_cold_report_import": warm["worker_s_per_report"] / cold_report,
    }


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.bench.werkers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gemeente", nargs="+", default=())
    args = parser.parse_args(argv)
    only = ["--gemeente", *args.gemeente] if args.gemeente else []
    print(json.dumps(warm_against_isolated(args.warehouse, args.work, workers=args.workers, only=only), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
