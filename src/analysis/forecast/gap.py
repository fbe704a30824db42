"""The forecast gap: income (rijksmiddelen) against expenditure per domain and year, realised and forecast.

Definitions:

- Expenditure is approved spend (``analysis.spend.monthly_spend``: toegekend, net of credits) by month of
  the product period, per domain; a month without approved spend counts as 0.
- **Open months.** The ``peildatum`` is the date the data were extracted (default: the warehouse's
  ``bouw.datadatum``, the latest message date). Product months up to the month before the peildatum can
  have been declared; the last ``open_maanden`` of them (default 2) are treated as open: their 325 answers
  are still coming, so their approved spend is too low. Open months are left out of the fit and forecast
  like the months after them; the *last closed month* is the end of the history.
- The **base year** (``basisjaar``) is the last calendar year whose months are all closed: its gap is the
  realisation. The horizon counts the years after it; in a year that is partly closed, the closed months
  count as realised and only the rest is forecast (``realisatie_maanden`` says how many).
- Income per domain and year is the ``inkomsten`` view summed over ``gemeente_code_huidig`` (merged
  gemeenten together). A year the warehouse knows is used as is; a later year is the last known year's
  income times ``(1 + inkomsten_groei) ** years``.
- ``saldo_cent`` = income - expenditure (positive: surplus, negative: deficit), ``saldo_pct`` = saldo as %
  of income. The domain ``Totaal`` sums the three domains; its interval is measured on the total's own
  history, like any series (summing the domains' independent paths gave bands that held in about 90% of
  the tested years at 80%: too wide). Summed over gemeenten (``region_gap``), the totals' paths share their
  seed: a bad year for one gemeente is one for every gemeente, the cautious choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.forecast.model import (INTERVALLEN, MIN_MAANDEN, METHODE_KORT, deviations, predict_paths,
                                     short_paths, short_uncertainty, total_uncertainty)
from analysis.forecast.scenario import Scenario
from analysis.gemeente import check_gemeente
from analysis.periode import maand_einde
from analysis.schemas import DOMEINEN
from analysis.spend import monthly_spend

TOTAAL = "Totaal"


class GeenVolledigJaar(ValueError):
    """A gemeente whose approved spend, from ``eerste`` to ``laatste`` (month starts), holds no full calendar
    year to start a forecast from (at least 12 closed months from a January)."""

    def __init__(self, gemeente: str | None, eerste: pd.Timestamp, laatste: pd.Timestamp) -> None:
        self.gemeente, self.eerste, self.laatste = gemeente, eerste, laatste
        super().__init__(f"gemeente {gemeente or 'the warehouse'}: approved spend from {eerste:%Y-%m} to "
                         f"{laatste:%Y-%m} holds no full calendar year to start the forecast from "
                         "(at least 12 closed months from a January are needed)")


def warehouse_peildatum(con: duckdb.DuckDBPyConnection) -> date:
    """The warehouse's data date (``bouw.datadatum``, the latest message date)."""
    try:
        row = con.sql("SELECT max(datadatum) FROM bouw").fetchall()
    except duckdb.CatalogException as exc:
        raise ValueError("peildatum: the warehouse has no table bouw; pass peildatum") from exc
    if row[0][0] is None:
        raise ValueError("peildatum: the warehouse's bouw.datadatum is empty; pass peildatum")
    return row[0][0]


def last_closed_month(peildatum: date, *, open_maanden: int = 2) -> pd.Timestamp:
    """The last product month whose declarations are complete (first day of that month).

    >>> last_closed_month(date(2026, 1, 8), open_maanden=2)
    Timestamp('2025-10-01 00:00:00')
    """
    if open_maanden < 0:
        raise ValueError(f"open_maanden: must be 0 or more, got {open_maanden}")
    return pd.Timestamp(peildatum).to_period("M").to_timestamp() - pd.DateOffset(months=1 + open_maanden)


def spend_months(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, laatste_maand: pd.Timestamp) -> pd.DataFrame:
    """Approved spend per month and domain up to ``laatste_maand``: ``maand``, ``domein``, ``toegekend_cent``."""
    tot = maand_einde(laatste_maand.year, laatste_maand.month)
    frame = monthly_spend(con, gemeente=gemeente, by=("domein",), tot=tot)
    if frame.empty:
        raise ValueError(f"gemeente: no approved spend for {gemeente or 'the warehouse'} up to {tot}")
    return complete_months(frame[["maand", "domein", "toegekend_cent"]], laatste_maand=laatste_maand)


def complete_months(frame: pd.DataFrame, *, laatste_maand: pd.Timestamp) -> pd.DataFrame:
    """Every month from the first in ``frame`` to ``laatste_maand`` for every domain, missing spend as 0."""
    months = pd.date_range(frame["maand"].min(), laatste_maand, freq="MS")
    grid = pd.MultiIndex.from_product([months, list(DOMEINEN)], names=["maand", "domein"])
    full = frame.groupby(["maand", "domein"])["toegekend_cent"].sum().reindex(grid, fill_value=0)
    return full.astype("int64").reset_index()


def yearly_income(con: duckdb.DuckDBPyConnection, *, gemeente: str | None) -> pd.DataFrame:
    """Income (rijksmiddelen) per year and domain: ``jaar``, ``domein``, ``inkomsten_cent``."""
    return con.sql("""
        SELECT jaar, domein, sum(bedrag_cent)::BIGINT AS inkomsten_cent
        FROM inkomsten
        WHERE $gemeente IS NULL OR gemeente_code_huidig = $gemeente
        GROUP BY ALL ORDER BY jaar, domein""", params={"gemeente": gemeente}).df().astype(
        {"jaar": "int64", "inkomsten_cent": "int64"})


def base_year(laatste_maand: pd.Timestamp) -> int:
    """The last calendar year whose twelve months are all closed."""
    return laatste_maand.year if laatste_maand.month == 12 else laatste_maand.year - 1


def _year_totals(realised: pd.Series, paths: pd.DataFrame, years: range) -> pd.DataFrame:
    """Each path's year totals, realised months + forecast (rows the years, columns the paths; cents)."""
    done, done_years = realised.to_numpy(dtype=float), realised.index.year
    ahead, ahead_years = paths.to_numpy(dtype=float), paths.index.year
    rows = [done[done_years == jaar].sum() + ahead[ahead_years == jaar].sum(axis=0) for jaar in years]
    return pd.DataFrame(np.vstack(rows), index=pd.Index(years, name="jaar"), columns=paths.columns)


def _year_rows(realised: pd.Series, point: pd.Series, totals: pd.DataFrame) -> pd.DataFrame:
    """Year totals of realised months + forecast, with interval bounds from the paths' year totals (cents)."""
    rows = []
    for jaar, paths in totals.iterrows():
        done = realised[realised.index.year == jaar]
        row = {"jaar": jaar, "uitgaven_cent": done.sum() + point[point.index.year == jaar].sum(),
               "realisatie_maanden": len(done)}
        rows.append(row | bands(paths.to_numpy()))
    return pd.DataFrame(rows)


def bands(totals: np.ndarray) -> dict[str, float]:
    """``uitgaven_{80,95}_{laag,hoog}_cent``: the percentiles of simulated year totals."""
    row = {}
    for name, (lo, hi) in INTERVALLEN.items():
        row[f"uitgaven_{name}_laag_cent"], row[f"uitgaven_{name}_hoog_cent"] = np.percentile(totals, [lo, hi])
    return row


def forecast_paths(series: pd.Series, maanden: int, *, herhalingen: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``predict_paths``, or ``short_paths`` for a history of 12 to 23 months (a region that has only
    just begun to receive messages): the board still gets a forecast, with wide bands, and is told why."""
    make = predict_paths if len(series) >= MIN_MAANDEN else short_paths
    return make(series, maanden, herhalingen=herhalingen, seed=seed)


def forecast_spend_paths(monthly: pd.DataFrame, *, horizon: int, scenario: Scenario = Scenario(),
                         herhalingen: int = 1000, seed: int = 0) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """``forecast_spend`` and, per domain and ``Totaal``, every simulated path's year totals (rows the years,
    columns the paths; cents): sum these over gemeenten for a region's interval."""
    if horizon < 1:
        raise ValueError(f"horizon: must be at least 1 year, got {horizon}")
    laatste = monthly["maand"].max()
    eerste = base_year(laatste)
    years = range(eerste, eerste + horizon + 1)
    maanden = (eerste + horizon - laatste.year) * 12 - laatste.month + 12
    factor = scenario.uitgaven_factor(np.arange(1, maanden + 1))
    frames, totals, total_point, ruis = [], {}, 0, []
    for i, domein in enumerate(DOMEINEN):
        series = monthly[monthly["domein"] == domein].set_index("maand")["toegekend_cent"].astype(float)
        frame, paths = forecast_paths(series, maanden, herhalingen=herhalingen, seed=seed + i)
        # Spend is never negative: a domain fading out must not forecast refunds.
        point, paths = (frame["verwacht"] * factor).clip(lower=0), paths.mul(factor, axis=0).clip(lower=0)
        totals[domein] = _year_totals(series, paths, years)
        frames.append(_year_rows(series, point, totals[domein]).assign(domein=domein))
        total_point, ruis = total_point + point, ruis + [frame.attrs["ruis"]]
    realised = monthly.groupby("maand")["toegekend_cent"].sum().astype(float)
    # The total's band is measured on the total's own history (like any series), around the domains' sum.
    onz = (total_uncertainty(realised.to_numpy(), ruis) if len(realised) >= MIN_MAANDEN
           else short_uncertainty(realised.to_numpy()))
    spread = deviations(onz, maanden, herhalingen=herhalingen, seed=seed + len(DOMEINEN))
    paths = pd.DataFrame(total_point.to_numpy()[:, None] + spread * factor[:, None], index=total_point.index)
    totals[TOTAAL] = _year_totals(realised, paths.clip(lower=0), years)
    frames.append(_year_rows(realised, total_point, totals[TOTAAL]).assign(domein=TOTAAL))
    return _as_cents(pd.concat(frames, ignore_index=True)), totals


def forecast_spend(monthly: pd.DataFrame, *, horizon: int, scenario: Scenario = Scenario(),
                   herhalingen: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Expenditure per year and domain (plus ``Totaal``) from the base year to ``horizon`` years after it.

    ``monthly`` is ``complete_months`` output ending at the last closed month. Columns: ``jaar``,
    ``domein``, ``uitgaven_cent`` (realised + expected), ``uitgaven_{80,95}_{laag,hoog}_cent`` and
    ``realisatie_maanden``; money in integer cents.
    """
    return forecast_spend_paths(monthly, horizon=horizon, scenario=scenario, herhalingen=herhalingen, seed=seed)[0]


def _as_cents(frame: pd.DataFrame) -> pd.DataFrame:
    money = [c for c in frame.columns if c.endswith("_cent")]
    out = frame.assign(**{c: frame[c].round().astype("int64") for c in money})
    return out[["jaar", "domein", *money, "realisatie_maanden"]]


def project_income(inkomsten: pd.DataFrame, *, jaren: range, scenario: Scenario = Scenario()) -> pd.DataFrame:
    """Income per year in ``jaren`` and domain (plus ``Totaal``): known years as they are, later years
    the last known year's income times ``(1 + inkomsten_groei) ** years``. A domain without any income is 0.

    Columns ``jaar``, ``domein``, ``inkomsten_cent`` (int64), ``inkomsten_bekend`` (bool).
    """
    rows = []
    for domein in DOMEINEN:
        known = inkomsten[inkomsten["domein"] == domein].set_index("jaar")["inkomsten_cent"]
        for jaar in jaren:
            earlier = known[known.index <= jaar]
            last = int(earlier.index.max()) if len(earlier) else None
            value = 0 if last is None else round(earlier[last] * scenario.inkomsten_factor(jaar - last))
            rows.append({"jaar": jaar, "domein": domein, "inkomsten_cent": value, "inkomsten_bekend": last == jaar})
    frame = pd.DataFrame(rows)
    totaal = frame.groupby("jaar", as_index=False).agg(inkomsten_cent=("inkomsten_cent", "sum"),
                                                      inkomsten_bekend=("inkomsten_bekend", "all"))
    return pd.concat([frame, totaal.assign(domein=TOTAAL)], ignore_index=True).astype({"inkomsten_cent": "int64"})


def compute_gap(uitgaven: pd.DataFrame, inkomsten: pd.DataFrame) -> pd.DataFrame:
    """Join expenditure (``forecast_spend``) and income (``project_income``) into the gap table.

    Adds ``soort`` (realisatie for the base year, prognose after it), ``saldo_cent`` = income -
    expenditure and ``saldo_pct`` = saldo / income x 100 (NaN without income).
    """
    frame = uitgaven.merge(inkomsten, on=["jaar", "domein"], how="left", validate="one_to_one")
    if frame["inkomsten_cent"].isna().any():
        raise ValueError("inkomsten: no income row for some year and domain of uitgaven")
    saldo = frame["inkomsten_cent"].astype("int64") - frame["uitgaven_cent"]
    pct = (saldo / frame["inkomsten_cent"].where(frame["inkomsten_cent"] != 0)) * 100
    soort = np.where(frame["jaar"] == frame["jaar"].min(), "realisatie", "prognose")
    out = frame.assign(inkomsten_cent=frame["inkomsten_cent"].astype("int64"), saldo_cent=saldo,
                       saldo_pct=pct.astype(float), soort=soort)
    first = ["jaar", "domein", "soort", "inkomsten_cent", "uitgaven_cent", "saldo_cent", "saldo_pct"]
    return out[first + [c for c in out.columns if c not in first]]


def forecast_gap(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, horizon: int = 3,
                 scenario: Scenario = Scenario(), peildatum: date | None = None, open_maanden: int = 2,
                 herhalingen: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The gap table of one gemeente (or the whole warehouse): base year realised, ``horizon`` years forecast.

    One row per year and domain (Jeugd, Wmo, Beschermd Wonen, Totaal): ``jaar``, ``domein``, ``soort``,
    ``inkomsten_cent``, ``inkomsten_bekend``, ``uitgaven_cent`` with its 80% and 95% interval,
    ``realisatie_maanden``, ``saldo_cent`` and ``saldo_pct`` (%). ``frame.attrs["aannames"]`` holds the
    assumptions as Dutch sentences. Money in integer cents.
    """
    return forecast_gap_paths(con, gemeente=gemeente, horizon=horizon, scenario=scenario, peildatum=peildatum,
                              open_maanden=open_maanden, herhalingen=herhalingen, seed=seed)[0]


def forecast_gap_paths(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, horizon: int = 3,
                       scenario: Scenario = Scenario(), peildatum: date | None = None, open_maanden: int = 2,
                       herhalingen: int = 1000, seed: int = 0) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """``forecast_gap`` and its simulated year totals per domain (``forecast_spend_paths``)."""
    check_gemeente(con, gemeente)
    if horizon < 1:
        raise ValueError(f"horizon: must be at least 1 year, got {horizon}")
    peil = peildatum or warehouse_peildatum(con)
    laatste = last_closed_month(peil, open_maanden=open_maanden)
    monthly = spend_months(con, gemeente=gemeente, laatste_maand=laatste)
    eerste = monthly["maand"].min()
    if eerste > pd.Timestamp(base_year(laatste), 1, 1):
        raise GeenVolledigJaar(gemeente, eerste, laatste)
    uitgaven, paths = forecast_spend_paths(monthly, horizon=horizon, scenario=scenario, herhalingen=herhalingen,
                                           seed=seed)
    jaren = range(int(uitgaven["jaar"].min()), int(uitgaven["jaar"].max()) + 1)
    gap = compute_gap(uitgaven, project_income(yearly_income(con, gemeente=gemeente), jaren=jaren, scenario=scenario))
    gap.attrs["aannames"] = [*describe_data(laatste_maand=laatste, peildatum=peil, open_maanden=open_maanden,
                                            herhalingen=herhalingen, maanden=monthly["maand"].nunique()),
                             *scenario.describe()]
    gap.attrs["maanden"] = int(monthly["maand"].nunique())  # under MIN_MAANDEN: the forecast of a short history
    return gap, paths


def region_forecasts(con: duckdb.DuckDBPyConnection, gemeenten: Sequence[str], **kwargs
                     ) -> tuple[dict[str, tuple[pd.DataFrame, dict[str, pd.DataFrame]]], dict[str, pd.Timestamp]]:
    """``forecast_gap_paths`` (with ``kwargs``) of every gemeente of a region, for :func:`region_gap`.

    A gemeente whose approved spend holds no full calendar year yet (:class:`GeenVolledigJaar`: a
    gemeente that has only just begun to send messages) is left out, and returned apart with the first
    month of its data, so the report can name it; every other error is raised. ``ValueError`` when no
    gemeente is left.
    """
    results, buiten = {}, {}
    for code in gemeenten:
        try:
            results[code] = forecast_gap_paths(con, gemeente=code, **kwargs)
        except GeenVolledigJaar as exc:
            buiten[code] = exc.eerste
    if not results:
        raise ValueError(f"gemeenten: none of {list(gemeenten)} holds a full calendar year of approved spend "
                         "to forecast from")
    return results, buiten


def region_gap(results: dict[str, tuple[pd.DataFrame, dict[str, pd.DataFrame]]]) -> pd.DataFrame:
    """The region's ``Totaal`` gap per year from its gemeenten's ``forecast_gap_paths`` results.

    Income, expenditure and saldo are the gemeenten's sums; the 80% and 95% intervals of expenditure are
    percentiles of the summed paths (not sums of the gemeenten's bounds). Columns as ``forecast_gap``'s.
    """
    if not results:
        raise ValueError("results: no gemeente")
    gaps = [gap[gap["domein"] == TOTAAL].set_index("jaar") for gap, _ in results.values()]
    paths = sum(p[TOTAAL] for _, p in results.values())
    sums = sum(g[["inkomsten_cent", "uitgaven_cent"]] for g in gaps)
    rows = [{"jaar": jaar, "domein": TOTAAL, "soort": gaps[0].loc[jaar, "soort"],
             "inkomsten_cent": int(sums.loc[jaar, "inkomsten_cent"]),
             "uitgaven_cent": int(sums.loc[jaar, "uitgaven_cent"]),
             "realisatie_maanden": int(gaps[0].loc[jaar, "realisatie_maanden"]),
             **{k: round(v) for k, v in bands(paths.loc[jaar].to_numpy()).items()}} for jaar in sums.index]
    frame = pd.DataFrame(rows)
    frame["saldo_cent"] = frame["inkomsten_cent"] - frame["uitgaven_cent"]
    income = frame["inkomsten_cent"].astype(float)
    frame["saldo_pct"] = frame["saldo_cent"] / income.where(income != 0) * 100
    return frame


def describe_data(*, laatste_maand: pd.Timestamp, peildatum: date, open_maanden: int,
                  herhalingen: int = 1000, maanden: int = MIN_MAANDEN) -> list[str]:
    """The data-side assumptions of the gap table as Dutch sentences; ``maanden`` is the length of the
    history (under 24: the forecast of a short series, ``short_paths``)."""
    maand = f"{laatste_maand.month:02d}-{laatste_maand.year}"
    paden = f"{herhalingen:_}".replace("_", ".")  # Dutch thousands separator
    if maanden >= MIN_MAANDEN:
        methode = ("Prognose: het gemiddelde van drie modellen (twee vormen van exponentiële afvlakking en "
                   "Theta) op de maanduitgaven per domein; intervallen (80% en 95%) uit "
                   f"{paden} gesimuleerde verlopen, zo breed als de jaartotalen van het domein in het verleden "
                   "schommelden; uitgaven worden nooit negatief voorspeld.")
    else:
        methode = (f"Prognose ({METHODE_KORT}): er zijn pas {maanden} maanden gegevens, te weinig om seizoen en "
                   f"trend te scheiden (daarvoor zijn {MIN_MAANDEN} maanden nodig). De prognose herhaalt daarom het "
                   "laatste jaar; de intervallen (80% en 95%, uit "
                   f"{paden} gesimuleerde verlopen) zijn zo breed als de maanden onderling verschillen, en bewust "
                   "ruim. Lees de prognose als een eerste indicatie; uitgaven worden nooit negatief voorspeld.")
    return [
        f"Peildatum {peildatum:%d-%m-%Y}; de laatste {open_maanden} productmaanden vóór de peildatum tellen als "
        f"nog niet afgehandeld: realisatie tot en met {maand}, daarna prognose.",
        f"Realisatie {base_year(laatste_maand)} is het laatste volledige jaar.",
        methode,
    ]
