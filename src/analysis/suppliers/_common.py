"""What the supplier blocks share: the period, the gemeente filter, running a query, shares.

Filters are pushed into SQL as fixed text with bound parameters (``$gemeente``, ``$begin``, ...):
a gemeente condition is left out of the text altogether when ``gemeente`` is None, so DuckDB can
prune the declaratieregel table (sorted by gemeente and period) on a plain equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.warehouse import geheugen


_PARAM = re.compile(r"\$([a-z_]+)")


# The name of each aanbieder: from its latest contract (declaratieregel carries only the AGB code).
NAMEN = """(SELECT aanbieder_agb, arg_max(aanbieder_naam, begindatum) AS aanbieder_naam
            FROM contract GROUP BY aanbieder_agb)"""


@dataclass(frozen=True)
class Period:
    """A reporting period inside one calendar year: 1 January of ``jaar`` up to ``eind`` (inclusive)."""

    jaar: int
    eind: date

    @property
    def begin(self) -> date:
        return date(self.jaar, 1, 1)

    def params(self) -> dict[str, Any]:
        return {"begin": self.begin, "eind": self.eind, "jaar": self.jaar}


def resolve_period(*, jaar: int | None, peildatum: date | None) -> Period:
    """The period of a figure: the whole year ``jaar``, or 1 January up to ``peildatum``.

    >>> resolve_period(jaar=None, peildatum=date(2024, 6, 30))
    Period(jaar=2024, eind=datetime.date(2024, 6, 30))
    """
    if jaar is None and peildatum is None:
        raise ValueError("jaar / peildatum: give a year, a peildatum, or both")
    if peildatum is not None and not isinstance(peildatum, date):
        raise TypeError(f"peildatum: expected a datetime.date, got {type(peildatum).__name__}")
    if jaar is not None and (isinstance(jaar, bool) or not isinstance(jaar, int) or not 2000 <= jaar <= 2100):
        raise ValueError(f"jaar: expected a year 2000-2100, got {jaar!r}")
    if jaar is not None and peildatum is not None and peildatum.year != jaar:
        raise ValueError(f"peildatum: {peildatum} is not in jaar {jaar}")
    if peildatum is None:
        return Period(jaar, date(jaar, 12, 31))
    return Period(peildatum.year, peildatum)


def same_day_last_year(day: date) -> date:
    """The same calendar day a year earlier; 29 February becomes 28 February."""
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def check_by(by: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """Refuse grouping columns outside ``allowed`` (they are formatted into SQL as identifiers)."""
    unknown = [c for c in by if c not in allowed]
    if unknown or len(set(by)) != len(by):
        raise ValueError(f"by: cannot group by {list(by)}; choose distinct columns from {list(allowed)}")


def gemeente_filter(gemeente: str | None, *, column: str = "gemeente_code_huidig") -> str:
    """``AND <column> = $gemeente`` for one gemeente, nothing for the whole warehouse."""
    return "" if gemeente is None else f"AND {column} = $gemeente"


def run(con: duckdb.DuckDBPyConnection, sql: str, **params: Any) -> pd.DataFrame:
    """Run ``sql`` with the parameters it names (DuckDB refuses unused ones) and return a frame (asked once
    per read-only warehouse connection: :mod:`analysis.warehouse.geheugen`)."""
    used = set(_PARAM.findall(sql))
    return geheugen.frame(con, sql, {k: v for k, v in params.items() if k in used})


def share_pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``100 * part / whole`` as float %, NaN where ``whole`` is 0 or missing."""
    whole = whole.astype("float64")
    return (100.0 * part.astype("float64") / whole.where(whole != 0)).astype("float64")


def per_client_cent(cents: pd.Series, clienten: pd.Series) -> pd.Series:
    """Cents per client, rounded to whole cents (nullable Int64: NA where there are no clients)."""
    n = clienten.astype("float64")
    return pd.Series(np.round(cents.astype("float64") / n.where(n != 0)), index=cents.index).astype("Int64")


def as_int(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Counts and cents as int64 (a SUM over no rows is NULL: 0 here)."""
    return frame.assign(**{c: frame[c].fillna(0).astype("int64") for c in columns})


def scope_filter(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, regio: str | None,
                 column: str = "gemeente_code_huidig") -> str:
    """The condition for one gemeente (``$gemeente``), one jeugdzorgregio (``$regio``) or, with
    neither, the whole warehouse; checks both against ``ref_gemeente`` (one at most may be given)."""
    if gemeente is not None and regio is not None:
        raise ValueError("gemeente / regio: give one of them, not both")
    if regio is None:
        check_gemeente(con, gemeente)
        return gemeente_filter(gemeente, column=column)
    known = [r[0] for r in geheugen.rows(con, "SELECT DISTINCT jeugdzorgregio FROM ref_gemeente", {})]
    if regio not in known:
        raise ValueError(f"regio: {regio!r} is not a jeugdzorgregio of ref_gemeente")
    return f"AND {column} IN (SELECT gemeente_code FROM ref_gemeente WHERE jeugdzorgregio = $regio)"
