"""The backtest on a demo warehouse the test generates and builds itself; the baselines' errors are
recomputed here from the raw declaration lines with plain SQL and numpy, independently of the module."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis.demo import generate
from analysis.forecast import backtest, forecast_gap, summarise_backtest
from analysis.forecast.model import KANDIDATEN, METHODE
from analysis.warehouse import build

GEMEENTE = "GM0361"


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forecast_demo")
    generate(tmp / "raw", scale=0.004, seed=1)
    build(tmp / "raw", tmp / "w.duckdb", secret="t")
    con = duckdb.connect(str(tmp / "w.duckdb"), read_only=True)
    yield con
    con.close()


def independent_series(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """Approved spend a month of GM0361, straight from declaratieregel, up to the last closed month."""
    peildatum = con.sql("SELECT max(datadatum) FROM bouw").fetchall()[0][0]
    last = pd.Timestamp(peildatum.year, peildatum.month, 1) - pd.DateOffset(months=3)  # minus 1, minus 2 open
    rows = con.sql("""SELECT date_trunc('month', periode_begin) AS m, sum(toegekend_cent) AS c FROM declaratieregel
                      WHERE gemeente_code_huidig = 'GM0361' AND status = 'goedgekeurd' GROUP BY m""").df()
    series = rows.assign(m=pd.to_datetime(rows["m"])).set_index("m")["c"].astype(float)
    return series.reindex(pd.date_range(series.index.min(), last, freq="MS"), fill_value=0.0)


def year_total_errors(forecast: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    total, werkelijk = forecast.sum(), actual.sum()
    return {"jaartotaal": total, "werkelijk": werkelijk, "fout": total - werkelijk,
            "ape_pct": abs(total - werkelijk) / abs(werkelijk) * 100}


@pytest.mark.slow
def test_demo_backtest_baselines_match_an_independent_computation(demo_con):
    result = backtest(demo_con, gemeente=GEMEENTE, stap=3, herhalingen=200)
    total = result[result["domein"] == "Totaal"].set_index(["oorsprong", "methode"])
    series = independent_series(demo_con)
    # every third month back from the last with 12 closed months after it (the 13th month from the end), down
    # to the 24th month of the history (24 months before it, inclusive)
    expected_origins = sorted(o for o in (series.index[-13] - pd.DateOffset(months=3 * k) for k in range(len(series)))
                              if o >= series.index[23])
    assert sorted(total.index.get_level_values(0).unique()) == expected_origins and len(expected_origins) >= 4
    for origin in expected_origins:
        cut = series.index.get_loc(origin) + 1
        history, actual = series.to_numpy()[:cut], series.to_numpy()[cut:cut + 12]
        naive = history[-12:]
        t = np.arange(len(history) + 12, dtype=float)
        design = np.column_stack([np.ones_like(t), t])
        coef = np.linalg.lstsq(design[: len(history)], history, rcond=None)[0]
        trend = design[len(history):] @ coef
        for methode, forecast in (("naief", naive), ("trend", trend)):
            for column, value in year_total_errors(forecast, actual).items():
                assert total.loc[(origin, methode), column] == pytest.approx(value, rel=1e-9), (origin, methode, column)
        assert np.isfinite(total.loc[(origin, METHODE), ["jaartotaal", "fout", "ape_pct"]].astype(float)).all()
    summary = summarise_backtest(result)
    assert set(summary["methode"]) == {METHODE, *KANDIDATEN, "naief", "trend"}
    assert (summary["oorsprongen"] == len(expected_origins)).all()


@pytest.mark.slow
def test_demo_gap_has_a_realised_base_year_and_a_forecast(demo_con):
    gap = forecast_gap(demo_con, gemeente=GEMEENTE, horizon=2, herhalingen=200)
    totaal = gap[gap["domein"] == "Totaal"].set_index("jaar")
    base = totaal.index.min()
    assert totaal.loc[base, "soort"] == "realisatie" and len(totaal) == 3
    # the base year is realised: its figure is the sum of the three domains' realised spend
    domains = gap[(gap["jaar"] == base) & (gap["domein"] != "Totaal")]
    assert totaal.loc[base, "uitgaven_cent"] == domains["uitgaven_cent"].sum()
    assert totaal.loc[base, "saldo_cent"] == totaal.loc[base, "inkomsten_cent"] - totaal.loc[base, "uitgaven_cent"]
    assert (totaal["uitgaven_cent"] > 0).all()
    # data date Jan 2026 -> Nov and Dec 2025 open -> history to Oct 2025: base 2024, 2025 has 10 realised months
    assert base == 2024 and totaal.loc[2025, "realisatie_maanden"] == 10
    assert any("realisatie tot en met 10-2025" in s for s in gap.attrs["aannames"])
