"""Parquet export: partitioned declaration lines whose totals equal the warehouse's."""

from datetime import date

import duckdb
from warehouse_fixture import fixture_warehouse

from analysis.warehouse.export import export_parquet


def test_export_partitions_by_gemeente_and_year(tmp_path):
    con = fixture_warehouse({
        "declaratie": [
            dict(referentienummer="R1", ingediend_cent=1000),
            dict(referentienummer="R2", ingediend_cent=2500, gemeente_code="GM0398", declaratienummer="D2",
                 bericht_id="B2", periode_begin=date(2021, 6, 1), periode_eind=date(2021, 6, 30),
                 declaratie_begin=date(2021, 6, 1), declaratie_eind=date(2021, 6, 30)),
        ],
    })
    files = export_parquet(con, tmp_path / "parquet")
    names = {p.relative_to(tmp_path / "parquet").parts[:3] for p in files if "declaratieregel" in p.parts}
    # GM0398 (Heerhugowaard) is exported under its current gemeente GM1980 Dijk en Waard
    assert names == {("declaratieregel", "gemeente_code_huidig=GM0361", "jaar=2024"),
                     ("declaratieregel", "gemeente_code_huidig=GM1980", "jaar=2021")}
    total = duckdb.sql(f"SELECT sum(ingediend_cent) FROM read_parquet('{tmp_path}/parquet/declaratieregel/**/*.parquet',"
                       " hive_partitioning = true)").fetchall()
    assert total == [(3500,)]  # 1000 + 2500
    assert (tmp_path / "parquet" / "contract.parquet").is_file()


def test_export_replaces_the_previous_folder(tmp_path):
    con = fixture_warehouse({"declaratie": [dict(referentienummer="R1", ingediend_cent=1000)]})
    stale = tmp_path / "parquet" / "oud.parquet"
    stale.parent.mkdir()
    stale.write_text("x")
    export_parquet(con, tmp_path / "parquet")
    assert not stale.exists()
