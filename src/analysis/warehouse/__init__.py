"""The DuckDB warehouse: built only from data/raw, idempotently, and replaced atomically.

``build(raw, warehouse)`` reads every raw file (``load``), moves rows that fail checks spanning
several files to quarantine (``checks``), creates the analysis views (``views``), and only then
moves the new file over the old one. ``connect(warehouse)`` opens it read-only for analyses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from analysis import __version__, reference
from analysis.warehouse.checks import run_checks
from analysis.warehouse.export import export_parquet
from analysis.warehouse.load import STAGING, Loader, create_tables
from analysis.warehouse.views import create_views


#: One file of the load report (``--json``), in the order of ``laadlog``'s columns read below.
REPORT_KEYS = ("path", "sha256", "kind", "status", "rows_read", "rows_loaded", "rows_quarantined", "errors", "notes")


@dataclass
class BuildReport:
    """What a build read: one entry per file, and the totals."""

    files: list[dict[str, Any]]

    @property
    def totals(self) -> dict[str, int]:
        keys = ("rows_read", "rows_loaded", "rows_quarantined")
        out = {k: sum(f[k] for f in self.files) for k in keys}
        out["files"] = len(self.files)
        for status in ("geladen", "duplicaat", "onleesbaar"):
            out[f"files_{status}"] = sum(f["status"] == status for f in self.files)
        return out

    @property
    def unreadable(self) -> list[dict[str, Any]]:
        return [f for f in self.files if f["status"] == "onleesbaar"]

    def as_json(self) -> dict[str, Any]:
        return {"files": [dict(f) for f in self.files], "totals": self.totals}


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
        with duckdb.connect(str(tmp)) as con:
            report = _build_into(con, raw, secret=secret, workers=workers or os.cpu_count() or 1,
                                 progress=progress)
            if parquet is not None:
                export_parquet(con, parquet)
        os.replace(tmp, warehouse)
    finally:
        _remove(tmp)
    return report


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only (several notebooks may read it at once)."""
    if not warehouse.is_file():
        raise FileNotFoundError(f"{warehouse}: no warehouse; run `inkoopmonitor build` first")
    return duckdb.connect(str(warehouse), read_only=True)


def _build_into(con: duckdb.DuckDBPyConnection, raw: Path, *, secret: str, workers: int,
                progress: bool) -> BuildReport:
    create_reference_tables(con)
    create_tables(con)
    Loader(con, raw, secret=secret, workers=workers).load_all(progress=progress)
    run_checks(con)
    _count_rows(con)
    create_views(con)
    _write_metadata(con)
    return BuildReport(_read_log(con))


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


def _read_log(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.sql("SELECT pad, sha256, soort, status, rows_read, rows_loaded, rows_quarantined, fouten, "
                   "notities FROM laadlog ORDER BY file_id").fetchall()
    return [dict(zip(REPORT_KEYS, row)) for row in rows]


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
