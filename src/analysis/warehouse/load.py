"""Walk data/raw, read every file once with the reader of its source, and stage the rows in DuckDB.

Every entry below the raw folder gets a row in ``laadlog`` (path, sha256, kind, status, rows read /
loaded / quarantined, errors, notes): ``geladen``, ``duplicaat``, ``onleesbaar``, or ``overgeslagen``
with its reason (``files``: links, devices, hidden files); every rejected row goes to ``quarantaine``
with its reason. A file whose bytes were already loaded under another name is logged as
``duplicaat`` and its rows leave the staging tables (``drop_duplicates``, in SQL once everything
is staged).

Reading is the expensive part (a region sends hundreds of thousands of small messages), so files
are read in chunks by a pool of worker processes; each chunk comes back as one Arrow table per
staging table, and the chunks are staged in file order, so the result does not depend on the
number of workers. Memory stays flat as the data grows: only a few chunks are in flight at once,
each chunk's log rows go to DuckDB with its data, and nothing per file is kept in Python. The
workers die with the build (``_worker_start``), also when it is killed.
"""

from __future__ import annotations

import ctypes
import itertools
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.xmlfile import MAX_BYTES as MAX_MESSAGE_BYTES
from analysis.readers.istandaard import STAGING_COLUMNS as XML_COLUMNS
from analysis.readers.istandaard import read_istandaard
from analysis.readers.iv3 import read_iv3
from analysis.readers.tables import read_contracten, read_inkomsten, read_inwoners, read_tevredenheid
from analysis.readers.volwassenheid import read_volwassenheid
from analysis.schemas import STAGING_COLUMNS as TABLE_COLUMNS
from analysis.warehouse.files import GELADEN, ONLEESBAAR, OVERGESLAGEN, Entry, open_file, raw_entries, shown
from analysis.warehouse.files import raw_files  # noqa: F401  (the bench copies what a build reads)

Reader = Callable[[str, str, bytes], ReadResult]

#: The folder under data/raw says which reader a file gets. Each gets the path, the pseudonymisation
#: key and the bytes already read for the sha256 (the XML reader parses those; the tabular readers,
#: a few files, open the file themselves).
READERS: dict[str, Reader] = {
    "istandaard": lambda path, secret, data: read_istandaard(path, secret=secret, data=data),
    "contracten": lambda path, secret, data: read_contracten(Path(path)),
    "iv3": lambda path, secret, data: read_iv3(Path(path)),
    "inkomsten": lambda path, secret, data: read_inkomsten(Path(path)),
    "inwoners": lambda path, secret, data: read_inwoners(Path(path)),
    "tevredenheid": lambda path, secret, data: read_tevredenheid(Path(path)),
    "volwassenheid": lambda path, secret, data: read_volwassenheid(Path(path)),
}
STAGING: dict[str, dict[str, str]] = XML_COLUMNS | TABLE_COLUMNS
CHUNK_FILES = 1_000
BATCH_ROWS = 100_000  # rows gathered from chunks before one insert per table
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


# --- in a worker: read a chunk of files ---------------------------------------------------------


@dataclass
class Chunk:
    """What a worker read from a run of files, ready to insert: Arrow tables of log entries,
    staged rows per staging table and rejects, and the DataFrames of tabular sources."""

    log: pa.Table
    tables: dict[str, pa.Table] = field(default_factory=dict)
    frames: list[tuple[str, int, pd.DataFrame]] = field(default_factory=list)


def read_chunk(files: list[tuple[int, Entry]], raw: str, secret: str) -> Chunk:
    """Read each (file_id, entry) below ``raw``; one Arrow table per staging table."""
    entries, rows, rejects, frames = [], {}, [], []
    for file_id, found in files:
        entry, result = read_file(raw, found, file_id=file_id, secret=secret)
        entries.append(entry)
        if result is None:
            continue
        for table, part in result.tables.items():
            if isinstance(part, pd.DataFrame):
                frames.append((table, file_id, part))
            elif part:
                rows.setdefault(table, []).append((file_id, part))
        rejects.extend(_reject_batches(file_id, result))
    tables = {table: _arrow(table, parts) for table, parts in rows.items()}
    if rejects:
        tables["quarantaine"] = pa.Table.from_batches(rejects, schema=_REJECT_SCHEMA)
    log = pa.table({c: [e[c] for e in entries] for c in _LOG_SCHEMA.names}, schema=_LOG_SCHEMA)
    return Chunk(log, tables, frames)


def read_file(raw: str, found: Entry, *, file_id: int, secret: str) -> tuple[dict[str, Any], ReadResult | None]:
    """The log entry of one raw entry and what its reader made of it (None when it was not read)."""
    rel, pad = found.rel, shown(found.rel)
    bron = rel.partition("/")[0] if "/" in rel else None
    entry = {"file_id": file_id, "pad": pad, "bron": shown(bron) if bron else None, "sha256": None, "bytes": None,
             "soort": None, "status": GELADEN, "duplicaat_van": None, "rows_read": 0, "fouten": [], "notities": []}
    if found.status == OVERGESLAGEN:  # never opened
        return entry | {"status": OVERGESLAGEN, "notities": [found.reason]}, None
    path = os.path.join(raw, rel)
    try:
        if found.status == ONLEESBAAR:
            raise FileUnreadable(f"{pad}: {found.reason}")
        entry["sha256"], entry["bytes"], data = open_file(path, keep=bron == "istandaard", limit=MAX_MESSAGE_BYTES)
        result = _read(path, pad, bron, secret=secret, data=data, size=entry["bytes"])
    except OSError as exc:
        return entry | {"status": ONLEESBAAR, "fouten": [f"{pad}: could not be opened ({exc.strerror or exc})"]}, None
    except FileUnreadable as exc:
        return entry | {"status": ONLEESBAAR, "fouten": [_safe(str(exc).replace(path, pad))]}, None
    if pad != rel:  # the name is not clean UTF-8: the reader may have put it into what it read
        result = _safe_result(result)
    entry |= {"soort": result.kind, "rows_read": result.rows_read, "notities": [_safe(n) for n in result.notes]}
    return entry, result


def _read(path: str, pad: str, bron: str | None, *, secret: str, data: bytes | None, size: int) -> ReadResult:
    """What the reader of ``bron`` makes of the file; ``FileUnreadable`` when there is none."""
    reader = READERS.get(bron or "")
    if reader is None:
        raise FileUnreadable(f"{pad}: not in a known source folder ({', '.join(sorted(READERS))})")
    if bron == "istandaard" and data is None:
        raise FileUnreadable(f"{pad}: {size} bytes is more than the {MAX_MESSAGE_BYTES} a message may have")
    return reader(path, secret, data)


def _safe(text: Any) -> Any:
    """``text`` with bytes of a file name that are not UTF-8 escaped (see ``files.shown``)."""
    return os.fsencode(text).decode("utf-8", "backslashreplace") if isinstance(text, str) else text


def _safe_result(result: ReadResult) -> ReadResult:
    """``result`` with every text made safe: its rows, frames and rejects."""
    for table, part in result.tables.items():
        if isinstance(part, pd.DataFrame):
            result.tables[table] = part.map(_safe)
        else:
            result.tables[table] = [{k: _safe(v) for k, v in row.items()} for row in part]
    for reject in result.rejects:
        reject.where, reject.reason = _safe(reject.where), _safe(reject.reason)
        reject.record = {k: _safe(v) for k, v in reject.record.items()}
    return result


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _worker_start(parent: int) -> None:
    """In each reading worker: die with the build. On Linux the kernel sends SIGKILL when the
    parent dies (``PR_SET_PDEATHSIG``); a parent that died before that was set shows as a new ppid.
    Elsewhere a thread looks at the ppid every second."""
    linux = sys.platform.startswith("linux") and ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    if os.getppid() != parent:
        os._exit(1)
    if not linux:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _reject_batches(file_id: int, result: ReadResult) -> Iterator[pa.RecordBatch]:
    """The rejects of one file as Arrow batches of ``BATCH_ROWS``, each taken off ``result.rejects``
    as it is converted: a file of junk has millions, and they are not held twice."""
    while part := result.rejects[:BATCH_ROWS]:
        del result.rejects[:BATCH_ROWS]
        yield pa.record_batch([[file_id] * len(part), [result.kind] * len(part), [r.where for r in part],
                               [r.reason for r in part],
                               [json.dumps(r.record, default=str, ensure_ascii=False) for r in part]],
                              schema=_REJECT_SCHEMA)


def _schema(table: str) -> pa.Schema:
    return pa.schema([("file_id", pa.int32())] + [(c, _ARROW[t]) for c, t in STAGING[table].items()])


def _arrow(table: str, parts: list[tuple[int, list[dict[str, Any]]]]) -> pa.Table:
    """The rows of several files as one Arrow table of staging table ``table`` (file_id first)."""
    flat = [row for _, part in parts for row in part]
    columns = {"file_id": [file_id for file_id, part in parts for _ in part]}
    columns |= {name: [row.get(name) for row in flat] for name in STAGING[table]}
    return pa.table(columns, schema=_schema(table))


# --- in the main process: stage the chunks in file order ------------------------------------------


class Loader:
    """Reads every raw file (in worker processes when there are many) into the staging tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str, workers: int = 1) -> None:
        self.con, self.raw, self.secret, self.workers = con, raw, secret, workers
        self._pending: dict[str, list[pa.Table]] = {}
        self._rows = 0

    def load_all(self, *, progress: bool = False) -> int:
        """Stage every file, then drop the duplicates; the number of files read."""
        total = sum(1 for _ in raw_entries(self.raw)) if progress else None
        bar = tqdm(total=total, desc="inlezen", unit="bestand", disable=not progress)
        count = 0
        for chunk in self._read(_chunks(raw_entries(self.raw))):
            self.stage(chunk)
            bar.update(chunk.log.num_rows)
            count += chunk.log.num_rows
        self.flush()
        bar.close()
        drop_duplicates(self.con)
        return count

    def _read(self, chunks: Iterator[list[tuple[int, Entry]]]) -> Iterator[Chunk]:
        """The chunks read, in order; with a pool, at most two per worker are in flight at once.
        Fewer than ``SERIAL_BELOW`` files are read in this process."""
        args = (str(self.raw), self.secret)
        first: list[list[tuple[int, Entry]]] = []
        for chunk in chunks:
            first.append(chunk)
            if sum(map(len, first)) >= SERIAL_BELOW:
                break
        if self.workers <= 1 or sum(map(len, first)) < SERIAL_BELOW:
            yield from (read_chunk(c, *args) for c in itertools.chain(first, chunks))
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_worker_start,
                                 initargs=(os.getpid(),)) as pool:
            todo, running = itertools.chain(first, chunks), deque[Future[Chunk]]()
            for chunk in todo:
                running.append(pool.submit(read_chunk, chunk, *args))
                if len(running) >= 2 * self.workers:
                    break
            while running:
                done = running.popleft().result()
                following = next(todo, None)
                if following is not None:
                    running.append(pool.submit(read_chunk, following, *args))
                yield done

    def stage(self, chunk: Chunk) -> None:
        """Stage a chunk: its log rows, staged rows and rejects. Rows are inserted in batches of
        about ``BATCH_ROWS`` (an insert has a fixed cost), so call ``flush`` after the last chunk."""
        for target, rows in [("laadlog", chunk.log), *chunk.tables.items()]:
            self._pending.setdefault(target, []).append(rows)
            self._rows += rows.num_rows
        for table, file_id, frame in chunk.frames:
            self._insert_frame(table, file_id, frame)
        if self._rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Insert the rows staged so far."""
        for target, parts in self._pending.items():
            self._insert(target, pa.concat_tables(parts))
        self._pending, self._rows = {}, 0

    def _insert(self, target: str, rows: pa.Table) -> None:
        table = target if target in ("laadlog", "quarantaine") else f"bron_{target}"
        extra = ", 0 AS rows_loaded, 0 AS rows_quarantined" if target == "laadlog" else ""
        self.con.register("batch", rows)
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT *{extra} FROM batch")
        self.con.unregister("batch")

    def _insert_frame(self, table: str, file_id: int, frame: pd.DataFrame) -> None:
        frame = frame[list(STAGING[table])].assign(file_id=file_id)
        if "waar" not in frame.columns:
            frame = frame.assign(waar=[f"row {i}" for i in range(1, len(frame) + 1)])
        self.con.register("frame", frame)
        self.con.execute(f"INSERT INTO bron_{table} BY NAME SELECT * FROM frame")
        self.con.unregister("frame")


def _chunks(files: Iterator[Entry]) -> Iterator[list[tuple[int, Entry]]]:
    """Runs of ``CHUNK_FILES`` (file_id, entry), file ids counting from 1 in file order."""
    numbered = enumerate(files, 1)
    while chunk := list(itertools.islice(numbered, CHUNK_FILES)):
        yield chunk


def drop_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Files whose bytes an earlier file (in file order) already had: logged as ``duplicaat`` of
    that file, their rows and rejects removed. Files outside a known source folder, and entries
    that were not opened (skipped, or not listed), do not count."""
    known = ", ".join(f"'{name}'" for name in READERS)
    con.execute(f"""
        CREATE TEMP TABLE dubbel AS
        SELECT file_id, eerste FROM (
            SELECT file_id, first_value(pad) OVER w AS eerste, row_number() OVER w AS nr FROM laadlog
            WHERE sha256 IS NOT NULL AND (status <> 'onleesbaar' OR coalesce(bron, '') IN ({known}))
            WINDOW w AS (PARTITION BY sha256 ORDER BY file_id))
        WHERE nr > 1""")
    count = con.sql("SELECT count(*) FROM dubbel").fetchall()[0][0]
    if count:
        con.execute("""
            UPDATE laadlog SET status = 'duplicaat', duplicaat_van = d.eerste, soort = NULL, rows_read = 0,
                fouten = []::VARCHAR[], notities = ['same bytes as ' || d.eerste || ': loaded once']
            FROM dubbel d WHERE laadlog.file_id = d.file_id""")
        for target in [f"bron_{name}" for name in STAGING] + ["quarantaine"]:
            con.execute(f"DELETE FROM {target} WHERE file_id IN (SELECT file_id FROM dubbel)")
    con.execute("DROP TABLE dubbel")
    return count
