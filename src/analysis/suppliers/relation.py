"""Relation block: client satisfaction per aanbieder and year, and its trend.

Definitions
- ``tevredenheid`` holds a score (1-10) and respondents per aanbieder, year and domein; a survey is
  about the aanbieder, not about one gemeente. With a gemeente, the aanbieders shown are those
  that declared for that gemeente in the reporting year.
- A score over several domeinen is the respondent-weighted mean. ``clienten`` equals
  ``respondenten`` (the clients the figure rests on), so small cells can be suppressed downstream.
- Trend: ``verschil_vorig_jaar`` is the change in score against the year before (NaN when that
  year has no survey).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.suppliers._common import NAMEN, as_int, check_by, resolve_period, run


def satisfaction(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                 peildatum: date | None = None, by: tuple[str, ...] = (), trend: bool = True) -> pd.DataFrame:
    """Satisfaction score and respondents per aanbieder (and ``domein`` if in ``by``) and year.

    With ``trend`` every year up to the reporting year, else only that year. Columns:
    ``aanbieder_agb``, ``aanbieder_naam``, ``by``, ``jaar``, ``score`` (1-10), ``respondenten``,
    ``clienten`` and ``verschil_vorig_jaar`` (score points, :func:`satisfaction_trend`).
    """
    check_by(by, ("domein",))
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    active = "" if gemeente is None else """AND s.aanbieder_agb IN (SELECT DISTINCT aanbieder_agb
        FROM declaratieregel WHERE gemeente_code_huidig = $gemeente AND periode_begin BETWEEN $begin AND $eind)"""
    cols = "".join(f", s.{c}" for c in by)
    frame = run(con, f"""
        SELECT s.aanbieder_agb, n.aanbieder_naam{cols}, s.jaar,
               sum(s.score * s.respondenten) / nullif(sum(s.respondenten), 0) AS score,
               sum(s.respondenten)::BIGINT AS respondenten
        FROM tevredenheid s LEFT JOIN {NAMEN} n USING (aanbieder_agb)
        WHERE s.jaar {'<=' if trend else '='} $jaar {active}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, **period.params())
    frame = as_int(frame, ["respondenten"])
    return satisfaction_trend(frame.assign(clienten=frame["respondenten"]))


def satisfaction_trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``verschil_vorig_jaar``: score minus the same key's score of the year before (points).

    Keys are every column but ``jaar``, ``score``, ``respondenten``, ``clienten`` and
    ``verschil_vorig_jaar``. NaN when there is no score for the year before.
    """
    if missing := {"jaar", "score"} - set(frame.columns):
        raise ValueError(f"frame: missing column(s) {sorted(missing)}")
    values = {"jaar", "score", "respondenten", "clienten", "verschil_vorig_jaar"}
    keys = [c for c in frame.columns if c not in values]
    before = frame[[*keys, "jaar", "score"]].assign(jaar=frame["jaar"] + 1).rename(columns={"score": "vorig"})
    merged = frame.drop(columns=["verschil_vorig_jaar"], errors="ignore").merge(before, on=[*keys, "jaar"], how="left")
    return merged.assign(verschil_vorig_jaar=merged["score"] - merged["vorig"]).drop(columns="vorig")
