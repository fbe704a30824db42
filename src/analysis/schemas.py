"""Schemas as code for the staging tables: what a reader hands to the warehouse.

Two views of each table, kept side by side:

- :data:`SCHEMAS`: one pandera ``DataFrameSchema`` per staging table that a reader builds as a
  DataFrame (dtypes, allowed values, ranges, keys). Readers validate lazily, so that every bad row
  of a file is found in one pass, and turn the failures into rejects with :func:`row_problems`.
- :data:`STAGING_COLUMNS`: the same tables as ``{column: DuckDB type}``, in column order, for the
  warehouse's ``CREATE TABLE``. Tables from readers that emit column lists (the XML readers) are
  added here too; a test checks that both views agree where a table has a schema.

Money is integer cents (``*_cent``), dates are ``datetime.date``, years are plain integers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.reference.volwassenheid import MODELLEN, ORGANISATIE_SOORTEN, regio_slug

DOMEINEN = ("Jeugd", "Wmo", "Beschermd Wonen")
"""The three social-domain budgets the region buys for (Jeugdwet, Wmo, Beschermd Wonen)."""

IV3_STATUS = ("begroting", "realisatie")
LEEFTIJDSKLASSEN = ("0-17", "18+")
KPI_NORMEN = ("min", "max")
JAAR_RANGE = (2000, 2100)

_GEMEENTE_CODE = r"^GM\d{4}$"
_AGB = r"^\d{8}$"


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """A required (by default) text column; empty text never reaches a schema (readers make it missing)."""
    return pa.Column(str, list(checks), nullable=nullable)


def _jaar() -> pa.Column:
    lo, hi = JAAR_RANGE
    return pa.Column("int64", pa.Check.in_range(lo, hi, error=f"year outside {lo}-{hi}"))


def _one_of(values: Sequence[str]) -> pa.Check:
    return pa.Check.isin(list(values), error="not one of " + ", ".join(values))


def _cents(*, nullable: bool = False) -> pa.Column:
    dtype = "Int64" if nullable else "int64"
    return pa.Column(dtype, pa.Check.ge(0, error="negative amount"), nullable=nullable)


_AGB_CHECK = pa.Check.str_matches(_AGB, error="not an AGB code of 8 digits")
_GEMEENTE_CHECK = pa.Check.str_matches(
    _GEMEENTE_CODE, error="not a CBS gemeente code (GM0361, 0361 or 361)"
)


def _einddatum_not_before_begindatum(frame: pd.DataFrame) -> pd.Series:
    open_ended = frame["einddatum"].isna() | frame["begindatum"].isna()
    return open_ended | (frame["einddatum"] >= frame["begindatum"])


def _organisatie_code_fits_soort(frame: pd.DataFrame) -> pd.Series:
    """A gemeente answers with its CBS code, an aanbieder with its AGB code, the regional office with
    its region's folder name. Missing values and unknown soorten are reported by their own columns."""
    code, soort = frame["organisatie_code"], frame["organisatie_soort"]
    expected = {
        "gemeente": code.str.fullmatch(_GEMEENTE_CODE[1:-1]),
        "aanbieder": code.str.fullmatch(_AGB[1:-1]),
        "regio": code == frame["regio"].map(regio_slug, na_action="ignore"),
    }
    fits = pd.Series(True, index=frame.index)
    for name, ok in expected.items():
        mine = (soort == name).fillna(False).astype(bool)
        fits[mine] = ok[mine].fillna(True).astype(bool)
    return fits


def _table(columns: dict[str, pa.Column], *, key: Sequence[str] = (), checks=()) -> pa.DataFrameSchema:
    """A staging schema: exactly these columns in this order, dtypes coerced, ``key`` unique.

    A repeated key is reported on every occurrence after the first (``exclude_first``), so the
    first row stays loadable and each later one becomes a "duplicate key" reject.
    """
    return pa.DataFrameSchema(
        columns,
        checks=list(checks),
        strict=True,
        ordered=True,
        coerce=True,
        unique=list(key) or None,
        report_duplicates="exclude_first",
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "contract": _table(
        {
            "contract_id": _text(),
            "regio": _text(),
            "aanbieder_agb": _text(_AGB_CHECK),
            "aanbieder_naam": _text(),
            "domein": _text(_one_of(DOMEINEN)),
            "perceel": _text(),
            "begindatum": pa.Column(pa.Date),
            "einddatum": pa.Column(pa.Date, nullable=True),  # missing = open-ended
            "plafond_cent": _cents(nullable=True),  # missing = no ceiling
        },
        key=["contract_id"],
        checks=[
            pa.Check(
                _einddatum_not_before_begindatum,
                name="einddatum_not_before_begindatum",
                error="einddatum before begindatum",
            )
        ],
    ),
    "contract_tarief": _table(
        {
            "contract_id": _text(),
            "productcode": _text(pa.Check.str_length(1, 5, error="longer than 5 characters")),
            "jaar": _jaar(),
            "eenheid": _text(pa.Check.str_matches(r"^\d{2}$", error="not a 2-digit WJ756 eenheid code")),
            "tarief_cent": _cents(),  # per unit of eenheid
        },
        key=["contract_id", "productcode", "jaar"],
    ),
    "contract_kpi": _table(
        {
            "contract_id": _text(),
            "kpi": _text(),
            "norm": _text(_one_of(KPI_NORMEN)),  # min: at least streefwaarde; max: at most
            "streefwaarde": pa.Column("float64"),
        },
        key=["contract_id", "kpi"],
    ),
    # No key: Iv3 does not promise one line per (taakveld, categorie); repeats are summed later.
    "begroting": _table(
        {
            "gemeente_code": _text(_GEMEENTE_CHECK),
            "jaar": _jaar(),
            "status": _text(_one_of(IV3_STATUS)),
            "taakveld": _text(),
            "categorie": _text(),
            "lasten_cent": pa.Column("int64"),  # lasten may be negative (corrections)
        },
    ),
    "inkomsten": _table(
        {
            "gemeente_code": _text(_GEMEENTE_CHECK),
            "jaar": _jaar(),
            "domein": _text(_one_of(DOMEINEN)),
            "bedrag_cent": _cents(),
        },
        key=["gemeente_code", "jaar", "domein"],
    ),
    "inwoners": _table(
        {
            "gemeente_code": _text(_GEMEENTE_CHECK),
            "jaar": _jaar(),
            "leeftijdsklasse": _text(_one_of(LEEFTIJDSKLASSEN)),
            "inwoners": pa.Column("int64", pa.Check.ge(0, error="negative count")),
        },
        key=["gemeente_code", "jaar", "leeftijdsklasse"],
    ),
    "tevredenheid": _table(
        {
            "aanbieder_agb": _text(_AGB_CHECK),
            "jaar": _jaar(),
            "domein": _text(_one_of(DOMEINEN)),
            "score": pa.Column("float64", pa.Check.in_range(1, 10, error="score outside 1-10")),
            "respondenten": pa.Column("int64", pa.Check.ge(0, error="negative count")),
        },
        key=["aanbieder_agb", "jaar", "domein"],
    ),
    # No key: a respondent answering a question twice is found across files too, in warehouse.checks,
    # and every copy of a conflicting answer goes to quarantine (not all but the first).
    "volwassenheid": _table(
        {
            "regio": _text(),  # the jeugdzorgregio, from the folder the file sits in
            "respondent": _text(),
            "organisatie": _text(),
            "organisatie_soort": _text(_one_of(ORGANISATIE_SOORTEN)),
            "organisatie_code": _text(),
            "rol": _text(nullable=True),
            "model": _text(_one_of(tuple(MODELLEN))),
            "pijler": _text(),  # the model's own spelling (the reader matched it)
            "vraag": _text(),
            "huidig": pa.Column("int64", pa.Check.ge(1, error="level below 1")),  # the model's scale: reader
            "ambitie": pa.Column("int64", pa.Check.ge(1, error="level below 1")),  # may be below huidig
            "ingevuld": pa.Column(pa.Date),
            "waar": _text(),  # line (CSV) or sheet and row (XLSX) in the file
        },
        checks=[
            pa.Check(
                _organisatie_code_fits_soort,
                name="organisatie_code_fits_soort",
                error="organisatie_code does not fit organisatie_soort (gemeente: CBS code GM0361; "
                      "aanbieder: AGB code of 8 digits; regio: the region's folder name)",
            )
        ],
    ),
}

STAGING_COLUMNS: dict[str, dict[str, str]] = {
    "contract": {
        "contract_id": "VARCHAR",
        "regio": "VARCHAR",
        "aanbieder_agb": "VARCHAR",
        "aanbieder_naam": "VARCHAR",
        "domein": "VARCHAR",
        "perceel": "VARCHAR",
        "begindatum": "DATE",
        "einddatum": "DATE",
        "plafond_cent": "BIGINT",
    },
    "contract_tarief": {
        "contract_id": "VARCHAR",
        "productcode": "VARCHAR",
        "jaar": "INTEGER",
        "eenheid": "VARCHAR",
        "tarief_cent": "BIGINT",
    },
    "contract_kpi": {
        "contract_id": "VARCHAR",
        "kpi": "VARCHAR",
        "norm": "VARCHAR",
        "streefwaarde": "DOUBLE",
    },
    "begroting": {
        "gemeente_code": "VARCHAR",
        "jaar": "INTEGER",
        "status": "VARCHAR",
        "taakveld": "VARCHAR",
        "categorie": "VARCHAR",
        "lasten_cent": "BIGINT",
    },
    "inkomsten": {
        "gemeente_code": "VARCHAR",
        "jaar": "INTEGER",
        "domein": "VARCHAR",
        "bedrag_cent": "BIGINT",
    },
    "inwoners": {
        "gemeente_code": "VARCHAR",
        "jaar": "INTEGER",
        "leeftijdsklasse": "VARCHAR",
        "inwoners": "BIGINT",
    },
    "tevredenheid": {
        "aanbieder_agb": "VARCHAR",
        "jaar": "INTEGER",
        "domein": "VARCHAR",
        "score": "DOUBLE",
        "respondenten": "INTEGER",
    },
    "volwassenheid": {
        "regio": "VARCHAR",
        "respondent": "VARCHAR",
        "organisatie": "VARCHAR",
        "organisatie_soort": "VARCHAR",
        "organisatie_code": "VARCHAR",
        "rol": "VARCHAR",
        "model": "VARCHAR",
        "pijler": "VARCHAR",
        "vraag": "VARCHAR",
        "huidig": "INTEGER",
        "ambitie": "INTEGER",
        "ingevuld": "DATE",
        "waar": "VARCHAR",
    },
}

ROW = "*"
"""Prefix of the keys in :func:`row_problems` results for problems of a whole row (not one column)."""
KEY = "*key"
"""Key in :func:`row_problems` results for a duplicate key."""
MISSING = "missing"
"""Reason given by :func:`row_problems` for a required value that is missing."""


def row_problems(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, *, labels: Sequence[str]
) -> dict[int, dict[str, str]]:
    """Every problem ``schema`` finds in ``frame``, by row position: ``{column: reason}``.

    ``frame`` must have a RangeIndex (row positions); ``labels[i]`` names row ``i`` in its file
    ("line 7") and is used to point a duplicate at its first occurrence. A missing required value
    gives the reason :data:`MISSING`. Problems of the whole row have keys starting with :data:`ROW`.
    An empty result means the frame is valid.

    pandera (0.35, pandas 3) reports one failure case per column for a frame-wide check and for a
    multi-column key, and a missing value in an int64 column twice (``coerce_dtype`` and
    ``not_nullable``); this folds them into one reason per row and column.
    """
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
    else:
        return {}
    cases = cases.rename(columns={"index": "row"})
    if cases["row"].isna().any():  # a column-level failure means the reader built a wrong frame
        raise ValueError(f"staging frame does not fit its schema:\n{cases[cases['row'].isna()]}")
    first = _first_occurrence(frame, list(schema.unique or []))
    found: dict[int, dict[str, str]] = {}
    for case in cases.sort_values("row", kind="stable").itertuples(index=False):
        position = int(case.row)
        if case.check == "multiple_fields_uniqueness":
            column = KEY
            reason = f"duplicate key ({', '.join(schema.unique)}) of {labels[first[position]]}"
        elif case.schema_context == "DataFrameSchema":
            column, reason = ROW + str(case.check), str(case.check)
        elif case.check == "not_nullable" or (
            str(case.check).startswith("coerce_dtype") and pd.isna(case.failure_case)
        ):
            column, reason = str(case.column), MISSING
        else:
            column, reason = str(case.column), str(case.check)
        found.setdefault(position, {}).setdefault(column, reason)
    return found


def _first_occurrence(frame: pd.DataFrame, key: list[str]) -> list[int]:
    """For each row position, the position of the first row with the same key (pandas, not
    pandera: pandera says *that* a key repeats, not where it was first seen)."""
    if not key:
        return list(range(len(frame)))
    group = frame.groupby(key, dropna=False, sort=False).ngroup()
    first_of_group = group.drop_duplicates()
    first = dict(zip(first_of_group.to_numpy(), first_of_group.index))
    return [int(first[g]) for g in group.to_numpy()]
