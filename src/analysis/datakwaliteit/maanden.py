"""Monthly declarations of contracted aanbieders (on time, late, missing), and trajectories left open
after a herindeling (see the package's definitions)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.datakwaliteit._common import DECLARATIE_NORM_DAGEN, check_norm, select_by
from analysis.reference import herindelingen
from analysis.suppliers._common import NAMEN, as_int, check_by, resolve_period, run, scope_filter, share_pct

STATUS_ORDER = ("ontbreekt", "te_laat", "nog_niet_verwacht", "tijdig")


# Per aanbieder, gemeente, domein and month of the period with a contracted aanbieder's care ("zorg", a row
# per client): the clients, the first debit line for the month by $eind and the status (the definitions).
_STATUS = """
    WITH maand AS (
        SELECT m::DATE AS maand, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS maand_eind
        FROM generate_series($begin::TIMESTAMP, $eind::TIMESTAMP, INTERVAL 1 MONTH) s(m)
    ), zorg AS (
        SELECT DISTINCT m.maand, m.maand_eind, t.aanbieder_agb, t.gemeente_code_huidig, t.domein, t.client_id
        FROM traject t JOIN maand m ON t.begindatum <= m.maand_eind
             AND (t.einddatum IS NULL OR t.einddatum >= m.maand)
        JOIN ref_gemeente g ON g.gemeente_code = t.gemeente_code_huidig
        WHERE t.begindatum <= $eind {scope}
          AND EXISTS (SELECT 1 FROM contract c WHERE c.aanbieder_agb = t.aanbieder_agb
                      AND c.regio = g.jeugdzorgregio AND c.domein = t.domein AND c.begindatum <= m.maand_eind
                      AND coalesce(c.einddatum, DATE '9999-12-31') >= m.maand)
    ), gedeclareerd AS (
        SELECT date_trunc('month', periode_begin)::DATE AS maand, aanbieder_agb, gemeente_code_huidig, domein,
               client_id, min(declaratie_datum) AS eerste
        FROM declaratieregel
        WHERE NOT is_credit AND periode_begin BETWEEN $begin AND $eind AND declaratie_datum <= $eind
              {scope_regel}
        GROUP BY ALL
    ), per_maand AS (
        SELECT maand, aanbieder_agb, gemeente_code_huidig, domein,
               count(DISTINCT client_id) AS clienten_gedeclareerd, min(eerste) AS eerste_declaratie
        FROM gedeclareerd GROUP BY ALL
    ), in_zorg AS (
        SELECT z.maand, z.aanbieder_agb, z.gemeente_code_huidig, z.domein,
               (z.maand_eind + $norm)::DATE AS uiterlijk,
               count(DISTINCT z.client_id) AS clienten,
               count(DISTINCT z.client_id) FILTER (WHERE d.client_id IS NULL) AS clienten_zonder_declaratie
        FROM zorg z
        LEFT JOIN gedeclareerd d ON d.maand = z.maand AND d.aanbieder_agb = z.aanbieder_agb
             AND d.gemeente_code_huidig = z.gemeente_code_huidig AND d.domein = z.domein
             AND d.client_id = z.client_id
        GROUP BY ALL
    ), status AS (
        SELECT i.maand, i.aanbieder_agb, i.gemeente_code_huidig, i.domein, i.clienten,
               coalesce(p.clienten_gedeclareerd, 0) AS clienten_gedeclareerd, i.clienten_zonder_declaratie,
               p.eerste_declaratie, i.uiterlijk,
               CASE WHEN p.eerste_declaratie IS NULL AND i.uiterlijk < $eind THEN 'ontbreekt'
                    WHEN p.eerste_declaratie IS NULL THEN 'nog_niet_verwacht'
                    WHEN p.eerste_declaratie > i.uiterlijk THEN 'te_laat' ELSE 'tijdig' END AS status
        FROM in_zorg i LEFT JOIN per_maand p USING (maand, aanbieder_agb, gemeente_code_huidig, domein)
    )"""


def _status(con: duckdb.DuckDBPyConnection, select: str, *, gemeente: str | None, regio: str | None,
            jaar: int | None, peildatum: date | None, norm_dagen: int) -> pd.DataFrame:
    """``select`` (over ``status`` and ``zorg``) after :data:`_STATUS` for the scope and period."""
    check_norm("norm_dagen", norm_dagen)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    scope_regel = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    return run(con, _STATUS.format(scope=scope, scope_regel=scope_regel) + select, gemeente=gemeente, regio=regio,
               norm=norm_dagen, orde=list(STATUS_ORDER), **period.params())


def maanddeclaraties(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                     jaar: int | None = None, peildatum: date | None = None,
                     norm_dagen: int = DECLARATIE_NORM_DAGEN) -> pd.DataFrame:
    """Per contracted aanbieder, gemeente, domein and month with care: declared on time, late or missing.

    Months of the period up to that of ``eind``. Columns: ``maand``, ``aanbieder_agb``,
    ``aanbieder_naam``, ``gemeente_code_huidig``, ``domein``, ``clienten`` (in care that month),
    ``clienten_gedeclareerd`` (with a debit line for the month by ``eind``), ``clienten_zonder_declaratie``,
    ``eerste_declaratie`` (date), ``uiterlijk`` (the month's end + norm), ``status`` (see the
    module's definitions). Exceptions first: ontbreekt, te_laat, then by month.
    """
    frame = _status(con, f"""
        SELECT s.maand, s.aanbieder_agb, n.aanbieder_naam, s.gemeente_code_huidig, s.domein, s.clienten,
               s.clienten_gedeclareerd, s.clienten_zonder_declaratie, s.eerste_declaratie, s.uiterlijk, s.status
        FROM status s LEFT JOIN {NAMEN} n ON n.aanbieder_agb = s.aanbieder_agb
        ORDER BY list_position($orde, s.status), s.maand, s.gemeente_code_huidig, s.aanbieder_agb, s.domein""",
                    gemeente=gemeente, regio=regio, jaar=jaar, peildatum=peildatum, norm_dagen=norm_dagen)
    return as_int(frame, ["clienten", "clienten_gedeclareerd", "clienten_zonder_declaratie"])


def maanddeclaraties_telling(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                             regio: str | None = None, jaar: int | None = None, peildatum: date | None = None,
                             norm_dagen: int = DECLARATIE_NORM_DAGEN,
                             by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig", "domein")
                             ) -> pd.DataFrame:
    """:func:`maanddeclaraties` counted per ``by`` (of ``aanbieder_agb``, ``gemeente_code_huidig``,
    ``domein``; ``()``: one row for the scope), with the distinct clients of those months.

    Columns: ``by`` (``aanbieder_naam`` after ``aanbieder_agb``), ``maanden`` (months with care of an
    aanbieder, gemeente and domein in the group), the months per status ``tijdig``, ``te_laat``,
    ``ontbreekt``, ``nog_niet_verwacht``, ``clienten`` (distinct, in care in any of those months),
    ``clienten_te_laat`` and ``clienten_ontbreekt`` (in care in a month late or missing) and
    ``aandeel_tijdig_pct`` (tijdig of the months judged: tijdig, te_laat and ontbreekt). Most months
    missing first, then most late.
    """
    check_by(by, ("aanbieder_agb", "gemeente_code_huidig", "domein"))
    cols, names = select_by(by, "s")
    maand = "(s.maand, s.aanbieder_agb, s.gemeente_code_huidig, s.domein)"
    counts = "".join(f"count(DISTINCT {maand}) FILTER (WHERE s.status = '{st}') AS {st}, " for st in STATUS_ORDER)
    frame = _status(con, f"""
        SELECT {cols} count(DISTINCT {maand}) AS maanden, {counts}
               count(DISTINCT z.client_id) AS clienten,
               count(DISTINCT z.client_id) FILTER (WHERE s.status = 'te_laat') AS clienten_te_laat,
               count(DISTINCT z.client_id) FILTER (WHERE s.status = 'ontbreekt') AS clienten_ontbreekt
        FROM status s JOIN zorg z USING (maand, aanbieder_agb, gemeente_code_huidig, domein) {names}
        GROUP BY ALL""", gemeente=gemeente, regio=regio, jaar=jaar, peildatum=peildatum, norm_dagen=norm_dagen)
    frame = as_int(frame, ["maanden", *STATUS_ORDER, "clienten", "clienten_te_laat", "clienten_ontbreekt"])
    judged = frame["tijdig"] + frame["te_laat"] + frame["ontbreekt"]
    frame = frame.assign(aandeel_tijdig_pct=share_pct(frame["tijdig"], judged))
    return frame.sort_values(["ontbreekt", "te_laat", *by], ascending=[False, False, *[True] * len(by)],
                             ignore_index=True)


def open_na_herindeling(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                        jaar: int | None = None, peildatum: date | None = None) -> pd.DataFrame:
    """Trajectories of a gemeente code merged away on or before the end of the period, still open then.

    Columns: ``gemeente_code`` (as delivered), ``opgeheven`` (the date the code ceased),
    ``gemeente_code_huidig``, ``aanbieder_agb``, ``aanbieder_naam``, ``domein``, ``trajecten``,
    ``clienten``, ``eerste_begindatum``, ``laatste_declaratie_maand`` (latest product period of a
    debit line of the aanbieder for those clients under the old code; NULL when none). Most first.
    """
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    weg = herindelingen().groupby("oude_code", as_index=False)["datum"].min()
    frame = run(con, f"""
        WITH opgeheven AS (SELECT unnest($codes) AS gemeente_code, unnest($datums)::DATE AS opgeheven),
        open AS (
            SELECT t.*, o.opgeheven FROM traject t JOIN opgeheven o USING (gemeente_code)
            WHERE o.opgeheven <= $eind AND t.begindatum <= $eind AND (t.einddatum IS NULL OR t.einddatum > $eind)
                  {scope}
        ), laatste AS (
            SELECT d.gemeente_code, d.aanbieder_agb, d.domein, max(d.periode_begin) AS laatste_declaratie_maand
            FROM declaratieregel d
            WHERE NOT d.is_credit AND EXISTS (SELECT 1 FROM open o WHERE o.gemeente_code = d.gemeente_code
                  AND o.aanbieder_agb = d.aanbieder_agb AND o.client_id = d.client_id)
            GROUP BY ALL
        )
        SELECT o.gemeente_code, o.opgeheven, o.gemeente_code_huidig, o.aanbieder_agb, n.aanbieder_naam, o.domein,
               count(*) AS trajecten, count(DISTINCT o.client_id) AS clienten,
               min(o.begindatum) AS eerste_begindatum, any_value(l.laatste_declaratie_maand) AS laatste_declaratie_maand
        FROM open o
        LEFT JOIN laatste l USING (gemeente_code, aanbieder_agb, domein)
        LEFT JOIN {NAMEN} n ON n.aanbieder_agb = o.aanbieder_agb
        GROUP BY ALL""", gemeente=gemeente, regio=regio, eind=period.eind,
                codes=weg["oude_code"].tolist(), datums=[d.isoformat() for d in weg["datum"]])
    frame = as_int(frame, ["trajecten", "clienten"])
    return frame.sort_values(["trajecten", "gemeente_code", "aanbieder_agb"], ascending=[False, True, True],
                             ignore_index=True)
