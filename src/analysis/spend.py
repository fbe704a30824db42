"""Spend: where the money goes. Approved spend (toegekend, net of credits) by month of the product period.

Definitions (README, "How the warehouse treats the data"): a line counts when its declaratie was
answered and the line not rejected (``status = 'goedgekeurd'``); a credit line counts negative, so
sums are net of credits. Pending lines (``in_behandeling``) are left out here and shown apart where
a report needs them. Money is integer cents.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

GROUPABLE = ("gemeente_code_huidig", "domein", "productcategorie", "productcode", "aanbieder_agb", "standaard")


def _check_by(by: tuple[str, ...]) -> None:
    unknown = [c for c in by if c not in GROUPABLE]
    if unknown:
        raise ValueError(f"by: cannot group spend by {unknown}; choose from {list(GROUPABLE)}")


def monthly_spend(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                  by: tuple[str, ...] = ("domein",), tot: date | None = None) -> pd.DataFrame:
    """Approved spend and clients per month of the product period (and per ``by`` column).

    Columns: ``maand`` (datetime64, first day of the month), the ``by`` columns, ``toegekend_cent``
    (int64, net of credits) and ``clienten`` (distinct client pseudonyms with an approved debit line).
    ``gemeente`` selects one current gemeente (``gemeente_code_huidig``); ``tot`` keeps product
    periods that begin on or before that date.
    """
    _check_by(by)
    keys = ", ".join(("maand", *by))
    frame = con.sql(f"""
        SELECT date_trunc('month', periode_begin)::TIMESTAMP AS maand{''.join(', ' + c for c in by)},
               sum(toegekend_cent)::BIGINT AS toegekend_cent,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
        FROM declaratieregel
        WHERE status = 'goedgekeurd'
          AND ($gemeente IS NULL OR gemeente_code_huidig = $gemeente)
          AND ($tot IS NULL OR periode_begin <= $tot)
        GROUP BY ALL ORDER BY {keys}""", params={"gemeente": gemeente, "tot": tot}).df()
    return frame.astype({"toegekend_cent": "int64", "clienten": "int64"})
