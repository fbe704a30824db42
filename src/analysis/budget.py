"""Budget monitoring: approved spend to date against the year's Iv3 begroting, with a year-end projection.

The projection scales the spend to date up by the share of a year's spend that is usually realised by
that month, taken from the gemeente's own monthly profile in earlier full years. :func:`use_forecast`
puts the forecast's year total in its place (the uitgaven report does: the board then reads one
year-end figure in the uitgaven and the prognose report). Approved spend
counts by month of the product period (see :mod:`analysis.spend`), so the latest months are
incomplete while declaraties are still coming in or pending; the pending amounts are shown apart
(``in_behandeling_cent``), not added to the projection. Money is integer cents, ``*_pct`` is %.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.periode import maand_einde
from analysis.spend import DOMEINEN, monthly_spend, round_cents


def _check_period(jaar: int, maand: int) -> None:
    if not (isinstance(jaar, int) and 2000 <= jaar <= 2100):
        raise ValueError(f"jaar: must be an int between 2000 and 2100, got {jaar!r}")
    if not (isinstance(maand, int) and 1 <= maand <= 12):
        raise ValueError(f"maand: must be an int from 1 to 12, got {maand!r}")


def budget_by_domein(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int) -> pd.DataFrame:
    """The year's begroting (Iv3 lasten, status 'begroting') per domein: ``domein``, ``begroting_cent``.

    Only social-domain taakvelden with a domein count (the view's year-aware crosswalk). Total-only
    taakvelden of 2023-2024 (6.71, 6.72, 6.81, 6.82: ``rapporteerbaar`` false) are left out so a
    total is never added to its own parts. All three domeinen are returned (0 when nothing was
    budgeted).
    """
    _check_period(jaar, 1)
    frame = con.sql("""
        SELECT b.domein, sum(b.lasten_cent)::BIGINT AS begroting_cent
        FROM begroting b
        WHERE b.status = 'begroting' AND b.domein IS NOT NULL AND b.rapporteerbaar AND b.jaar = $jaar
          AND ($gemeente IS NULL OR b.gemeente_code_huidig = $gemeente)
        GROUP BY ALL""", params={"gemeente": gemeente, "jaar": jaar}).df()
    return _all_domeinen(frame, "begroting_cent")


def pending_by_domein(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int,
                      maand: int) -> pd.DataFrame:
    """Declared amounts still without an answer (``in_behandeling``) for product periods of ``jaar``
    up to and including ``maand``: ``domein``, ``in_behandeling_cent`` (ingediend, net of credits)."""
    _check_period(jaar, maand)
    frame = con.sql("""
        SELECT domein, sum(ingediend_cent)::BIGINT AS in_behandeling_cent
        FROM declaratieregel
        WHERE status = 'in_behandeling' AND ($gemeente IS NULL OR gemeente_code_huidig = $gemeente)
          AND periode_begin >= make_date($jaar, 1, 1) AND periode_begin <= $einde
        GROUP BY ALL""", params={"gemeente": gemeente, "jaar": jaar, "einde": maand_einde(jaar, maand)}).df()
    return _all_domeinen(frame, "in_behandeling_cent")


def monthly_profile(monthly: pd.DataFrame, *, jaar: int, jaren: int = 3) -> pd.DataFrame:
    """Share of a year's approved spend usually realised by the end of each month, per domein.

    ``monthly`` is :func:`analysis.spend.monthly_spend` by domein (``maand``, ``domein``,
    ``toegekend_cent``). Per domein the profile averages the cumulative shares of the last ``jaren``
    full years before ``jaar`` (a full year has approved spend in all 12 months and a positive total).
    Without such a year the profile is linear (month / 12). Columns ``domein``, ``maand`` (1-12),
    ``aandeel`` (fraction 0-1) and ``profiel_jaren`` (years averaged; 0 = linear).
    """
    _check_period(jaar, 1)
    if not (isinstance(jaren, int) and jaren >= 1):
        raise ValueError(f"jaren: must be a positive int, got {jaren!r}")
    m = monthly.assign(jaar=monthly["maand"].dt.year, nr=monthly["maand"].dt.month)
    m = m[m["jaar"] < jaar].groupby(["domein", "jaar", "nr"], as_index=False)["toegekend_cent"].sum()
    full = m.groupby(["domein", "jaar"]).filter(lambda g: len(g) == 12 and g["toegekend_cent"].sum() > 0)
    full = full[full.groupby("domein")["jaar"].rank(method="dense", ascending=False) <= jaren]
    full = full.sort_values(["domein", "jaar", "nr"])
    full["aandeel"] = (full.groupby(["domein", "jaar"])["toegekend_cent"].cumsum()
                       / full.groupby(["domein", "jaar"])["toegekend_cent"].transform("sum"))
    history = full.groupby(["domein", "nr"], as_index=False).agg(
        aandeel=("aandeel", "mean"), profiel_jaren=("jaar", "nunique"))
    grid = pd.MultiIndex.from_product([DOMEINEN, range(1, 13)], names=["domein", "nr"]).to_frame(index=False)
    out = grid.merge(history, on=["domein", "nr"], how="left")
    linear = out["aandeel"].isna()
    out.loc[linear, "aandeel"] = out.loc[linear, "nr"] / 12
    out["profiel_jaren"] = out["profiel_jaren"].fillna(0).astype("int64")
    return out.rename(columns={"nr": "maand"})


def project_year_end(realised: pd.DataFrame, profile: pd.DataFrame, *, maand: int) -> pd.DataFrame:
    """Year-end projection per domein: spend to month ``maand`` / the share usually realised by then.

    ``realised`` has ``domein``, ``realisatie_cent`` and ``begroting_cent``, and optionally
    ``prognose_basis_cent``: the spend up to ``maand`` when that differs from ``realisatie_cent``
    (the latest months are still open); ``profile`` is :func:`monthly_profile`. Adds ``profiel_pct``
    (share expected by ``maand``, %), ``realisatie_pct`` (spend to date as % of budget),
    ``prognose_cent``, ``afwijking_cent`` (projection - budget; positive = overrun) and
    ``afwijking_pct`` (% of budget; NA without a budget).
    """
    _check_period(2000, maand)
    for name, frame, cols in (("realised", realised, ["domein", "realisatie_cent", "begroting_cent"]),
                              ("profile", profile, ["domein", "maand", "aandeel", "profiel_jaren"])):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise KeyError(f"{name}: missing column(s) {missing}")
    share = profile.loc[profile["maand"] == maand, ["domein", "aandeel", "profiel_jaren"]]
    out = realised.merge(share, on="domein", how="left", validate="one_to_one")
    basis = out["prognose_basis_cent"] if "prognose_basis_cent" in out.columns else out["realisatie_cent"]
    begroting = out["begroting_cent"].astype("Float64").where(out["begroting_cent"] != 0)
    out["profiel_pct"] = (out["aandeel"] * 100).astype("Float64")
    out["realisatie_pct"] = (out["realisatie_cent"] / begroting * 100).astype("Float64")
    out["prognose_cent"] = round_cents(basis / out["aandeel"].where(out["aandeel"] > 0))
    out["afwijking_cent"] = out["prognose_cent"] - out["begroting_cent"]
    out["afwijking_pct"] = (out["afwijking_cent"] / begroting * 100).astype("Float64")
    return out.drop(columns="aandeel")


def budget_monitor(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int, maand: int,
                   jaren: int = 3, laatste_gesloten: date | None = None) -> pd.DataFrame:
    """Budget burn to the end of ``maand`` of ``jaar`` and the projected over/under-run, per domein.

    Columns ``domein``, ``begroting_cent``, ``realisatie_cent`` (approved, product periods from January
    to ``maand``), ``in_behandeling_cent`` (pending, apart), ``prognose_basis_maand`` and
    :func:`project_year_end`'s columns. ``laatste_gesloten`` is the last product month whose
    declarations are complete (e.g. :func:`analysis.forecast.last_closed_month`): when it lies
    before ``maand``, the projection starts from the spend up to that month, so months that are
    still being declared do not read as an underrun. Without a closed month this year, no projection.
    """
    _check_period(jaar, maand)
    monthly = monthly_spend(con, gemeente=gemeente, by=("domein",), tot=maand_einde(jaar, maand))
    this_year = monthly[monthly["maand"].dt.year == jaar]
    basis_maand = _basis_month(jaar, maand, laatste_gesloten)
    frame = (budget_by_domein(con, gemeente=gemeente, jaar=jaar)
             .merge(_sum_by_domein(this_year, "realisatie_cent"), on="domein")
             .merge(_sum_by_domein(this_year[this_year["maand"].dt.month <= basis_maand], "prognose_basis_cent"),
                    on="domein")
             .merge(pending_by_domein(con, gemeente=gemeente, jaar=jaar, maand=maand), on="domein"))
    if basis_maand == 0:
        return _without_projection(frame.drop(columns="prognose_basis_cent"))
    profile = monthly_profile(monthly, jaar=jaar, jaren=jaren)
    out = project_year_end(frame, profile, maand=basis_maand)
    return out.drop(columns="prognose_basis_cent").assign(prognose_basis_maand=basis_maand)


def _basis_month(jaar: int, maand: int, laatste_gesloten: date | None) -> int:
    """The month of ``jaar`` the projection starts from: ``maand``, or the last closed month before it."""
    if laatste_gesloten is None or (laatste_gesloten.year, laatste_gesloten.month) >= (jaar, maand):
        return maand
    return laatste_gesloten.month if laatste_gesloten.year == jaar else 0


def _sum_by_domein(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    summed = monthly.groupby("domein", as_index=False)["toegekend_cent"].sum()
    return _all_domeinen(summed.rename(columns={"toegekend_cent": column}), column)


def _without_projection(frame: pd.DataFrame) -> pd.DataFrame:
    begroting = frame["begroting_cent"].astype("Float64").where(frame["begroting_cent"] != 0)
    na = pd.array([pd.NA] * len(frame), dtype="Float64")
    return frame.assign(profiel_jaren=0, profiel_pct=na, realisatie_pct=(frame["realisatie_cent"] / begroting * 100),
                        prognose_cent=pd.array([pd.NA] * len(frame), dtype="Int64"),
                        afwijking_cent=pd.array([pd.NA] * len(frame), dtype="Int64"), afwijking_pct=na,
                        prognose_basis_maand=0)


def _all_domeinen(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per domein in DOMEINEN order, 0 where ``frame`` has none."""
    out = pd.DataFrame({"domein": list(DOMEINEN)}).merge(frame, on="domein", how="left")
    return out.assign(**{column: out[column].fillna(0).astype("int64")})



def use_forecast(monitor: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """``monitor`` (:func:`budget_monitor`) with the forecast's year-end projection instead of the profile's.

    ``forecast`` has ``domein`` and ``prognose_cent``: the year's total per domein from
    :func:`analysis.forecast.forecast_gap` (its closed months realised, the rest forecast). A domein
    without one keeps the profile's projection; ``prognose_bron`` says which it is (``"prognose"`` or
    ``"profiel"``, NA without a projection). ``afwijking_cent`` and ``afwijking_pct`` follow.
    """
    for name, frame, cols in (("monitor", monitor, ["domein", "begroting_cent", "prognose_cent"]),
                              ("forecast", forecast, ["domein", "prognose_cent"])):
        if missing := [c for c in cols if c not in frame.columns]:
            raise KeyError(f"{name}: missing column(s) {missing}")
    given = monitor["domein"].map(forecast.set_index("domein")["prognose_cent"]).astype("Int64")
    prognose = given.fillna(monitor["prognose_cent"].astype("Int64"))
    begroting = monitor["begroting_cent"].astype("Float64").where(monitor["begroting_cent"] != 0)
    bron = pd.Series(pd.NA, index=monitor.index, dtype="string").mask(monitor["prognose_cent"].notna(), "profiel")
    afwijking = prognose - monitor["begroting_cent"].astype("Int64")
    return monitor.assign(prognose_cent=prognose, afwijking_cent=afwijking,
                          afwijking_pct=(afwijking / begroting * 100).astype("Float64"),
                          prognose_bron=bron.mask(given.notna().to_numpy(dtype=bool), "prognose"))
