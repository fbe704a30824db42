"""The staging schemas: both views agree, and row_problems turns pandera failures into reasons."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.schemas import KEY, MISSING, SCHEMAS, STAGING_COLUMNS, row_problems

PANDAS_TO_DUCKDB = {"int64": {"BIGINT", "INTEGER"}, "Int64": {"BIGINT", "INTEGER"}, "float64": {"DOUBLE"},
                    "date": {"DATE"}, "string[pyarrow]": {"VARCHAR"}}


def test_staging_columns_match_the_schemas():
    for table, schema in SCHEMAS.items():
        assert list(STAGING_COLUMNS[table]) == list(schema.columns), table
        for column, duckdb_type in STAGING_COLUMNS[table].items():
            assert duckdb_type in PANDAS_TO_DUCKDB[str(schema.columns[column].dtype)], (table, column)


def test_row_problems_folds_pandera_failures_per_row():
    frame = pd.DataFrame(
        {
            "contract_id": pd.Series(["C1", "C2", "C1", "C3"], dtype="str"),
            "productcode": pd.Series(["45A12", "45A12", "45A12", "TOOLONG"], dtype="str"),
            "jaar": pd.array([2024, None, 2024, 2024], dtype="Int64"),
            "eenheid": pd.Series(["04", "04", "04", "4"], dtype="str"),
            "tarief_cent": pd.array([100, 100, -1, 100], dtype="Int64"),
        }
    )
    found = row_problems(frame, SCHEMAS["contract_tarief"], labels=["r1", "r2", "r3", "r4"])
    assert found == {
        1: {"jaar": MISSING},  # coerce_dtype and not_nullable folded into one
        2: {KEY: "duplicate key (contract_id, productcode, jaar) of r1", "tarief_cent": "negative amount"},
        3: {"productcode": "longer than 5 characters", "eenheid": "not a 2-digit WJ756 eenheid code"},
    }


def test_valid_frame_has_no_problems_and_keeps_dates():
    frame = pd.DataFrame(
        {
            "gemeente_code": pd.Series(["GM0361"], dtype="str"), "jaar": pd.array([2024], dtype="Int64"),
            "domein": pd.Series(["Jeugd"], dtype="str"), "bedrag_cent": pd.array([5], dtype="Int64"),
        }
    )
    assert row_problems(frame, SCHEMAS["inkomsten"], labels=["line 2"]) == {}
    contract = SCHEMAS["contract"].validate(
        pd.DataFrame({"contract_id": ["C"], "regio": ["R"], "aanbieder_agb": ["12345678"], "aanbieder_naam": ["N"],
                      "domein": ["Wmo"], "perceel": ["P"], "begindatum": [dt.date(2024, 1, 1)],
                      "einddatum": [None], "plafond_cent": pd.array([None], dtype="Int64")})
    )
    assert contract["begindatum"][0] == dt.date(2024, 1, 1)
