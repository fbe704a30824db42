"""``inkoopmonitor prognose-toets``: the backtest of every gemeente x domein (and total) of a warehouse.

Per series: every method's year-total error (``summarise_backtest``), the method the reports use, and
whether it beats both baselines on year totals. Over all series: the share that does, the coverage of the
80% and 95% bands over every tested year (pooled), the median absolute % error of the tested year totals,
the mean over the series of each series' mean error and the ``skill`` against the better baseline (how
much smaller that mean is than the baseline's), and the seconds the backtest took per series. A series
whose tested years all had zero spend (a domain a gemeente does not buy) has no % error and is counted
apart (``series_zonder_uitgaven``); a gemeente whose history is too short to test (less than 24 months
before the first origin with 12 closed months after it) is listed in ``overgeslagen`` with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.forecast.backtest import KOLOMMEN, backtest, summarise_backtest
from analysis.forecast.gap import last_closed_month, warehouse_peildatum
from analysis.gemeente import check_gemeente
from analysis.forecast.model import BASELINES, METHODE

MAATSTAVEN = ["ape_pct", "fout_abs", "smape_pct", "mase", "dekking_80", "dekking_95"]


def gemeenten_met_uitgaven(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Current gemeente codes with approved declaration lines, sorted."""
    rows = con.sql("""SELECT DISTINCT gemeente_code_huidig FROM declaratieregel
                      WHERE gemeente_code_huidig IS NOT NULL AND status = 'goedgekeurd' ORDER BY 1""").fetchall()
    return [r[0] for r in rows]


def _series_rows(gemeente: str, errors: pd.DataFrame) -> list[dict]:
    summary = summarise_backtest(errors)
    rows = []
    for domein, part in summary.groupby("domein", sort=False):
        by = part.set_index("methode")
        rows.append({"gemeente": gemeente, "domein": domein, "methode": METHODE,
                     "oorsprongen": int(by.loc[METHODE, "oorsprongen"]),
                     "beats_baselines": bool(by.loc[METHODE, "beter_dan_baselines"]),
                     "methoden": {m: {**{k: _number(by.loc[m, k]) for k in MAATSTAVEN},
                                      "beats_baselines": bool(by.loc[m, "beter_dan_baselines"])} for m in by.index}})
    return rows


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _totals(series: list[dict], errors: pd.DataFrame, seconds: float) -> dict:
    """The figures over all series and tested years, for the forecast the reports use and every method."""
    measurable = [s for s in series if s["methoden"][METHODE]["ape_pct"] is not None]

    def of(methode: str) -> dict:
        tests = errors[(errors["methode"] == methode) & errors["ape_pct"].notna()]  # years with spend
        beats = [s["methoden"][methode]["beats_baselines"] for s in measurable if methode in s["methoden"]]
        means = [v for s in measurable if (v := s["methoden"].get(methode, {}).get("ape_pct")) is not None]
        return {"share_beats_baselines": float(np.mean(beats)) if beats else None,
                "coverage_80": float(tests["binnen_80"].mean()) if len(tests) else None,
                "coverage_95": float(tests["binnen_95"].mean()) if len(tests) else None,
                "ape_year_total_median": _number(tests["ape_pct"].median()),
                "ape_year_total_mean": float(np.mean(means)) if means else None,
                "tested_years": int(tests["ape_pct"].notna().sum())}

    methods = {m: of(m) for m in errors["methode"].unique()}
    own = methods[METHODE] if METHODE in methods else of(METHODE)
    return {"series": len(measurable), "series_zonder_uitgaven": len(series) - len(measurable), **own,
            **skill(own["ape_year_total_mean"], {b: methods[b]["ape_year_total_mean"] for b in BASELINES
                                                 if b in methods}),
            "seconds_per_series": seconds / len(series) if series else None, "methoden": methods}


def skill(mean_error: float | None, baselines: dict[str, float | None]) -> dict:
    """How much smaller the forecast's mean year-total error (mean over the series of each series' mean) is
    than that of the better baseline over the same series: ``skill`` 1 - error / baseline's (0.2: a fifth
    less; 0 or below: no better than simply using that baseline everywhere), with ``best_baseline``."""
    known = {b: v for b, v in baselines.items() if v is not None}
    if mean_error is None or not known:
        return {"best_baseline": None, "skill": None}
    best = min(known, key=known.get)
    return {"best_baseline": best, "skill": 1 - mean_error / known[best] if known[best] > 0 else None}


def prognose_toets(con: duckdb.DuckDBPyConnection, *, gemeenten: Iterable[str] | None = None,
                   peildatum: date | None = None, open_maanden: int = 2, stap: int = 6, maanden: int = 12,
                   herhalingen: int = 1000, progress=None) -> dict:
    """The backtest of every gemeente (default: all with approved spend): ``{"series": [...], "totals": {...}}``.

    ``progress`` is called with each gemeente code as it is done (a tqdm bar's update, say).
    """
    codes = list(gemeenten) if gemeenten else gemeenten_met_uitgaven(con)
    for code in codes:
        check_gemeente(con, code)
    peil = peildatum or warehouse_peildatum(con)
    series, frames, skipped, start = [], [], [], time.perf_counter()
    for code in codes:
        try:
            errors = backtest(con, gemeente=code, peildatum=peil, open_maanden=open_maanden, stap=stap,
                              maanden=maanden, herhalingen=herhalingen)
        except ValueError as exc:  # too short a history (or none) to test: said, not fatal
            skipped.append({"gemeente": code, "reden": str(exc)})
            if progress:
                progress(code)
            continue
        series += _series_rows(code, errors)
        frames.append(errors.assign(gemeente=code))
        if progress:
            progress(code)
    errors = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*KOLOMMEN, "gemeente"])
    laatste = last_closed_month(peil, open_maanden=open_maanden)
    return {"peildatum": peil.isoformat(), "laatste_maand": f"{laatste:%Y-%m}", "stap_maanden": stap,
            "series": series, "overgeslagen": skipped,
            "totals": _totals(series, errors, time.perf_counter() - start)}


def table(result: dict) -> str:
    """The result as a plain-text table: one line per series, then the totals."""
    lines = [f"{'gemeente':8} {'domein':16} {'jaarfout%':>9} {'naief%':>7} {'trend%':>7} {'ets%':>6} "
             f"{'gedempt%':>8} {'theta%':>7} {'arima%':>7} {'dekk80':>6} {'dekk95':>6}  verslaat baselines"]
    fmt = lambda v, w, p=1: f"{v:{w}.{p}f}" if v is not None else " " * (w - 1) + "-"  # noqa: E731
    for s in result["series"]:
        m = s["methoden"]
        get = lambda k: m.get(k, {}).get("ape_pct")  # noqa: E731
        lines.append(f"{s['gemeente']:8} {s['domein']:16} {fmt(get(METHODE), 9)} {fmt(get('naief'), 7)} "
                     f"{fmt(get('trend'), 7)} {fmt(get('ets'), 6)} "
                     f"{fmt(get('ets_gedempt'), 8)} {fmt(get('theta'), 7)} {fmt(get('arima'), 7)} "
                     f"{fmt(m[METHODE]['dekking_80'], 6, 2)} {fmt(m[METHODE]['dekking_95'], 6, 2)}  "
                     f"{'ja' if s['beats_baselines'] else 'nee'}")
    t = result["totals"]
    lines += [f"{s['gemeente']:8} overgeslagen: {s['reden']}" for s in result.get("overgeslagen", [])]
    lines.append("")
    lines.append(f"{t['series']} series ({t['series_zonder_uitgaven']} without spend left out), "
                 f"{METHODE} beats both baselines on {fmt(t['share_beats_baselines'], 0, 3)}; coverage 80%: "
                 f"{fmt(t['coverage_80'], 0, 3)}, 95%: {fmt(t['coverage_95'], 0, 3)}; median year-total error "
                 f"{fmt(t['ape_year_total_median'], 0, 2)}%; mean {fmt(t['ape_year_total_mean'], 0, 2)}%, skill "
                 f"against the better baseline ({t['best_baseline']}) {fmt(t['skill'], 0, 3)}; "
                 f"{fmt(t['seconds_per_series'], 0, 2)} s per series")
    for m, v in t["methoden"].items():
        lines.append(f"  {m:11} beats both baselines {fmt(v['share_beats_baselines'], 5, 3)}  coverage 80% "
                     f"{fmt(v['coverage_80'], 5, 3)}  95% {fmt(v['coverage_95'], 5, 3)}  median error "
                     f"{fmt(v['ape_year_total_median'], 5, 2)}%  mean error {fmt(v['ape_year_total_mean'], 5, 2)}%")
    return "\n".join(lines)
