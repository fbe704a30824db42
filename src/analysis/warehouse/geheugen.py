"""A question asked twice of the same read-only warehouse connection is answered once.

A report asks the warehouse the same thing more than once. The aanbieders report's scorecard computes the
spend, declaration correctness, tariff compliance, plafond and herhaald beroep per aanbieder, and the
notebook then asks for the same frames again to show them; ``check_gemeente`` runs at the start of
nearly every figure. The 45 demo reports (scale 0.1), run one after the other in one process, asked 443
queries through ``analysis.suppliers._common.run``, 127 of them repeats (1.42 s of the 6.41 s those queries
took), and ran ``check_gemeente`` 444 times (0.64 s); answered from memory, 0.37 s and 0.10 s.

A connection that :func:`analysis.warehouse.build.connect` opens reads a file attached ``READ_ONLY``: what
a query returns cannot change while that connection is open. ``connect`` registers it (:func:`onthoud`),
and :func:`frame` and :func:`rows` keep each answer, by the exact SQL text and its parameters, for as long
as the connection lives (a ``WeakKeyDictionary``: the answers go when the connection goes, at the end of a
report). Any other connection (a build's writable one, a test's in-memory one) is asked every time.

A kept frame is handed out as a shallow copy: with pandas' copy-on-write the caller gets a frame of its own
to change (a column added, a cell set), and the kept one stays as the warehouse answered it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

_kept: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[tuple, Any]] = weakref.WeakKeyDictionary()


def onthoud(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Keep the answers of ``con`` from now on (only for a connection whose data cannot change); ``con``."""
    _kept.setdefault(con, {})
    return con


def _key(kind: str, sql: str, params: dict[str, Any]) -> tuple:
    return kind, sql, tuple(sorted((name, type(value).__name__, repr(value)) for name, value in params.items()))


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """``con.sql(sql, params=params).df()``, once per registered connection (a copy of the kept frame)."""
    return _answer(con, "frame", sql, params, lambda: con.sql(sql, params=params).df()).copy(deep=False)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[tuple]:
    """``con.sql(sql, params=params).fetchall()``, once per registered connection (a new list each time)."""
    return list(_answer(con, "rows", sql, params, lambda: con.sql(sql, params=params).fetchall()))


def _answer(con: duckdb.DuckDBPyConnection, kind: str, sql: str, params: dict[str, Any],
            ask: Callable[[], Any]) -> Any:
    """The kept answer to ``sql`` with ``params`` on ``con``, asked (``ask``) when there is none yet; on a
    connection :func:`onthoud` did not register, asked every time."""
    kept = _kept.get(con)
    if kept is None:
        return ask()
    key = _key(kind, sql, params)
    if key not in kept:
        kept[key] = ask()
    return kept[key]
