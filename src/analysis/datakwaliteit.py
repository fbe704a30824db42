"""Datakwaliteit en tijdigheid: what the regional office checks every month, per aanbieder and gemeente.

The functions take ``gemeente`` (a current CBS code) or ``regio`` (a jeugdzorgregio) and most the
period (``jaar`` or 1 January up to ``peildatum``); the measures over time give a row per month.
Every frame carries ``clienten``. Figures are as known on the end of the period ``eind`` where a
date of arrival matters.

Definitions
- **Rejection** (:func:`declaratiekwaliteit`): answered debit lines (``goedgekeurd`` or ``afgekeurd``,
  whole-message rejections included) by the month of their product period; ``afwijzing_regels_pct``
  = afgekeurd / answered lines, ``afwijzing_bedrag_pct`` the same by ingediend amount. Pending lines
  are counted apart.
- **Credits as a share of declared**: credit lines (negative) by the month of the product period they
  correct; ``credit_aandeel_pct`` = -credit_cent / debet_cent (all debit lines of the month, whatever
  their status).
- **Retourcodes** (:func:`retourcodes_per_maand`): rejected debit lines per code and month; a line
  with two codes counts under each, as in :func:`analysis.suppliers.financial.retourcode_breakdown`.
- **Declaration lag** (:func:`declaratievertraging`): declaratie_datum - periode_eind, in days, over
  the **first submissions**: debit lines with no earlier debit line of the same aanbieder, gemeente,
  client, productcode and product period begin. A later one is a **herdeclaratie** (declared again
  after a rejection or a credit) and is counted apart with its own median: it says how fast
  corrections come, not whether the aanbieder declares on time. Over :data:`DECLARATIE_NORM_DAGEN`
  days is late. The iStandaard sets monthly declaration periods (TR318) but no deadline: the norm
  is a region's choice.
- **Answer lead time** (:func:`antwoordtermijn`): per declaratie message (323), the working days
  (Monday-Friday without the holidays of the Algemene termijnenwet, :func:`feestdagen`) after its
  Dagtekening up to the Dagtekening of the first 325 answering it (linked by the 323's
  BerichtIdentificatie or DeclaratieNummer). Norm
  :data:`ANTWOORD_NORM_WERKDAGEN` = 10: iStandaard rule OP090x4 ("binnen 10 werkdagen na
  ontvangst"). A 323 without an answer is ``onbeantwoord_na_norm`` once more than the norm has
  passed on ``eind``; the share within the norm is over answered plus overdue messages.
- **Quarantine** (:func:`quarantaine_overzicht`, :func:`bestanden_niet_geladen`): rows in
  ``quarantaine`` per table and kind of reason (the reason with every token holding a digit and
  every quoted value masked, so "line 1050" and "line 1051" are one kind), with the gemeente and
  month of the row where its record holds them; files of ``laadlog`` that were not loaded per
  source folder and status.
- **Late or missing monthly declarations** (:func:`maanddeclaraties`): an aanbieder is expected to
  declare month M for gemeente G in a domein when a trajectory (305) of G in that domein runs in M
  (begun by its last day, not ended before its first) and the aanbieder has a contract for the
  domein in G's jeugdzorgregio valid in M. Status of the month: ``tijdig`` (first debit line for M
  declared within the norm after M's end), ``te_laat`` (later, by ``eind``), ``ontbreekt`` (none by
  ``eind`` while the norm has passed), ``nog_niet_verwacht`` (none, norm not passed yet).
- **Open after a herindeling** (:func:`open_na_herindeling`): a trajectory of a gemeente code that
  ceased to exist (``analysis.reference.herindelingen``) on or before ``eind`` and that has no stop
  by ``eind``: the old gemeente's 305 was never stopped, so the trajectory counts as running (and
  as a month without declaration) for ever. The new gemeente should have ended its toewijzing
  (reden wijziging 11, gemeentelijke herindeling) and the aanbieder its 305.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis.reference import herindelingen
from analysis.suppliers._common import NAMEN, as_int, check_by, resolve_period, run, scope_filter, share_pct

DECLARATIE_NORM_DAGEN = 30
"""Default days after the end of a product period to declare it (a region's choice; no standard norm)."""
ANTWOORD_NORM_WERKDAGEN = 10
"""Working days for the gemeente's 325 after the 323 (iStandaard OP090x4)."""
GROUPABLE = ("aanbieder_agb", "gemeente_code_huidig", "domein", "standaard", "productcategorie")
STATUS_ORDER = ("ontbreekt", "te_laat", "nog_niet_verwacht", "tijdig")


def _select(by: tuple[str, ...], alias: str) -> tuple[str, str]:
    """SELECT list for ``by`` (the aanbieder's name after its code) and the join for the name."""
    check_by(by, GROUPABLE)
    cols = "".join(f"{alias}.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    return cols, f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""


def _check_norm(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: expected a whole number >= 0, got {value!r}")


def declaratiekwaliteit(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                        jaar: int | None = None, peildatum: date | None = None,
                        by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig")) -> pd.DataFrame:
    """Rejections and credits per month of the product period and ``by``.

    Columns: ``maand`` (first day), ``by``, ``regels_beantwoord``, ``regels_afgekeurd``,
    ``ingediend_beantwoord_cent``, ``afgekeurd_cent``, ``regels_in_behandeling``, ``debet_cent`` (all
    debit lines), ``credit_regels``, ``credit_cent`` (negative), ``clienten`` (of debit lines),
    ``afwijzing_regels_pct``, ``afwijzing_bedrag_pct``, ``credit_aandeel_pct``.
    """
    cols, names = _select(by, "d")
    scope = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT date_trunc('month', d.periode_begin)::DATE AS maand, {cols}
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
                          by: tuple[str, ...] = ("aanbieder_agb",)) -> pd.DataFrame:
    """Rejected debit lines per month of the product period, ``by`` and retourcode.

    Columns: ``maand``, ``by``, ``retourcode``, ``omschrijving`` (``ref_retourcode``), ``regels``,
    ``afgewezen_cent``, ``clienten``, ``aandeel_regels_pct`` (% of the month's and group's rejected
    lines carrying the code). Sorted by month, ``by``, then most lines first.
    """
    cols, names = _select(by, "p")
    keys = ", ".join(["maand", *by])
    scope = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        WITH afgekeurd AS (
            SELECT *, date_trunc('month', periode_begin)::DATE AS maand FROM declaratieregel
            WHERE status = 'afgekeurd' AND NOT is_credit AND periode_begin BETWEEN $begin AND $eind {scope}
        ), per_code AS (
            SELECT {keys}, trim(code) AS retourcode, count(*) AS regels,
                   sum(ingediend_cent)::BIGINT AS afgewezen_cent, count(DISTINCT client_id) AS clienten
            FROM afgekeurd, unnest(string_split(coalesce(retourcodes, ''), ',')) AS u(code)
            WHERE trim(code) <> '' GROUP BY ALL
        ), totaal AS (SELECT {keys}, count(*) AS afgekeurd FROM afgekeurd GROUP BY ALL)
        SELECT p.maand, {cols} p.retourcode, r.omschrijving, p.regels, p.afgewezen_cent, p.clienten,
               100.0 * p.regels / t.afgekeurd AS aandeel_regels_pct
        FROM per_code p JOIN totaal t USING ({keys}) {names}
        LEFT JOIN ref_retourcode r ON r.retourcode = p.retourcode""", gemeente=gemeente, regio=regio,
                **period.params())
    frame = frame.sort_values(["maand", *by, "regels", "retourcode"],
                              ascending=[True, *[True] * len(by), False, True], ignore_index=True)
    return as_int(frame, ["regels", "afgewezen_cent", "clienten"])


def declaratievertraging(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                         jaar: int | None = None, peildatum: date | None = None,
                         norm_dagen: int = DECLARATIE_NORM_DAGEN,
                         by: tuple[str, ...] = ("aanbieder_agb", "gemeente_code_huidig")) -> pd.DataFrame:
    """Days from the end of the product period to the declaratie date per month and ``by``.

    Columns: ``maand`` (of the product period), ``by``, ``regels`` (first submissions), ``clienten``
    (of those), ``mediaan_dagen``, ``p90_dagen`` (interpolated), ``max_dagen``, ``regels_na_norm``,
    ``aandeel_na_norm_pct``, then the herdeclaraties apart: ``herdeclaratie_regels`` and
    ``herdeclaratie_mediaan_dagen``. Lines declared after ``eind`` are not known yet and left out.
    """
    _check_norm("norm_dagen", norm_dagen)
    cols, names = _select(by, "d")
    scope = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        SELECT date_trunc('month', d.periode_begin)::DATE AS maand, {cols}
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


def _pasen(jaar: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm of Meeus, Jones and Butcher)."""
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - b // 4 - g + 15) % 30
    weekdag = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
    n = h + weekdag - 7 * ((a + 11 * h + 22 * weekdag) // 451) + 114
    return date(jaar, n // 31, n % 31 + 1)


def feestdagen(jaar: int) -> list[date]:
    """The holidays that are no working day under the Algemene termijnenwet (art. 3): Nieuwjaarsdag,
    tweede Paasdag, Koningsdag (27 April; 26 April when the 27th is a Sunday), 5 May, Hemelvaartsdag,
    tweede Pinksterdag and both Kerstdagen.

    >>> [d.isoformat() for d in feestdagen(2024)][:4]
    ['2024-01-01', '2024-04-01', '2024-04-27', '2024-05-05']
    """
    pasen = _pasen(jaar)
    koning = date(jaar, 4, 27) if date(jaar, 4, 27).isoweekday() != 7 else date(jaar, 4, 26)
    return sorted([date(jaar, 1, 1), pasen + timedelta(days=1), koning, date(jaar, 5, 5),
                   pasen + timedelta(days=39), pasen + timedelta(days=50), date(jaar, 12, 25), date(jaar, 12, 26)])


# Working days after ``a`` up to and including ``b``: Monday to Friday, not a holiday ($feestdagen).
_WERKDAGEN = ("len(list_filter(generate_series({a} + 1, {b}, INTERVAL 1 DAY),"
              " lambda x: isodow(x) <= 5 AND NOT list_contains($feestdagen, x::DATE)))")


def antwoordtermijn(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, regio: str | None = None,
                    jaar: int | None = None, peildatum: date | None = None,
                    norm_werkdagen: int = ANTWOORD_NORM_WERKDAGEN,
                    by: tuple[str, ...] = ("gemeente_code_huidig",)) -> pd.DataFrame:
    """The gemeente's answer (325) to each declaratie message (323) of the period, in working days.

    Messages are taken by the month of their Dagtekening. Columns: ``maand``, ``by`` (of
    ``gemeente_code_huidig``, ``aanbieder_agb``, ``standaard``), ``declaraties``, ``clienten``,
    ``beantwoord``, ``mediaan_werkdagen``, ``p90_werkdagen``, ``max_werkdagen``, ``binnen_norm``,
    ``na_norm``, ``onbeantwoord_na_norm``, ``onbeantwoord_binnen_norm``, ``aandeel_binnen_norm_pct``.
    """
    _check_norm("norm_werkdagen", norm_werkdagen)
    check_by(by, ("gemeente_code_huidig", "aanbieder_agb", "standaard"))
    cols, names = _select(by, "m")
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="r.gemeente_code_huidig")
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
        WITH bericht AS (
            SELECT d.aanbieder_agb, d.bericht_id, d.declaratienummer, r.gemeente_code_huidig, d.standaard,
                   min(d.bericht_datum) AS verzonden, list(DISTINCT d.client_id) AS client_ids
            FROM bron_declaratie d JOIN ref_rebase r USING (gemeente_code)
            WHERE d.bericht_datum BETWEEN $begin AND $eind {scope}
            GROUP BY ALL
        ), antwoord AS (
            SELECT b.bericht_id, b.aanbieder_agb, a.bericht_datum FROM bericht b
            JOIN bron_antwoord a ON a.aanbieder_agb = b.aanbieder_agb AND a.declaratie_id = b.bericht_id
            UNION ALL
            SELECT b.bericht_id, b.aanbieder_agb, a.bericht_datum FROM bericht b
            JOIN bron_antwoord a ON a.aanbieder_agb = b.aanbieder_agb AND a.declaratienummer = b.declaratienummer
        ), eerste AS (
            SELECT bericht_id, aanbieder_agb, min(bericht_datum) AS beantwoord_op FROM antwoord
            WHERE bericht_datum <= $eind GROUP BY ALL
        ), m AS (
            SELECT b.*, date_trunc('month', b.verzonden)::DATE AS maand, e.beantwoord_op,
                   CASE WHEN e.beantwoord_op IS NOT NULL
                        THEN {_WERKDAGEN.format(a='b.verzonden', b='e.beantwoord_op')} END AS werkdagen,
                   {_WERKDAGEN.format(a='b.verzonden', b='$eind::DATE')} AS werkdagen_tot_eind
            FROM bericht b LEFT JOIN eerste e USING (bericht_id, aanbieder_agb)
        )
        SELECT m.maand, {cols} count(*) AS declaraties,
            len(list_distinct(flatten(list(m.client_ids)))) AS clienten,
            count(m.beantwoord_op) AS beantwoord,
            quantile_cont(m.werkdagen, 0.5) AS mediaan_werkdagen, quantile_cont(m.werkdagen, 0.9) AS p90_werkdagen,
            max(m.werkdagen) AS max_werkdagen,
            count(*) FILTER (WHERE m.werkdagen <= $norm) AS binnen_norm,
            count(*) FILTER (WHERE m.werkdagen > $norm) AS na_norm,
            count(*) FILTER (WHERE m.beantwoord_op IS NULL AND m.werkdagen_tot_eind > $norm) AS onbeantwoord_na_norm,
            count(*) FILTER (WHERE m.beantwoord_op IS NULL AND m.werkdagen_tot_eind <= $norm)
                AS onbeantwoord_binnen_norm
        FROM m {names}
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, regio=regio, norm=norm_werkdagen, **period.params(),
                feestdagen=[d for j in range(period.jaar - 1, period.jaar + 2) for d in feestdagen(j)])
    frame = as_int(frame, ["declaraties", "clienten", "beantwoord", "max_werkdagen", "binnen_norm", "na_norm",
                           "onbeantwoord_na_norm", "onbeantwoord_binnen_norm"])
    judged = frame["beantwoord"] + frame["onbeantwoord_na_norm"]
    return frame.assign(aandeel_binnen_norm_pct=share_pct(frame["binnen_norm"], judged))


# A quarantined row's reason with every token holding a digit, and every quoted value, masked.
_SOORT = (r"""regexp_replace(regexp_replace(q.reden, '''[^'']*''', '…', 'g'),"""
          r""" '[^\s,;:()]*[0-9][^\s,;:()]*', '#', 'g')""")


def quarantaine_overzicht(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                          regio: str | None = None) -> pd.DataFrame:
    """Quarantined rows per table, kind of reason, gemeente, aanbieder and month (where the row's record
    holds them).

    With ``gemeente`` or ``regio`` only rows whose record names a gemeente of it (re-based) are kept;
    without, rows without a gemeente (contracts, scans without one) are kept with ``gemeente_code_huidig``
    NULL. Columns: ``tabel``, ``reden_soort``, ``gemeente_code_huidig``, ``aanbieder_agb``, ``maand``
    (of the row's bericht_datum, NULL when it has none), ``rijen``, ``bestanden``, ``voorbeeld`` (one
    full reason), ``clienten`` (distinct ``client_id`` in the records; 0 where rows carry none).
    Most rows first.
    """
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="r.gemeente_code_huidig")
    frame = run(con, f"""
        SELECT q.tabel, {_SOORT} AS reden_soort, r.gemeente_code_huidig, q.record ->> 'aanbieder_agb' AS aanbieder_agb,
               date_trunc('month', TRY_CAST(q.record ->> 'bericht_datum' AS DATE))::DATE AS maand,
               count(*) AS rijen, count(DISTINCT q.file_id) AS bestanden, min(q.reden) AS voorbeeld,
               count(DISTINCT q.record ->> 'client_id') AS clienten
        FROM quarantaine q
        LEFT JOIN ref_rebase r ON r.gemeente_code = coalesce(q.record ->> 'gemeente_code',
                                                           q.record ->> 'organisatie_code')
        WHERE true {scope}
        GROUP BY ALL""", gemeente=gemeente, regio=regio)
    frame = as_int(frame, ["rijen", "bestanden", "clienten"])
    return frame.sort_values(["rijen", "tabel", "reden_soort", "maand"], ascending=[False, True, True, True],
                             na_position="last", ignore_index=True)


def bestanden_niet_geladen(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Files of ``laadlog`` that were not loaded (duplicaat, onleesbaar, overgeslagen) and files with
    quarantined rows, per source (``bron``), folder below it (``map``: the region as delivered),
    ``soort`` and ``status``.

    Files carry no gemeente (a message's gemeente is in the file), so this is for the whole
    warehouse. Columns: ``bron``, ``map``, ``soort``, ``status``, ``bestanden``, ``rijen_gelezen``,
    ``rijen_quarantaine``, ``voorbeeld`` (a path), ``reden`` (its first error or note) and ``clienten``
    (0: the figures are about files, not clients). Not loaded first.
    """
    frame = run(con, """
        SELECT bron, split_part(pad, '/', 2) AS map, soort, status, count(*) AS bestanden,
               sum(rows_read) AS rijen_gelezen, sum(rows_quarantined) AS rijen_quarantaine, min(pad) AS voorbeeld,
               arg_min(coalesce(fouten[1], notities[1], duplicaat_van), pad) AS reden
        FROM laadlog WHERE status <> 'geladen' OR rows_quarantined > 0
        GROUP BY ALL""")
    frame = as_int(frame, ["bestanden", "rijen_gelezen", "rijen_quarantaine"])
    frame = frame.assign(clienten=0, _geladen=frame["status"].eq("geladen"))
    return frame.sort_values(["_geladen", "bestanden", "bron", "map"], ascending=[True, False, True, True],
                             na_position="last", ignore_index=True).drop(columns="_geladen")


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
    _check_norm("norm_dagen", norm_dagen)
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="t.gemeente_code_huidig")
    scope_regel = scope_filter(con, gemeente=gemeente, regio=regio)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    frame = run(con, f"""
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
        )
        SELECT i.maand, i.aanbieder_agb, n.aanbieder_naam, i.gemeente_code_huidig, i.domein, i.clienten,
               coalesce(p.clienten_gedeclareerd, 0) AS clienten_gedeclareerd, i.clienten_zonder_declaratie,
               p.eerste_declaratie, i.uiterlijk
        FROM in_zorg i
        LEFT JOIN per_maand p USING (maand, aanbieder_agb, gemeente_code_huidig, domein)
        LEFT JOIN {NAMEN} n ON n.aanbieder_agb = i.aanbieder_agb
        """, gemeente=gemeente, regio=regio, norm=norm_dagen, **period.params())
    frame = as_int(frame, ["clienten", "clienten_gedeclareerd", "clienten_zonder_declaratie"])
    eerste, uiterlijk = pd.to_datetime(frame["eerste_declaratie"]), pd.to_datetime(frame["uiterlijk"])
    status = pd.Series("tijdig", index=frame.index, dtype="str")
    status = status.mask(eerste > uiterlijk, "te_laat")
    status = status.mask(eerste.isna(), "nog_niet_verwacht")
    status = status.mask(eerste.isna() & (uiterlijk < pd.Timestamp(period.eind)), "ontbreekt")
    frame = frame.assign(status=status, _orde=status.map({s: i for i, s in enumerate(STATUS_ORDER)}))
    return frame.sort_values(["_orde", "maand", "gemeente_code_huidig", "aanbieder_agb", "domein"],
                             ignore_index=True).drop(columns="_orde")


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
