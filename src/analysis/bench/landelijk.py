"""Every gemeente of the Netherlands in one run (``inkoopmonitor bench``, step 8).

``demo --landelijk`` (342 gemeenten in 42 jeugdzorgregio's) at a small scale, its build, then every report
with warm workers: the wall time of each, the reports per minute, and whether a warm kernel's memory stays
flat over its life (:func:`kernel_memory`, from the ``kernel_mb`` that ``run.json`` records after every
report). Targets: the reports in at most 15 minutes with 2 workers; memory flat (the largest ratio at most
1.2).

Also on its own: ``python -m analysis.bench.landelijk --work DIR [--scale 0.01] [--workers 2]`` prints the
figures as JSON.
"""

from __future__ import annotations

import json
import shutil
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.bench.measure import Measured, logged, product

SKIP = 5
"""Reports a fresh kernel runs before its memory counts as settled: the first ones still fill what every later
report reuses (imported code paths, font and text caches)."""


def kernel_memory(reports: Sequence[dict[str, Any]], *, skip: int = SKIP) -> dict[str, Any]:
    """Is a warm kernel's memory flat over its life? ``reports`` are ``run.json``'s.

    Per kernel (its worker ``waar`` and number) with more than ``skip`` reports: its memory after its last
    report over that after report number ``skip``. Returns the largest of these ratios
    (``national_kernel_memory_ratio``; ``None`` when no kernel ran that many), the kernels measured, and the
    median and largest memory after any report (MB).

    >>> runs = [{"waar": "w1", "kernel": [1, n], "kernel_mb": mb} for n, mb in [(1, 300), (2, 350), (3, 400)]]
    >>> runs += [{"waar": "w2", "kernel": [1, n], "kernel_mb": mb} for n, mb in [(1, 300), (2, 420), (3, 441)]]
    >>> kernel_memory(runs, skip=2)["national_kernel_memory_ratio"]   # w1: 400 / 350; w2: 441 / 420 = 1.05
    1.143
    """
    lives: dict[tuple[str, int], dict[int, float]] = {}
    for r in reports:
        if r.get("kernel") and r.get("kernel_mb") is not None:
            lives.setdefault((r["waar"], r["kernel"][0]), {})[r["kernel"][1]] = r["kernel_mb"]
    ratios = [life[max(life)] / life[skip] for life in lives.values() if max(life) > skip and skip in life]
    memory = [mb for life in lives.values() for mb in life.values()]
    return {"national_kernel_memory_ratio": round(max(ratios), 3) if ratios else None,
            "national_kernels_measured": len(ratios),
            "national_kernel_mb_median": statistics.median(memory) if memory else None,
            "national_kernel_mb_max": max(memory) if memory else None}


def national_run(work: Path, *, workers: int = 2, scale: float = 0.01, seed: int = 2026, only: Sequence[str] = (),
                 measure: Callable[..., Measured] | None = None) -> dict[str, Any]:
    """The national demo made, built and reported in ``work/landelijk`` (emptied first); the figures.
    ``only``: extra ``reports`` options (``--gemeente GM0361``, a smoke run's)."""
    measure = measure or logged(work)
    folder = work / "landelijk"
    shutil.rmtree(folder, ignore_errors=True)
    raw, warehouse, out = folder / "raw", folder / "warehouse.duckdb", folder / "reports"
    python = product()
    demo = measure("landelijk-demo", [*python, "demo", "--out", str(raw), "--landelijk", "--scale", str(scale),
                                      "--seed", str(seed)])
    build = measure("landelijk-build", [*python, "build", "--raw", str(raw), "--warehouse", str(warehouse),
                                        "--parquet", str(folder / "parquet")])
    reports = measure(f"landelijk-reports-{workers}-workers", [
        *python, "reports", "--warehouse", str(warehouse), "--out", str(out), "--workers", str(workers),
        *only, "--no-progress"])
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    done = record["rapporten"]
    return {"national_scale": scale, "national_gemeenten": len({r["code"] for r in done if r["soort"] == "gemeente"}),
            "national_reports": len(done), "national_published": record["gepubliceerd"],
            "national_demo_s": demo.seconds, "national_build_s": build.seconds,
            "national_reports_s": reports.seconds, "national_reports_peak_mb": reports.peak_mb,
            "national_reports_per_minute": 60 * len(done) / reports.seconds, **kernel_memory(done)}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.bench.landelijk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args(argv)
    print(json.dumps(national_run(args.work, workers=args.workers, scale=args.scale), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
