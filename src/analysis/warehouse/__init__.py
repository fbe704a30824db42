"""The DuckDB warehouse: built only from data/raw, idempotently, and replaced atomically.

``build(raw, warehouse)`` reads every raw file (``load``), moves rows that fail checks spanning
several files to quarantine (``checks``), creates the analysis views (``views``), and only then
moves the new file over the old one. ``connect(warehouse)`` opens it read-only for analyses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

import duckdb

from analysis import __version__, reference
from analysis.warehouse.checks import run_checks
from analysis.warehouse.export import export_parquet
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
    """What a build read: the totals and the unreadable files at hand; every file's entry is read
    from the warehouse's ``laadlog`` when asked for (a region has hundreds of thousands)."""

    warehouse: Path
    totals: dict[str, int]
    unreadable: list[dict[str, Any]]

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


def build(raw: Path, warehouse: Path, *, secret: str, workers: int | None = None,
          parquet: Path | None = None, progress: bool = False) -> BuildReport:
    """Rebuild ``warehouse`` from the files below ``raw``; the old file stays until the new one is done.

    ``workers`` processes read the files (default: the number of cores); the result is the same
    for any number of workers. With ``parquet``, the views are also exported there (see ``export``).
    """
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: raw data folder does not exist")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    tmp = warehouse.with_name(f".{warehouse.name}.bouw-{os.getpid()}")
    _remove(tmp)
    try:
        with duckdb.connect(str(tmp), config={"memory_limit": LOAD_MEMORY_LIMIT}) as con:
            totals, unreadable = _build_into(con, raw, secret=secret, workers=workers or os.cpu_count() or 1,
                                             progress=progress)
            if parquet is not None:
                export_parquet(con, parquet)
        os.replace(tmp, warehouse)
    finally:
        _remove(tmp)
    return BuildReport(warehouse, totals, unreadable)


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only (several notebooks may read it at once)."""
    if not warehouse.is_file():
        raise FileNotFoundError(f"{warehouse}: no warehouse; run `inkoopmonitor build` first")
    return duckdb.connect(str(warehouse), read_only=True)


def _build_into(con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str, workers: int,
                progress: bool) -> tuple[dict[str, int], list[dict[str, Any]]]:
    create_reference_tables(con)
    create_tables(con)
    Loader(con, raw, secret=secret, workers=workers).load_all(progress=progress)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    run_checks(con)
    _count_rows(con)
    create_views(con)
    _write_metadata(con)
    return _totals(con), _read_log(con, "WHERE status = 'onleesbaar'")


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


def _write_metadata(con: duckdb.DuckDBPyConnection) -> None:
    data_date = con.sql("SELECT max(bericht_datum) FROM bron_declaratie").fetchall()[0][0]
    con.execute("CREATE TABLE bouw AS SELECT ? AS versie, ?::TIMESTAMPTZ AS gebouwd, ?::DATE AS datadatum",
                [__version__, datetime.now(timezone.utc), data_date])


_LOG_QUERY = ("SELECT pad, sha256, soort, status, rows_read, rows_loaded, rows_quarantined, fouten, notities "
              "FROM laadlog {where} ORDER BY file_id")


def _read_log(con: duckdb.DuckDBPyConnection, where: str = "") -> list[dict[str, Any]]:
    return [dict(zip(REPORT_KEYS, row)) for row in con.sql(_LOG_QUERY.format(where=where)).fetchall()]


def _totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    keys = ("rows_read", "rows_loaded", "rows_quarantined")
    sums = ", ".join(f"coalesce(sum({k}), 0)::BIGINT" for k in keys)
    statuses = ("geladen", "duplicaat", "onleesbaar")
    counts = ", ".join(f"count(*) FILTER (status = '{s}')" for s in statuses)
    row = con.sql(f"SELECT {sums}, count(*), {counts} FROM laadlog").fetchall()[0]
    return dict(zip([*keys, "files", *(f"files_{s}" for s in statuses)], map(int, row)))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
