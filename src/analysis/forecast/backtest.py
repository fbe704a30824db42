"""Rolling-origin backtest: how well would the model have forecast the past, against two baselines?

For every origin (the end of December of each year from ``vanaf`` on, as long as the ``maanden`` months
after it are closed) each method sees only the months up to the origin and forecasts the next
``maanden``; ``forecast_error`` compares that with what happened. Methods: ``model`` (the ETS model of
``analysis.forecast.model``), ``naief`` (last 12 months repeated) and ``trend`` (OLS straight line).
Each domain is tested on its own series, ``Totaal`` on the sum of the domains.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import pandas as pd

from analysis.forecast.gap import TOTAAL, check_gemeente, last_closed_month, spend_months, warehouse_peildatum
from analysis.forecast.model import MIN_MAANDEN, forecast_error, model_forecast, naive_forecast, trend_forecast

METHODEN: dict[str, Callable[..., pd.Series]] = {"model": model_forecast, "naief": naive_forecast,
                                                 "trend": trend_forecast}


def origins(series: pd.Series, *, vanaf: int = 2021, maanden: int = 12) -> list[pd.Timestamp]:
    """Each December from ``vanaf`` with at least 24 months before it (inclusive) and ``maanden`` after it."""
    first, last = series.index[0], series.index[-1]
    decembers = pd.date_range(f"{vanaf}-12-01", last, freq="12MS")
    return [o for o in decembers
            if (o.year - first.year) * 12 + o.month - first.month + 1 >= MIN_MAANDEN
            and o + pd.DateOffset(months=maanden) <= last]


def backtest_series(series: pd.Series, *, vanaf: int = 2021, maanden: int = 12) -> pd.DataFrame:
    """Errors of every method at every origin: ``oorsprong``, ``methode``, ``mape_pct``, ``bias_pct`` (%)."""
    found = origins(series, vanaf=vanaf, maanden=maanden)
    if not found:
        raise ValueError(f"series: no origin from December {vanaf} with {MIN_MAANDEN} months before it and "
                         f"{maanden} closed months after it ({series.index[0]:%Y-%m} to {series.index[-1]:%Y-%m})")
    rows = []
    for oorsprong in found:
        history = series[series.index <= oorsprong]
        actual = series[series.index > oorsprong].iloc[:maanden]
        for methode, forecast in METHODEN.items():
            rows.append({"oorsprong": oorsprong, "methode": methode,
                         **forecast_error(forecast(history, maanden=maanden), actual)})
    return pd.DataFrame(rows)


def backtest_monthly(monthly: pd.DataFrame, *, vanaf: int = 2021, maanden: int = 12) -> pd.DataFrame:
    """``backtest_series`` for every domain of ``monthly`` (``complete_months`` output) and their total."""
    wide = monthly.pivot(index="maand", columns="domein", values="toegekend_cent").astype(float)
    wide[TOTAAL] = wide.sum(axis=1)
    frames = [backtest_series(wide[d], vanaf=vanaf, maanden=maanden).assign(domein=d) for d in wide.columns]
    return pd.concat(frames, ignore_index=True)[["domein", "oorsprong", "methode", "mape_pct", "bias_pct"]]


def backtest(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, peildatum: date | None = None,
             open_maanden: int = 2, vanaf: int = 2021, maanden: int = 12) -> pd.DataFrame:
    """The rolling-origin backtest of one gemeente (or the warehouse) on its closed months."""
    check_gemeente(con, gemeente)
    laatste = last_closed_month(peildatum or warehouse_peildatum(con), open_maanden=open_maanden)
    return backtest_monthly(spend_months(con, gemeente=gemeente, laatste_maand=laatste), vanaf=vanaf,
                            maanden=maanden)


def summarise_backtest(errors: pd.DataFrame) -> pd.DataFrame:
    """Mean MAPE, mean bias and mean absolute bias (%) per domain and method over the origins, and how many.

    ``beter_dan_baselines`` is True on the model's row when its mean MAPE is below both baselines'.
    """
    summary = errors.groupby(["domein", "methode"], as_index=False, sort=False).agg(
        mape_pct=("mape_pct", "mean"), bias_pct=("bias_pct", "mean"),
        abs_bias_pct=("bias_pct", lambda b: b.abs().mean()), oorsprongen=("oorsprong", "nunique"))
    best_baseline = summary[summary["methode"] != "model"].groupby("domein")["mape_pct"].min()
    beter = (summary["methode"] == "model") & (summary["mape_pct"] < summary["domein"].map(best_baseline))
    return summary.assign(beter_dan_baselines=beter)
