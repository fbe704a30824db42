"""Performance block: how long trajectories last and how they end.

Definitions
- A trajectory is one started product (``traject``: a 305 with its 307 if any).
- **Ended in the period**: its einddatum falls in the period. Duration is ``duur_dagen`` (einddatum
  - begindatum + 1, days). **Running** at the period's end: begun on or before it and not ended by
  then (no stop yet, or a stop after the period); counted apart, never in a duration.
- Outcome of an ended trajectory (``uitkomst`` from ``ref_reden_beeindiging``: iJw 31 and iWmo 19
  volgens_plan; iJw 32-35, iWmo 21-23 and 31 voortijdig; other reasons overig, as is an end without
  a known reason). The share volgens plan is taken over the trajectories that ended volgens plan or
  voortijdig: ``overig`` (death, move to another aanbieder or domain, the gemeente's own decision)
  says nothing about the aanbieder and is counted apart.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.suppliers._common import (NAMEN, as_int, check_by, gemeente_filter,
                                        resolve_period, run, share_pct)

GROUPABLE = ("aanbieder_agb", "domein", "standaard", "productcategorie", "productcode")


def _grouped(by: tuple[str, ...]) -> tuple[str, str]:
    """SELECT list and name join for trajectory groups (the name only when grouped by aanbieder)."""
    check_by(by, GROUPABLE)
    cols = "".join(f"t.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    return cols, f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""


def trajectory_duration(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                        peildatum: date | None = None,
                        by: tuple[str, ...] = ("aanbieder_agb", "productcategorie")) -> pd.DataFrame:
    """Duration of the trajectories that ended in the period (days), and those running at its end.

    Columns: ``by``, ``beeindigd`` (ended trajectories), ``clienten`` (of those), ``q1_dagen``,
    ``mediaan_dagen``, ``q3_dagen`` (quartiles of duur_dagen, interpolated), ``lopend`` (running at
    the end of the period) and ``clienten_lopend``.
    """
    cols, names = _grouped(by)
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {cols}
            count(*) FILTER (WHERE beeindigd) AS beeindigd,
            count(DISTINCT client_id) FILTER (WHERE beeindigd) AS clienten,
            quantile_cont(duur_dagen, 0.25) FILTER (WHERE beeindigd) AS q1_dagen,
            quantile_cont(duur_dagen, 0.5) FILTER (WHERE beeindigd) AS mediaan_dagen,
            quantile_cont(duur_dagen, 0.75) FILTER (WHERE beeindigd) AS q3_dagen,
            count(*) FILTER (WHERE NOT beeindigd) AS lopend,
            count(DISTINCT client_id) FILTER (WHERE NOT beeindigd) AS clienten_lopend
        FROM (SELECT *, coalesce(einddatum <= $eind, false) AS beeindigd FROM traject
              WHERE begindatum <= $eind AND (einddatum IS NULL OR einddatum >= $begin)
                    {gemeente_filter(gemeente)}) t {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, **period.params())
    return as_int(frame, ["beeindigd", "clienten", "lopend", "clienten_lopend"])


def trajectory_outcomes(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                        peildatum: date | None = None, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """How the trajectories that ended in the period ended, per aanbieder (and ``by``).

    Columns: ``aanbieder_agb``, ``aanbieder_naam``, ``by``, ``beeindigd`` (all ended),
    ``volgens_plan``, ``voortijdig``, ``overig``, ``clienten`` (clients of trajectories ended
    volgens plan or voortijdig: the basis of the shares), ``aandeel_volgens_plan_pct`` and
    ``aandeel_voortijdig_pct`` (% of volgens_plan + voortijdig).
    """
    check_by(by, GROUPABLE[1:])
    cols, names = _grouped(("aanbieder_agb", *by))
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {cols} count(*) AS beeindigd,
            count(*) FILTER (WHERE uitkomst = 'volgens_plan') AS volgens_plan,
            count(*) FILTER (WHERE uitkomst = 'voortijdig') AS voortijdig,
            count(*) FILTER (WHERE uitkomst NOT IN ('volgens_plan', 'voortijdig')) AS overig,
            count(DISTINCT client_id) FILTER (WHERE uitkomst IN ('volgens_plan', 'voortijdig')) AS clienten
        FROM traject t {names}
        WHERE t.einddatum BETWEEN $begin AND $eind {gemeente_filter(gemeente, column='t.gemeente_code_huidig')}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, **period.params())
    frame = as_int(frame, ["beeindigd", "volgens_plan", "voortijdig", "overig", "clienten"])
    judged = frame["volgens_plan"] + frame["voortijdig"]
    return frame.assign(aandeel_volgens_plan_pct=share_pct(frame["volgens_plan"], judged),
                        aandeel_voortijdig_pct=share_pct(frame["voortijdig"], judged))
