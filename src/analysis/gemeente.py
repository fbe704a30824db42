"""Which gemeente: the one check of a ``gemeente`` parameter against the warehouse's ``ref_gemeente``.

Gemeenten are current CBS codes (``GM`` and four digits); a gemeente that merged counts under its
successor (``GM0398`` is part of ``GM1980`` now), so its old code is refused here, not silently empty.
"""

from __future__ import annotations

import re

import duckdb

from analysis.warehouse import geheugen

_CODE = re.compile(r"^GM\d{4}$")


def check_gemeente(con: duckdb.DuckDBPyConnection, gemeente: object) -> tuple[str, str | None] | None:
    """The gemeente's name and jeugdzorgregio; a ``ValueError`` naming ``gemeente`` for anything that is
    not a current gemeente code of the warehouse. ``None`` (every gemeente, where a function allows it)
    passes and gives ``None``."""
    if gemeente is None:
        return None
    if not isinstance(gemeente, str) or not _CODE.match(gemeente):
        raise ValueError(f"gemeente: expected a CBS code like 'GM0361', got {gemeente!r}")
    row = geheugen.rows(con, "SELECT gemeentenaam, jeugdzorgregio FROM ref_gemeente WHERE gemeente_code = $g",
                        {"g": gemeente})
    if not row:
        raise ValueError(f"gemeente: {gemeente!r} is not a current gemeente (merged gemeenten count under "
                         "their successor, e.g. GM0398 under GM1980)")
    return row[0][0], row[0][1]
