"""The gemeente's answer lead time: working days from a 323 to its first 325 (see the package's
definitions)."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis.datakwaliteit._common import ANTWOORD_NORM_WERKDAGEN, check_norm, opzet
from analysis.suppliers._common import as_int, check_by, run, share_pct


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
                    by: tuple[str, ...] = ("gemeente_code_huidig",), tijdvak: str | None = "maand") -> pd.DataFrame:
    """The gemeente's answer (325) to each declaratie message (323) of the period, in working days.

    Messages are taken by the month of their Dagtekening (``tijdvak``: ``"kwartaal"`` by quarter, ``None``
    the whole period). Columns: ``maand`` (or ``kwartaal``, or none), ``by`` (of
    ``gemeente_code_huidig``, ``aanbieder_agb``, ``standaard``), ``declaraties``, ``clienten``,
    ``beantwoord``, ``mediaan_werkdagen``, ``p90_werkdagen``, ``max_werkdagen``, ``binnen_norm``,
    ``na_norm``, ``onbeantwoord_na_norm``, ``onbeantwoord_binnen_norm``, ``aandeel_binnen_norm_pct``.
    """
    check_norm("norm_werkdagen", norm_werkdagen)
    check_by(by, ("gemeente_code_huidig", "aanbieder_agb", "standaard"))
    cols, names, tijd, scope, period = opzet(con, by=by, alias="m", tijdvak=tijdvak, tijd_kolom="m.verzonden",
                                             gemeente=gemeente, regio=regio, jaar=jaar, peildatum=peildatum,
                                             scope_kolom="r.gemeente_code_huidig")
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
            SELECT b.*, e.beantwoord_op,
                   CASE WHEN e.beantwoord_op IS NOT NULL
                        THEN {_WERKDAGEN.format(a='b.verzonden', b='e.beantwoord_op')} END AS werkdagen,
                   {_WERKDAGEN.format(a='b.verzonden', b='$eind::DATE')} AS werkdagen_tot_eind
            FROM bericht b LEFT JOIN eerste e USING (bericht_id, aanbieder_agb)
        )
        SELECT {tijd}{cols} count(*) AS declaraties,
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
