"""A warehouse in memory from a few hand-written rows, with the real views on top.

    con = fixture_warehouse({"declaratie": [dict(referentienummer="R1", ingediend_cent=100000, ...)],
                             "antwoord": [...], "contract": [...]})

Rows go into the staging tables ``bron_<name>`` (columns left out are NULL, or the defaults below);
then the product's own ``create_views`` builds declaratieregel, traject, begroting, ... exactly as a
real build does. Analyses are tested against these views.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analysis.warehouse import create_reference_tables
from analysis.warehouse.load import STAGING, create_tables
from analysis.warehouse.views import create_views

DEFAULTS: dict[str, dict[str, Any]] = {
    "declaratie": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="B1",
                       bericht_datum=date(2024, 4, 5), declaratienummer="D1", productcategorie="45",
                       productcode="45A03", eenheid="04", volume=1, client_id="c1",
                       periode_begin=date(2024, 3, 1), periode_eind=date(2024, 3, 31),
                       declaratie_begin=date(2024, 3, 1), declaratie_eind=date(2024, 3, 31),
                       declaratie_datum=date(2024, 4, 5), toewijzingnummer=1),
    "antwoord": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="A1",
                     bericht_datum=date(2024, 4, 20), declaratie_id="B1", declaratienummer="D1",
                     kop_retourcodes="0200"),
    "antwoord_regel": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="A1",
                           bericht_datum=date(2024, 4, 20), declaratie_id="B1", declaratienummer="D1"),
    "start": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="S1",
                  bericht_datum=date(2024, 1, 1), status_aanlevering="1", productcategorie="45",
                  productcode="45A03", toewijzingnummer=1),
    "stop": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="E1",
                 bericht_datum=date(2024, 6, 1), status_aanlevering="1", productcategorie="45",
                 productcode="45A03", toewijzingnummer=1),
    "toewijzing": dict(gemeente_code="GM0361", aanbieder_agb="12345678", standaard="iJw", bericht_id="T1",
                       bericht_datum=date(2024, 1, 1), toewijzingsdatum=date(2024, 1, 1), productcategorie="45",
                       productcode="45A03", toewijzingnummer=1),
}


def fixture_warehouse(tables: dict[str, list[dict[str, Any]]]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the reference tables, the given staging rows, and the views."""
    con = duckdb.connect()
    create_reference_tables(con)
    create_tables(con)
    for name, rows in tables.items():
        columns = STAGING[name]
        frame = pd.DataFrame([DEFAULTS.get(name, {}) | {"file_id": 1} | row for row in rows])
        unknown = set(frame.columns) - set(columns) - {"file_id", "waar"}
        if unknown:
            raise KeyError(f"bron_{name} has no column(s) {sorted(unknown)}")
        select = ", ".join(f"CAST({c} AS {columns[c]}) AS {c}" if c in columns else c for c in frame.columns)
        con.register("frame", frame)
        con.execute(f"INSERT INTO bron_{name} BY NAME SELECT {select} FROM frame")
        con.unregister("frame")
    create_views(con)
    return con
