"""The backtest on a demo warehouse the test generates and builds itself; the baselines' errors are
recomputed here from the raw declaration lines with plain SQL and numpy, independently of the module."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis.demo import generate
from analysis.forecast import backtest, forecast_gap, summarise_backtest
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


def errors(forecast: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    nz = actual != 0
    return np.mean(np.abs(forecast[nz] - actual[nz]) / np.abs(actual[nz])) * 100, (
        forecast.sum() - actual.sum()) / actual.sum() * 100


@pytest.mark.slow
def test_demo_backtest_baselines_match_an_independent_computation(demo_con):
    result = backtest(demo_con, gemeente=GEMEENTE)
    total = result[result["domein"] == "Totaal"].set_index(["oorsprong", "methode"])
    series = independent_series(demo_con)
    expected_origins = [o for o in pd.date_range("2021-12-01", series.index[-1], freq="12MS")
                        if o + pd.DateOffset(months=12) <= series.index[-1]]
    assert sorted(total.index.get_level_values(0).unique()) == expected_origins and len(expected_origins) >= 3
    for origin in expected_origins:
        history = series[: origin].to_numpy()
        actual = series[origin + pd.DateOffset(months=1):].iloc[:12].to_numpy()
        naive = history[-12:]
        t = np.arange(len(history) + 12, dtype=float)
        design = np.column_stack([np.ones_like(t), t])
        coef = np.linalg.lstsq(design[: len(history)], history, rcond=None)[0]
        trend = design[len(history):] @ coef
        for methode, forecast in (("naief", naive), ("trend", trend)):
            mape, bias = errors(forecast, actual)
            assert total.loc[(origin, methode), "mape_pct"] == pytest.approx(mape, rel=1e-9)
            assert total.loc[(origin, methode), "bias_pct"] == pytest.approx(bias, rel=1e-9)
        assert np.isfinite(total.loc[(origin, "model"), ["mape_pct", "bias_pct"]].astype(float)).all()
    summary = summarise_backtest(result)
    assert set(summary["methode"]) == {"model", "naief", "trend"} and (summary["oorsprongen"] == len(expected_origins)).all()


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
