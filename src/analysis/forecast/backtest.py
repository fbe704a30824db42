"""Rolling-origin backtest: how well would the forecast have predicted the year totals the board sees?

Every ``stap`` (6) months, counting back from the last month that still has ``maanden`` (12) closed months
after it, down to the first with 24 months before it, each method sees only the months up to that
origin and forecasts the next ``maanden``. What is compared is what the board reads:

- the **year total** (the 12 months after the origin): signed error ``fout`` and ``ape_pct``, the
  absolute error as % of what happened (NaN when nothing happened);
- ``smape_pct``: the mean over the months of ``200 |f - a| / (|f| + |a|)`` (0 where both are 0);
- ``mase``: the mean absolute monthly error over the mean absolute change on the same month a year
  earlier in the history (below 1: better than 'last year' was in the past; NaN on a constant history);
- ``binnen_80`` / ``binnen_95``: whether the year total fell inside the 80% / 95% band.

Methods: ``combinatie`` (what the reports use: ``analysis.forecast.model.predict``), each candidate model
(``ets``, ``ets_gedempt`` and ``theta``, whose mean it is, and ``arima``) and the baselines ``naief``
(last 12 months repeated) and ``trend`` (OLS straight line). Every method gets the same band around its own point
forecast (the uncertainty is measured on the history, not by the method), so their coverage can be
compared. Each domain is tested on its own series; ``Totaal`` is the sum of the domains' forecasts with
a band measured on the total's own history, as in the reports.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.forecast.gap import TOTAAL, check_gemeente, last_closed_month, spend_months, warehouse_peildatum
from analysis.forecast.model import (BASELINES, INTERVALLEN, KANDIDATEN, LEDEN, METHODE, MIN_MAANDEN, SEIZOEN, candidates,
                                     deviations, onzekerheid, total_uncertainty)

KOLOMMEN = ["domein", "oorsprong", "methode", "jaartotaal", "werkelijk", "fout", "ape_pct", "smape_pct", "mase",
            "binnen_80", "binnen_95"]


def origins(index: pd.DatetimeIndex, *, stap: int = 6, maanden: int = 12) -> list[pd.Timestamp]:
    """The origins (last month seen) of a series on ``index``: every ``stap`` months back from the last
    with ``maanden`` months after it, while at least 24 months lie before it (inclusive); oldest first."""
    if stap < 1 or maanden < 1:
        raise ValueError(f"stap, maanden: must be at least 1, got {stap} and {maanden}")
    last = len(index) - maanden - 1
    return [index[i] for i in range(last, MIN_MAANDEN - 2, -stap)][::-1]


def _scores(point: np.ndarray, actual: np.ndarray, history: np.ndarray) -> dict[str, float]:
    """Year-total error and the monthly sMAPE and MASE of one forecast."""
    total, werkelijk = float(point.sum()), float(actual.sum())
    denom = np.abs(point) + np.abs(actual)
    smape = np.divide(200 * np.abs(point - actual), denom, out=np.zeros_like(denom), where=denom > 0)
    scale = np.abs(history[SEIZOEN:] - history[:-SEIZOEN]).mean()
    return {"jaartotaal": total, "werkelijk": werkelijk, "fout": total - werkelijk,
            "ape_pct": abs(total - werkelijk) / abs(werkelijk) * 100 if werkelijk != 0 else np.nan,
            "smape_pct": float(smape.mean()),
            "mase": float(np.abs(point - actual).mean() / scale) if scale > 0 else np.nan}


def _rows(domein, oorsprong, punt: dict[str, np.ndarray], spread: np.ndarray, actual: np.ndarray,
          history: np.ndarray) -> list[dict]:
    """One row per method; ``spread`` holds the simulated deviations of the year total."""
    bands = {name: np.percentile(spread, [lo, hi]) for name, (lo, hi) in INTERVALLEN.items()}
    rows = []
    for methode, point in punt.items():
        row = {"domein": domein, "oorsprong": oorsprong, "methode": methode, **_scores(point, actual, history)}
        for name, (lo, hi) in bands.items():
            row[f"binnen_{name}"] = bool(row["jaartotaal"] + lo <= row["werkelijk"] <= row["jaartotaal"] + hi)
        rows.append(row)
    return rows


def backtest_wide(wide: pd.DataFrame, *, stap: int = 6, maanden: int = 12, herhalingen: int = 1000,
                  seed: int = 0, kandidaten: tuple[str, ...] = KANDIDATEN) -> pd.DataFrame:
    """The backtest of every column of ``wide`` (monthly series on one month-start index) and of their sum
    (``Totaal``, from the columns' forecasts and paths). One row per series, origin and method; the methods
    are the combination, the ``kandidaten`` models and the baselines."""
    found = origins(wide.index, stap=stap, maanden=maanden)
    if not found:
        raise ValueError(f"series: no origin with {MIN_MAANDEN} months before it and {maanden} closed months "
                         f"after it ({wide.index[0]:%Y-%m} to {wide.index[-1]:%Y-%m})")
    rows = []
    for oorsprong in found:
        cut = wide.index.get_loc(oorsprong) + 1
        som_punt, ruis = None, []
        for i, domein in enumerate(wide.columns):
            values = wide[domein].to_numpy(dtype=float)
            history, actual = values[:cut], values[cut:cut + maanden]
            kand = candidates(history, maanden, kandidaten=kandidaten)
            onz = onzekerheid(history, ruis=kand.ruis)
            spread = deviations(onz, maanden, herhalingen=herhalingen, seed=seed + i).sum(axis=0)
            rows += _rows(domein, oorsprong, kand.punt, spread, actual, history)
            som_punt = dict(kand.punt) if som_punt is None else {
                k: som_punt[k] + kand.punt[k] for k in som_punt if k in kand.punt}
            ruis.append(onz.ruis)
        if len(wide.columns) > 1:
            total = wide.sum(axis=1).to_numpy(dtype=float)
            spread = deviations(total_uncertainty(total[:cut], ruis), maanden, herhalingen=herhalingen,
                                seed=seed + len(wide.columns)).sum(axis=0)
            rows += _rows(TOTAAL, oorsprong, som_punt, spread, total[cut:cut + maanden], total[:cut])
    return pd.DataFrame(rows, columns=KOLOMMEN)


def backtest_series(series: pd.Series, *, stap: int = 6, maanden: int = 12,
                    herhalingen: int = 1000) -> pd.DataFrame:
    """``backtest_wide`` of one series (``domein`` is its name, or ``reeks``)."""
    name = series.name if series.name is not None else "reeks"
    return backtest_wide(series.to_frame(name), stap=stap, maanden=maanden, herhalingen=herhalingen)


def backtest_monthly(monthly: pd.DataFrame, *, stap: int = 6, maanden: int = 12, herhalingen: int = 1000,
                     kandidaten: tuple[str, ...] = KANDIDATEN) -> pd.DataFrame:
    """``backtest_wide`` of the domains of ``monthly`` (``complete_months`` output) and their total."""
    wide = monthly.pivot(index="maand", columns="domein", values="toegekend_cent").astype(float)
    wide.index = pd.DatetimeIndex(wide.index, freq="MS")
    return backtest_wide(wide, stap=stap, maanden=maanden, herhalingen=herhalingen, kandidaten=kandidaten)


def backtest(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, peildatum: date | None = None,
             open_maanden: int = 2, stap: int = 6, maanden: int = 12, herhalingen: int = 1000,
             kandidaten: tuple[str, ...] = KANDIDATEN) -> pd.DataFrame:
    """The rolling-origin backtest of one gemeente (or the warehouse) on its closed months."""
    check_gemeente(con, gemeente)
    laatste = last_closed_month(peildatum or warehouse_peildatum(con), open_maanden=open_maanden)
    return backtest_monthly(spend_months(con, gemeente=gemeente, laatste_maand=laatste), stap=stap, maanden=maanden,
                            herhalingen=herhalingen, kandidaten=kandidaten)


def summarise_backtest(errors: pd.DataFrame) -> pd.DataFrame:
    """Per domein and method, over the origins: mean ``ape_pct``, mean absolute ``fout`` (``fout_abs``, the
    series' unit), mean ``smape_pct`` and ``mase``, coverage ``dekking_80`` / ``dekking_95`` (fractions 0-1
    of the origins whose year total fell in the band), ``oorsprongen``; ``beter_dan_baselines`` is True
    where the mean year-total error is below both baselines' (never on a baseline's own row)."""
    summary = errors.assign(fout_abs=errors["fout"].abs()).groupby(["domein", "methode"], as_index=False,
                                                                    sort=False).agg(
        ape_pct=("ape_pct", "mean"), fout_abs=("fout_abs", "mean"), smape_pct=("smape_pct", "mean"),
        mase=("mase", "mean"), dekking_80=("binnen_80", "mean"), dekking_95=("binnen_95", "mean"),
        oorsprongen=("oorsprong", "nunique"))
    baseline = summary[summary["methode"].isin(BASELINES)].pivot(index="domein", columns="methode", values="ape_pct")
    best = summary["domein"].map(baseline.min(axis=1, skipna=False))
    beter = ~summary["methode"].isin(BASELINES) & (summary["ape_pct"] < best)
    return summary.assign(beter_dan_baselines=beter.fillna(False).astype(bool),
                          gebruikt=summary["methode"] == METHODE)


def report_backtest(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, peildatum: date | None = None,
                    stap: int = 12) -> pd.DataFrame:
    """What the prognose report shows: ``summarise_backtest`` of ``backtest`` once a year back (``stap`` 12),
    for the ``LEDEN`` only, to stay quick. A history too short for any origin (under three years) gives an
    empty summary, which the report says in words, instead of an error."""
    try:
        errors = backtest(con, gemeente=gemeente, peildatum=peildatum, stap=stap, kandidaten=LEDEN)
    except ValueError as exc:
        if "no origin" not in str(exc):
            raise
        errors = pd.DataFrame(columns=KOLOMMEN)
    return summarise_backtest(errors)
