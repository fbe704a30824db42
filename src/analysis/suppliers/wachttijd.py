"""Wachttijd: the days from a toewijzing to the start of care, per aanbieder, productcategorie and gemeente.

Definitions
- A toewijzing is one toewijzingnummer of a gemeente (``toewijzing``: its latest 301 gives the
  aanbieder, product and client). The wait counts from the **first** 301 of that toewijzingnummer
  (``bron_toewijzing``: the earliest ``toewijzingsdatum``, with that message's ``ingangsdatum``): a
  later 301 that changes the toewijzing does not restart the clock.
- Its **start** is the first 305 of the same gemeente, aanbieder and toewijzingnummer (``traject``,
  withdrawn starts left out) with a begindatum on or before the end of the period ``eind``: the
  figures are what was known on ``eind``.
- ``wachttijd_dagen`` = begindatum - toewijzingsdatum: the client's wait after the decision. The
  planned part (``ingangsdatum`` - toewijzingsdatum, the gemeente's own start date of the toewijzing)
  is included; ``mediaan_na_ingang_dagen`` (begindatum - ingangsdatum) shows the part after it.
- **Start before the toewijzing** (begindatum < toewijzingsdatum: care started first and was assigned
  with terugwerkende kracht, as OP271 of the iStandaard allows) counts as 0 days, so within the norm,
  and is counted apart in ``start_voor_toewijzing``.
- **Without a start** on ``eind``: ``niet_gestart_na_norm`` when more than ``norm_dagen`` days have
  passed since the toewijzingsdatum, ``wachtend_binnen_norm`` otherwise (not judged yet). A
  toewijzing whose einddatum has passed without any start is ``vervallen_zonder_start``: it is no
  longer waiting and is not judged either.
- The **share within the norm** is started within ``norm_dagen`` (wait <= norm) over the judged
  toewijzingen: all started ones plus ``niet_gestart_na_norm``. Median and 90th percentile
  (``quantile_cont``, interpolated) are over started toewijzingen only; with many
  ``niet_gestart_na_norm`` they understate the wait, which is why both are shown side by side.
- The period selects toewijzingen by their (first) toewijzingsdatum: the year ``jaar``, or 1 January
  up to ``peildatum``. The trend does the same per quarter of the toewijzingsdatum.
- Default norm :data:`NORM_DAGEN` = 42 days: the Treeknorm of six weeks for extramural care (the
  GGZ Treeknorm allows ten weeks from intake to treatment). Neither the Jeugdwet, the Wmo nor the
  iStandaarden set a norm from toewijzing to start; regions agree their own in the contract.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.suppliers._common import NAMEN, as_int, check_by, resolve_period, run, scope_filter, share_pct

NORM_DAGEN = 42
"""Default norm from toewijzing to start, days (Treeknorm extramural care: six weeks)."""

GROUPABLE = ("gemeente_code_huidig", "aanbieder_agb", "domein", "standaard", "productcategorie", "productcode")
COUNTS = ["toewijzingen", "clienten", "gestart", "start_voor_toewijzing", "gestart_binnen_norm", "gestart_na_norm",
          "niet_gestart_na_norm", "wachtend_binnen_norm", "vervallen_zonder_start", "clienten_gestart",
          "clienten_beoordeeld", "clienten_niet_gestart"]

# The first 301 of each toewijzing: its toewijzingsdatum and ingangsdatum (a re-sent 301 that
# changes the toewijzing keeps the first date).
EERSTE_TOEWIJZING = """
    SELECT gemeente_code, toewijzingnummer, min(toewijzingsdatum) AS toewijzingsdatum,
           arg_min(ingangsdatum, (toewijzingsdatum, bericht_datum)) AS ingangsdatum
    FROM bron_toewijzing GROUP BY ALL"""

# One row per toewijzing issued from $van up to $eind, with its first start known on $eind.
_PER_TOEWIJZING = """
    WITH eerste AS (""" + EERSTE_TOEWIJZING + """
    ), start AS (
        SELECT gemeente_code, aanbieder_agb, toewijzingnummer, min(begindatum) AS begindatum
        FROM traject WHERE begindatum <= $eind GROUP BY ALL
    )
    SELECT t.gemeente_code_huidig, t.aanbieder_agb, t.domein, t.standaard, t.productcategorie, t.productcode,
           t.client_id, t.toewijzingnummer, e.toewijzingsdatum, e.ingangsdatum, t.einddatum, s.begindatum,
           -- greatest() skips a NULL, so a toewijzing without start needs the CASE
           CASE WHEN s.begindatum IS NOT NULL THEN greatest(s.begindatum - e.toewijzingsdatum, 0) END
               AS wachttijd_dagen,
           s.begindatum - e.ingangsdatum AS na_ingang_dagen,
           coalesce(s.begindatum < e.toewijzingsdatum, false) AS voor_toewijzing,
           s.begindatum IS NULL AND t.einddatum IS NOT NULL AND t.einddatum <= $eind AS vervallen,
           $eind - e.toewijzingsdatum AS dagen_sinds_toewijzing
    FROM toewijzing t
    JOIN eerste e USING (gemeente_code, toewijzingnummer)
    LEFT JOIN start s ON s.gemeente_code = t.gemeente_code AND s.aanbieder_agb = t.aanbieder_agb
         AND s.toewijzingnummer = t.toewijzingnummer
    WHERE e.toewijzingsdatum BETWEEN $van AND $eind {scope}"""

_AGGREGATES = """
    count(*) AS toewijzingen, count(DISTINCT client_id) AS clienten,
    count(begindatum) AS gestart, count(*) FILTER (WHERE voor_toewijzing) AS start_voor_toewijzing,
    quantile_cont(wachttijd_dagen, 0.5) AS mediaan_dagen, quantile_cont(wachttijd_dagen, 0.9) AS p90_dagen,
    quantile_cont(na_ingang_dagen, 0.5) AS mediaan_na_ingang_dagen,
    count(*) FILTER (WHERE wachttijd_dagen <= $norm) AS gestart_binnen_norm,
    count(*) FILTER (WHERE wachttijd_dagen > $norm) AS gestart_na_norm,
    count(*) FILTER (WHERE begindatum IS NULL AND NOT vervallen AND dagen_sinds_toewijzing > $norm)
        AS niet_gestart_na_norm,
    count(*) FILTER (WHERE begindatum IS NULL AND NOT vervallen AND dagen_sinds_toewijzing <= $norm)
        AS wachtend_binnen_norm,
    count(*) FILTER (WHERE vervallen) AS vervallen_zonder_start,
    count(DISTINCT client_id) FILTER (WHERE begindatum IS NOT NULL) AS clienten_gestart,
    count(DISTINCT client_id) FILTER (WHERE begindatum IS NOT NULL
                                       OR (NOT vervallen AND dagen_sinds_toewijzing > $norm)) AS clienten_beoordeeld,
    count(DISTINCT client_id) FILTER (WHERE begindatum IS NULL AND NOT vervallen AND dagen_sinds_toewijzing > $norm)
        AS clienten_niet_gestart"""


def _check_norm(norm_dagen: int) -> None:
    if isinstance(norm_dagen, bool) or not isinstance(norm_dagen, int) or norm_dagen < 0:
        raise ValueError(f"norm_dagen: expected a whole number of days >= 0, got {norm_dagen!r}")


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = as_int(frame, COUNTS)
    judged = frame["gestart"] + frame["niet_gestart_na_norm"]
    return frame.assign(aandeel_binnen_norm_pct=share_pct(frame["gestart_binnen_norm"], judged))


def _columns(by: tuple[str, ...]) -> tuple[str, str]:
    """SELECT list for ``by`` (with the aanbieder's name after its code) and the join for the name."""
    check_by(by, GROUPABLE)
    cols = "".join(f"w.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    return cols, f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""


def wachttijd(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
              jaar: int | None = None, peildatum: date | None = None, norm_dagen: int = NORM_DAGEN,
              by: tuple[str, ...] = ("aanbieder_agb", "productcategorie", "gemeente_code_huidig")) -> pd.DataFrame:
    """Days from toewijzing to start for the toewijzingen of the period, per ``by``.

    ``gemeente`` (a current CBS code) or ``regio`` (a jeugdzorgregio) narrows to the toewijzingen of
    those gemeenten. Columns: ``by`` (``aanbieder_naam`` after ``aanbieder_agb``), ``toewijzingen``,
    ``clienten``, ``gestart``, ``start_voor_toewijzing``, ``mediaan_dagen``, ``p90_dagen`` (started
    ones), ``mediaan_na_ingang_dagen``, ``gestart_binnen_norm``, ``gestart_na_norm``,
    ``niet_gestart_na_norm``, ``wachtend_binnen_norm``, ``vervallen_zonder_start``, the distinct clients
    each figure rests on (``clienten_gestart``: median and p90; ``clienten_beoordeeld``: the share;
    ``clienten_niet_gestart``) and ``aandeel_binnen_norm_pct`` (see the module's definitions). Sorted with the lowest share
    within the norm first (exceptions first), then by ``by``.
    """
    _check_norm(norm_dagen)
    cols, names = _columns(by)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {cols} {_AGGREGATES}
        FROM ({_PER_TOEWIJZING.format(scope=scope)}) w {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, regio=regio, van=period.begin, eind=period.eind,
                norm=norm_dagen)
    frame = _finish(frame)
    return frame.sort_values(["aandeel_binnen_norm_pct", *by], na_position="last", ignore_index=True)


def wachttijd_trend(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                    jaar: int | None = None, peildatum: date | None = None, norm_dagen: int = NORM_DAGEN,
                    kwartalen: int = 8, by: tuple[str, ...] = ("aanbieder_agb",)) -> pd.DataFrame:
    """:func:`wachttijd` per quarter of the toewijzingsdatum: the ``kwartalen`` quarters up to the
    end of the period (the last one up to ``peildatum`` only), as known on that end.

    Columns: ``kwartaal`` (``'2024-Q3'``), ``kwartaal_begin`` (date), ``by``, then those of
    :func:`wachttijd`. Recent quarters have more ``wachtend_binnen_norm``: not judged yet.
    Sorted by ``by``, then quarter.
    """
    _check_norm(norm_dagen)
    if isinstance(kwartalen, bool) or not isinstance(kwartalen, int) or not 1 <= kwartalen <= 80:
        raise ValueError(f"kwartalen: expected 1-80 quarters, got {kwartalen!r}")
    cols, names = _columns(by)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    first = pd.Timestamp(period.eind).to_period("Q") - (kwartalen - 1)
    frame = run(con, f"""
        SELECT year(w.toewijzingsdatum) || '-Q' || quarter(w.toewijzingsdatum) AS kwartaal,
               date_trunc('quarter', w.toewijzingsdatum)::DATE AS kwartaal_begin, {cols} {_AGGREGATES}
        FROM ({_PER_TOEWIJZING.format(scope=scope)}) w {names}
        GROUP BY ALL""", gemeente=gemeente, regio=regio, van=first.start_time.date(), eind=period.eind,
                norm=norm_dagen)
    return _finish(frame).sort_values([*by, "kwartaal_begin"], ignore_index=True)


def niet_gestart(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                 jaar: int | None = None, peildatum: date | None = None,
                 norm_dagen: int = NORM_DAGEN) -> pd.DataFrame:
    """The toewijzingen without a start on the end of the period, more than ``norm_dagen`` after
    their toewijzingsdatum and not ended (``vervallen``): longest wait first.

    Every toewijzing issued up to the end of the period counts, also those of earlier years (an old
    toewijzing that never started is the first exception). Columns: ``gemeente_code_huidig``,
    ``aanbieder_agb``, ``aanbieder_naam``, ``domein``, ``productcategorie``, ``productcode``,
    ``toewijzingnummer``, ``toewijzingsdatum``, ``ingangsdatum``, ``einddatum``, ``dagen_wachtend``
    (days from toewijzingsdatum to the end of the period) and ``clienten`` (1: one client a row, so
    the report layer shows the list to the regional office only, or counts per aanbieder).
    """
    _check_norm(norm_dagen)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT w.gemeente_code_huidig, w.aanbieder_agb, n.aanbieder_naam, w.domein, w.productcategorie,
               w.productcode, w.toewijzingnummer, w.toewijzingsdatum, w.ingangsdatum, w.einddatum,
               w.dagen_sinds_toewijzing AS dagen_wachtend, 1 AS clienten
        FROM ({_PER_TOEWIJZING.format(scope=scope)}) w LEFT JOIN {NAMEN} n USING (aanbieder_agb)
        WHERE w.begindatum IS NULL AND NOT w.vervallen AND w.dagen_sinds_toewijzing > $norm
        ORDER BY dagen_wachtend DESC, w.gemeente_code_huidig, w.aanbieder_agb, w.toewijzingnummer""",
                gemeente=gemeente, regio=regio, van=date(1900, 1, 1), eind=period.eind, norm=norm_dagen)
    return as_int(frame, ["dagen_wachtend", "clienten"])


def niet_gestart_telling(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                         jaar: int | None = None, peildatum: date | None = None, norm_dagen: int = NORM_DAGEN,
                         by: tuple[str, ...] = ("aanbieder_agb",)) -> pd.DataFrame:
    """:func:`niet_gestart` counted per ``by`` (``()``: one row): what a board may see of the list.

    Columns: ``by`` (``aanbieder_naam`` after ``aanbieder_agb``), ``toewijzingen``, ``clienten`` (distinct:
    a client may wait for two), ``mediaan_dagen_wachtend`` and ``max_dagen_wachtend`` (days from the
    toewijzingsdatum to the end of the period). Most toewijzingen first.
    """
    _check_norm(norm_dagen)
    cols, names = _columns(by)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {cols} count(*) AS toewijzingen, count(DISTINCT w.client_id) AS clienten,
               quantile_cont(w.dagen_sinds_toewijzing, 0.5) AS mediaan_dagen_wachtend,
               max(w.dagen_sinds_toewijzing) AS max_dagen_wachtend
        FROM ({_PER_TOEWIJZING.format(scope=scope)}) w {names}
        WHERE w.begindatum IS NULL AND NOT w.vervallen AND w.dagen_sinds_toewijzing > $norm
        GROUP BY ALL""", gemeente=gemeente, regio=regio, van=date(1900, 1, 1), eind=period.eind, norm=norm_dagen)
    frame = as_int(frame, ["toewijzingen", "clienten"]).astype({"max_dagen_wachtend": "Int64"})
    return frame.sort_values(["toewijzingen", *by], ascending=[False, *[True] * len(by)], ignore_index=True)
