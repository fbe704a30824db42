"""What the build left out: quarantined rows by kind of reason, and files not loaded (see the package's
definitions)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.reference.volwassenheid import regio_slug
from analysis.suppliers._common import as_int, check_by, run, scope_filter


# A quarantined row's reason with every token holding a digit, and every quoted value, masked.
_SOORT = (r"""regexp_replace(regexp_replace(q.reden, '''[^'']*''', '…', 'g'),"""
          r""" '[^\s,;:()]*[0-9][^\s,;:()]*', '#', 'g')""")


# What quarantaine_overzicht can group by, beside table and kind of reason: the row's record's gemeente
# (re-based), aanbieder and month of its bericht_datum.
_KOLOMMEN = {"gemeente_code_huidig": "r.gemeente_code_huidig", "aanbieder_agb": "q.record ->> 'aanbieder_agb'",
             "maand": "date_trunc('month', TRY_CAST(q.record ->> 'bericht_datum' AS DATE))::DATE"}


def quarantaine_overzicht(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                          regio: str | None = None,
                          by: tuple[str, ...] = ("gemeente_code_huidig", "aanbieder_agb", "maand")) -> pd.DataFrame:
    """Quarantined rows per table, kind of reason and ``by``: gemeente, aanbieder and month (where the
    row's record holds them).

    With ``gemeente`` only rows whose record names that gemeente (re-based) are kept. With ``regio``
    also the rows without a gemeente (contracts, scan answers of an aanbieder) whose record names the
    region or whose file lies in the region's folder (``<bron>/<regio as folder name>/...``, as the demo
    delivers). Without either every row is kept, ``gemeente_code_huidig`` NULL where there is none.
    Columns: ``tabel``, ``reden_soort``, ``by``, ``rijen``, ``bestanden``, ``voorbeeld`` (one full
    reason), ``clienten`` (distinct ``client_id`` in the records; 0 where rows carry none). Most rows first.
    """
    check_by(by, tuple(_KOLOMMEN))
    scope = scope_filter(con, gemeente=gemeente, regio=regio, column="r.gemeente_code_huidig")
    if regio is not None:  # scope is "AND <gemeente of the region>": widen it to the rows without a gemeente
        scope = (f"AND ({scope.removeprefix('AND ')} OR (r.gemeente_code_huidig IS NULL AND "
                 "(q.record ->> 'regio' = $regio OR split_part(l.pad, '/', 2) = $map)))")
    cols = "".join(f"{_KOLOMMEN[c]} AS {c}, " for c in by)
    frame = run(con, f"""
        SELECT q.tabel, {_SOORT} AS reden_soort, {cols}
               count(*) AS rijen, count(DISTINCT q.file_id) AS bestanden, min(q.reden) AS voorbeeld,
               count(DISTINCT q.record ->> 'client_id') AS clienten
        FROM quarantaine q
        LEFT JOIN ref_rebase r ON r.gemeente_code = coalesce(q.record ->> 'gemeente_code',
                                                           q.record ->> 'organisatie_code')
        LEFT JOIN laadlog l ON l.file_id = q.file_id
        WHERE true {scope}
        GROUP BY ALL""", gemeente=gemeente, regio=regio, map=None if regio is None else regio_slug(regio))
    frame = as_int(frame, ["rijen", "bestanden", "clienten"])
    order = ["rijen", "tabel", "reden_soort", *(["maand"] if "maand" in by else [])]
    return frame.sort_values(order, ascending=[False] + [True] * (len(order) - 1), na_position="last",
                             ignore_index=True)


def bestanden_niet_geladen(con: duckdb.DuckDBPyConnection, *, regio: str | None = None) -> pd.DataFrame:
    """Files of ``laadlog`` that were not loaded (duplicaat, onleesbaar, overgeslagen) and files with
    quarantined rows, per source (``bron``), folder below it (``map``: the region as delivered),
    ``soort`` and ``status``.

    Files carry no gemeente (a message's gemeente is in the file). Without ``regio`` this is the whole
    warehouse. With ``regio`` the files of a source folder whose folder below it is the region's
    (``noord-limburg``), or no region's at all (then the file may be any region's, and every region sees
    it); files outside a source folder (the raw folder's README) are no region's. Columns: ``bron``,
    ``map``, ``soort``, ``status``, ``bestanden``, ``rijen_gelezen``, ``rijen_quarantaine``,
    ``voorbeeld`` (a path), ``reden`` (its first error or note) and ``clienten`` (0: the figures are about
    files, not clients). Not loaded first.
    """
    scope, mappen = "", []
    if regio is not None:
        scope_filter(con, gemeente=None, regio=regio)  # a known region
        mappen = [regio_slug(r) for (r,) in con.sql("SELECT DISTINCT jeugdzorgregio FROM ref_gemeente").fetchall()]
        scope = ("AND bron IS NOT NULL AND (split_part(pad, '/', 2) = $map"
                 " OR NOT list_contains($mappen, split_part(pad, '/', 2)))")
    frame = run(con, f"""
        SELECT bron, split_part(pad, '/', 2) AS map, soort, status, count(*) AS bestanden,
               sum(rows_read) AS rijen_gelezen, sum(rows_quarantined) AS rijen_quarantaine, min(pad) AS voorbeeld,
               arg_min(coalesce(fouten[1], notities[1], duplicaat_van), pad) AS reden
        FROM laadlog WHERE (status <> 'geladen' OR rows_quarantined > 0) {scope}
        GROUP BY ALL""", map=None if regio is None else regio_slug(regio), mappen=mappen)
    frame = as_int(frame, ["bestanden", "rijen_gelezen", "rijen_quarantaine"])
    frame = frame.assign(clienten=0, _geladen=frame["status"].eq("geladen"))
    return frame.sort_values(["_geladen", "bestanden", "bron", "map"], ascending=[True, False, True, True],
                             na_position="last", ignore_index=True).drop(columns="_geladen")
