"""Financial block: spend, clients, cost per client and its trend; declaration correctness with the
retourcodes that explain rejections; tariff compliance against the contract.

Definitions
- Spend is approved spend (``status = 'goedgekeurd'``, ``toegekend_cent``, credits negative so sums
  are net of credits) by the product period's begin date, as in :mod:`analysis.spend`. ``clienten``
  are distinct client pseudonyms with an approved debit line.
- Year on year compares the same part of the previous year: 1 January to the same day a year
  earlier (29 February becomes 28 February).
- Declaration correctness counts **answered debit lines** only (``goedgekeurd`` or ``afgekeurd``):
  pending lines have no verdict yet and are counted apart; credit lines are corrections the
  aanbieder sends itself, not claims, so they are left out of both numerator and denominator and
  reported apart (``credit_regels``, ``credit_cent``, negative).
- Retourcodes: a rejected line with two codes counts under each, so the shares of the codes can add
  up to more than 100 %; debit lines only, matching declaration correctness.
- Tariff compliance compares the declared ``tarief_cent`` of each debit line (whatever its status:
  it is about what was declared) with the contract tariff for its productcode, eenheid and the year
  of its product period, of a contract of the same aanbieder in the jeugdzorgregio of the line's
  gemeente. Where several contracts agree a tariff, the highest counts (the aanbieder gets the
  benefit of the doubt). Lines with eenheid 83 (euro's: the amount is the product, no unit tariff)
  and lines without a contract tariff are not compared and are counted apart.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.suppliers._common import (NAMEN, as_int, check_by, gemeente_filter,
                                        per_client_cent, resolve_period, run, same_day_last_year, share_pct)

EXTRA_BY = ("domein", "productcategorie", "standaard")
"""Columns a per-aanbieder financial figure can be split by as well."""


def supplier_spend(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                   peildatum: date | None = None, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Approved spend (cents), clients and cost per client per aanbieder, with the previous year's.

    The period is the year ``jaar`` or 1 January up to ``peildatum``; the comparison is the same
    part of the previous year. Columns: see :func:`compare_years`; sorted by spend, largest first.
    """
    check_by(by, EXTRA_BY)
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    cols = "".join(f", d.{c}" for c in by)
    frame = run(con, f"""
        SELECT d.aanbieder_agb, n.aanbieder_naam{cols}, year(d.periode_begin) AS jaar,
               sum(d.toegekend_cent)::BIGINT AS toegekend_cent,
               count(DISTINCT d.client_id) FILTER (WHERE d.toegekend_cent > 0) AS clienten
        FROM declaratieregel d LEFT JOIN {NAMEN} n USING (aanbieder_agb)
        WHERE d.status = 'goedgekeurd' {gemeente_filter(gemeente, column='d.gemeente_code_huidig')}
          AND (d.periode_begin BETWEEN $begin AND $eind OR d.periode_begin BETWEEN $vorig_begin AND $vorig_eind)
        GROUP BY ALL""", gemeente=gemeente, **period.params(),
        vorig_begin=date(period.jaar - 1, 1, 1), vorig_eind=same_day_last_year(period.eind))
    return compare_years(frame, jaar=period.jaar)


def compare_years(frame: pd.DataFrame, *, jaar: int) -> pd.DataFrame:
    """Put year ``jaar`` next to ``jaar - 1`` per key (every column but jaar, toegekend_cent, clienten).

    Adds ``kosten_per_client_cent`` (rounded cents), the ``*_vorig_jaar`` columns, ``groei_pct``
    (change of spend, %) and ``groei_kosten_per_client_pct`` (%); NaN where the previous year is 0.
    A key present in one year only gets 0 spend and clients in the other.
    """
    needed = {"jaar", "toegekend_cent", "clienten"}
    if missing := needed - set(frame.columns):
        raise ValueError(f"frame: missing column(s) {sorted(missing)}")
    keys = [c for c in frame.columns if c not in needed]
    values = ["toegekend_cent", "clienten"]
    now = frame[frame["jaar"] == jaar].set_index(keys)[values]
    before = frame[frame["jaar"] == jaar - 1].set_index(keys)[values].add_suffix("_vorig_jaar")
    both = as_int(now.join(before, how="outer"), [*values, *before.columns]).reset_index()
    both = both.assign(
        kosten_per_client_cent=per_client_cent(both["toegekend_cent"], both["clienten"]),
        kosten_per_client_vorig_jaar_cent=per_client_cent(both["toegekend_cent_vorig_jaar"],
                                                          both["clienten_vorig_jaar"]))
    both = both.rename(columns={"toegekend_cent_vorig_jaar": "toegekend_vorig_jaar_cent"})
    return both.assign(
        groei_pct=share_pct(both["toegekend_cent"] - both["toegekend_vorig_jaar_cent"],
                            both["toegekend_vorig_jaar_cent"]),
        groei_kosten_per_client_pct=share_pct(
            both["kosten_per_client_cent"] - both["kosten_per_client_vorig_jaar_cent"],
            both["kosten_per_client_vorig_jaar_cent"]),
    ).sort_values(["toegekend_cent", *keys], ascending=[False, *[True] * len(keys)], ignore_index=True)


def declaration_correctness(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                            jaar: int | None = None, peildatum: date | None = None,
                            by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Toegekend / ingediend per aanbieder, by amount and by number of answered debit lines.

    Columns: ``regels_beantwoord``, ``regels_toegekend``, ``ingediend_cent``, ``toegekend_cent``
    (answered debit lines), ``juistheid_bedrag_pct`` and ``juistheid_regels_pct`` (%),
    ``clienten`` (of answered debit lines), the pending debit lines apart (``regels_in_behandeling``,
    ``in_behandeling_cent``) and the credits apart (``credit_regels``, ``credit_cent``, negative).
    """
    check_by(by, EXTRA_BY)
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    cols = "".join(f", d.{c}" for c in by)
    frame = run(con, f"""
        SELECT d.aanbieder_agb, n.aanbieder_naam{cols},
            count(*) FILTER (WHERE beantwoord) AS regels_beantwoord,
            count(*) FILTER (WHERE beantwoord AND d.status = 'goedgekeurd') AS regels_toegekend,
            sum(d.ingediend_cent) FILTER (WHERE beantwoord) AS ingediend_cent,
            sum(d.toegekend_cent) FILTER (WHERE beantwoord) AS toegekend_cent,
            count(DISTINCT d.client_id) FILTER (WHERE beantwoord) AS clienten,
            count(*) FILTER (WHERE NOT d.is_credit AND d.status = 'in_behandeling') AS regels_in_behandeling,
            sum(d.ingediend_cent) FILTER (WHERE NOT d.is_credit AND d.status = 'in_behandeling') AS in_behandeling_cent,
            count(*) FILTER (WHERE d.is_credit) AS credit_regels,
            sum(d.ingediend_cent) FILTER (WHERE d.is_credit) AS credit_cent
        FROM (SELECT *, NOT is_credit AND status <> 'in_behandeling' AS beantwoord FROM declaratieregel
              WHERE periode_begin BETWEEN $begin AND $eind {gemeente_filter(gemeente)}) d
        LEFT JOIN {NAMEN} n USING (aanbieder_agb)
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, **period.params())
    frame = as_int(frame, ["regels_beantwoord", "regels_toegekend", "ingediend_cent", "toegekend_cent", "clienten",
                           "regels_in_behandeling", "in_behandeling_cent", "credit_regels", "credit_cent"])
    return frame.assign(juistheid_bedrag_pct=share_pct(frame["toegekend_cent"], frame["ingediend_cent"]),
                        juistheid_regels_pct=share_pct(frame["regels_toegekend"], frame["regels_beantwoord"]))


def retourcode_breakdown(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                         jaar: int | None = None, peildatum: date | None = None,
                         by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rejected debit lines per retourcode (with its description from ``ref_retourcode``).

    ``by`` may add ``aanbieder_agb`` and the :data:`EXTRA_BY` columns. Columns: ``retourcode``,
    ``omschrijving``, ``regels``, ``afgewezen_cent`` (ingediend of those lines), ``clienten``, and
    ``aandeel_regels_pct``: % of the group's rejected lines that carry the code.
    """
    check_by(by, ("aanbieder_agb", *EXTRA_BY))
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    cols = "".join(f"{c}, " for c in by)
    frame = run(con, f"""
        WITH afgekeurd AS (
            SELECT * FROM declaratieregel
            WHERE status = 'afgekeurd' AND NOT is_credit
              AND periode_begin BETWEEN $begin AND $eind {gemeente_filter(gemeente)}
        ), per_code AS (
            SELECT {cols}trim(code) AS retourcode, count(*) AS regels,
                   sum(ingediend_cent)::BIGINT AS afgewezen_cent, count(DISTINCT client_id) AS clienten
            FROM afgekeurd, unnest(string_split(coalesce(retourcodes, ''), ',')) AS u(code)
            WHERE trim(code) <> '' GROUP BY ALL
        ), totaal AS (SELECT {cols}count(*) AS afgekeurd FROM afgekeurd GROUP BY ALL)
        SELECT p.*, r.omschrijving, 100.0 * p.regels / t.afgekeurd AS aandeel_regels_pct
        FROM per_code p {'JOIN totaal t USING (' + ', '.join(by) + ')' if by else 'CROSS JOIN totaal t'}
        LEFT JOIN ref_retourcode r ON r.retourcode = p.retourcode""", gemeente=gemeente, **period.params())
    order = [*by, "regels", "retourcode"]
    frame = frame.sort_values(order, ascending=[*[True] * len(by), False, True], ignore_index=True)
    return as_int(frame, ["regels", "afgewezen_cent", "clienten"])[
        [*by, "retourcode", "omschrijving", "regels", "afgewezen_cent", "clienten", "aandeel_regels_pct"]]


def tariff_compliance(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None, jaar: int | None = None,
                      peildatum: date | None = None, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Declared tariffs against the contract tariff per aanbieder: share of lines and amount above it.

    Columns: ``regels`` (debit lines), ``regels_vergeleken`` (with a contract tariff),
    ``regels_boven_contract``, ``ingediend_vergeleken_cent``, ``ingediend_boven_contract_cent``,
    ``overschrijding_cent`` (sum of (tarief - contract tarief) x volume over lines above contract),
    ``overschrijding_toegekend_cent`` (the same for approved lines: paid above contract),
    ``aandeel_regels_boven_pct`` and ``aandeel_bedrag_boven_pct`` (% of the compared lines / amount),
    ``clienten`` (of compared lines).
    """
    check_by(by, EXTRA_BY)
    check_gemeente(con, gemeente)
    period = resolve_period(jaar=jaar, peildatum=peildatum)
    cols = "".join(f", d.{c}" for c in by)
    frame = run(con, f"""
        WITH tarief AS (
            SELECT c.aanbieder_agb, c.regio, t.productcode, t.jaar, t.eenheid, max(t.tarief_cent) AS contract_cent
            FROM contract c JOIN contract_tarief t USING (contract_id)
            WHERE t.jaar = $jaar GROUP BY ALL
        ), regel AS (
            SELECT d.*, t.contract_cent, d.tarief_cent > t.contract_cent AS boven,
                   (d.tarief_cent - t.contract_cent) * d.volume AS verschil_cent
            FROM declaratieregel d
            LEFT JOIN ref_gemeente g ON g.gemeente_code = d.gemeente_code_huidig
            LEFT JOIN tarief t ON t.aanbieder_agb = d.aanbieder_agb AND t.regio = g.jeugdzorgregio
                 AND t.productcode = d.productcode AND t.eenheid = d.eenheid AND d.eenheid <> '83'
            WHERE NOT d.is_credit AND d.periode_begin BETWEEN $begin AND $eind
                  {gemeente_filter(gemeente, column='d.gemeente_code_huidig')}
        )
        SELECT d.aanbieder_agb, n.aanbieder_naam{cols}, count(*) AS regels,
            count(*) FILTER (WHERE contract_cent IS NOT NULL) AS regels_vergeleken,
            count(*) FILTER (WHERE boven) AS regels_boven_contract,
            sum(ingediend_cent) FILTER (WHERE contract_cent IS NOT NULL) AS ingediend_vergeleken_cent,
            sum(ingediend_cent) FILTER (WHERE boven) AS ingediend_boven_contract_cent,
            sum(verschil_cent) FILTER (WHERE boven) AS overschrijding_cent,
            sum(verschil_cent) FILTER (WHERE boven AND status = 'goedgekeurd') AS overschrijding_toegekend_cent,
            count(DISTINCT client_id) FILTER (WHERE contract_cent IS NOT NULL) AS clienten
        FROM regel d LEFT JOIN {NAMEN} n USING (aanbieder_agb)
        GROUP BY ALL ORDER BY ALL""", gemeente=gemeente, **period.params())
    frame = as_int(frame, ["regels", "regels_vergeleken", "regels_boven_contract", "ingediend_vergeleken_cent",
                           "ingediend_boven_contract_cent", "overschrijding_cent", "overschrijding_toegekend_cent",
                           "clienten"])
    return frame.assign(
        aandeel_regels_boven_pct=share_pct(frame["regels_boven_contract"], frame["regels_vergeleken"]),
        aandeel_bedrag_boven_pct=share_pct(frame["ingediend_boven_contract_cent"], frame["ingediend_vergeleken_cent"]))
