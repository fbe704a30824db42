"""Walk data/raw, read every file once with the reader of its source, and stage the rows in DuckDB.

Every file gets a row in ``laadlog`` (path, sha256, kind, rows read / loaded / quarantined, errors);
every rejected row goes to ``quarantaine`` with its reason. A file whose bytes were already loaded
under another name is logged as ``duplicaat`` and not read again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.istandaard import STAGING_COLUMNS as XML_COLUMNS
from analysis.readers.istandaard import read_istandaard
from analysis.readers.iv3 import read_iv3
from analysis.readers.tables import read_contracten, read_inkomsten, read_inwoners, read_tevredenheid
from analysis.schemas import STAGING_COLUMNS as TABLE_COLUMNS

Reader = Callable[[Path, str], ReadResult]

#: The folder under data/raw says which reader a file gets.
READERS: dict[str, Reader] = {
    "istandaard": lambda path, secret: read_istandaard(path, secret=secret),
    "contracten": lambda path, secret: read_contracten(path),
    "iv3": lambda path, secret: read_iv3(path),
    "inkomsten": lambda path, secret: read_inkomsten(path),
    "inwoners": lambda path, secret: read_inwoners(path),
    "tevredenheid": lambda path, secret: read_tevredenheid(path),
}
STAGING: dict[str, dict[str, str]] = XML_COLUMNS | TABLE_COLUMNS
IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store", "Thumbs.db"}
BATCH_ROWS = 200_000

_ARROW = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(),
          "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The staging tables (``bron_<name>``), the load log and the quarantine."""
    for name, columns in STAGING.items():
        cols = ", ".join(f"{c} {t}" for c, t in columns.items())
        con.execute(f"CREATE TABLE bron_{name} (file_id INTEGER, {cols}{', waar VARCHAR' if 'waar' not in columns else ''})")
    con.execute("""
        CREATE TABLE laadlog (file_id INTEGER, pad VARCHAR, bron VARCHAR, sha256 VARCHAR,
            bytes BIGINT, soort VARCHAR, status VARCHAR, duplicaat_van VARCHAR, rows_read BIGINT,
            rows_loaded BIGINT, rows_quarantined BIGINT, fouten VARCHAR[], notities VARCHAR[])""")
    con.execute("""
        CREATE TABLE quarantaine (file_id INTEGER, tabel VARCHAR, waar VARCHAR, reden VARCHAR,
            record JSON)""")


def raw_files(raw: Path) -> Iterator[Path]:
    """Every file below ``raw`` in a stable order (sorted relative paths), hidden files skipped."""
    for path in sorted(raw.rglob("*"), key=lambda p: p.relative_to(raw).as_posix()):
        rel = path.relative_to(raw)
        if path.is_file() and path.name not in IGNORED_NAMES and not any(p.startswith(".") for p in rel.parts):
            yield path


@dataclass
class _Buffer:
    """Rows of one staging table waiting to be inserted in one batch."""

    columns: dict[str, list[Any]] = field(default_factory=dict)
    rows: int = 0


class Loader:
    """Reads files into the staging tables of an open connection, batching small files."""

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str) -> None:
        self.con, self.raw, self.secret = con, raw, secret
        self.buffers: dict[str, _Buffer] = {}
        self.seen: dict[str, str] = {}
        self.log: list[dict[str, Any]] = []

    def load_all(self, *, progress: bool = False) -> list[dict[str, Any]]:
        files = list(raw_files(self.raw))
        for file_id, path in enumerate(tqdm(files, desc="inlezen", unit="bestand", disable=not progress), 1):
            self.load_file(file_id, path)
        self.flush()
        self.con.executemany("INSERT INTO laadlog VALUES ($file_id, $pad, $bron, $sha256, $bytes, $soort, "
                             "$status, $duplicaat_van, $rows_read, 0, 0, $fouten, $notities)", self.log)
        return self.log

    def load_file(self, file_id: int, path: Path) -> None:
        rel = path.relative_to(self.raw).as_posix()
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = {"file_id": file_id, "pad": rel, "bron": rel.split("/")[0] if "/" in rel else None,
                 "sha256": digest, "bytes": len(data), "soort": None, "status": "geladen",
                 "duplicaat_van": None, "rows_read": 0, "fouten": [], "notities": []}
        self.log.append(entry)
        reader = READERS.get(entry["bron"] or "")
        if reader is None:
            entry |= {"status": "onleesbaar", "fouten": [
                f"{rel}: not in a known source folder ({', '.join(sorted(READERS))})"]}
            return
        if digest in self.seen:
            entry |= {"status": "duplicaat", "duplicaat_van": self.seen[digest],
                      "notities": [f"same bytes as {self.seen[digest]}: loaded once"]}
            return
        self.seen[digest] = rel
        try:
            result = reader(path, self.secret)
        except FileUnreadable as exc:
            entry |= {"status": "onleesbaar", "fouten": [str(exc).replace(str(path), rel)]}
            return
        entry |= {"soort": result.kind, "rows_read": result.rows_read, "notities": result.notes}
        self.stage(file_id, result)

    def stage(self, file_id: int, result: ReadResult) -> None:
        for table, rows in result.tables.items():
            if isinstance(rows, pd.DataFrame):
                self.insert_frame(table, file_id, rows)
            else:
                self.buffer(table, file_id, rows)
        if result.rejects:
            self.con.executemany("INSERT INTO quarantaine VALUES (?, ?, ?, ?, ?)", [
                [file_id, result.kind, r.where, r.reason, json.dumps(r.record, default=str, ensure_ascii=False)]
                for r in result.rejects])

    def insert_frame(self, table: str, file_id: int, frame: pd.DataFrame) -> None:
        columns = STAGING[table]
        frame = frame.assign(file_id=file_id)
        if "waar" not in frame.columns:
            frame = frame.assign(waar=[f"row {i}" for i in range(1, len(frame) + 1)])
        self.con.register("frame", frame[["file_id", *columns, *(["waar"] if "waar" not in columns else [])]])
        self.con.execute(f"INSERT INTO bron_{table} BY NAME SELECT * FROM frame")
        self.con.unregister("frame")

    def buffer(self, table: str, file_id: int, rows: dict[str, list[Any]]) -> None:
        buf = self.buffers.setdefault(table, _Buffer())
        n = len(next(iter(rows.values()))) if rows else 0
        if not n:
            return
        buf.columns.setdefault("file_id", []).extend([file_id] * n)
        for column in STAGING[table]:
            buf.columns.setdefault(column, []).extend(rows.get(column, [None] * n))
        buf.rows += n
        if buf.rows >= BATCH_ROWS:
            self.flush(table)

    def flush(self, only: str | None = None) -> None:
        for table, buf in self.buffers.items():
            if (only and table != only) or not buf.rows:
                continue
            schema = pa.schema([("file_id", pa.int32())] + [(c, _ARROW[t]) for c, t in STAGING[table].items()])
            batch = pa.table(buf.columns, schema=schema)
            self.con.register("batch", batch)
            self.con.execute(f"INSERT INTO bron_{table} BY NAME SELECT * FROM batch")
            self.con.unregister("batch")
            self.buffers[table] = _Buffer()

