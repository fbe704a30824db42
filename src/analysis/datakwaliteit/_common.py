"""What the datakwaliteit modules share: the norms, the grouping columns and the checks."""

from __future__ import annotations

from datetime import date

import duckdb

from analysis.suppliers._common import NAMEN, Period, check_by, resolve_period, scope_filter

DECLARATIE_NORM_DAGEN = 30
"""Default days after the end of a product period to declare it (a region's choice; no standard norm)."""
ANTWOORD_NORM_WERKDAGEN = 10
"""Working days for the gemeente's 325 after the 323 (iStandaard OP090x4)."""
GROUPABLE = ("aanbieder_agb", "gemeente_code_huidig", "domein", "standaard", "productcategorie")


def select_by(by: tuple[str, ...], alias: str) -> tuple[str, str]:
    """SELECT list for ``by`` (the aanbieder's name after its code) and the join for the name."""
    check_by(by, GROUPABLE)
    cols = "".join(f"{alias}.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    return cols, f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""


def check_norm(name: str, value: int) -> None:
    """A norm is a whole number >= 0 (not a bool); a ``ValueError`` naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: expected a whole number >= 0, got {value!r}")


TIJDVAKKEN = {"maand": "month", "kwartaal": "quarter"}
"""The time columns a measure over time can have: its name and DuckDB's ``date_trunc`` part."""


def select_tijdvak(tijdvak: str | None, column: str) -> tuple[str, list[str]]:
    """The SELECT item for the time column ``tijdvak`` (``maand`` or ``kwartaal``: the first day of that
    period of the date ``column``) and its name in a list; ``None``: the whole period, no time column.

    >>> select_tijdvak("kwartaal", "d.periode_begin")
    ("date_trunc('quarter', d.periode_begin)::DATE AS kwartaal, ", ['kwartaal'])
    """
    if tijdvak is None:
        return "", []
    if tijdvak not in TIJDVAKKEN:
        raise ValueError(f"tijdvak: expected one of {sorted(TIJDVAKKEN)} or None, got {tijdvak!r}")
    return f"date_trunc('{TIJDVAKKEN[tijdvak]}', {column})::DATE AS {tijdvak}, ", [tijdvak]


def opzet(con: duckdb.DuckDBPyConnection, *, by: tuple[str, ...], alias: str, tijdvak: str | None, tijd_kolom: str,
          gemeente: str | None, regio: str | None, jaar: int | None, peildatum: date | None,
          scope_kolom: str = "gemeente_code_huidig") -> tuple[str, str, str, str, Period]:
    """What a measure over time starts with: the SELECT list and name join for ``by`` (on ``alias``), the
    time column of ``tijd_kolom`` (:func:`select_tijdvak`), the scope condition on ``scope_kolom`` and the
    period; each checked, so a wrong ``by``, ``tijdvak``, gemeente, region or year is a ``ValueError``."""
    cols, names = select_by(by, alias)
    tijd, _ = select_tijdvak(tijdvak, tijd_kolom)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column=scope_kolom)
    return cols, names, tijd, scope, resolve_period(jaar=jaar, peildatum=peildatum)
