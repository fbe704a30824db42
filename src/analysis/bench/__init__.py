"""Is the product fast enough, and does it stay fast as the data grows? (``inkoopmonitor bench``)

Eight measurements. Every comparison is a ratio of two timings taken in the same run on the same
machine, so a busy machine slows both sides and the ratio still holds:

1. ingest: ``build`` on the demo at the base scale (1), in declaration lines and MB per second,
   against the bare parse (``bare``: lxml ``iterparse`` taking the fields of every Prestatie of the
   same files and nothing else). Target: the build takes at most 2x the bare pass.
2. report cost: wall time and peak memory of one gemeente's notebooks on warehouses of scale 0.1,
   1 and 10 (10 is the demo of scale 1 copied into other gemeenten, ``replicate``). Target: scale
   10 costs at most 1.3x scale 0.1, in time and in memory.
3. parallel runs: every report of both demo regions with 1 worker and with 2. Target: at least
   1.7x faster with 2.
4. build memory: peak memory of ``build`` (all its processes) at scale 0.1, 1 and 10. Target: it
   does not grow with the data (scale 10 at most 1.2x scale 1) and stays under 2 GB.
5. end to end: ``make reports`` from an empty data folder at scale 1, wall time.
7. warm workers (:mod:`analysis.bench.werkers`): the reports of step 3 with 2 workers, ``--isolated`` and
   warm: reports per minute and the speed-up (target at least 4x), and the worker seconds per warm report
   over a cold import of the product in a fresh interpreter (target at most 0.5), and over a cold import
   of everything a report imports.
8. the whole country (:mod:`analysis.bench.landelijk`): ``demo --landelijk`` at scale 0.01 made, built and
   reported with 2 warm workers: the reports' wall time (target at most 15 minutes) and whether a warm
   kernel's memory stays flat over its life (its memory after its last report over that after its fifth,
   the largest of these ratios; target at most 1.2).
6. forecast: ``prognose-toets`` on the warehouses of scale 0.1 and 1: the share of gemeente x domein
   series on which the forecast beats both baselines on year totals (target at least 0.8), the coverage
   of the 80% and 95% bands (targets 0.70-0.90 and 0.88-0.98), the skill against the better baseline
   (1 - mean year-total error / that baseline's; tracked, no target) and seconds per series; and one warm
   ``predict`` of 84 months, 36 ahead (target at most 0.25 s).

It prints one table and writes ``reports/bench.json``. Scratch data goes to ``--work``
(default ``data/bench``: about 25 GB at scale 1, most of it the copies for scale 10, which are
removed after the results are written).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from analysis.bench.bare import bare_pass, message_files, warm
from analysis.bench.measure import Measured, product, run_measured
from analysis.bench.replicate import replicate
from analysis.bench.tabel import table  # noqa: F401 - the table bench prints, re-exported

#: name -> (comparison, limit); what ``met`` checks.
TARGETS: dict[str, tuple[str, float | tuple[float, float]]] = {
    "ingest_ratio_to_bare_parse": ("<=", 2.0),
    "report_time_ratio_10_to_01": ("<=", 1.3),
    "report_memory_ratio_10_to_01": ("<=", 1.3),
    "parallel_speedup_2_workers": (">=", 1.7),
    "build_memory_ratio_10_to_1": ("<=", 1.2),
    "build_peak_mb_scale_10": ("<", 2048.0),
    "forecast_share_beats_baselines_scale_01": (">=", 0.8),
    "forecast_share_beats_baselines_scale_1": (">=", 0.8),
    "forecast_coverage_80_scale_01": ("between", (0.70, 0.90)),
    "forecast_coverage_80_scale_1": ("between", (0.70, 0.90)),
    "forecast_coverage_95_scale_01": ("between", (0.88, 0.98)),
    "forecast_coverage_95_scale_1": ("between", (0.88, 0.98)),
    "predict_s_84_months_36_ahead": ("<=", 0.25),
    "warm_speedup_over_isolated": (">=", 4.0),
    "report_cost_ratio_to_cold_import": ("<=", 0.5),
    "report_cost_ratio_to_cold_report_import": ("<=", 0.5),
    "national_reports_s": ("<=", 900.0),
    "national_kernel_memory_ratio": ("<=", 1.2),
}
GEMEENTE_NOTEBOOKS = ("uitgaven", "prognose", "aanbieders")
NATIONAL_MIN_SCALE = 0.001
"""The smallest scale of step 8 (a smoke run's): smaller, the demo draws so few declarations that a region's can
end before the last closed month of the run's periode, and its reports then refuse that periode."""
ROOT = Path(__file__).resolve().parents[3]  # the repository (for make and the notebooks)


@dataclass(frozen=True)
class BenchConfig:
    """What to measure where. The scales are ``scale / 10``, ``scale`` and ``scale * copies``."""

    work: Path = Path("data/bench")
    out: Path = Path("reports/bench.json")
    scale: float = 1.0
    copies: int = 10
    workers: int = 2
    gemeente: str = "GM0361"
    seed: int = 2026
    repeat: int = 2  # report-cost runs per scale; the fastest counts
    gemeenten: tuple[str, ...] = ()  # limit the parallel and end-to-end runs to these (smoke test)
    reports: tuple[str, ...] = ()  # limit the report-cost and parallel runs to these notebooks (smoke test)
    keep: bool = False  # keep the copied raw data of the largest scale

    def options(self) -> dict[str, Any]:
        """What the figures depend on (as JSON has it): a run is resumed only with the same."""
        return json.loads(json.dumps({k: v for k, v in asdict(self).items() if k not in ("work", "out", "keep")}))


@dataclass
class Bench:
    """A run of the benchmark: its configuration, what it measured so far, and where it logs."""

    config: BenchConfig
    say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def python(self) -> list[str]:
        return product()

    @property
    def only(self) -> list[str]:
        """The ``reports`` options of a smoke run's limits (``--gemeente``, ``--report``), or none."""
        c = self.config
        return (["--gemeente", *c.gemeenten] if c.gemeenten else []) + (["--report", *c.reports] if c.reports else [])

    def path(self, name: str) -> Path:
        return self.config.work / name

    def warehouse(self, scale: str) -> Path:
        """The warehouse of scale ``"0.1"``, ``"1"`` or ``"10"`` (relative to the base scale)."""
        return self.path(f"scale-{scale}.duckdb")

    @property
    def base_raw(self) -> Path:
        """The raw data of the base scale, made by the end-to-end run."""
        return self.path("e2e") / "raw"

    @property
    def copies(self) -> Path:
        """The raw data of the largest scale: the base demo copied ``config.copies`` times."""
        return self.path(f"raw-x{self.config.copies}")

    def measure(self, name: str, command: list[str], **kwargs: Any) -> Measured:
        self.say(f"[bench] {name}: {' '.join(map(str, command[2:] if command[:2] == self.python[:2] else command))}")
        measured = run_measured(command, log=self.path(f"logs/{name}.log"), **kwargs)
        self.say(f"[bench] {name}: {measured.seconds:.1f} s, peak {measured.peak_mb:.0f} MB")
        return measured

    # --- the steps ------------------------------------------------------------------------------

    def end_to_end(self) -> Path:
        """``make reports`` from an empty folder at the base scale; the raw folder it made."""
        c, e2e = self.config, self.path("e2e")
        shutil.rmtree(e2e, ignore_errors=True)
        self.base_raw.mkdir(parents=True)
        variables = {"RAW": self.base_raw, "WAREHOUSE": e2e / "warehouse.duckdb", "PARQUET": e2e / "parquet",
                     "REPORTS": e2e / "reports", "SCALE": c.scale, "SEED": c.seed, "WORKERS": c.workers}
        if c.gemeenten:
            variables["GEMEENTEN"] = " ".join(c.gemeenten)
        command = ["make", "--no-print-directory", "-C", str(ROOT), "reports",
                   *(f"{k}={Path(v).resolve() if isinstance(v, Path) else v}" for k, v in variables.items()),
                   f"VENV={Path(sys.executable).parents[1]}"]
        measured = self.measure("end-to-end", command)
        self.results["end_to_end_s_scale_1"] = measured.seconds
        return self.base_raw

    def ingest(self, raw: Path) -> Path:
        """The build against the bare parse on the same files (all read once first, untimed)."""
        c = self.config
        from analysis.warehouse.load import raw_files

        everything, paths = [str(raw / rel) for rel in raw_files(raw)], message_files(raw)
        self.say(f"[bench] bare parse of {len(paths):,} messages (1 process, then {c.workers}), each after "
                 "reading every file once, as is the build")
        warm(everything)
        single = bare_pass(paths)
        self.say(f"[bench] bare parse, 1 process: {single.seconds:.1f} s, {single.prestaties:,} Prestaties")
        warm(everything)
        parallel = bare_pass(paths, workers=c.workers)
        self.say(f"[bench] bare parse, {c.workers} processes: {parallel.seconds:.1f} s")
        warm(everything)
        warehouse = self.warehouse("1")
        built = self.build("build-scale-1", raw, warehouse)
        lines, size = _declaration_lines(warehouse)
        self.results |= {
            "declaration_lines_scale_1": lines,
            "raw_mb_scale_1": size / 1e6,
            "bare_parse_s": single.seconds,
            "bare_parse_workers_s": parallel.seconds,
            "bare_parse_prestaties": single.prestaties,
            "build_s_scale_1": built.seconds,
            "ingest_lines_per_s": lines / built.seconds,
            "ingest_mb_per_s": size / 1e6 / built.seconds,
            "ingest_ratio_to_bare_parse": built.seconds / single.seconds,
            "ingest_ratio_to_bare_parse_same_workers": built.seconds / parallel.seconds,
            "build_peak_mb_scale_1": built.peak_mb,
        }
        return warehouse

    def large(self, raw: Path) -> Path:
        """The base demo copied ``copies`` times into other gemeenten, then built."""
        c = self.config
        copies = self.copies
        shutil.rmtree(copies, ignore_errors=True)
        self.say(f"[bench] copying the demo {c.copies} times into {copies}")
        start = time.perf_counter()
        files = replicate(raw, copies, c.copies, workers=c.workers)
        self.say(f"[bench] {files:,} files in {time.perf_counter() - start:.0f} s")
        warehouse = self.warehouse("10")
        built = self.build("build-scale-10", copies, warehouse)
        lines, size = _declaration_lines(warehouse)
        self.results |= {"build_s_scale_10": built.seconds, "build_peak_mb_scale_10": built.peak_mb,
                         "declaration_lines_scale_10": lines, "raw_mb_scale_10": size / 1e6,
                         "ingest_lines_per_s_scale_10": lines / built.seconds}
        return warehouse

    def small(self) -> Path:
        """A demo of a tenth of the base scale, built."""
        c = self.config
        raw = self.path("raw-small")
        shutil.rmtree(raw, ignore_errors=True)
        self.measure("demo-scale-0.1", [*self.python, "demo", "--out", str(raw), "--scale", str(c.scale / 10),
                                        "--seed", str(c.seed)])
        warehouse = self.warehouse("0.1")
        built = self.build("build-scale-0.1", raw, warehouse)
        self.results |= {"build_s_scale_01": built.seconds, "build_peak_mb_scale_01": built.peak_mb}
        return warehouse

    def build(self, name: str, raw: Path, warehouse: Path) -> Measured:
        return self.measure(name, [*self.python, "build", "--raw", str(raw), "--warehouse", str(warehouse),
                                   "--workers", str(self.config.workers), "--no-progress"])

    def report_cost(self, warehouses: dict[str, Path]) -> None:
        """One gemeente's notebooks on each warehouse, one worker, ``repeat`` times (fastest counts)."""
        c = self.config
        times: dict[str, float] = {}
        peaks: dict[str, float] = {}
        for _ in range(c.repeat):
            for label, warehouse in warehouses.items():
                out = self.path(f"reports-{label}")
                shutil.rmtree(out, ignore_errors=True)
                measured = self.measure(f"report-{c.gemeente}-scale-{label}", [
                    *self.python, "reports", "--warehouse", str(warehouse), "--out", str(out), "--workers", "1",
                    "--gemeente", c.gemeente, "--report", *(c.reports or GEMEENTE_NOTEBOOKS), "--no-progress"])
                times[label] = min(times.get(label, float("inf")), measured.seconds)
                peaks[label] = min(peaks.get(label, float("inf")), measured.peak_mb)
        self.results |= {"report_time_s": times, "report_peak_mb": peaks,
                         "report_time_ratio_10_to_01": times["10"] / times["0.1"],
                         "report_memory_ratio_10_to_01": peaks["10"] / peaks["0.1"]}

    def parallel(self, warehouse: Path) -> None:
        """Every report of both regions with 1 worker, then with ``workers``."""
        c = self.config
        seconds = {}
        for workers in (1, c.workers):
            out = self.path(f"reports-{workers}-workers")
            shutil.rmtree(out, ignore_errors=True)
            seconds[workers] = self.measure(f"reports-{workers}-workers", [
                *self.python, "reports", "--warehouse", str(warehouse), "--out", str(out), "--workers", str(workers),
                *self.only, "--no-progress"]).seconds
        self.results |= {"parallel_1_worker_s": seconds[1], "parallel_2_workers_s": seconds[c.workers],
                         "parallel_speedup_2_workers": seconds[1] / seconds[c.workers]}

    def warm(self, warehouse: Path) -> None:
        """The reports of :meth:`parallel` with ``--isolated`` and warm, and the cold import (step 7)."""
        from analysis.bench.werkers import warm_against_isolated  # here: `python -m` runs it on its own too

        self.results |= warm_against_isolated(warehouse, self.path("warm"), workers=self.config.workers,
                                              only=self.only, measure=self.measure)

    def national(self) -> None:
        """Every gemeente of the Netherlands: the national demo at a hundredth of the base scale (0.01; never below
        :data:`NATIONAL_MIN_SCALE`) made, built and reported (step 8); a smoke run's limits (gemeenten,
        reports) hold here too."""
        from analysis.bench.landelijk import national_run  # here: `python -m` runs it on its own too

        c = self.config
        self.results |= national_run(c.work, workers=c.workers, scale=max(c.scale / 100, NATIONAL_MIN_SCALE), seed=c.seed,
                                     only=self.only, measure=self.measure)

    def forecast(self, warehouses: dict[str, Path]) -> None:
        """``prognose-toets`` on each warehouse (share beating the baselines, coverage, seconds per series),
        and one warm ``predict`` of 84 months, 36 ahead, fastest of five, in a process of its own."""
        for label, warehouse in warehouses.items():
            out = self.path(f"prognose-toets-{label}.json")
            measured = self.measure(f"prognose-toets-scale-{label}", [
                *self.python, "prognose-toets", "--warehouse", str(warehouse), "--out", str(out), "--no-progress"])
            totals = json.loads(out.read_text(encoding="utf-8"))["totals"]
            key = label.replace(".", "")
            self.results |= {f"forecast_share_beats_baselines_scale_{key}": totals["share_beats_baselines"],
                             f"forecast_coverage_80_scale_{key}": totals["coverage_80"],
                             f"forecast_coverage_95_scale_{key}": totals["coverage_95"],
                             f"forecast_ape_year_total_median_scale_{key}": totals["ape_year_total_median"],
                             f"forecast_skill_scale_{key}": totals["skill"],
                             f"forecast_best_baseline_scale_{key}": totals["best_baseline"],
                             f"forecast_s_per_series_scale_{key}": totals["seconds_per_series"],
                             f"forecast_series_scale_{key}": totals["series"],
                             f"prognose_toets_s_scale_{key}": measured.seconds}
        timing = subprocess.run([sys.executable, "-c", PREDICT_TIMING], capture_output=True, text=True, check=True,
                                env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
        self.results["predict_s_84_months_36_ahead"] = float(timing.stdout.split()[-1])

    def run(self) -> dict[str, Any]:
        """Every step, in an order that reuses what the earlier ones made; the results.

        A step whose figures are already in ``results`` (``resume``) and whose warehouse is still
        there is skipped. The report cost always runs, last: it compares the three warehouses in one
        step, so a resumed run still compares timings taken side by side.
        """
        start = time.perf_counter()
        c = self.config
        c.work.mkdir(parents=True, exist_ok=True)
        raw, base, small, large = self.base_raw, self.warehouse("1"), self.warehouse("0.1"), self.warehouse("10")
        if not self.done("end_to_end_s_scale_1", raw):
            raw = self.end_to_end()
            self.checkpoint()
        if not self.done("ingest_ratio_to_bare_parse", base):
            base = self.ingest(raw)
            self.checkpoint()
        if not self.done("parallel_speedup_2_workers", small):
            small = self.small()
            self.parallel(small)
            self.checkpoint()
        if not self.done("warm_speedup_over_isolated", small):
            self.warm(small)
            self.checkpoint()
        if not self.done("national_reports_s", self.path("landelijk")):
            self.national()
            self.checkpoint()
        if not self.done("build_peak_mb_scale_10", large):
            large = self.large(raw)  # the longest step last but one, so the others are on record if it fails
            self.checkpoint()
        if not self.done("forecast_coverage_80_scale_1", base):
            self.forecast({"0.1": small, "1": base})
            self.checkpoint()
        self.report_cost({"0.1": small, "1": base, "10": large})
        self.results["build_memory_ratio_10_to_1"] = (self.results["build_peak_mb_scale_10"]
                                                     / self.results["build_peak_mb_scale_1"])
        self.results |= machine() | {
            "scales": {"0.1": c.scale / 10, "1": c.scale, "10": c.scale * c.copies},
            "workers": c.workers, "gemeente": c.gemeente, "bench_s": time.perf_counter() - start,
            "targets": {name: {"target": _describe(op, limit), "met": met(self.results.get(name), op, limit)}
                        for name, (op, limit) in TARGETS.items()},
        }
        return self.results

    def remove_copies(self) -> None:
        """Remove the copied raw data of the largest scale (unless ``keep``): millions of small files,
        so this comes after the results are written, and a stop here loses no figure."""
        if self.config.keep or not self.copies.exists():
            return
        self.say(f"[bench] removing the copies in {self.copies} (--keep keeps them)")
        start = time.perf_counter()
        shutil.rmtree(self.copies)
        self.say(f"[bench] copies removed in {time.perf_counter() - start:.0f} s")

    def done(self, key: str, made: Path) -> bool:
        """Whether a step's figure ``key`` is on record and what it made is still there."""
        if key in self.results and made.exists():
            self.say(f"[bench] {key} on record ({made}): step skipped")
            return True
        return False

    def checkpoint(self, *, complete: bool = False) -> dict[str, Any]:
        """Write what is measured so far to ``config.out`` with the options; while incomplete, a run that
        is stopped or fails later keeps its figures (and ``--resume`` can go on from there)."""
        results = self.results | {"config": self.config.options(), "complete": complete}
        write_results(self.config.out, results)
        return results

    def resume(self) -> None:
        """Take the figures of a stopped run from ``config.out``; it must have the same options."""
        out = self.config.out
        try:
            stopped = json.loads(out.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ResumeError(f"{out}: not found; there is no stopped run to resume") from None
        except json.JSONDecodeError as exc:
            raise ResumeError(f"{out}: not JSON ({exc})") from None
        if stopped.get("complete") is not False:
            raise ResumeError(f"{out}: this run is complete; there is nothing to resume")
        if stopped.get("config") != self.config.options():
            raise ResumeError(f"{out}: measured with {stopped.get('config')}, not with {self.config.options()}; "
                              "resume with the same options")
        self.results = {k: v for k, v in stopped.items() if k not in ("config", "complete")}
        self.results["resumed"] = True


class ResumeError(ValueError):
    """A stopped run that cannot be resumed."""


def write_results(out: Path, results: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _declaration_lines(warehouse: Path) -> tuple[int, int]:
    """(declaration lines read, raw bytes) of a built warehouse, from its load log."""
    from analysis.warehouse import connect

    with connect(warehouse) as con:
        lines, size = con.sql("SELECT coalesce(sum(rows_read) FILTER (soort IN ('JW323', 'WMO323')), 0), "
                              "coalesce(sum(bytes), 0) FROM laadlog").fetchall()[0]
    return int(lines), int(size)


def machine() -> dict[str, Any]:
    """Cores and versions, so figures of different runs can be compared."""
    import duckdb
    import lxml.etree
    import pandas

    return {"cores": os.cpu_count(), "python": platform.python_version(), "pandas": pandas.__version__,
            "duckdb": duckdb.__version__, "lxml": ".".join(map(str, lxml.etree.LXML_VERSION[:3])),
            "platform": platform.platform(), "measured": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def met(value: float | None, op: str, limit: float | tuple[float, float]) -> bool:
    if value is None:
        return False
    if op == "between":
        return limit[0] <= value <= limit[1]
    return {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]


def _describe(op: str, limit: float | tuple[float, float]) -> str:
    return f"in [{limit[0]:g}, {limit[1]:g}]" if op == "between" else f"{op} {limit:g}"


PREDICT_TIMING = """
import time, numpy as np, pandas as pd
from analysis.forecast import predict
t = np.arange(84)
y = 1e8 * (1 + 0.004 * t) * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) + np.random.default_rng(1).normal(0, 3e6, 84)
series = pd.Series(y, index=pd.date_range("2019-01-01", periods=84, freq="MS"))
predict(series, 36)
best = float("inf")
for _ in range(5):
    start = time.perf_counter(); predict(series, 36); best = min(best, time.perf_counter() - start)
print(best)
"""
"""Times one warm ``predict`` (84 months, 36 ahead): the fastest of five after a first call."""


def run_bench(config: BenchConfig, *, resume: bool = False,
              say: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run every measurement, write ``config.out`` (JSON) and return the results. With ``resume``, go on
    from the stopped run in ``config.out``: the steps it finished are not measured again."""
    bench = Bench(config) if say is None else Bench(config, say=say)
    if resume:
        bench.resume()
    bench.run()
    results = bench.checkpoint(complete=True)
    bench.remove_copies()
    return results
