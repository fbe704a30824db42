"""One reader per source format. Each turns one raw file into staging rows plus rejects.

A reader never drops a row silently: every row it reads ends up either in one of
``ReadResult.tables`` or in ``ReadResult.rejects`` with its reason. A file that cannot be read at
all raises :class:`FileUnreadable` with a message that names the file and the place.
Readers know nothing of the warehouse, the analyses or the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

Rows = list[dict[str, Any]]


class FileUnreadable(Exception):
    """The whole file cannot be read (malformed, truncated, unsupported, unsafe)."""


@dataclass
class Reject:
    """A row that was read but not loaded. ``where`` locates it in the file (line, element, sheet)."""

    where: str
    reason: str
    record: dict[str, Any]


@dataclass
class ReadResult:
    """What one file gave: staging rows per table, rejects, and remarks about the file.

    ``tables`` maps a staging table name to its rows, as a DataFrame or as a list of dicts (the
    XML readers use dicts, so that the warehouse can batch thousands of small files cheaply).
    """

    kind: str
    tables: dict[str, pd.DataFrame | Rows] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(_row_count(rows) for rows in self.tables.values())

    @property
    def rows_read(self) -> int:
        return self.rows_loaded + len(self.rejects)

    def columns(self, table: str) -> dict[str, list[Any]]:
        """The rows of ``table`` as {column: values}, whichever form the reader gave them in."""
        rows = self.tables[table]
        if isinstance(rows, pd.DataFrame):
            return {c: rows[c].tolist() for c in rows.columns}
        names = dict.fromkeys(k for row in rows for k in row)
        return {name: [row.get(name) for row in rows] for name in names}


def _row_count(rows: pd.DataFrame | Rows) -> int:
    return len(rows)
