"""Herhaald beroep: clients whose care ended and who get a new toewijzing in the same domain within 12 months.

Definitions
- **End of care** (the unit): a client's trajectory (``traject``) in a domein ends in the period
  (einddatum in the year ``jaar``, or 1 January up to ``peildatum``) and on the day after it the
  client has no other trajectory of that domein running (begun on or before that day, at any
  aanbieder in any gemeente, not ended by the einddatum). A handover to another trajectory is thus
  no end. One unit per client, aanbieder, gemeente and domein: the **first** such end in the
  period, so a client who ends, returns and ends again within the period counts once, with the
  return. Its ``uitkomst`` is that of the trajectory that ended (``ref_reden_beeindiging``:
  volgens_plan, voortijdig, overig; an end without a known reden is overig; of several ending the
  same day, voortijdig before volgens_plan before overig). An end by death (reden 02) is left
  out: no return is possible.
- **Return** (``terug``): a toewijzing of the same client in the same domein whose first 301 has a
  toewijzingsdatum after the einddatum and at most 12 months after it, at any aanbieder and in any
  gemeente (the pseudonym is the same across gemeenten: a client who moved and asks again counts).
  A toewijzing decided on or before the einddatum belongs to the care that ended, not to a return.
  ``terug_andere_aanbieder``: the first returning toewijzing is of another aanbieder than the one of
  the ended trajectory (on the same day, the same aanbieder counts first). The return counts to the
  aanbieder, gemeente and uitkomst of the **ended** trajectory.
- **Followed**: a unit counts in the share only when its 12 months are over on ``meetdatum`` (default:
  the warehouse's data date, ``bouw.datadatum``): einddatum + 12 months <= meetdatum. Others are
  counted in ``nog_niet_gevolgd``. ``aandeel_terug_pct`` = terug / followed units.
- Defined for every domein. For Jeugd it is the national outcome indicator "herhaald beroep". For
  Wmo and Beschermd Wonen the same definition applies, but read it with care: much Wmo support
  (huishoudelijke ondersteuning, begeleiding of a chronic condition) is meant to last, so an end is
  often a move to the Wlz or another gemeente (iWmo reden 31 counts as voortijdig in the product's
  code table) and a return after a planned end is a new need rather than a relapse.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.suppliers._common import NAMEN, as_int, check_by, resolve_period, run, scope_filter, share_pct
from analysis.suppliers.wachttijd import EERSTE_TOEWIJZING

GROUPABLE = ("aanbieder_agb", "gemeente_code_huidig", "domein", "uitkomst")
COUNTS = ["beeindigd", "nog_niet_gevolgd", "clienten", "terug", "terug_zelfde_aanbieder", "terug_andere_aanbieder"]

_UNITS = """
    WITH eerste AS ({eerste}
    ), nieuw AS (
        SELECT t.client_id, t.domein, t.aanbieder_agb, e.toewijzingsdatum
        FROM toewijzing t JOIN eerste e USING (gemeente_code, toewijzingnummer)
    ), einde AS (
        SELECT t.client_id, t.domein, t.aanbieder_agb, t.gemeente_code_huidig, t.einddatum,
               CASE WHEN t.uitkomst IN ('volgens_plan', 'voortijdig') THEN t.uitkomst ELSE 'overig' END AS uitkomst
        FROM traject t
        WHERE t.einddatum BETWEEN $begin AND $eind AND t.reden_beeindiging IS DISTINCT FROM '02' {scope}
          AND NOT EXISTS (SELECT 1 FROM traject o
                          WHERE o.client_id = t.client_id AND o.domein = t.domein
                            AND o.begindatum <= t.einddatum + 1
                            AND (o.einddatum IS NULL OR o.einddatum > t.einddatum))
    ), eenheid AS (
        SELECT client_id, domein, aanbieder_agb, gemeente_code_huidig, min(einddatum) AS einddatum,
               arg_min(uitkomst, (einddatum, CASE uitkomst WHEN 'voortijdig' THEN 0
                                                          WHEN 'volgens_plan' THEN 1 ELSE 2 END)) AS uitkomst
        FROM einde GROUP BY ALL
    )
    SELECT u.client_id, u.domein, u.aanbieder_agb, u.gemeente_code_huidig, u.einddatum, u.uitkomst,
           (u.einddatum + INTERVAL 12 MONTH)::DATE <= $meetdatum AS gevolgd,
           arg_min(n.aanbieder_agb, (n.toewijzingsdatum, n.aanbieder_agb <> u.aanbieder_agb))
               FILTER (WHERE n.client_id IS NOT NULL) AS terug_bij
    FROM eenheid u
    LEFT JOIN nieuw n ON n.client_id = u.client_id AND n.domein = u.domein AND n.toewijzingsdatum > u.einddatum
         AND n.toewijzingsdatum <= (u.einddatum + INTERVAL 12 MONTH)::DATE
    GROUP BY ALL"""


def _meetdatum(con: duckdb.DuckDBPyConnection, meetdatum: date | None) -> date:
    """``meetdatum``, or the warehouse's data date (``bouw.datadatum``)."""
    if meetdatum is not None:
        if not isinstance(meetdatum, date):
            raise TypeError(f"meetdatum: expected a datetime.date, got {type(meetdatum).__name__}")
        return meetdatum
    has_bouw = con.sql("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'bouw'").fetchall()[0][0]
    found = con.sql("SELECT max(datadatum) FROM bouw").fetchall()[0][0] if has_bouw else None
    if found is None:
        raise ValueError("meetdatum: the warehouse has no data date (bouw.datadatum); give meetdatum")
    return found


def herhaald_beroep(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                    jaar: int | None = None, peildatum: date | None = None, meetdatum: date | None = None,
                    by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig", "domein", "uitkomst")
                    ) -> pd.DataFrame:
    """Share of the ends of care in the period followed by a new toewijzing within 12 months, per ``by``.

    ``gemeente`` / ``regio`` select the gemeente of the ended trajectory; returns count wherever they
    happen. Columns: ``by`` (``aanbieder_naam`` after ``aanbieder_agb``), ``beeindigd`` (units: see
    the module's definitions), ``nog_niet_gevolgd`` (12 months not over on ``meetdatum``),
    ``clienten`` (distinct clients of the followed units: the basis of the share), ``terug``,
    ``terug_zelfde_aanbieder``, ``terug_andere_aanbieder`` and ``aandeel_terug_pct``. Highest share first.
    """
    check_by(by, GROUPABLE)
    cols = "".join(f"u.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    names = f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {cols} count(*) AS beeindigd, count(*) FILTER (WHERE NOT gevolgd) AS nog_niet_gevolgd,
            count(DISTINCT client_id) FILTER (WHERE gevolgd) AS clienten,
            count(*) FILTER (WHERE gevolgd AND terug_bij IS NOT NULL) AS terug,
            count(*) FILTER (WHERE gevolgd AND terug_bij = u.aanbieder_agb) AS terug_zelfde_aanbieder,
            count(*) FILTER (WHERE gevolgd AND terug_bij <> u.aanbieder_agb) AS terug_andere_aanbieder,
            count(*) FILTER (WHERE gevolgd) AS gevolgd
        FROM ({_UNITS.format(eerste=EERSTE_TOEWIJZING, scope=scope)}) u {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, regio=regio, **period.params(),
                meetdatum=_meetdatum(con, meetdatum))
    frame = as_int(frame, [*COUNTS, "gevolgd"])
    frame = frame.assign(aandeel_terug_pct=share_pct(frame["terug"], frame["gevolgd"])).drop(columns="gevolgd")
    return frame.sort_values(["aandeel_terug_pct", *by], ascending=[False, *[True] * len(by)], na_position="last",
                             ignore_index=True)
