"""Reading the package's own reference tables (``data/*.csv``).

The tables were written once from the public files in ``../shared/reference`` (see the
agreement tests in ``tests/reference``); the product never reads ``../shared`` at run time.
"""

from __future__ import annotations

import functools
from importlib.resources import files

import pandas as pd


def read_table(name: str) -> pd.DataFrame:
    """Read ``data/<name>.csv`` as strings (codes keep their leading zeros); empty cells are NA."""
    source = files(__package__) / "data" / f"{name}.csv"
    with source.open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


@functools.cache
def cached_table(name: str) -> pd.DataFrame:
    """``read_table`` once per name. Shared: copy before handing it to a caller."""
    return read_table(name)


def as_bool(column: pd.Series) -> pd.Series:
    """Turn the CSV's ``True``/``False`` text into a bool column; anything else is an error."""
    mapped = column.map({"True": True, "False": False})
    if mapped.isna().any():
        raise ValueError(f"column {column.name!r} holds values other than True/False")
    return mapped.astype(bool)
