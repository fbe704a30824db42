"""Datakwaliteit of the declarations: rejections and credits, retourcodes, declaration lag (see the
package's definitions)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.datakwaliteit._common import DECLARATIE_NORM_DAGEN, check_norm, opzet, select_by, select_tijdvak
from analysis.suppliers._common import as_int, resolve_period, run, scope_filter, share_pct


def declaratiekwaliteit(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                        jaar: int | None = None, peildatum: date | None = None,
                        by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig"),
                        tijdvak: str | None = "maand") -> pd.DataFrame:
    """Rejections and credits per month of the product period (``tijdvak``: ``"kwartaal"`` per quarter,
    ``None`` the whole period in one row per ``by``) and ``by``.

    Columns: ``maand`` (first day; ``kwartaal``, or none: see ``tijdvak``), ``by``, ``regels_beantwoord``,
    ``regels_afgekeurd``, ``ingediend_beantwoord_cent``, ``afgekeurd_cent``, ``regels_in_behandeling``,
    ``debet_cent`` (all debit lines), ``credit_regels``, ``credit_cent`` (negative), ``clienten`` (of debit
    lines), ``afwijzing_regels_pct``, ``afwijzing_bedrag_pct``, ``credit_aandeel_pct``.
    """
    cols, names, tijd, scope, period = opzet(con, by=by, alias="d", tijdvak=tijdvak, tijd_kolom="d.periode_begin",
                                             gemeente=gemeente, regio=regio, jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {tijd}{cols}
            count(*) FILTER (WHERE beantwoord) AS regels_beantwoord,
            count(*) FILTER (WHERE beantwoord AND d.status = 'afgekeurd') AS regels_afgekeurd,
            sum(d.ingediend_cent) FILTER (WHERE beantwoord) AS ingediend_beantwoord_cent,
            sum(d.ingediend_cent) FILTER (WHERE beantwoord AND d.status = 'afgekeurd') AS afgekeurd_cent,
            count(*) FILTER (WHERE NOT d.is_credit AND d.status = 'in_behandeling') AS regels_in_behandeling,
            sum(d.ingediend_cent) FILTER (WHERE NOT d.is_credit) AS debet_cent,
            count(*) FILTER (WHERE d.is_credit) AS credit_regels,
            sum(d.ingediend_cent) FILTER (WHERE d.is_credit) AS credit_cent,
            count(DISTINCT d.client_id) FILTER (WHERE NOT d.is_credit) AS clienten
        FROM (SELECT *, NOT is_credit AND status <> 'in_behandeling' AS beantwoord FROM declaratieregel
              WHERE periode_begin BETWEEN $begin AND $eind {scope}) d {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, regio=regio, **period.params())
    frame = as_int(frame, ["regels_beantwoord", "regels_afgekeurd", "ingediend_beantwoord_cent", "afgekeurd_cent",
                           "regels_in_behandeling", "debet_cent", "credit_regels", "credit_cent", "clienten"])
    return frame.assign(
        afwijzing_regels_pct=share_pct(frame["regels_afgekeurd"], frame["regels_beantwoord"]),
        afwijzing_bedrag_pct=share_pct(frame["afgekeurd_cent"], frame["ingediend_beantwoord_cent"]),
        credit_aandeel_pct=share_pct(-frame["credit_cent"], frame["debet_cent"]))


def retourcodes_per_maand(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                          jaar: int | None = None, peildatum: date | None = None,
                          by: tuple[str, ...] = ("aanbieder_agb",),
                          tijdvak: str | None = "maand") -> pd.DataFrame:
    """Rejected debit lines per month of the product period (``tijdvak``: ``"kwartaal"`` per quarter,
    ``None`` the whole period), ``by`` and retourcode.

    Columns: ``maand`` (or ``kwartaal``, or none), ``by``, ``retourcode``, ``omschrijving``
    (``ref_retourcode``), ``regels``, ``afgewezen_cent``, ``clienten``, ``aandeel_regels_pct`` (% of the month's
    and group's rejected lines carrying the code). Sorted by time, ``by``, then most lines first.
    """
    cols, names = select_by(by, "p")
    tijd, keys = select_tijdvak(tijdvak, "periode_begin")
    keys = [*keys, *by]
    group = "".join(f"{k}, " for k in keys)
    totaal = f"JOIN totaal t USING ({', '.join(keys)})" if keys else "CROSS JOIN totaal t"
    scope = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        WITH afgekeurd AS (
            SELECT {tijd}* FROM declaratieregel
            WHERE status = 'afgekeurd' AND NOT is_credit AND periode_begin BETWEEN $begin AND $eind {scope}
        ), per_code AS (
            SELECT {group}trim(code) AS retourcode, count(*) AS regels,
                   sum(ingediend_cent)::BIGINT AS afgewezen_cent, count(DISTINCT client_id) AS clienten
            FROM afgekeurd, unnest(string_split(coalesce(retourcodes, ''), ',')) AS u(code)
            WHERE trim(code) <> '' GROUP BY ALL
        ), totaal AS (SELECT {group}count(*) AS afgekeurd FROM afgekeurd GROUP BY ALL)
        SELECT {"".join(f"p.{k}, " for k in keys[:len(keys) - len(by)])}{cols} p.retourcode, r.omschrijving,
               p.regels, p.afgewezen_cent, p.clienten, 100.0 * p.regels / t.afgekeurd AS aandeel_regels_pct
        FROM per_code p {totaal} {names}
        LEFT JOIN ref_retourcode r ON r.retourcode = p.retourcode""", gemeente=gemeente, regio=regio,
                **period.params())
    frame = frame.sort_values([*keys, "regels", "retourcode"],
                              ascending=[True] * len(keys) + [False, True], ignore_index=True)
    return as_int(frame, ["regels", "afgewezen_cent", "clienten"])


def declaratievertraging(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                         jaar: int | None = None, peildatum: date | None = None,
                         norm_dagen: int = DECLARATIE_NORM_DAGEN,
                         by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig"),
                         tijdvak: str | None = "maand") -> pd.DataFrame:
    """Days from the end of the product period to the declaratie date per month (``tijdvak``:
    ``"kwartaal"`` per quarter, ``None`` the whole period) and ``by``.

    Columns: ``maand`` (of the product period; or ``kwartaal``, or none), ``by``, ``regels`` (first
    submissions), ``clienten`` (of those), ``mediaan_dagen``, ``p90_dagen`` (interpolated), ``max_dagen``,
    ``regels_na_norm``, ``aandeel_na_norm_pct``, then the herdeclaraties apart: ``herdeclaratie_regels`` and
    ``herdeclaratie_mediaan_dagen``. Lines declared after ``eind`` are not known yet and left out.
    """
    check_norm("norm_dagen", norm_dagen)
    cols, names, tijd, scope, period = opzet(con, by=by, alias="d", tijdvak=tijdvak, tijd_kolom="d.periode_begin",
                                             gemeente=gemeente, regio=regio, jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT {tijd}{cols}
            count(*) FILTER (WHERE NOT herdeclaratie) AS regels,
            count(DISTINCT d.client_id) FILTER (WHERE NOT herdeclaratie) AS clienten,
            quantile_cont(d.vertraging, 0.5) FILTER (WHERE NOT herdeclaratie) AS mediaan_dagen,
            quantile_cont(d.vertraging, 0.9) FILTER (WHERE NOT herdeclaratie) AS p90_dagen,
            max(d.vertraging) FILTER (WHERE NOT herdeclaratie) AS max_dagen,
            count(*) FILTER (WHERE NOT herdeclaratie AND d.vertraging > $norm) AS regels_na_norm,
            count(*) FILTER (WHERE herdeclaratie) AS herdeclaratie_regels,
            quantile_cont(d.vertraging, 0.5) FILTER (WHERE herdeclaratie) AS herdeclaratie_mediaan_dagen
        FROM (SELECT *, declaratie_datum - periode_eind AS vertraging,
                     declaratie_datum > min(declaratie_datum) OVER (
                         PARTITION BY aanbieder_agb, gemeente_code_huidig, client_id, productcode, periode_begin)
                         AS herdeclaratie
              FROM declaratieregel
              WHERE NOT is_credit AND periode_begin BETWEEN $begin AND $eind AND declaratie_datum <= $eind
                    {scope}) d {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, regio=regio, norm=norm_dagen, **period.params())
    frame = as_int(frame, ["regels", "clienten", "regels_na_norm", "herdeclaratie_regels"])
    frame = frame.assign(max_dagen=frame["max_dagen"].astype("Int64"))
    return frame.assign(aandeel_na_norm_pct=share_pct(frame["regels_na_norm"], frame["regels"]))
