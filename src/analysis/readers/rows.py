"""Rows of a table as text, checked against the staging schema: loaded, or a Reject with its reason.

A tabular source (a CSV file, a sheet) is read as a :class:`Source`: its header, then its rows in
batches of :data:`BATCH_ROWS`, so that a file of any size is read in bounded memory.
:func:`stage_source` parses each batch with a :data:`Spec`, validates it against
``SCHEMAS[table]`` and keeps the valid rows; every other row becomes a :class:`Reject` whose reason
lists every problem of that row, and whose record holds only the columns the reader knows, any
BSN masked. A file with more than :data:`MAX_REJECTS` rejected rows is refused as damaged
(:class:`FileUnreadable`): its rows are then neither loaded nor quarantined, so the count
read = loaded + quarantined holds with zeros, and the quarantine cannot be flooded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from analysis.readers import FileUnreadable, Reject, mask_bsn, safe_record
from analysis.readers.cells import Parser
from analysis.schemas import KEY, MISSING, ROW, SCHEMAS, row_problems

BATCH_ROWS = 20_000
"""Rows parsed and validated at a time."""
MAX_REJECTS = 10_000
"""More rejected rows than this and the file is refused as damaged, its rows not kept one by one."""

Spec = dict[str, tuple[str, Parser]]
"""Staging column -> (raw column it comes from, parser of the raw text)."""
Check = Callable[[list[dict[str, Any]], list[dict[str, str]], "Rows"], None]
"""Extra checks of a parsed batch: adds ``{column: reason}`` to the problems of a row in place."""


@dataclass
class Rows:
    """A batch of rows of one CSV file or sheet as text, before any parsing.

    ``records[i]`` (header name -> text) was found at ``wheres[i]``; ``rejects`` holds rows that
    could not even be matched to the header (wrong number of fields, a formula without a value).
    """

    header: list[str]
    records: list[dict[str, str]] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    def add(self, fields: list[str], where: str, *, problem: str | None = None) -> None:
        """Add one row; a row with more or fewer fields than the header, or with ``problem``, is rejected."""
        width = len(self.header)
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]  # trailing empty cells (";;;" from a spreadsheet)
        record = dict(zip(self.header, fields))
        if len(fields) != width:
            problem = f"expected {width} fields, found {len(fields)}"
        if problem:
            self.rejects.append(Reject(where, problem, record))
            return
        self.records.append(record)
        self.wheres.append(where)

    def __len__(self) -> int:
        return len(self.records) + len(self.rejects)


class Source(Protocol):
    """A table read as a header and then batches of rows (a CSV file, a sheet).

    ``header`` may be renamed before ``batches`` is called; ``notes`` are complete once the
    batches have been read (the encoding of every line is known only then).
    """

    path: Path
    header: list[str]
    header_where: str
    notes: list[str]

    def batches(self) -> Iterator[Rows]: ...


def bind_columns(source: Source, spec: Spec) -> list[str]:
    """Spell ``source``'s header as in ``spec`` (matched ignoring case); the columns it ignores.

    Raises FileUnreadable naming every required column that is missing.
    """
    wanted = {raw.lower(): raw for raw, _ in spec.values()}
    source.header = [wanted.get(name.lower(), name) for name in source.header]
    missing = [raw for raw in wanted.values() if raw not in source.header]
    if missing:
        raise FileUnreadable(f"{source.path}: missing column(s) {', '.join(missing)} ({source.header_where})")
    return [name for name in source.header if name not in wanted.values()]


def stage_source(source: Source, table: str, spec: Spec, *, check: Check | None = None,
                 extra: dict[str, Any] | None = None) -> tuple[pd.DataFrame, list[Reject], list[str]]:
    """Every row of ``source`` parsed by ``spec`` into ``table``: the valid rows, the Rejects
    (in file order) and the notes. ``extra`` holds values for every row (``regio``); ``check``
    adds checks of its own to a parsed batch.

    A key repeated across batches is found as it is within one (:func:`stage`): the first row
    with the key stays, each later one is a "duplicate key" reject.
    """
    ignored = bind_columns(source, spec)
    staging = _Staging(table, spec, check=check, extra=extra or {})
    frames, rejects, count = [], [], 0
    for batch in source.batches():
        count += len(batch)
        frame, bad = staging.batch(batch)
        frames.append(frame)
        rejects += bad
        refuse_when_damaged(source.path, rejects, read=count)
    notes = source.notes + ([mask_bsn(f"ignored column(s): {', '.join(ignored)}")] if ignored else [])
    if count == 0:
        notes.append(f"no rows: a header only ({source.header_where})")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames else _empty(table)
    return frame, rejects, notes


class _Staging:
    """Parses and validates the batches of one source, one after the other, in file order."""

    def __init__(self, table: str, spec: Spec, *, check: Check | None, extra: dict[str, Any]) -> None:
        self.table, self.spec, self.check = table, spec, check
        self.extra, self.has_waar = extra, "waar" in SCHEMAS[table].columns
        self.known = [raw for raw, _ in spec.values()]
        self.sources = {column: raw for column, (raw, _) in spec.items()}
        self.seen = KeysSeen(SCHEMAS[table].unique or [])

    def batch(self, batch: Rows) -> tuple[pd.DataFrame, list[Reject]]:
        """The valid rows of ``batch`` and its Rejects, in file order, records made safe."""
        values, problems = parse_records(batch.records, self.spec)
        for row, where in zip(values, batch.wheres):
            row |= self.extra | ({"waar": where} if self.has_waar else {})
        if self.check is not None:
            self.check(values, problems, batch)
        self.seen.mark(values, problems)
        frame, bad = stage(self.table, values, problems, wheres=batch.wheres, records=batch.records,
                           sources=self.sources)
        self.seen.remember(values, batch.wheres, rejected={reject.where for reject in bad})
        rejects = sorted(batch.rejects + bad, key=where_number)
        return frame, [Reject(r.where, r.reason, safe_record(r.record, self.known)) for r in rejects]


def refuse_when_damaged(path: Path, rejects: Sequence[Reject], *, read: int) -> None:
    """FileUnreadable when more than :data:`MAX_REJECTS` rows of the file were rejected."""
    if len(rejects) > MAX_REJECTS:
        first, last = rejects[0], rejects[-1]
        raise FileUnreadable(
            f"{path}: more than {MAX_REJECTS} rows rejected ({len(rejects)} of the first {read}, up to "
            f"{last.where}): refused as damaged, no row loaded; the first: {first.where}: {first.reason}"
        )


class KeysSeen:
    """The keys of the rows loaded from earlier batches, with the place of each (``line 7``)."""

    def __init__(self, key: Sequence[str]) -> None:
        self.key, self.first = list(key), {}

    def mark(self, values: Sequence[dict[str, Any]], problems: Sequence[dict[str, str]]) -> None:
        """Add a "duplicate key" problem to every row whose key an earlier batch loaded."""
        if not self.key or not self.first:
            return
        for row, found in zip(values, problems):
            where = self.first.get(tuple(row[c] for c in self.key))
            if where is not None:
                found[KEY] = f"duplicate key ({', '.join(self.key)}) of {where}"

    def remember(self, values: Sequence[dict[str, Any]], wheres: Sequence[str], *, rejected: set[str]) -> None:
        if self.key:
            for row, where in zip(values, wheres):
                if where not in rejected:
                    self.first.setdefault(tuple(row[c] for c in self.key), where)


# --- parse, validate, split into loaded and rejected ---------------------------------------------


def parse_records(
    records: Sequence[dict[str, str]], spec: Spec
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Each record parsed by ``spec``: the values (None where a parser failed) and, per row,
    ``{staging column: reason}`` for the fields that could not be parsed."""
    values, problems = [], []
    for record in records:
        row, found = {}, {}
        for column, (source, parse) in spec.items():
            raw = record.get(source, "")
            try:
                row[column] = parse(raw)
            except ValueError as err:
                row[column] = None
                found[column] = f"{source}: {err} ({_shown(raw)!r})"
        values.append(row)
        problems.append(found)
    return values, problems


def stage(
    table: str,
    values: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, str]],
    *,
    wheres: Sequence[str],
    records: Sequence[dict[str, str]],
    sources: dict[str, str],
) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate parsed rows against ``SCHEMAS[table]``; return the valid rows and one Reject per
    bad row, its reason listing the parse problems and every schema problem, in column order.

    ``sources`` maps a staging column to the raw field it came from, to name it in reasons.
    """
    schema = SCHEMAS[table]
    frame = _staging_frame(values, schema)
    found = [dict(row) for row in problems]
    for position, schema_found in row_problems(frame, schema, labels=wheres).items():
        if ROW in found[position]:  # the parser found the row itself unusable; details add nothing
            continue
        for column, reason in schema_found.items():
            if column not in found[position]:  # the parser has already said what is wrong there
                found[position][column] = _reason(column, reason, sources=sources, record=records[position])
    order = {column: i for i, column in enumerate(schema.columns)}
    bad = [position for position, row in enumerate(found) if row]
    rejects = [
        Reject(wheres[position], "; ".join(_in_order(found[position], order)), dict(records[position]))
        for position in bad
    ]
    return schema.validate(frame.drop(index=bad).reset_index(drop=True)), rejects


_HOLDING_DTYPE = {"int64": "Int64", "Int64": "Int64", "float64": "float64", "date": object}


def _staging_frame(values: Sequence[dict[str, Any]], schema) -> pd.DataFrame:
    """Parsed values in dtypes that can hold a missing value; the schema coerces them afterwards."""
    return pd.DataFrame(
        {
            name: pd.Series([row[name] for row in values], dtype=_HOLDING_DTYPE.get(str(column.dtype), "str"))
            for name, column in schema.columns.items()
        }
    )


def _empty(table: str) -> pd.DataFrame:
    return SCHEMAS[table].validate(_staging_frame([], SCHEMAS[table]))


def _in_order(found: dict[str, str], order: dict[str, int]) -> list[str]:
    """Reasons in the table's column order; problems of the whole row last."""
    return [reason for _, reason in sorted(found.items(), key=lambda item: order.get(item[0], len(order)))]


def _reason(column: str, reason: str, *, sources: dict[str, str], record: dict[str, str]) -> str:
    if column.startswith(ROW):
        return reason
    source = sources.get(column, column)
    if reason == MISSING:
        return f"{source}: missing"
    return f"{source}: {reason} ({_shown(record.get(source, ''))!r})"


def _shown(raw: str) -> str:
    """The raw text as a reason quotes it: stripped, cut to 40 characters (a reason stays one line)."""
    text = raw.strip()
    return text if len(text) <= 40 else f"{text[:40]}… ({len(text)} characters)"


def where_number(reject: Reject) -> int:
    """The line or row number at the end of ``where`` ("line 7", "sheet kpi row 7"), for sorting."""
    return int(reject.where.rsplit(" ", 1)[1])

