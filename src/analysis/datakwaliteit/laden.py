"""What the build left out: quarantined rows by kind of reason, and files not loaded (see the package's
definitions)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.suppliers._common import as_int, run, scope_filter


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
