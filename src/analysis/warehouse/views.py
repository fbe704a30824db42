"""The tables and views the analyses read. Each is documented in the README's data dictionary.

Every view carries ``gemeente_code`` as delivered and ``gemeente_code_huidig``, the gemeente of
today it belongs to (re-based over mergers), so a trend for Dijk en Waard includes Heerhugowaard and
Langedijk before 2022. Money is integer cents.
"""

from __future__ import annotations

import duckdb

# The answer that applies to a declaratie line: a listed rejection, a whole-message rejection
# (a 325 without DeclaratieAntwoord, linked by the 323's BerichtIdentificatie), or none yet.
DECLARATIEREGEL = """
CREATE TABLE declaratieregel AS
WITH antwoord AS (
    SELECT aanbieder_agb, declaratienummer, declaratie_id, kop_retourcodes
    FROM bron_antwoord
), heel_afgewezen AS (
    SELECT aanbieder_agb, declaratie_id, kop_retourcodes FROM antwoord WHERE declaratienummer IS NULL
), gecrediteerd AS (
    SELECT DISTINCT aanbieder_agb, vorig_referentienummer AS referentienummer
    FROM bron_declaratie WHERE ingediend_cent < 0
)
SELECT
    d.gemeente_code, r.gemeente_code_huidig, d.aanbieder_agb, pc.domein, d.standaard,
    d.declaratienummer, d.referentienummer, d.vorig_referentienummer, d.toewijzingnummer,
    d.productcategorie, d.productcode, d.periode_begin, d.periode_eind, d.volume, d.eenheid,
    d.tarief_cent, d.ingediend_cent,
    CASE WHEN h.declaratie_id IS NOT NULL OR ar.referentienummer IS NOT NULL THEN 0
         WHEN a.declaratienummer IS NOT NULL THEN d.ingediend_cent END AS toegekend_cent,
    CASE WHEN h.declaratie_id IS NOT NULL OR ar.referentienummer IS NOT NULL THEN 'afgekeurd'
         WHEN a.declaratienummer IS NOT NULL THEN 'goedgekeurd'
         ELSE 'in_behandeling' END AS status,
    coalesce(ar.retourcodes, h.kop_retourcodes) AS retourcodes,
    d.ingediend_cent < 0 AS is_credit,
    g.referentienummer IS NOT NULL AS gecrediteerd,
    d.client_id, d.declaratie_begin, d.declaratie_eind, d.declaratie_datum, d.file_id
FROM bron_declaratie d
JOIN ref_rebase r USING (gemeente_code)
JOIN ref_productcategorie pc ON pc.standaard = d.standaard AND pc.productcategorie = d.productcategorie
LEFT JOIN antwoord a ON a.aanbieder_agb = d.aanbieder_agb AND a.declaratienummer = d.declaratienummer
LEFT JOIN heel_afgewezen h ON h.aanbieder_agb = d.aanbieder_agb AND h.declaratie_id = d.bericht_id
LEFT JOIN bron_antwoord_regel ar ON ar.aanbieder_agb = d.aanbieder_agb
    AND ar.declaratienummer = d.declaratienummer AND ar.referentienummer = d.referentienummer
LEFT JOIN gecrediteerd g ON g.aanbieder_agb = d.aanbieder_agb AND g.referentienummer = d.referentienummer
ORDER BY r.gemeente_code_huidig, d.periode_begin, d.aanbieder_agb, d.referentienummer
"""

# The latest version of each toewijzing (a gemeente re-sends a 301 when it changes one).
TOEWIJZING = """
CREATE TABLE toewijzing AS
SELECT t.gemeente_code, r.gemeente_code_huidig, t.aanbieder_agb, pc.domein, t.standaard, t.client_id,
       t.toewijzingnummer, t.productcategorie, t.productcode, t.toewijzingsdatum, t.ingangsdatum,
       t.einddatum, t.reden_wijziging, t.volume, t.eenheid, t.frequentie, t.budget
FROM bron_toewijzing t
JOIN ref_rebase r USING (gemeente_code)
LEFT JOIN ref_productcategorie pc ON pc.standaard = t.standaard AND pc.productcategorie = t.productcategorie
QUALIFY row_number() OVER (PARTITION BY t.gemeente_code, t.toewijzingnummer
                           ORDER BY t.toewijzingsdatum DESC, t.bericht_datum DESC, t.file_id DESC) = 1
ORDER BY r.gemeente_code_huidig, t.toewijzingnummer
"""

# One row per trajectory (start message), with its stop if there is one. StatusAanlevering 3
# withdraws an earlier message with the same key; the latest message per key counts. The key holds
# the gemeente: a toewijzingnummer is unique only within the gemeente that issued it.
TRAJECT = """
CREATE TABLE traject AS
WITH laatste_start AS (
    SELECT * FROM bron_start
    QUALIFY row_number() OVER (PARTITION BY gemeente_code, aanbieder_agb, client_id, toewijzingnummer,
                                            begindatum
                               ORDER BY bericht_datum DESC, file_id DESC) = 1
), laatste_stop AS (
    SELECT * FROM bron_stop
    QUALIFY row_number() OVER (PARTITION BY gemeente_code, aanbieder_agb, client_id, toewijzingnummer,
                                            begindatum
                               ORDER BY bericht_datum DESC, file_id DESC) = 1
)
SELECT s.gemeente_code, r.gemeente_code_huidig, s.aanbieder_agb, pc.domein, s.standaard, s.client_id,
       s.toewijzingnummer, coalesce(s.productcategorie, t.productcategorie) AS productcategorie,
       coalesce(s.productcode, t.productcode) AS productcode, s.begindatum,
       e.einddatum, e.reden_beeindiging, CASE WHEN e.einddatum IS NULL THEN 'lopend' ELSE coalesce(rb.uitkomst, 'overig') END AS uitkomst,
       CASE WHEN e.einddatum IS NOT NULL THEN e.einddatum - s.begindatum + 1 END AS duur_dagen
FROM laatste_start s
JOIN ref_rebase r USING (gemeente_code)
LEFT JOIN laatste_stop e ON e.gemeente_code = s.gemeente_code AND e.aanbieder_agb = s.aanbieder_agb
    AND e.client_id = s.client_id
    AND e.toewijzingnummer IS NOT DISTINCT FROM s.toewijzingnummer AND e.begindatum = s.begindatum
    AND e.status_aanlevering <> '3'
LEFT JOIN toewijzing t ON t.gemeente_code = s.gemeente_code AND t.toewijzingnummer = s.toewijzingnummer
LEFT JOIN ref_productcategorie pc ON pc.standaard = s.standaard
    AND pc.productcategorie = coalesce(s.productcategorie, t.productcategorie)
LEFT JOIN ref_reden_beeindiging rb ON rb.standaard = s.standaard AND rb.reden = e.reden_beeindiging
WHERE s.status_aanlevering <> '3'
ORDER BY r.gemeente_code_huidig, s.begindatum, s.aanbieder_agb, s.client_id
"""

# Iv3 lasten with the domain of the social-domain taakveld valid in that year (NULL elsewhere).
# ``rapporteerbaar`` is false for the 2023-2024 totals (6.71, 6.72, 6.81, 6.82) that must not be
# added to their own sub-taakvelden.
BEGROTING = """
CREATE VIEW begroting AS
SELECT b.gemeente_code, r.gemeente_code_huidig, b.jaar, b.status, b.taakveld, b.categorie,
       tv.domein, coalesce(tv.rapporteerbaar, true) AS rapporteerbaar, b.lasten_cent
FROM bron_begroting b
JOIN ref_rebase r USING (gemeente_code)
LEFT JOIN ref_taakveld tv ON tv.taakveld = b.taakveld
    AND b.jaar BETWEEN tv.geldig_van AND coalesce(tv.geldig_tot, 9999)
"""

_REBASED = """
CREATE VIEW {name} AS
SELECT t.gemeente_code, r.gemeente_code_huidig, t.* EXCLUDE (gemeente_code, file_id, waar)
FROM bron_{name} t JOIN ref_rebase r USING (gemeente_code)
"""
_PLAIN = "CREATE VIEW {name} AS SELECT * EXCLUDE (file_id, waar) FROM bron_{name}"


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create the analysis tables and views on a loaded, checked warehouse.

    ``declaratieregel``, ``toewijzing`` and ``traject`` are tables sorted by gemeente, made once here, so
    a report on one gemeente reads only its part: their "latest message" windows cannot be filtered by
    gemeente before they are computed, so as views every report query would rank the whole warehouse.
    """
    for sql in (DECLARATIEREGEL, TOEWIJZING, TRAJECT, BEGROTING):
        con.execute(sql)
    for name in ("inkomsten", "inwoners"):
        con.execute(_REBASED.format(name=name))
    for name in ("contract", "contract_tarief", "contract_kpi", "tevredenheid", "volwassenheid"):
        con.execute(_PLAIN.format(name=name))
