"""Partitioned Parquet exports of the warehouse, for any other engine (and for DuckDB 1.x readers,
which cannot open a DuckDB 2 file).

``declaratieregel`` is partitioned by current gemeente and year of the product period (Hive style:
``declaratieregel/gemeente_code_huidig=GM0361/jaar=2024/*.parquet``); the other views are small
and written as one file each. The export replaces the folder atomically, like the build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

SMALL_VIEWS = ("toewijzing", "traject", "contract", "contract_tarief", "contract_kpi", "begroting",
               "inkomsten", "inwoners", "tevredenheid", "volwassenheid", "laadlog",
               "quarantaine")


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Write the analysis views below ``folder`` (zstd Parquet); returns the files written."""
    tmp = folder.with_name(f".{folder.name}.export-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        con.execute(f"""COPY (SELECT *, year(periode_begin) AS jaar FROM declaratieregel)
                        TO '{_quoted(tmp / 'declaratieregel')}'
                        (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (gemeente_code_huidig, jaar))""")
        for view in SMALL_VIEWS:
            con.execute(f"COPY {view} TO '{_quoted(tmp / (view + '.parquet'))}' (FORMAT parquet, COMPRESSION zstd)")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(p for p in folder.rglob("*.parquet"))


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
