"""The benchmark's parts on hand-made input, and a smoke run of the whole benchmark at a tiny scale.

The smoke run checks that every step runs and that the figures hang together; the targets are for
the real scales (``make bench``), so they are not asserted here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import xmlbuild as xb

from analysis import cli, reference
from analysis.bench import TARGETS, Bench, BenchConfig, met, run_bench
from analysis.bench.bare import parse_files
from analysis.bench.measure import CommandFailed, next_wait, run_measured
from analysis.bench.replicate import copy_tag, demo_codes, gemeente_maps, rewrite

A, B = xb.VALID_BSN[:2]


def test_bare_parse_counts_every_prestatie(tmp_path: Path) -> None:
    p = xb.prestatie
    one = tmp_path / "d1.xml"
    one.write_text(xb.declaratie({A: [p("R1"), p("R2")], B: [p("R3")]}), encoding="utf-8")
    two = tmp_path / "a1.xml"  # an answer names its rejected Prestatie: 1 more
    two.write_text(xb.antwoord({A: [(p("R2"), ("9346",))]}), encoding="utf-8")
    size, lines = parse_files([str(one), str(two)])
    assert lines == 3 + 1 and size == one.stat().st_size + two.stat().st_size


def test_run_measured_counts_the_memory_of_child_processes(tmp_path: Path) -> None:
    # the child allocates and touches 300 MB in a grandchild and holds it for a second
    code = ("import subprocess, sys; subprocess.run([sys.executable, '-c', "
            "'import time; b = bytearray(300 * 1024 * 1024); time.sleep(1.0)'], check=True)")
    measured = run_measured([sys.executable, "-c", code], log=tmp_path / "log.txt")
    assert measured.returncode == 0 and measured.seconds >= 1.0
    assert 300 <= measured.peak_mb < 600
    with pytest.raises(CommandFailed, match=r"exited with 3; see .*fout\.txt"):
        run_measured([sys.executable, "-c", "import sys; print('kapot'); sys.exit(3)"], log=tmp_path / "fout.txt")
    assert (tmp_path / "fout.txt").read_text().strip() == "kapot"


def test_the_sampler_waits_twenty_times_its_own_cost_when_that_is_longer_than_the_interval() -> None:
    assert next_wait(0.1, 0.001) == 0.1  # 20 x 1 ms = 0.02 s: the interval
    assert next_wait(0.1, 0.005) == 0.1  # 20 x 5 ms = 0.1 s: the same
    assert next_wait(0.1, 0.06) == pytest.approx(1.2)  # 20 x 60 ms: a report run's five processes


def test_rewrite_moves_a_message_to_other_gemeenten_with_new_identifiers() -> None:
    message = (b"<Header><Afzender>98288810</Afzender><Ontvanger>0361</Ontvanger><BerichtIdentificatie>"
               b"<ijw:Identificatie>B1</ijw:Identificatie></BerichtIdentificatie></Header>"
               b"<Declaratie><DeclaratieNummer>D1</DeclaratieNummer><Afzender>0983</Afzender></Declaratie>")
    out = rewrite(message, {b"0361": b"0014", b"0983": b"0034"}, b"K02")
    assert out == (b"<Header><Afzender>98288810</Afzender><Ontvanger>0014</Ontvanger><BerichtIdentificatie>"
                   b"<ijw:Identificatie>K02B1</ijw:Identificatie></BerichtIdentificatie></Header>"
                   b"<Declaratie><DeclaratieNummer>K02D1</DeclaratieNummer><Afzender>0034</Afzender></Declaratie>")


def test_a_copy_keeps_the_demo_identifiers_within_the_12_characters_of_the_xsd() -> None:
    # the demo's identifiers: a letter, the region number, 9 digits (T1000000123), 11 characters
    tags = [copy_tag(k) for k in range(2, len(gemeente_maps(20)) + 2)]
    assert len(set(tags)) == len(tags) == 19 and all(len(tag + b"T1000000123") == 12 for tag in tags)


def test_every_copy_gets_its_own_existing_gemeenten() -> None:
    maps = gemeente_maps(10)
    assert len(maps) == 9 and all(set(m) == {c.encode() for c in demo_codes()} for m in maps)
    targets = [code for m in maps for code in m.values()]
    assert len(targets) == len(set(targets)) == 9 * 15  # the demo uses 15 codes (2 merged away)
    current = {c[2:].encode() for c in reference.gemeenten().gemeente_code}
    assert set(targets) <= current and not set(targets) & {c.encode() for c in demo_codes()}
    with pytest.raises(ValueError, match="need .* other gemeenten"):
        gemeente_maps(40)


def test_the_cold_report_import_times_what_a_warm_kernel_imports_and_not_the_runner() -> None:
    """A kernel's warm-up imports WARM_IMPORTS and the forecast models, never nbformat or the runner; timing
    ``from analysis.werker import WARM_IMPORTS`` in the timed interpreter once added their 1.4 s."""
    import subprocess

    from analysis.bench import werkers
    from analysis.werker import WARM_IMPORTS

    code = werkers._TIMED_REPORT_IMPORT + "\nimport sys\nprint(sorted(set(sys.modules) & {%r, %r, %r, %r}))" % (
        "analysis.werker", "nbformat", "jsonschema", WARM_IMPORTS[0])
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert float(lines[0]) > 0 and lines[1] == repr([WARM_IMPORTS[0]])


def test_targets_compare_as_named() -> None:
    assert met(2.0, "<=", 2.0) and not met(2.01, "<=", 2.0) and met(1.7, ">=", 1.7) and not met(2048, "<", 2048)
    assert TARGETS["ingest_ratio_to_bare_parse"] == ("<=", 2.0) and TARGETS["parallel_speedup_2_workers"] == (">=", 1.7)
    # a band: both ends count as inside; no figure (a backtest without series) never meets a target
    assert met(0.7, "between", (0.7, 0.9)) and met(0.9, "between", (0.7, 0.9)) and not met(0.69, "between", (0.7, 0.9))
    assert not met(None, ">=", 0.8) and TARGETS["forecast_coverage_95_scale_1"] == ("between", (0.88, 0.98))


REQUIRED = ("ingest_lines_per_s", "ingest_ratio_to_bare_parse", "report_time_ratio_10_to_01",
            "report_memory_ratio_10_to_01", "parallel_speedup_2_workers", "build_peak_mb_scale_1",
            "build_peak_mb_scale_10", "end_to_end_s_scale_1", "cores", "predict_s_84_months_36_ahead",
            "forecast_s_per_series_scale_1", "forecast_series_scale_1", "reports_per_minute_2_workers_warm",
            "reports_per_minute_2_workers_isolated", "warm_speedup_over_isolated", "cold_import_s",
            "report_cost_ratio_to_cold_import", "cold_report_import_s", "report_cost_ratio_to_cold_report_import",
            "national_reports_s", "national_build_s", "national_reports_per_minute")


def test_bench_runs_at_a_tiny_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    code = cli.main(["bench", "--work", str(tmp_path / "work"), "--out", str(out), "--scale", "0.01", "--copies", "2",
                     "--repeat", "1", "--limit-gemeenten", "GM0361", "--report", "uitgaven"])
    assert code in (0, 1)  # 1: a target not met, as is normal at this scale
    results = json.loads(out.read_text(encoding="utf-8"))
    assert all(isinstance(results[k], (int, float)) and results[k] > 0 for k in REQUIRED)
    assert {"python", "pandas", "duckdb"} <= set(results) and results["scales"] == {"0.1": 0.001, "1": 0.01, "10": 0.02}
    assert set(results["targets"]) == set(TARGETS) and results["complete"] is True
    assert code == (0 if all(t["met"] for t in results["targets"].values()) else 1)
    table = capsys.readouterr().out
    assert "build / bare parse" in table and "make reports from empty data, scale 0.01" in table
    assert "prognose-toets at scale 0.01" in table and "predict, 84 months, 36 ahead" in table
    assert "speed-up warm / --isolated" in table and results["warm_reports"] == 1  # GM0361's uitgaven
    assert results["report_cost_ratio_to_cold_import"] == pytest.approx(
        results["report_worker_s_warm"] / results["cold_import_s"])
    assert results["cold_report_import_s"] > results["cold_import_s"]  # what a report imports on first use too
    # the whole country at a hundredth of the base scale but not below 0.001, limited like the rest
    # to GM0361's uitgaven
    assert results["national_scale"] == 0.001 and results["national_gemeenten"] == 1
    assert results["national_reports"] == results["national_published"] == 1 and "8 whole country" in table
    assert 0 <= results["forecast_share_beats_baselines_scale_1"] <= 1
    assert results["forecast_best_baseline_scale_1"] in ("naief", "trend") and "skill against the better" in table
    # the two copies are new data, not repeats: twice the lines read and loaded, nothing quarantined more
    work = tmp_path / "work"
    assert results["declaration_lines_scale_10"] == 2 * results["declaration_lines_scale_1"] > 0
    counts = {}
    for scale in ("1", "10"):
        with duckdb.connect(str(work / f"scale-{scale}.duckdb"), read_only=True) as con:
            counts[scale] = con.sql(
                "SELECT (SELECT count(*) FROM declaratieregel), (SELECT count(DISTINCT gemeente_code_huidig) FROM "
                "declaratieregel), count(*) FILTER (l.bron = 'istandaard'), count(*) FILTER (l.bron <> 'istandaard') "
                "FROM quarantaine q JOIN laadlog l USING (file_id)").fetchall()[0]
    assert counts["10"][0] == 2 * counts["1"][0]
    assert counts["10"][2:] == (2 * counts["1"][2], counts["1"][3])  # messages copied, the other sources not
    assert counts["10"][1] > counts["1"][1]  # the copy's gemeenten come on top of the demo's
    assert not (work / "raw-x2").exists()  # the copies are removed once built
    published = sorted(p.name for p in (work / "reports-0.1").rglob("*.html"))
    assert published == ["index.html", "uitgaven.html"]


def test_checkpoint_keeps_what_is_measured_so_far_marked_incomplete(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "bench.json"
    bench = Bench(BenchConfig(work=tmp_path / "work", out=out), say=lambda _: None)
    bench.results["end_to_end_s_scale_1"] = 12.5
    bench.checkpoint()
    assert json.loads(out.read_text(encoding="utf-8")) == {"end_to_end_s_scale_1": 12.5,
                                                           "config": bench.config.options(), "complete": False}


def _fake_steps(monkeypatch: pytest.MonkeyPatch, ran: list[str]) -> None:
    """Bench's steps replaced by ones that record their name and what they would measure and make."""
    figures = {"end_to_end": {"end_to_end_s_scale_1": 500.0},
               "ingest": {"ingest_ratio_to_bare_parse": 1.5, "build_peak_mb_scale_1": 800.0},
               "small": {"build_peak_mb_scale_01": 500.0}, "parallel": {"parallel_speedup_2_workers": 1.8},
               "warm": {"warm_speedup_over_isolated": 4.5}, "national": {"national_reports_s": 600.0},
               "large": {"build_peak_mb_scale_10": 880.0},
               "forecast": {"forecast_coverage_80_scale_1": 0.8},
               "report_cost": {"report_time_ratio_10_to_01": 1.1, "report_memory_ratio_10_to_01": 1.2}}
    made = {"end_to_end": "e2e/raw", "ingest": "scale-1.duckdb", "small": "scale-0.1.duckdb", "large": "scale-10.duckdb"}

    def fake(name: str) -> Callable[..., Path | None]:
        def step(self: Bench, *args: object) -> Path | None:
            ran.append(name)
            self.results |= figures[name]
            return self.path(made[name]) if name in made else None
        return step

    for name in figures:
        monkeypatch.setattr(Bench, name, fake(name))


def test_resume_skips_the_steps_on_record_whose_warehouse_is_there(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    _fake_steps(monkeypatch, ran)
    out, work = tmp_path / "bench.json", tmp_path / "work"
    config = BenchConfig(work=work, out=out, scale=0.5)
    (work / "e2e" / "raw").mkdir(parents=True)  # end to end: on record and its raw folder is there
    (work / "scale-0.1.duckdb").touch()  # parallel: on record and its warehouse is there
    # ingest is on record but its warehouse is gone, so it runs again; the scale-10 build is not on record
    out.write_text(json.dumps({"end_to_end_s_scale_1": 400.0, "ingest_ratio_to_bare_parse": 1.2,
                               "build_peak_mb_scale_1": 700.0, "build_peak_mb_scale_01": 450.0,
                               "parallel_speedup_2_workers": 1.75, "warm_speedup_over_isolated": 4.2,
                               "config": config.options(), "complete": False}))
    results = run_bench(config, resume=True, say=lambda _: None)
    assert ran == ["ingest", "national", "large", "forecast", "report_cost"]
    assert results["end_to_end_s_scale_1"] == 400.0 and results["parallel_speedup_2_workers"] == 1.75  # kept
    assert results["warm_speedup_over_isolated"] == 4.2
    assert results["ingest_ratio_to_bare_parse"] == 1.5  # measured again
    assert results["build_memory_ratio_10_to_1"] == pytest.approx(880 / 800)
    assert results["resumed"] is True and results["complete"] is True
    assert json.loads(out.read_text(encoding="utf-8"))["config"]["scale"] == 0.5

    ran.clear()  # without --resume every step runs, whatever is on record
    results = run_bench(config, say=lambda _: None)
    assert ran == ["end_to_end", "ingest", "small", "parallel", "warm", "national", "large", "forecast",
                   "report_cost"] and (
        "resumed" not in results)


def test_resume_refuses_a_run_it_cannot_go_on_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []
    _fake_steps(monkeypatch, ran)
    out = tmp_path / "bench.json"
    args = ["bench", "--resume", "--work", str(tmp_path / "work"), "--out", str(out)]
    assert cli.main(args) == 2 and "bench.json: not found" in caplog.text
    out.write_text(json.dumps({"end_to_end_s_scale_1": 400.0, "complete": True}))
    assert cli.main(args) == 2 and "this run is complete" in caplog.text
    out.write_text(json.dumps({"end_to_end_s_scale_1": 400.0, "complete": False,
                               "config": BenchConfig(scale=0.1).options()}))
    assert cli.main(args) == 2 and "resume with the same options" in caplog.text
    assert ran == []


def test_the_copies_are_removed_after_the_results_are_written_unless_kept(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    _fake_steps(monkeypatch, ran)
    out, work = tmp_path / "bench.json", tmp_path / "work"
    seen = []
    monkeypatch.setattr(Bench, "remove_copies", lambda self, real=Bench.remove_copies: (
        seen.append(json.loads(out.read_text(encoding="utf-8"))["complete"]), real(self)))
    for keep in (True, False):
        (work / "raw-x3" / "istandaard").mkdir(parents=True, exist_ok=True)
        run_bench(BenchConfig(work=work, out=out, copies=3, keep=keep), say=lambda _: None)
        assert (work / "raw-x3").exists() is keep
    assert seen == [True, True]  # the results were complete on disk before the copies went
