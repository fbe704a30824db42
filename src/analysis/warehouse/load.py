"""Walk data/raw, read every file once with the reader of its source, and stage the rows in DuckDB.

Every file gets a row in ``laadlog`` (path, sha256, kind, rows read / loaded / quarantined, errors);
every rejected row goes to ``quarantaine`` with its reason. A file whose bytes were already loaded
under another name is logged as ``duplicaat`` and its rows are not staged.

Reading is the expensive part (a region sends hundreds of thousands of small messages), so files
are read in chunks by a pool of worker processes; each chunk comes back as one Arrow table per
staging table, and the chunks are staged in file order, so the result does not depend on the
number of workers.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.istandaard import STAGING_COLUMNS as XML_COLUMNS
from analysis.readers.istandaard import read_istandaard
from analysis.readers.iv3 import read_iv3
from analysis.readers.tables import read_contracten, read_inkomsten, read_inwoners, read_tevredenheid
from analysis.schemas import STAGING_COLUMNS as TABLE_COLUMNS

Reader = Callable[[Path, str, bytes], ReadResult]

#: The folder under data/raw says which reader a file gets. Each gets the path, the pseudonymisation
#: key and the bytes already read for the sha256 (the XML reader parses those; the tabular readers,
#: a few files, open the file themselves).
READERS: dict[str, Reader] = {
    "istandaard": lambda path, secret, data: read_istandaard(path, secret=secret, data=data),
    "contracten": lambda path, secret, data: read_contracten(path),
    "iv3": lambda path, secret, data: read_iv3(path),
    "inkomsten": lambda path, secret, data: read_inkomsten(path),
    "inwoners": lambda path, secret, data: read_inwoners(path),
    "tevredenheid": lambda path, secret, data: read_tevredenheid(path),
}
STAGING: dict[str, dict[str, str]] = XML_COLUMNS | TABLE_COLUMNS
IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store", "Thumbs.db"}
CHUNK_FILES = 1_000
SERIAL_BELOW = 2_000  # fewer files than this are read in-process: a pool costs about a second to start

_ARROW = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(),
          "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}
# Explicit types: with hundreds of thousands of files, a column that is NULL for all but one of
# them must not have its type guessed from a sample.
_LOG_SCHEMA = pa.schema([("file_id", pa.int32()), ("pad", pa.string()), ("bron", pa.string()),
                         ("sha256", pa.string()), ("bytes", pa.int64()), ("soort", pa.string()),
                         ("status", pa.string()), ("duplicaat_van", pa.string()), ("rows_read", pa.int64()),
                         ("fouten", pa.list_(pa.string())), ("notities", pa.list_(pa.string()))])
_REJECT_SCHEMA = pa.schema([("file_id", pa.int32()), ("tabel", pa.string()), ("waar", pa.string()),
                            ("reden", pa.string()), ("record", pa.string())])


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


# --- in a worker: read a chunk of files ---------------------------------------------------------


@dataclass
class Chunk:
    """What a worker read from a run of files: log entries, staged rows and rejects."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, pa.Table] = field(default_factory=dict)
    frames: list[tuple[str, int, pd.DataFrame]] = field(default_factory=list)
    rejects: list[tuple[int, str, str, str, str]] = field(default_factory=list)


def read_chunk(files: list[tuple[int, str]], raw: str, secret: str) -> Chunk:
    """Read each (file_id, relative path) below ``raw``; one Arrow table per staging table."""
    chunk, columns = Chunk(), {}
    for file_id, rel in files:
        entry, result = read_file(Path(raw), rel, file_id=file_id, secret=secret)
        chunk.entries.append(entry)
        if result is None:
            continue
        for table, rows in result.tables.items():
            if isinstance(rows, pd.DataFrame):
                chunk.frames.append((table, file_id, rows))
            elif rows:
                _extend(columns.setdefault(table, {}), table, file_id, rows)
        chunk.rejects.extend((file_id, result.kind, r.where, r.reason,
                              json.dumps(r.record, default=str, ensure_ascii=False)) for r in result.rejects)
    chunk.tables = {t: pa.table(cols, schema=_schema(t)) for t, cols in columns.items()}
    return chunk


def read_file(raw: Path, rel: str, *, file_id: int, secret: str) -> tuple[dict[str, Any], ReadResult | None]:
    """The log entry of one file and what its reader made of it (None when it could not be read)."""
    path = raw / rel
    data = path.read_bytes()
    bron = rel.split("/")[0] if "/" in rel else None
    entry = {"file_id": file_id, "pad": rel, "bron": bron, "sha256": hashlib.sha256(data).hexdigest(),
             "bytes": len(data), "soort": None, "status": "geladen", "duplicaat_van": None,
             "rows_read": 0, "fouten": [], "notities": []}
    reader = READERS.get(bron or "")
    if reader is None:
        entry |= {"status": "onleesbaar", "fouten": [
            f"{rel}: not in a known source folder ({', '.join(sorted(READERS))})"]}
        return entry, None
    try:
        result = reader(path, secret, data)
    except FileUnreadable as exc:
        entry |= {"status": "onleesbaar", "fouten": [str(exc).replace(str(path), rel)]}
        return entry, None
    entry |= {"soort": result.kind, "rows_read": result.rows_read, "notities": result.notes}
    return entry, result


def _schema(table: str) -> pa.Schema:
    return pa.schema([("file_id", pa.int32())] + [(c, _ARROW[t]) for c, t in STAGING[table].items()])


def _extend(buffer: dict[str, list[Any]], table: str, file_id: int, rows: dict[str, list[Any]]) -> None:
    n = len(next(iter(rows.values())))
    buffer.setdefault("file_id", []).extend([file_id] * n)
    for column in STAGING[table]:
        buffer.setdefault(column, []).extend(rows.get(column, [None] * n))


# --- in the main process: stage the chunks in file order ------------------------------------------


class Loader:
    """Reads every raw file (in worker processes when there are many) into the staging tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str, workers: int = 1) -> None:
        self.con, self.raw, self.secret, self.workers = con, raw, secret, workers
        self.seen: dict[str, str] = {}
        self.log: list[dict[str, Any]] = []

    def load_all(self, *, progress: bool = False) -> list[dict[str, Any]]:
        files = [(i, p.relative_to(self.raw).as_posix()) for i, p in enumerate(raw_files(self.raw), 1)]
        chunks = [files[i:i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
        bar = tqdm(total=len(files), desc="inlezen", unit="bestand", disable=not progress)
        for chunk in self._read(chunks):
            self.stage(chunk)
            bar.update(len(chunk.entries))
        bar.close()
        self._write_log()
        return self.log

    def _read(self, chunks: list[list[tuple[int, str]]]) -> Iterator[Chunk]:
        args = (str(self.raw), self.secret)
        if self.workers <= 1 or sum(map(len, chunks)) < SERIAL_BELOW:
            yield from (read_chunk(c, *args) for c in chunks)
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            yield from pool.map(read_chunk, chunks, *([a] * len(chunks) for a in args))

    def stage(self, chunk: Chunk) -> None:
        """Stage a chunk's rows, leaving out files whose bytes an earlier file already had."""
        duplicates = {e["file_id"] for e in chunk.entries if self._is_duplicate(e)}
        self.log.extend(chunk.entries)
        for table, rows in chunk.tables.items():
            if duplicates:
                rows = rows.filter(pc.invert(pc.is_in(rows["file_id"], pa.array(sorted(duplicates), pa.int32()))))
            self._insert(table, rows)
        for table, file_id, frame in chunk.frames:
            if file_id not in duplicates:
                self._insert_frame(table, file_id, frame)
        rejects = [r for r in chunk.rejects if r[0] not in duplicates]
        if rejects:
            self._insert("quarantaine", pa.table(list(zip(*rejects)), schema=_REJECT_SCHEMA))

    def _is_duplicate(self, entry: dict[str, Any]) -> bool:
        if entry["status"] == "onleesbaar" and entry["bron"] not in READERS:
            return False
        first = self.seen.setdefault(entry["sha256"], entry["pad"])
        if first == entry["pad"]:
            return False
        entry |= {"status": "duplicaat", "duplicaat_van": first, "soort": None, "rows_read": 0,
                  "fouten": [], "notities": [f"same bytes as {first}: loaded once"]}
        return True

    def _insert(self, table: str, rows: pa.Table) -> None:
        target = table if table == "quarantaine" else f"bron_{table}"
        self.con.register("batch", rows)
        self.con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM batch")
        self.con.unregister("batch")

    def _insert_frame(self, table: str, file_id: int, frame: pd.DataFrame) -> None:
        frame = frame[list(STAGING[table])].assign(file_id=file_id)
        if "waar" not in frame.columns:
            frame = frame.assign(waar=[f"row {i}" for i in range(1, len(frame) + 1)])
        self.con.register("frame", frame)
        self.con.execute(f"INSERT INTO bron_{table} BY NAME SELECT * FROM frame")
        self.con.unregister("frame")

    def _write_log(self) -> None:
        columns = {c: [e[c] for e in self.log] for c in _LOG_SCHEMA.names}
        self._insert_log(pa.table(columns, schema=_LOG_SCHEMA))

    def _insert_log(self, rows: pa.Table) -> None:
        self.con.register("log", rows)
        self.con.execute("INSERT INTO laadlog BY NAME SELECT *, 0 AS rows_loaded, 0 AS rows_quarantined FROM log")
        self.con.unregister("log")
