"""The scorecard: a red/amber/green status per aanbieder for each block, an overall status and a
ranking, plus the concentration of spend.

Definitions
- Statuses are Dutch words for the board: ``groen``, ``oranje``, ``rood``, and ``geen oordeel``
  when nothing in a block could be judged.
- Per block (thresholds in :class:`Thresholds`):
  financieel = the worse of declaratie_juistheid (by amount) and the share of the compared amount
  declared above the contract tariff; contract = the worse of the projected plafond use (the
  highest of the aanbieder's contracts with a plafond that rest on at least ``min_basis`` clients of
  the region: a smaller contract's use is a figure about few clients) and the number of KPI targets
  not met;
  prestatie = the worst of the share ended volgens plan, the share of toewijzingen started within the
  waiting-time norm (:func:`analysis.suppliers.wachttijd.wachttijd`, toewijzingen of the period) and
  the share of ended care followed by a new toewijzing in the same domain within 12 months
  (:func:`analysis.suppliers.herhaald_beroep.herhaald_beroep`, ends of the year before followed up to
  the end of the period: only those can have had their 12 months); relatie = the satisfaction score.
- An indicator resting on fewer than ``min_basis`` clients (respondents, trajectories judged) is not
  judged: too few to call an aanbieder red. The figures themselves are still shown (suppression of
  small cells is the presentation layer's job).
- Overall status = the worst judged block. Ranking (``rang`` 1 = first to look at): overall status
  (rood, oranje, groen, geen oordeel), then the number of red and of amber blocks, then approved
  spend, largest first.
- Contract figures are regional (a plafond and KPIs are agreed for the jeugdzorgregio); all other
  figures are for the gemeente (or the whole warehouse) and the period.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from analysis.suppliers._common import resolve_period
from analysis.suppliers.contract import contract_kpis, plafond_utilisation
from analysis.suppliers.financial import declaration_correctness, supplier_spend, tariff_compliance
from analysis.suppliers.herhaald_beroep import herhaald_beroep
from analysis.suppliers.performance import trajectory_outcomes
from analysis.suppliers.relation import satisfaction
from analysis.suppliers.wachttijd import wachttijd

STATUSES = ("rood", "oranje", "groen", "geen oordeel")
OPTIONAL_INDICATORS = (("wachttijd_binnen_norm_pct", "wachttijd_clienten"), ("herhaald_beroep_pct", "herhaald_clienten"))
"""Indicators of the prestatie block a caller may leave out (they are then not judged)."""
"""From worst to best; the order of the ranking."""
BLOCKS = ("financieel", "contract", "prestatie", "relatie")


@dataclass(frozen=True)
class Thresholds:
    """Where green ends and red begins for each indicator; between the two is amber (oranje).

    Defaults: the demo contracts' KPI norms (declaratie_juistheid at least 95 %, volgens plan at
    least 70 %, tevredenheid at least 7.0) mark the red or green line, with a margin for amber.
    """

    juistheid_groen_pct: float = 98.0  # toegekend / ingediend (amount) at least this: green
    juistheid_rood_pct: float = 95.0  # below this: red
    tarief_boven_groen_pct: float = 1.0  # % of compared amount declared above contract at most this: green
    tarief_boven_rood_pct: float = 5.0  # above this: red
    plafond_groen_pct: float = 100.0  # projected plafond use (%) at most this: green
    plafond_rood_pct: float = 110.0  # above this: red
    kpi_niet_gehaald_rood: int = 2  # KPI targets not met: 0 green, 1 up to this amber, this many or more red
    volgens_plan_groen_pct: float = 70.0  # % ended volgens plan at least this: green
    volgens_plan_rood_pct: float = 60.0  # below this: red
    tevredenheid_groen: float = 7.5  # score (1-10) at least this: green
    tevredenheid_rood: float = 7.0  # below this: red
    wachttijd_norm_dagen: int = 42  # the waiting-time norm: days from toewijzing to start (Treeknorm, six weeks)
    wachttijd_groen_pct: float = 90.0  # % of toewijzingen started within the norm at least this: green
    wachttijd_rood_pct: float = 75.0  # below this: red
    herhaald_groen_pct: float = 10.0  # % of ended care back within 12 months at most this: green
    herhaald_rood_pct: float = 20.0  # above this: red
    min_basis: int = 10  # fewer clients / respondents than this: the indicator is not judged

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{f.name}: expected a number >= 0, got {value!r}")
        for name in ("juistheid", "volgens_plan", "wachttijd"):
            if getattr(self, f"{name}_groen_pct") < getattr(self, f"{name}_rood_pct"):
                raise ValueError(f"{name}_groen_pct: must not be below {name}_rood_pct")
        for name in ("tarief_boven", "plafond", "herhaald"):
            if getattr(self, f"{name}_groen_pct") > getattr(self, f"{name}_rood_pct"):
                raise ValueError(f"{name}_groen_pct: must not be above {name}_rood_pct")
        if self.tevredenheid_groen < self.tevredenheid_rood:
            raise ValueError("tevredenheid_groen: must not be below tevredenheid_rood")
        if self.kpi_niet_gehaald_rood < 1:
            raise ValueError("kpi_niet_gehaald_rood: must be at least 1")
        if not isinstance(self.wachttijd_norm_dagen, int):
            raise ValueError(f"wachttijd_norm_dagen: expected a whole number of days, got {self.wachttijd_norm_dagen!r}")


def rag(values: pd.Series, *, groen: float, rood: float, higher_is_better: bool = True) -> pd.Series:
    """``groen`` / ``oranje`` / ``rood`` per value (NA where the value is missing).

    Higher is better: green at or above ``groen``, red below ``rood``. Lower is better: green at or
    below ``groen``, red above ``rood``.
    """
    if (groen < rood) if higher_is_better else (groen > rood):
        raise ValueError(f"groen: {groen} is on the wrong side of rood {rood}")
    v = values.astype("float64")
    good, bad = (v >= groen, v < rood) if higher_is_better else (v <= groen, v > rood)
    status = np.select([v.isna(), good, bad], ["", "groen", "rood"], default="oranje")
    return pd.Series(status, index=values.index, dtype="str").replace("", pd.NA)


def _worst(*statuses: pd.Series) -> pd.Series:
    """The worst status per row, NA when none is given."""
    rank = pd.concat([s.map({"rood": 0, "oranje": 1, "groen": 2}) for s in statuses], axis=1).min(axis=1)
    return rank.map({0: "rood", 1: "oranje", 2: "groen"}).astype("str")


def rate_suppliers(indicators: pd.DataFrame, *, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Add ``status_<block>`` for each of :data:`BLOCKS`, ``status`` (overall) and ``rang``.

    ``indicators`` has one row per aanbieder with ``toegekend_cent`` and the indicators with their
    basis: ``juistheid_bedrag_pct``/``juistheid_clienten``, ``aandeel_bedrag_boven_pct``/
    ``tarief_clienten``, ``prognose_benutting_pct``/``plafond_clienten``, ``kpi_niet_gehaald``,
    ``aandeel_volgens_plan_pct``/``volgens_plan_clienten``, ``score``/``respondenten``, and optionally
    ``wachttijd_binnen_norm_pct``/``wachttijd_clienten`` and ``herhaald_beroep_pct``/``herhaald_clienten``.
    Missing indicators are NaN. Sorted by ``rang``.
    """
    t = thresholds
    needed = {"toegekend_cent", "juistheid_bedrag_pct", "juistheid_clienten", "aandeel_bedrag_boven_pct",
              "tarief_clienten", "prognose_benutting_pct", "plafond_clienten", "kpi_niet_gehaald",
              "aandeel_volgens_plan_pct",
              "volgens_plan_clienten", "score", "respondenten"}
    if missing := needed - set(indicators.columns):
        raise ValueError(f"indicators: missing column(s) {sorted(missing)}")
    f = indicators.copy()
    for value, basis in OPTIONAL_INDICATORS:
        if value not in f.columns:
            f[value], f[basis] = np.nan, pd.NA

    def judged(value: str, basis: str) -> pd.Series:
        return f[value].astype("float64").where(f[basis].astype("Float64").fillna(0) >= t.min_basis)

    blocks = {
        "financieel": _worst(rag(judged("juistheid_bedrag_pct", "juistheid_clienten"),
                                 groen=t.juistheid_groen_pct, rood=t.juistheid_rood_pct),
                             rag(judged("aandeel_bedrag_boven_pct", "tarief_clienten"), groen=t.tarief_boven_groen_pct,
                                 rood=t.tarief_boven_rood_pct, higher_is_better=False)),
        "contract": _worst(rag(judged("prognose_benutting_pct", "plafond_clienten"), groen=t.plafond_groen_pct,
                               rood=t.plafond_rood_pct, higher_is_better=False),
                           rag(f["kpi_niet_gehaald"], groen=0, rood=t.kpi_niet_gehaald_rood - 0.5,
                               higher_is_better=False)),
        "prestatie": _worst(rag(judged("aandeel_volgens_plan_pct", "volgens_plan_clienten"),
                                groen=t.volgens_plan_groen_pct, rood=t.volgens_plan_rood_pct),
                            rag(judged("wachttijd_binnen_norm_pct", "wachttijd_clienten"),
                                groen=t.wachttijd_groen_pct, rood=t.wachttijd_rood_pct),
                            rag(judged("herhaald_beroep_pct", "herhaald_clienten"), groen=t.herhaald_groen_pct,
                                rood=t.herhaald_rood_pct, higher_is_better=False)),
        "relatie": rag(judged("score", "respondenten"), groen=t.tevredenheid_groen, rood=t.tevredenheid_rood),
    }
    rated = f.assign(**{f"status_{b}": s.fillna("geen oordeel") for b, s in blocks.items()},
                     status=_worst(*blocks.values()).fillna("geen oordeel"))
    order = rated.assign(
        _status=rated["status"].map({s: i for i, s in enumerate(STATUSES)}),
        _rood=sum((rated[f"status_{b}"] == "rood").astype(int) for b in BLOCKS),
        _oranje=sum((rated[f"status_{b}"] == "oranje").astype(int) for b in BLOCKS),
    ).sort_values(["_status", "_rood", "_oranje", "toegekend_cent"], ascending=[True, False, False, False],
                  kind="stable")
    return order.drop(columns=["_status", "_rood", "_oranje"]).assign(rang=np.arange(1, len(order) + 1)) \
        .reset_index(drop=True)


def spend_concentration(spend: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """How concentrated approved spend is over aanbieders: one row.

    ``spend`` has one row per aanbieder with ``toegekend_cent`` (e.g. :func:`supplier_spend`).
    Aanbieders with net spend of 0 or less are left out. Columns: ``aanbieders``, ``toegekend_cent``,
    ``top_cent`` (the ``top`` largest), ``top_aandeel_pct`` (%), and ``hhi``, the
    Herfindahl-Hirschman index: the sum of squared shares in %, 0-10,000 (above 2,500: concentrated).
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top: expected a whole number >= 1, got {top!r}")
    if "toegekend_cent" not in spend.columns:
        raise ValueError("spend: missing column 'toegekend_cent'")
    cents = spend["toegekend_cent"][spend["toegekend_cent"] > 0].astype("int64").sort_values(ascending=False)
    total = int(cents.sum())
    shares = 100.0 * cents / total if total else cents.astype("float64")
    return pd.DataFrame({"aanbieders": [len(cents)], "toegekend_cent": [total],
                         "top_cent": [int(cents.head(top).sum())],
                         "top_aandeel_pct": [100.0 * cents.head(top).sum() / total if total else np.nan],
                         "hhi": [float((shares ** 2).sum()) if total else np.nan]})


def supplier_scorecard(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                       peildatum: date | None = None, thresholds: Thresholds = Thresholds(),
                       plafond_per: Literal["jaar", "looptijd"] = "jaar") -> pd.DataFrame:
    """The scorecard for every aanbieder with approved spend in the period (:func:`rate_suppliers`).

    Columns: ``rang``, ``aanbieder_agb``, ``aanbieder_naam``, ``status`` and ``status_<block>``,
    then the indicators they rest on (cents, %, score) with their client counts.
    """
    if not isinstance(thresholds, Thresholds):
        raise TypeError(f"thresholds: expected a Thresholds, got {type(thresholds).__name__}")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    opts = dict(gemeente=gemeente, peildatum=period.eind)
    indicators = _indicators(
        spend=supplier_spend(con, **opts), correctness=declaration_correctness(con, **opts),
        tariffs=tariff_compliance(con, **opts),
        plafonds=plafond_utilisation(con, **opts, plafond_per=plafond_per),
        kpis=contract_kpis(con, **opts), outcomes=trajectory_outcomes(con, **opts),
        satisfaction_=satisfaction(con, gemeente=gemeente, jaar=period.jaar, trend=False),
        waiting=wachttijd(con, **opts, norm_dagen=thresholds.wachttijd_norm_dagen, by=("aanbieder_agb",)),
        returns=herhaald_beroep(con, gemeente=gemeente, jaar=period.jaar - 1, meetdatum=period.eind,
                                by=("aanbieder_agb",)),
        min_basis=thresholds.min_basis)
    rated = rate_suppliers(indicators, thresholds=thresholds)
    first = ["rang", "aanbieder_agb", "aanbieder_naam", "status", *(f"status_{b}" for b in BLOCKS)]
    return rated[first + [c for c in rated.columns if c not in first]]


def _indicators(*, spend: pd.DataFrame, correctness: pd.DataFrame, tariffs: pd.DataFrame, plafonds: pd.DataFrame,
                kpis: pd.DataFrame, outcomes: pd.DataFrame, satisfaction_: pd.DataFrame, waiting: pd.DataFrame,
                returns: pd.DataFrame, min_basis: int) -> pd.DataFrame:
    """One row per aanbieder with spend in the period, with each block's indicators and basis.

    KPI targets count when judged on at least ``min_basis`` clients; the plafond use is that of the aanbieder's
    contract with the highest projected use among those with at least ``min_basis`` clients
    (:func:`_highest_plafond`).
    """
    base = spend.loc[(spend["toegekend_cent"] != 0) | (spend["clienten"] > 0),
                     ["aanbieder_agb", "aanbieder_naam", "toegekend_cent", "clienten", "kosten_per_client_cent",
                      "groei_pct"]]
    judged_kpis = kpis[kpis["gehaald"].notna() & (kpis["clienten"] >= min_basis)]
    parts = [
        correctness.set_index("aanbieder_agb")[["juistheid_bedrag_pct", "clienten"]]
        .rename(columns={"clienten": "juistheid_clienten"}),
        tariffs.set_index("aanbieder_agb")[["aandeel_bedrag_boven_pct", "overschrijding_cent", "clienten"]]
        .rename(columns={"clienten": "tarief_clienten"}),
        _highest_plafond(plafonds, min_basis=min_basis),
        judged_kpis.groupby("aanbieder_agb").agg(kpi_beoordeeld=("gehaald", "size"),
                                                 kpi_niet_gehaald=("gehaald", lambda g: int((~g).sum()))),
        outcomes.set_index("aanbieder_agb")[["aandeel_volgens_plan_pct", "clienten"]]
        .rename(columns={"clienten": "volgens_plan_clienten"}),
        satisfaction_.set_index("aanbieder_agb")[["score", "respondenten"]],
        waiting.set_index("aanbieder_agb")[["aandeel_binnen_norm_pct", "clienten_beoordeeld"]]
        .rename(columns={"aandeel_binnen_norm_pct": "wachttijd_binnen_norm_pct",
                         "clienten_beoordeeld": "wachttijd_clienten"}),
        returns.set_index("aanbieder_agb")[["aandeel_terug_pct", "clienten"]]
        .rename(columns={"aandeel_terug_pct": "herhaald_beroep_pct", "clienten": "herhaald_clienten"}),
    ]
    frame = base.reset_index(drop=True)
    for part in parts:
        frame = frame.merge(part, left_on="aanbieder_agb", right_index=True, how="left")
    counts = ["juistheid_clienten", "overschrijding_cent", "tarief_clienten", "plafond_clienten", "kpi_beoordeeld",
              "kpi_niet_gehaald", "volgens_plan_clienten", "respondenten", "wachttijd_clienten", "herhaald_clienten"]
    return frame.astype({c: "Int64" for c in counts})


def _highest_plafond(plafonds: pd.DataFrame, *, min_basis: int) -> pd.DataFrame:
    """Per aanbieder (index) the contract with the highest ``prognose_benutting_pct`` among those with a projected
    use and at least ``min_basis`` clients (the region's): that use and its ``plafond_clienten``. An aanbieder whose
    contracts with a projected use all have fewer clients gets no use (NaN) and the largest of their counts."""
    used = plafonds[plafonds["prognose_benutting_pct"].notna()].assign(
        prognose_benutting_pct=lambda f: f["prognose_benutting_pct"].astype("float64"))
    judged = used["clienten"] >= min_basis
    top = used[judged].sort_values(["prognose_benutting_pct", "clienten"], ascending=False)
    small = used[~judged].sort_values("clienten", ascending=False).assign(prognose_benutting_pct=np.nan)
    return pd.concat([top, small]).drop_duplicates("aanbieder_agb").set_index("aanbieder_agb")[
        ["prognose_benutting_pct", "clienten"]].rename(columns={"clienten": "plafond_clienten"})
