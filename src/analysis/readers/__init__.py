"""One reader per source format. Each turns one raw file into staging rows plus rejects.

A reader never drops a row silently: every row it reads ends up either in one of
``ReadResult.tables`` or in ``ReadResult.rejects`` with its reason. A file that cannot be read at
all raises :class:`FileUnreadable` with a message that names the file and the place.
Readers know nothing of the warehouse, the analyses or the CLI.

A reject's record is for a person to see why the row was refused, so it holds no more than that:
:func:`safe_record` keeps only the fields the reader knows, cuts long texts and masks any BSN.

The modules: ``cells`` (one cell: amounts, dates, codes), ``rows`` (rows checked against the
staging schema, in batches), ``csvfile`` and ``xlsx`` (reading those formats), ``tables`` (the
readers of the tabular sources), ``xmlfile`` (parsing XML safely), ``istandaard``,
``istandaard_kolommen`` and ``velden`` (iStandaard messages, the tables they fill and the XSD's
field facts), ``iv3`` and ``volwassenheid``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.privacy import is_valid_bsn

Rows = list[dict[str, Any]]


class FileUnreadable(Exception):
    """The whole file cannot be read (malformed, truncated, unsupported, unsafe)."""


@dataclass
class Reject:
    """A row that was read but not loaded. ``where`` locates it in the file (line, element, sheet).

    A reason quotes the text it refuses (``'111222333'`` in a column of AGB codes), so any BSN in
    it is masked here, whoever made the reject.
    """

    where: str
    reason: str
    record: dict[str, Any]

    def __post_init__(self) -> None:
        self.reason = mask_bsn(self.reason)


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


def read_bytes(path: Path, *, limit: int = -1) -> bytes:
    """The file's bytes (the first ``limit`` of them); FileUnreadable when it cannot be opened."""
    try:
        with path.open("rb") as file:
            return file.read(limit)
    except OSError as err:
        raise FileUnreadable(f"{path}: cannot open ({err.strerror or err})") from None


_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
RECORD_TEXT = 200
"""Characters of one field a reject's record keeps."""


def mask_bsn(text: str) -> str:
    """``text`` with every nine-digit number that passes the 11-proef (a BSN) masked.

    >>> mask_bsn("client 111222333, order 123456789")
    'client *********, order 123456789'
    """
    return _NINE_DIGITS.sub(lambda m: "*********" if is_valid_bsn(m.group()) else m.group(), text)


def safe_record(record: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """The fields of ``record`` named in ``known``, texts cut to :data:`RECORD_TEXT` characters
    and any BSN in them masked; an unknown column (where anything may stand) is left out."""
    kept = {}
    for name in known:
        if name in record:
            value = record[name]
            if isinstance(value, str):
                value = mask_bsn(value)  # before cutting: a cut must not leave part of a BSN
                value = value if len(value) <= RECORD_TEXT else f"{value[:RECORD_TEXT]}… ({len(value)} characters)"
            kept[name] = value
    return kept
