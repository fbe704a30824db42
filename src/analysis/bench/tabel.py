"""The table ``inkoopmonitor bench`` prints: every figure of a run, with its target and whether it was met."""

from __future__ import annotations

from typing import Any


def table(results: dict[str, Any]) -> str:
    """The results as the table ``bench`` prints."""
    s = results["scales"]
    rows = [
        ("1 ingest", f"build at scale {s['1']:g}", f"{results['build_s_scale_1']:.1f} s", ""),
        ("", "declaration lines per second", f"{results['ingest_lines_per_s']:,.0f}", ""),
        ("", "MB per second", f"{results['ingest_mb_per_s']:.1f}", ""),
        ("", "bare parse, 1 process", f"{results['bare_parse_s']:.1f} s", ""),
        ("", "build / bare parse", f"{results['ingest_ratio_to_bare_parse']:.2f}x",
         _target(results, "ingest_ratio_to_bare_parse")),
        ("", f"build / bare parse in {results['workers']} processes",
         f"{results['ingest_ratio_to_bare_parse_same_workers']:.2f}x", ""),
        *(("2 report cost" if i == 0 else "", f"{results['gemeente']} notebooks at scale {s[k]:g}",
           f"{results['report_time_s'][k]:.1f} s, {results['report_peak_mb'][k]:.0f} MB", "")
          for i, k in enumerate(("0.1", "1", "10"))),
        ("", "time scale 10 / 0.1", f"{results['report_time_ratio_10_to_01']:.2f}x",
         _target(results, "report_time_ratio_10_to_01")),
        ("", "memory scale 10 / 0.1", f"{results['report_memory_ratio_10_to_01']:.2f}x",
         _target(results, "report_memory_ratio_10_to_01")),
        ("3 parallel", "all reports, 1 worker", f"{results['parallel_1_worker_s']:.1f} s", ""),
        ("", f"all reports, {results['workers']} workers", f"{results['parallel_2_workers_s']:.1f} s", ""),
        ("", "speedup", f"{results['parallel_speedup_2_workers']:.2f}x", _target(results, "parallel_speedup_2_workers")),
        ("7 warm workers", f"{results['warm_reports']} reports, {results['workers']} workers, --isolated",
         f"{results['reports_per_minute_2_workers_isolated']:.1f} per minute", ""),
        ("", f"{results['warm_reports']} reports, {results['workers']} workers, warm",
         f"{results['reports_per_minute_2_workers_warm']:.1f} per minute", ""),
        ("", "speed-up warm / --isolated", f"{results['warm_speedup_over_isolated']:.2f}x",
         _target(results, "warm_speedup_over_isolated")),
        ("", f"worker s per warm report / cold import ({results['cold_import_s']:.1f} s)",
         f"{results['report_cost_ratio_to_cold_import']:.2f}x", _target(results, "report_cost_ratio_to_cold_import")),
        ("", f"worker s per warm report / cold import of all a report imports "
             f"({results['cold_report_import_s']:.1f} s)", f"{results['report_cost_ratio_to_cold_report_import']:.2f}x",
         _target(results, "report_cost_ratio_to_cold_report_import")),
        ("8 whole country", f"demo --landelijk, scale {results['national_scale']:g}: "
                            f"{results['national_gemeenten']} gemeenten, demo and build",
         f"{results['national_demo_s']:.0f} s + {results['national_build_s']:.0f} s", ""),
        ("", f"{results['national_reports']} reports, {results['workers']} warm workers",
         f"{results['national_reports_s']:.0f} s ({results['national_reports_per_minute']:.0f} per minute)",
         _target(results, "national_reports_s")),
        ("", "kernel memory, last report / fifth (largest)",
         _ratio(results["national_kernel_memory_ratio"]), _target(results, "national_kernel_memory_ratio")),
        *(("4 build memory" if i == 0 else "", f"build peak at scale {s[k]:g}",
           f"{results[f'build_peak_mb_scale_{key}']:.0f} MB ({results[f'build_s_scale_{key}']:.0f} s)",
           _target(results, "build_peak_mb_scale_10") if k == "10" else "")
          for i, (k, key) in enumerate((("0.1", "01"), ("1", "1"), ("10", "10")))),
        ("", "peak scale 10 / 1", f"{results['build_memory_ratio_10_to_1']:.2f}x",
         _target(results, "build_memory_ratio_10_to_1")),
        ("5 end to end", f"make reports from empty data, scale {s['1']:g}",
         f"{results['end_to_end_s_scale_1']:.0f} s", ""),
        *(("6 forecast" if i == 0 else "",
           f"prognose-toets at scale {s[k]:g} ({results[f'forecast_series_scale_{key}']} series): beats both baselines",
           _share(results[f"forecast_share_beats_baselines_scale_{key}"]),
           _target(results, f"forecast_share_beats_baselines_scale_{key}"))
          for i, (k, key) in enumerate((("0.1", "01"), ("1", "1")))),
        *(("", f"coverage of the {b}% band at scale {s[k]:g}", _share(results[f"forecast_coverage_{b}_scale_{key}"]),
           _target(results, f"forecast_coverage_{b}_scale_{key}"))
          for k, key in (("0.1", "01"), ("1", "1")) for b in ("80", "95")),
        *(("", f"skill against the better baseline ({results[f'forecast_best_baseline_scale_{key}']}) "
               f"at scale {s[k]:g}", _share(results[f"forecast_skill_scale_{key}"]), "")
          for k, key in (("0.1", "01"), ("1", "1"))),
        ("", "backtest seconds per series, scale 1", f"{results['forecast_s_per_series_scale_1']:.2f} s", ""),
        ("", "predict, 84 months, 36 ahead (warm)", f"{results['predict_s_84_months_36_ahead']:.3f} s",
         _target(results, "predict_s_84_months_36_ahead")),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = (f"Inkoopmonitor bench: {results['cores']} cores, Python {results['python']}, pandas "
              f"{results['pandas']}, DuckDB {results['duckdb']}, {results['measured']}")
    lines = [header, ""] + ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _target(results: dict[str, Any], name: str) -> str:
    t = results["targets"][name]
    return f"target {t['target']}: {'met' if t['met'] else 'NOT MET'}"
