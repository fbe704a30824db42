"""Build the warehouse: every raw entry logged, the file written beside the old one and moved over it.

``build`` writes ``.<name>.bouw-<pid>`` next to the warehouse and replaces the warehouse with it
only when everything succeeded. A build killed on the way (``kill -9``) leaves that file behind;
the next build removes the temporary files of processes that no longer run. ``connect`` opens the
current warehouse file, also in a process that had the replaced one open.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

import duckdb

from analysis import __version__, privacy, reference
from analysis.warehouse.checks import run_checks
from analysis.warehouse import geheugen
from analysis.warehouse.export import export_parquet
from analysis.warehouse.files import DUPLICAAT, GELADEN, ONLEESBAAR, OVERGESLAGEN, TOP_LEVEL
from analysis.warehouse.load import STAGING, Loader, create_tables
from analysis.warehouse.views import create_views


#: DuckDB may use this much memory while building; beyond it, sorts and joins spill to disk, so a
#: build's memory does not grow with the data. While the files are loaded, the reading workers run
#: beside it and inserts need little buffer, so DuckDB gets less then; the checks and derived tables
#: that follow sort and join the whole warehouse and get ``MEMORY_LIMIT``.
MEMORY_LIMIT = "512MB"
LOAD_MEMORY_LIMIT = "256MB"
#: One file of the load report (``--json``), in the order of ``laadlog``'s columns read below.
REPORT_KEYS = ("path", "sha256", "kind", "status", "rows_read", "rows_loaded", "rows_quarantined", "errors", "notes")


@dataclass
class BuildReport:
    """What a build read: the totals, the unreadable and the skipped entries at hand (not the raw
    folder's README or the demo marker); every entry is read from the warehouse's ``laadlog`` when
    asked for (a region has hundreds of thousands). ``sleutel``: the kind of key, never the key."""

    warehouse: Path
    totals: dict[str, int]
    unreadable: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    sleutel: str

    def iter_files(self, batch: int = 10_000) -> Iterator[dict[str, Any]]:
        """One entry per file, in file order, with the keys of ``REPORT_KEYS``."""
        with connect(self.warehouse) as con:
            cursor = con.execute(_LOG_QUERY.format(where=""))
            while rows := cursor.fetchmany(batch):
                yield from (dict(zip(REPORT_KEYS, row)) for row in rows)

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.iter_files())

    def write_json(self, out: TextIO) -> None:
        """``{"files": [...], "totals": {...}}`` written to ``out`` one file at a time."""
        out.write('{"files": [')
        for n, entry in enumerate(self.iter_files()):
            out.write(("\n " if n == 0 else ",\n ") + json.dumps(entry, ensure_ascii=False, default=str))
        out.write('\n], "totals": ' + json.dumps(self.totals) + "}\n")


def build(raw: Path, warehouse: Path, *, secret: str | None, workers: int | None = None,
          parquet: Path | None = None, progress: bool = False) -> BuildReport:
    """Rebuild ``warehouse`` from the entries below ``raw``; the old file stays until the new one is done.

    ``secret`` keys the pseudonyms: real data needs a secret of its own (``privacy.choose_key``
    raises ``SecretRefused`` otherwise); the demo may go without. ``workers`` processes read the
    files (default: the number of cores); the result is the same for any number of workers. With
    ``parquet``, the views are also exported there (see ``export``).
    """
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: raw data folder does not exist")
    key, sleutel = privacy.choose_key(raw, secret)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(warehouse)
    tmp = warehouse.with_name(f"{_TMP.format(name=warehouse.name)}{os.getpid()}")
    _remove(tmp)
    try:
        with duckdb.connect(str(tmp), config={"memory_limit": LOAD_MEMORY_LIMIT}) as con:
            _build_into(con, raw, secret=key, sleutel=sleutel, workers=workers or os.cpu_count() or 1,
                        progress=progress)
            report = BuildReport(warehouse, _totals(con), _read_log(con, f"WHERE status = '{ONLEESBAAR}'"),
                                 _read_log(con, f"WHERE status = '{OVERGESLAGEN}' AND pad NOT IN {_TOP}"), sleutel)
            if parquet is not None:
                export_parquet(con, parquet)
        os.replace(tmp, warehouse)
    finally:
        _remove(tmp)
    return report


def _build_into(con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str, sleutel: str, workers: int,
                progress: bool) -> None:
    create_reference_tables(con)
    create_tables(con)
    Loader(con, raw, secret=secret, workers=workers).load_all(progress=progress)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    run_checks(con)
    _count_rows(con)
    create_views(con)
    _write_metadata(con, sleutel=sleutel)


DUCKDB_THREADS = "INKOOPMONITOR_DUCKDB_THREADS"
"""Environment variable: the threads of a connection :func:`connect` opens (unset: DuckDB's default, the cores)."""


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only (several notebooks may read it at once).

    The file is attached to a new in-memory database rather than opened with ``duckdb.connect(path)``:
    DuckDB keeps one instance per path for as long as a connection to it is open, so a kernel that
    connected before a rebuild would get the replaced file again. Attached, it is the file at the
    path now, with the warehouse as the default catalog. A query that needs more memory than it may
    use spills next to the warehouse (``<file>.tmp``, as a file database would), not into the cwd.
    :data:`DUCKDB_THREADS` in the environment sets its threads.
    """
    if not warehouse.is_file():
        raise FileNotFoundError(f"{warehouse}: no warehouse; run `inkoopmonitor build` first")
    config = {"temp_directory": f"{warehouse}.tmp"}
    if threads := os.environ.get(DUCKDB_THREADS):  # the report runner's kernels: one each
        config["threads"] = int(threads)
    con = duckdb.connect(":memory:", config=config)
    path = str(warehouse).replace("'", "''")
    con.execute(f"ATTACH '{path}' AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    return geheugen.onthoud(con)  # read-only: an answer cannot change while it is open


def remove_stale(warehouse: Path) -> list[Path]:
    """Remove what builds of ``warehouse`` in processes that no longer run left behind: the temporary
    file, its ``.wal`` and DuckDB's spill folder ``.tmp``; the paths removed."""
    prefix = _TMP.format(name=warehouse.name)
    removed = []
    for path in warehouse.parent.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix):].removesuffix(".wal").removesuffix(".tmp")
        if pid.isdigit() and not _running(int(pid)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """True when process ``pid`` exists and is not a zombie (a killed build whose parent has not reaped it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rpartition(b")")[2].split()[0] != b"Z"
    except OSError:
        return True


def create_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The product's own code tables, so views can join on them (``ref_*``)."""
    tables = {
        "ref_gemeente": reference.gemeenten(),
        "ref_rebase": reference.rebase_tabel(),
        "ref_productcategorie": reference.productcategorieen(),
        "ref_retourcode": reference.retourcodes(),
        "ref_reden_beeindiging": reference.redenen_beeindiging(),
        "ref_taakveld": reference.taakvelden_sociaal_domein(),
    }
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")


def _count_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Fill rows_loaded and rows_quarantined per file, and insist that read = loaded + quarantined."""
    loaded = " UNION ALL ".join(f"SELECT file_id FROM bron_{t}" for t in STAGING)
    con.execute(f"""
        CREATE TEMP TABLE telling AS
        SELECT l.file_id, coalesce(a.n, 0) AS loaded, coalesce(q.n, 0) AS quarantined FROM laadlog l
        LEFT JOIN (SELECT file_id, count(*) AS n FROM ({loaded}) GROUP BY file_id) a USING (file_id)
        LEFT JOIN (SELECT file_id, count(*) AS n FROM quarantaine GROUP BY file_id) q USING (file_id)""")
    con.execute("UPDATE laadlog SET rows_loaded = t.loaded, rows_quarantined = t.quarantined "
                "FROM telling t WHERE laadlog.file_id = t.file_id")
    con.execute("DROP TABLE telling")
    broken = con.sql("SELECT pad, rows_read, rows_loaded, rows_quarantined FROM laadlog "
                     "WHERE rows_read <> rows_loaded + rows_quarantined").fetchall()
    if broken:
        raise AssertionError(f"rows lost between reading and loading: {broken[:5]}")


def _write_metadata(con: duckdb.DuckDBPyConnection, *, sleutel: str) -> None:
    """The ``bouw`` record: version, build time, data date and the kind of pseudonymisation key."""
    data_date = con.sql("SELECT max(bericht_datum) FROM bron_declaratie").fetchall()[0][0]
    con.execute("CREATE TABLE bouw AS SELECT ? AS versie, ?::TIMESTAMPTZ AS gebouwd, ?::DATE AS datadatum, "
                "? AS sleutel", [__version__, datetime.now(timezone.utc), data_date, sleutel])


_TMP = ".{name}.bouw-"
_TOP = "(" + ", ".join(f"'{name}'" for name in TOP_LEVEL) + ")"
_LOG_QUERY = ("SELECT pad, sha256, soort, status, rows_read, rows_loaded, rows_quarantined, fouten, notities "
              "FROM laadlog {where} ORDER BY file_id")


def _read_log(con: duckdb.DuckDBPyConnection, where: str = "") -> list[dict[str, Any]]:
    return [dict(zip(REPORT_KEYS, row)) for row in con.sql(_LOG_QUERY.format(where=where)).fetchall()]


def _totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    keys = ("rows_read", "rows_loaded", "rows_quarantined")
    sums = ", ".join(f"coalesce(sum({k}), 0)::BIGINT" for k in keys)
    statuses = (GELADEN, DUPLICAAT, ONLEESBAAR, OVERGESLAGEN)
    counts = ", ".join(f"count(*) FILTER (status = '{s}')" for s in statuses)
    row = con.sql(f"SELECT {sums}, count(*), {counts} FROM laadlog").fetchall()[0]
    return dict(zip([*keys, "files", *(f"files_{s}" for s in statuses)], map(int, row)))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
