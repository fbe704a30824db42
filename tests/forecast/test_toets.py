"""``prognose_toets`` and ``inkoopmonitor prognose-toets`` on a small warehouse file of hand-made declarations.

GM0361 declares Jeugd on a line with a December peak and Wmo on a pure season (nothing for Beschermd
Wonen); GM0398 (now part of GM1980, Dijk en Waard) declares Jeugd on a falling straight line; GM0373 declares
Jeugd on a trend, season and random walk, where the combination beats both baselines and ETS alone does not
(so the verdict shown is the combination's, not a member's); GM0383 started declaring in 2024, too short
a history to test. Every month
Jan 2021 .. Dec 2024 is answered; the data date 8 Jan 2025 leaves Nov and Dec 2024 open (they are
declared at 10 cents: if they counted, the figures below would be off), so the history is the 46 months
Jan 2021 .. Oct 2024 and with stap 3 the origins are months 24, 27, 30, 33 (Jan, Apr, Jul, Oct 2023).
"""

import json
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis import cli
from analysis.forecast.model import BASELINES, METHODE
from analysis.forecast import toets
from analysis.forecast.toets import gemeenten_met_uitgaven, prognose_toets, skill, table
from analysis.warehouse import connect

ORIGINS = [24, 27, 30, 33]
GEMEENTEN = ["GM0361", "GM0373", "GM1980"]  # the tested ones; GM0383 is skipped
WITH_SPEND = {("GM0361", "Jeugd"), ("GM0361", "Wmo"), ("GM0361", "Totaal"), ("GM0373", "Jeugd"),
              ("GM0373", "Totaal"), ("GM1980", "Jeugd"), ("GM1980", "Totaal")}
K = np.arange(48)
RANDOM_WALK = np.round(50000 + 300 * K + 4000 * np.sin(2 * np.pi * K / 12)
                       + np.cumsum(np.random.default_rng(6).normal(0, 1500, 48)))


def amounts(gemeente: str, domein: str, k: int, maand: pd.Timestamp) -> int:
    """Cents declared in month ``k`` (0 = Jan 2021)."""
    if maand >= pd.Timestamp("2024-11-01"):
        return 10  # open months
    if gemeente == "GM0398":
        return 80000 - 500 * k
    if gemeente == "GM0373":
        return int(RANDOM_WALK[k])
    if gemeente == "GM0383":
        return 1000
    if domein == "Jeugd":
        return 100000 + 1000 * k + (20000 if maand.month == 12 else 0)
    return 50000 + (5000 if maand.month in (6, 7) else 0)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    declaraties, antwoorden = [], []
    for k, maand in enumerate(pd.date_range("2021-01-01", "2024-12-01", freq="MS")):
        for gemeente, domein in (("GM0361", "Jeugd"), ("GM0361", "Wmo"), ("GM0373", "Jeugd"), ("GM0398", "Jeugd"),
                                 ("GM0383", "Jeugd")):
            if gemeente == "GM0383" and maand.year < 2024:
                continue
            i, eind = len(declaraties), (maand + pd.offsets.MonthEnd(0)).date()
            product = {} if domein == "Jeugd" else dict(standaard="iWmo", productcategorie="02", productcode="02A01")
            declaraties.append(dict(referentienummer=f"R{i}", declaratienummer=f"D{i}", bericht_id=f"B{i}",
                                    gemeente_code=gemeente, ingediend_cent=amounts(gemeente, domein, k, maand),
                                    periode_begin=maand.date(), periode_eind=eind, declaratie_begin=maand.date(),
                                    declaratie_eind=eind, **product))
            antwoorden.append(dict(gemeente_code=gemeente, declaratienummer=f"D{i}", declaratie_id=f"B{i}",
                                   bericht_id=f"A{i}"))
    path = tmp_path_factory.mktemp("toets") / "warehouse.duckdb"
    con = fixture_warehouse({"declaratie": declaraties, "antwoord": antwoorden})
    con.execute(f"ATTACH '{path}' AS disk")
    con.execute("COPY FROM DATABASE memory TO disk")
    con.execute("CREATE TABLE disk.bouw AS SELECT 'test' AS versie, now() AS gebouwd, DATE '2025-01-08' AS datadatum")
    con.close()
    return path


@pytest.fixture(scope="module")
def done() -> list[str]:
    """The gemeenten ``prognose_toets`` reported as done to its ``progress`` callback."""
    return []


@pytest.fixture(scope="module")
def result(warehouse, done) -> dict:
    with connect(warehouse) as con:
        return prognose_toets(con, stap=3, herhalingen=200, progress=done.append)


def by_series(result: dict) -> dict[tuple[str, str], dict]:
    return {(s["gemeente"], s["domein"]): s for s in result["series"]}


def test_every_gemeente_with_spend_is_tested(warehouse, result):
    with connect(warehouse) as con:
        assert gemeenten_met_uitgaven(con) == ["GM0361", "GM0373", "GM0383", "GM1980"]  # GM0398 as GM1980
    assert (result["peildatum"], result["laatste_maand"], result["stap_maanden"]) == ("2025-01-08", "2024-10", 3)
    # three gemeenten x (three domains + Totaal), in that order
    assert [(s["gemeente"], s["domein"]) for s in result["series"]] == [
        (g, d) for g in GEMEENTEN for d in ("Beschermd Wonen", "Jeugd", "Wmo", "Totaal")]
    assert all(s["oorsprongen"] == len(ORIGINS) and s["methode"] == METHODE for s in result["series"])


def test_too_short_a_history_is_skipped_with_the_reason(result):
    # GM0383: Jan .. Oct 2024 closed, 10 months; an origin needs 24 before it and 12 after it
    assert [s["gemeente"] for s in result["overgeslagen"]] == ["GM0383"]
    assert result["overgeslagen"][0]["reden"].startswith("series: no origin with 24 months before it")
    assert "GM0383" not in {s["gemeente"] for s in result["series"]}


def test_progress_hears_of_every_gemeente(result, done):
    assert done == ["GM0361", "GM0373", "GM0383", "GM1980"]


def test_the_naive_errors_of_a_straight_line(result):
    # GM1980 Jeugd: 80000 - 500 k. Last year's months are 12 x 500 = 6000 higher: the year total 72000 too
    # high. The year after origin o holds k = o + 1 .. o + 12: 960000 - 500 (12 o + 78) = 921000 - 6000 o,
    # 777000, 759000, 741000, 723000: ape 9.2664, 9.4862, 9.7166, 9.9585 %, mean 9.6069 %
    naief = by_series(result)[("GM1980", "Jeugd")]["methoden"]["naief"]
    assert naief["ape_pct"] == pytest.approx(np.mean([72000 / (921000 - 6000 * o) * 100 for o in ORIGINS]))
    assert naief["ape_pct"] == pytest.approx(9.6069, abs=1e-4)
    assert naief["fout_abs"] == pytest.approx(72000) and naief["mase"] == pytest.approx(1.0)
    # the OLS line is the series: no error; Totaal is Jeugd alone
    assert by_series(result)[("GM1980", "Jeugd")]["methoden"]["trend"]["ape_pct"] == pytest.approx(0, abs=1e-6)
    assert by_series(result)[("GM1980", "Totaal")]["methoden"]["naief"]["ape_pct"] == pytest.approx(naief["ape_pct"])
    # GM0361 Jeugd: 100000 + 1000 k + 20000 in December (one December in any 12 months): last year's months are
    # 12000 lower, the year total 144000; the year holds 1200000 + 1000 (12 o + 78) + 20000 = 1298000 + 12000 o
    naief = by_series(result)[("GM0361", "Jeugd")]["methoden"]["naief"]
    assert naief["ape_pct"] == pytest.approx(np.mean([144000 / (1298000 + 12000 * o) * 100 for o in ORIGINS]))


def test_nothing_beats_a_perfect_last_year(result):
    # GM0361 Wmo repeats the same season every year: the naive forecast is exact, 0% error, which no method
    # can be strictly below
    wmo = by_series(result)[("GM0361", "Wmo")]
    assert wmo["methoden"]["naief"]["ape_pct"] == pytest.approx(0, abs=1e-9) and not wmo["beats_baselines"]


def test_series_without_spend_are_counted_apart(result):
    totals, series = result["totals"], by_series(result)
    # GM0361 Beschermd Wonen, GM0373 and GM1980 Wmo and Beschermd Wonen never spend: no % error
    assert {k for k, s in series.items() if s["methoden"][METHODE]["ape_pct"] is not None} == WITH_SPEND
    assert (totals["series"], totals["series_zonder_uitgaven"]) == (7, 5)
    assert totals["tested_years"] == 7 * len(ORIGINS)


def test_each_series_beats_the_baselines_by_its_own_figures(result):
    for s in result["series"]:
        ape = {m: v["ape_pct"] for m, v in s["methoden"].items()}
        beats = ape[METHODE] is not None and all(ape[b] is not None and ape[METHODE] < ape[b] for b in BASELINES)
        assert s["beats_baselines"] == beats, (s["gemeente"], s["domein"])


def test_totals_are_shares_of_the_series(result):
    totals = result["totals"]
    with_spend = [s for s in result["series"] if (s["gemeente"], s["domein"]) in WITH_SPEND]
    assert totals["share_beats_baselines"] == pytest.approx(np.mean([s["beats_baselines"] for s in with_spend]))
    assert 0 <= totals["coverage_80"] <= totals["coverage_95"] <= 1
    assert totals["methoden"][METHODE]["coverage_80"] == totals["coverage_80"]
    assert set(totals["methoden"]) == set(with_spend[0]["methoden"])
    # the naive method's median year-total error lies between its smallest and largest series mean
    naive = [s["methoden"]["naief"]["ape_pct"] for s in with_spend]
    assert min(naive) <= totals["methoden"]["naief"]["ape_year_total_median"] <= max(naive)


def test_skill_is_the_mean_error_against_the_better_baselines_worked_by_hand():
    # forecast 8% against last year's 10% and the line's 16%: the better baseline is last year, 1 - 8/10
    assert skill(8.0, {"naief": 10.0, "trend": 16.0}) == {"best_baseline": "naief", "skill": pytest.approx(0.2)}
    # worse than the line: negative skill
    assert skill(12.0, {"naief": 20.0, "trend": 10.0}) == {"best_baseline": "trend", "skill": pytest.approx(-0.2)}
    assert skill(5.0, {"naief": None, "trend": 10.0})["best_baseline"] == "trend"
    assert skill(None, {"naief": 10.0}) == {"best_baseline": None, "skill": None}
    assert skill(1.0, {"naief": 0.0, "trend": 3.0}) == {"best_baseline": "naief", "skill": None}  # a perfect baseline


def _series(ape: dict) -> dict:
    return {"methoden": {m: {"ape_pct": v, "beats_baselines": False} for m, v in ape.items()}}


def test_a_method_without_an_error_on_a_series_is_averaged_over_the_rest():
    # two series by hand; ARIMA has no error on the second (it could not be fitted there)
    series = [_series({METHODE: 4.0, "naief": 10.0, "trend": 6.0, "arima": 8.0}),
              _series({METHODE: 2.0, "naief": 4.0, "trend": 12.0, "arima": None})]
    errors = pd.DataFrame({"methode": [METHODE, "naief", "trend", "arima"], "ape_pct": [3.0, 7.0, 9.0, 8.0],
                           "binnen_80": True, "binnen_95": True})
    totals = toets._totals(series, errors, seconds=1.0)
    assert totals["ape_year_total_mean"] == pytest.approx(3.0)  # (4 + 2) / 2
    assert totals["methoden"]["arima"]["ape_year_total_mean"] == pytest.approx(8.0)
    # baselines: last year (10 + 4) / 2 = 7, the line (6 + 12) / 2 = 9: skill against last year 1 - 3/7
    assert totals["best_baseline"] == "naief" and totals["skill"] == pytest.approx(4 / 7)


def test_totals_give_the_mean_error_per_series_and_the_skill(result):
    totals = result["totals"]
    with_spend = [s for s in result["series"] if (s["gemeente"], s["domein"]) in WITH_SPEND]
    means = {m: np.mean([s["methoden"][m]["ape_pct"] for s in with_spend]) for m in (METHODE, *BASELINES)}
    assert totals["ape_year_total_mean"] == pytest.approx(means[METHODE])
    best = min(BASELINES, key=means.get)
    assert totals["best_baseline"] == best
    assert totals["skill"] == pytest.approx(1 - means[METHODE] / means[best])


def test_coverage_is_pooled_over_the_tested_years_only(result):
    # every series with spend was tested at all 4 origins, so the pooled coverage is the mean of their
    # per-series coverage
    with_spend = [s for s in result["series"] if (s["gemeente"], s["domein"]) in WITH_SPEND]
    for band in ("80", "95"):
        expected = np.mean([s["methoden"][METHODE][f"dekking_{band}"] for s in with_spend])
        assert result["totals"][f"coverage_{band}"] == pytest.approx(expected)


def test_unknown_gemeente_is_refused(warehouse):
    with connect(warehouse) as con, pytest.raises(ValueError, match="gemeente: 'GM9999'"):
        prognose_toets(con, gemeenten=["GM9999"], stap=3, peildatum=date(2025, 1, 8))


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_json_is_the_same_result(warehouse, result, capsys):
    code = cli.main(["prognose-toets", "--warehouse", str(warehouse), "--json", "--stap", "3", "--no-progress"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"series", "totals"} <= set(printed)
    assert {"series", "share_beats_baselines", "coverage_80", "coverage_95", "ape_year_total_median"} <= set(
        printed["totals"])
    # the CLI draws 1000 paths, the fixture 200: the point forecasts and their errors are the same, the
    # coverage may differ
    assert [(s["gemeente"], s["domein"], s["beats_baselines"]) for s in printed["series"]] == [
        (s["gemeente"], s["domein"], s["beats_baselines"]) for s in result["series"]]
    for mine, theirs in zip(printed["series"], result["series"], strict=True):
        for m, figures in mine["methoden"].items():
            assert figures["ape_pct"] == pytest.approx(theirs["methoden"][m]["ape_pct"], nan_ok=True)
    assert printed["totals"]["series"] == 7
    assert 0 <= printed["totals"]["share_beats_baselines"] <= 1


def test_cli_table_has_a_header_and_a_line_per_series(warehouse, result, capsys):
    assert cli.main(["prognose-toets", "--warehouse", str(warehouse), "--stap", "3", "--no-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["gemeente", "domein"] and "verslaat baselines" in lines[0]
    rows = lines[1:1 + len(result["series"])]
    # gemeente in 8 characters, a space, domein in 16
    assert [(r[:8].rstrip(), r[9:25].rstrip()) for r in rows] == [(s["gemeente"], s["domein"])
                                                                   for s in result["series"]]
    # the naive % error of GM1980 Jeugd, 9.6069, shown with one decimal; the verdict in the last column
    gm1980 = rows[9]
    assert gm1980.startswith("GM1980   Jeugd") and " 9.6 " in gm1980 and gm1980.endswith(("ja", "nee"))
    after = lines[1 + len(result["series"]):]
    assert after[0].startswith("GM0383   overgeslagen: series: no origin") and after[1] == ""
    assert after[2].startswith("7 series (5 without spend left out)")
    assert table(result).splitlines()[0] == lines[0]


def test_cli_refuses_an_unknown_gemeente_and_a_missing_warehouse(warehouse, tmp_path, capsys):
    assert cli.main(["prognose-toets", "--warehouse", str(warehouse), "--gemeente", "GM9999", "--no-progress"]) == 2
    assert cli.main(["prognose-toets", "--warehouse", str(tmp_path / "nergens.duckdb"), "--no-progress"]) == 2
    assert capsys.readouterr().out == ""


def test_the_fixture_leaves_the_open_months_out(warehouse):
    # guard for the figures above: Nov and Dec 2024 are in the warehouse, at 10 cents, for all 5 series
    with duckdb.connect(str(warehouse), read_only=True) as con:
        low = con.sql("""SELECT count(*) FROM declaratieregel WHERE toegekend_cent = 10
                         AND status = 'goedgekeurd'""").fetchall()[0][0]
    assert low == 2 * 5
