"""Contract block: plafond utilisation with a year-end projection, contracts that end soon, KPI targets.

Definitions
- Contracts belong to a jeugdzorgregio (``contract.regio``), not to one gemeente. With a gemeente,
  the contracts of its jeugdzorgregio are shown, and a plafond is compared with the approved spend
  of the **whole region** under that contract (the plafond is agreed for the region); the
  gemeente's own part is shown apart (``toegekend_gemeente_cent``).
- A line is spent **under a contract** when the contract is of the same aanbieder and region, its
  period covers the line's product period begin, and it agrees a tariff for the line's productcode
  in that year (``contract_tarief``). A line that fits two contracts counts once, under the one
  that began last.
- Plafond (``plafond_per``): ``"jaar"`` (default, as the demo and most regions agree it) reads
  ``plafond_cent`` as a ceiling per calendar year, pro rata for a year the contract covers in part
  (a contract that ends on 30 June has half the plafond that year). ``"looptijd"`` reads it as a
  ceiling for the whole contract period, spread over its years pro rata by days; an open-ended
  contract then has no plafond for a year. No plafond (NULL) gives NaN utilisation.
- Year-end projection: the spend to date divided by the share of the year's spend that usually
  falls in the months to date, within the contract's months of the year. "Usually" is the monthly
  profile of the region's approved spend in the previous year (equal months when a month of it
  has no spend).
  Late declarations are not corrected for: the latest months are still incomplete at a peildatum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.suppliers._common import as_int, resolve_period, run, same_day_last_year, share_pct
from analysis.suppliers.financial import declaration_correctness
from analysis.suppliers.performance import trajectory_outcomes
from analysis.suppliers.relation import satisfaction

SHARE_KPIS = ("aandeel_volgens_plan", "aandeel_voortijdig_beeindigd", "declaratie_juistheid")
"""KPIs measured as a fraction (0-1); a streefwaarde above 1 for these is read as a percentage."""
KPIS = (*SHARE_KPIS, "tevredenheid")


def _region(con: duckdb.DuckDBPyConnection, gemeente: str | None) -> dict:
    """Filters and parameters for the contracts and lines of the gemeente's jeugdzorgregio."""
    if gemeente is None:
        return {"contract": "", "regel": "", "params": {}}
    regio = con.sql("SELECT jeugdzorgregio FROM ref_gemeente WHERE gemeente_code = $g",
                    params={"g": gemeente}).fetchall()[0][0]
    codes = [r[0] for r in con.sql("SELECT gemeente_code FROM ref_gemeente WHERE jeugdzorgregio = $r",
                                   params={"r": regio}).fetchall()]
    return {"contract": "AND c.regio = $regio", "regel": "AND d.gemeente_code_huidig IN (SELECT unnest($codes))",
            "params": {"regio": regio, "codes": codes}}


def _attributed(region: dict) -> str:
    """SQL of the approved lines from ``$van`` to ``$tot`` with the contract they are spent under."""
    return f"""
        SELECT c.contract_id, d.gemeente_code_huidig, d.periode_begin, d.toegekend_cent, d.client_id
        FROM declaratieregel d
        JOIN ref_gemeente g ON g.gemeente_code = d.gemeente_code_huidig
        JOIN contract c ON c.aanbieder_agb = d.aanbieder_agb AND c.regio = g.jeugdzorgregio
             AND d.periode_begin BETWEEN c.begindatum AND coalesce(c.einddatum, DATE '9999-12-31')
        JOIN contract_tarief t ON t.contract_id = c.contract_id AND t.productcode = d.productcode
             AND t.jaar = year(d.periode_begin)
        WHERE d.status = 'goedgekeurd' AND d.periode_begin BETWEEN $van AND $tot {region['regel']}
        QUALIFY row_number() OVER (PARTITION BY d.aanbieder_agb, d.declaratienummer, d.referentienummer
                                   ORDER BY c.begindatum DESC, c.contract_id) = 1"""


def plafond_for_year(contracts: pd.DataFrame, *, jaar: int,
                     plafond_per: Literal["jaar", "looptijd"] = "jaar") -> pd.Series:
    """The part of each contract's ``plafond_cent`` that applies to ``jaar`` (cents, Int64).

    ``"jaar"``: plafond x (contract days in the year / days in the year). ``"looptijd"``: plafond x
    (contract days in the year / contract days); NA for an open-ended contract.
    """
    if plafond_per not in ("jaar", "looptijd"):
        raise ValueError(f"plafond_per: expected 'jaar' or 'looptijd', got {plafond_per!r}")
    first, last = pd.Timestamp(jaar, 1, 1), pd.Timestamp(jaar, 12, 31)
    begin = pd.to_datetime(contracts["begindatum"])
    end = pd.to_datetime(contracts["einddatum"])
    days_in_year = (np.minimum(end.fillna(last), last) - np.maximum(begin, first)).dt.days + 1
    days_in_year = days_in_year.clip(lower=0)
    whole = (last - first).days + 1 if plafond_per == "jaar" else (end - begin).dt.days + 1
    fraction = days_in_year / whole
    return pd.Series(np.round(contracts["plafond_cent"].astype("float64") * fraction),
                     index=contracts.index).astype("Int64")


def project_contract_year(frame: pd.DataFrame, *, profiel: Sequence[float], t_m_maand: int) -> pd.Series:
    """Projected approved spend of each contract for its months of the year (cents, Int64) from the spend
    to date (the budget's year-end projection per domein is :func:`analysis.budget.project_year_end`).

    ``frame`` has ``toegekend_cent`` (spend up to and including month ``t_m_maand``),
    ``eerste_maand`` and ``laatste_maand`` (the contract's months in the year, 1-12). ``profiel``
    gives 12 monthly weights (e.g. last year's spend per month); a profile with a month of 0 or
    less (an incomplete year) is replaced by equal months. Projection = spend to date / (weight of
    the contract's months up to ``t_m_maand`` / weight of all its months); NA while none of its
    months has passed.
    """
    weights = np.asarray(profiel, dtype="float64")
    if weights.shape != (12,):
        raise ValueError(f"profiel: expected 12 monthly weights, got {weights.size}")
    if not 1 <= t_m_maand <= 12:
        raise ValueError(f"t_m_maand: expected a month 1-12, got {t_m_maand}")
    weights = weights if (weights > 0).all() else np.ones(12)
    cumulative = np.r_[0.0, np.cumsum(weights)]
    first, last = frame["eerste_maand"].to_numpy(int), frame["laatste_maand"].to_numpy(int)
    covered = cumulative[np.minimum(last, t_m_maand)] - cumulative[first - 1]
    total = cumulative[last] - cumulative[first - 1]
    share = np.where(covered > 0, covered / np.where(total > 0, total, 1.0), np.nan)
    projected = np.round(frame["toegekend_cent"].to_numpy("float64") / share)
    return pd.Series(projected, index=frame.index).astype("Int64")


def plafond_utilisation(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                        jaar: int | None = None, peildatum: date | None = None,
                        plafond_per: Literal["jaar", "looptijd"] = "jaar") -> pd.DataFrame:
    """Approved spend under each contract of the year against its plafond, with a year-end projection.

    One row per contract running in the year (of the gemeente's jeugdzorgregio). Columns: contract
    fields, ``plafond_jaar_cent`` (:func:`plafond_for_year`), ``toegekend_cent`` (region, to
    peildatum), ``toegekend_gemeente_cent``, ``clienten`` (region) and ``clienten_gemeente``,
    ``benutting_pct`` (%),
    ``prognose_cent`` (:func:`project_contract_year`) and ``prognose_benutting_pct`` (%).
    """
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    if plafond_per not in ("jaar", "looptijd"):
        raise ValueError(f"plafond_per: expected 'jaar' or 'looptijd', got {plafond_per!r}")
    region = _region(con, gemeente)
    contracts = _contracts_in_year(con, region, period.jaar)
    spend = run(con, f"""
        SELECT contract_id, sum(toegekend_cent)::BIGINT AS toegekend_cent,
               coalesce(sum(toegekend_cent) FILTER (WHERE gemeente_code_huidig = $gemeente), 0)::BIGINT
                   AS toegekend_gemeente_cent,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0 AND gemeente_code_huidig = $gemeente)
                   AS clienten_gemeente
        FROM ({_attributed(region)}) GROUP BY contract_id""",
        van=period.begin, tot=period.eind, gemeente=gemeente, **region["params"])
    if gemeente is None:
        spend = spend.assign(toegekend_gemeente_cent=spend["toegekend_cent"], clienten_gemeente=spend["clienten"])
    frame = as_int(contracts.merge(spend, on="contract_id", how="left"),
                   ["toegekend_cent", "toegekend_gemeente_cent", "clienten", "clienten_gemeente"])
    frame = frame.assign(plafond_jaar_cent=plafond_for_year(frame, jaar=period.jaar, plafond_per=plafond_per),
                         prognose_cent=project_contract_year(frame, profiel=_profile(con, region, period.jaar - 1),
                                                        t_m_maand=period.eind.month))
    return frame.assign(
        benutting_pct=share_pct(frame["toegekend_cent"], frame["plafond_jaar_cent"]),
        prognose_benutting_pct=share_pct(frame["prognose_cent"], frame["plafond_jaar_cent"]),
    ).drop(columns=["eerste_maand", "laatste_maand"])


def _contracts_in_year(con: duckdb.DuckDBPyConnection, region: dict, jaar: int) -> pd.DataFrame:
    """Contracts that run for part of ``jaar``, with their first and last month in it."""
    return run(con, f"""
        SELECT c.contract_id, c.aanbieder_agb, c.aanbieder_naam, c.domein, c.perceel, c.begindatum,
               c.einddatum, c.plafond_cent,
               CASE WHEN year(c.begindatum) < $jaar THEN 1 ELSE month(c.begindatum) END AS eerste_maand,
               CASE WHEN c.einddatum IS NULL OR year(c.einddatum) > $jaar THEN 12 ELSE month(c.einddatum) END
                   AS laatste_maand
        FROM contract c
        WHERE year(c.begindatum) <= $jaar AND (c.einddatum IS NULL OR year(c.einddatum) >= $jaar)
              {region['contract']}
        ORDER BY c.contract_id""", jaar=jaar, **region["params"])


def _profile(con: duckdb.DuckDBPyConnection, region: dict, jaar: int) -> list[float]:
    """Approved spend per month 1-12 of ``jaar`` in the region (all zero when there is none)."""
    rows = run(con, f"""
        SELECT month(d.periode_begin) AS maand, sum(d.toegekend_cent)::DOUBLE AS cent
        FROM declaratieregel d
        WHERE d.status = 'goedgekeurd' AND d.periode_begin BETWEEN $van AND $tot {region['regel']}
        GROUP BY ALL""", van=date(jaar, 1, 1), tot=date(jaar, 12, 31), **region["params"])
    by_month = dict(zip(rows["maand"], rows["cent"]))
    return [float(by_month.get(m, 0.0)) for m in range(1, 13)]


def expiring_contracts(con: duckdb.DuckDBPyConnection, *, peildatum: date, gemeente: str | None = None,
                       horizons: tuple[int, ...] = (6, 12)) -> pd.DataFrame:
    """Contracts that end on or after ``peildatum`` and within the longest horizon (months).

    Columns: contract fields, ``dagen_tot_einde``, one ``binnen_<n>_maanden`` flag per horizon,
    ``opvolger_contract_id`` (a later contract of the same aanbieder, region and perceel, if any),
    and the approved spend under the contract in the 12 months up to peildatum
    (``toegekend_12m_cent``, region) with its ``clienten``. Sorted by einddatum.
    """
    if not horizons or any(isinstance(h, bool) or not isinstance(h, int) or h <= 0 for h in horizons):
        raise ValueError(f"horizons: expected positive whole months, got {horizons!r}")
    check_gemeente(con, gemeente)
    resolve_period(jaar=None, peildatum=peildatum)
    region = _region(con, gemeente)
    flags = "".join(f", c.einddatum <= $peildatum + INTERVAL {h} MONTH AS binnen_{h}_maanden" for h in horizons)
    frame = run(con, f"""
        WITH spend AS (
            SELECT contract_id, sum(toegekend_cent)::BIGINT AS toegekend_12m_cent,
                   count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
            FROM ({_attributed(region)}) GROUP BY contract_id
        )
        SELECT c.contract_id, c.aanbieder_agb, c.aanbieder_naam, c.domein, c.perceel, c.begindatum,
               c.einddatum, c.plafond_cent, datediff('day', $peildatum, c.einddatum) AS dagen_tot_einde{flags},
               (SELECT min(o.contract_id) FROM contract o WHERE o.aanbieder_agb = c.aanbieder_agb
                   AND o.regio = c.regio AND o.perceel = c.perceel AND o.begindatum > c.einddatum)
                   AS opvolger_contract_id,
               s.toegekend_12m_cent, s.clienten
        FROM contract c LEFT JOIN spend s USING (contract_id)
        WHERE c.einddatum >= $peildatum AND c.einddatum <= $peildatum + INTERVAL {max(horizons)} MONTH
              {region['contract']}
        ORDER BY c.einddatum, c.contract_id""",
        peildatum=peildatum, van=same_day_last_year(peildatum) + timedelta(days=1), tot=peildatum,
        **region["params"])
    return as_int(frame, ["toegekend_12m_cent", "clienten"])


def kpi_targets(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                peildatum: date | None = None) -> pd.DataFrame:
    """The KPI targets (``contract_kpi``) of the contracts running in the period, one row per KPI."""
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    region = _region(con, gemeente)
    return run(con, f"""
        SELECT c.contract_id, c.aanbieder_agb, c.aanbieder_naam, c.domein, c.perceel, k.kpi, k.norm, k.streefwaarde
        FROM contract c JOIN contract_kpi k USING (contract_id)
        WHERE c.begindatum <= $eind AND (c.einddatum IS NULL OR c.einddatum >= $begin) {region['contract']}
        ORDER BY c.contract_id, k.kpi""", **period.params(), **region["params"])


def kpi_actuals(*, correctness: pd.DataFrame, outcomes: pd.DataFrame, satisfaction_: pd.DataFrame) -> pd.DataFrame:
    """The realised value of each KPI per aanbieder and domein, from the other blocks' frames.

    Inputs are per ``aanbieder_agb`` and ``domein``: :func:`declaration_correctness`,
    :func:`trajectory_outcomes` and :func:`satisfaction` (one year). Shares become fractions (0-1)
    like the streefwaarden; ``clienten`` is the basis of each value. Long frame: ``aanbieder_agb``,
    ``domein``, ``kpi``, ``waarde``, ``clienten``.
    """
    keys = ["aanbieder_agb", "domein"]
    sources = ((correctness, "declaratie_juistheid", "juistheid_bedrag_pct", 100.0),
               (outcomes, "aandeel_volgens_plan", "aandeel_volgens_plan_pct", 100.0),
               (outcomes, "aandeel_voortijdig_beeindigd", "aandeel_voortijdig_pct", 100.0),
               (satisfaction_, "tevredenheid", "score", 1.0))
    parts = []
    for frame, kpi, column, scale in sources:
        if missing := {*keys, column, "clienten"} - set(frame.columns):
            raise ValueError(f"{kpi}: input frame lacks column(s) {sorted(missing)}")
        parts.append(frame[keys].assign(kpi=kpi, waarde=frame[column].astype("float64") / scale,
                                        clienten=frame["clienten"].astype("int64")))
    return pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])


def assess_kpis(targets: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Targets with their realised ``waarde``, ``clienten`` and ``gehaald`` (boolean, NA without a value).

    ``norm`` min: met when waarde >= streefwaarde; max: when waarde <= streefwaarde. For
    :data:`SHARE_KPIS` a streefwaarde above 1 is read as a percentage (70 means 0.70).
    """
    if bad := set(targets["norm"]) - {"min", "max"}:
        raise ValueError(f"targets: norm must be 'min' or 'max', got {sorted(bad)}")
    target = targets["streefwaarde"].astype("float64")
    target = target.where(~(targets["kpi"].isin(SHARE_KPIS) & (target > 1)), target / 100)
    frame = targets.assign(streefwaarde=target).merge(actuals, on=["aanbieder_agb", "domein", "kpi"], how="left")
    met = np.where(frame["norm"] == "min", frame["waarde"] >= frame["streefwaarde"],
                   frame["waarde"] <= frame["streefwaarde"])
    gehaald = pd.Series(met, index=frame.index, dtype="boolean").mask(frame["waarde"].isna())
    return frame.assign(gehaald=gehaald, clienten=frame["clienten"].astype("Int64"))


def contract_kpis(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                  peildatum: date | None = None) -> pd.DataFrame:
    """KPI targets of the contracts in the period, met or not, using the figures of the other blocks.

    The realised values are per aanbieder and domein for the gemeente (or the warehouse) in the
    period: :func:`kpi_actuals`, judged by :func:`assess_kpis`.
    """
    targets = kpi_targets(con, gemeente=gemeente, jaar=jaar, peildatum=peildatum)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    options = dict(gemeente=gemeente, peildatum=period.eind, by=("domein",))
    actuals = kpi_actuals(correctness=declaration_correctness(con, **options),
                          outcomes=trajectory_outcomes(con, **options),
                          satisfaction_=satisfaction(con, gemeente=gemeente, jaar=period.jaar, by=("domein",),
                                                     trend=False))
    return assess_kpis(targets, actuals)
