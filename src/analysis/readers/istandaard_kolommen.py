"""The staging tables the iStandaard reader fills, as {column: DuckDB type} (the warehouse creates
them from this; :mod:`analysis.readers.istandaard` fills them, one dict per line)."""

from __future__ import annotations

_HEADER_COLUMNS = {"gemeente_code": "VARCHAR", "aanbieder_agb": "VARCHAR", "bericht_id": "VARCHAR",
                   "bericht_datum": "DATE", "standaard": "VARCHAR"}
STAGING_COLUMNS: dict[str, dict[str, str]] = {
    "declaratie": _HEADER_COLUMNS | {
        "declaratienummer": "VARCHAR", "declaratie_begin": "DATE", "declaratie_eind": "DATE",
        "declaratie_datum": "DATE", "client_id": "VARCHAR", "referentienummer": "VARCHAR",
        "vorig_referentienummer": "VARCHAR", "toewijzingnummer": "BIGINT", "productcategorie": "VARCHAR",
        "productcode": "VARCHAR", "periode_begin": "DATE", "periode_eind": "DATE", "volume": "BIGINT",
        "eenheid": "VARCHAR", "tarief_cent": "BIGINT", "ingediend_cent": "BIGINT", "waar": "VARCHAR"},
    "antwoord": _HEADER_COLUMNS | {
        "declaratie_id": "VARCHAR", "declaratienummer": "VARCHAR", "kop_retourcodes": "VARCHAR",
        "antwoord_retourcodes": "VARCHAR", "totaal_ingediend_cent": "BIGINT",
        "totaal_toegekend_cent": "BIGINT", "waar": "VARCHAR"},
    "antwoord_regel": _HEADER_COLUMNS | {
        "declaratie_id": "VARCHAR", "declaratienummer": "VARCHAR", "client_id": "VARCHAR",
        "referentienummer": "VARCHAR", "retourcodes": "VARCHAR", "waar": "VARCHAR"},
    "toewijzing": _HEADER_COLUMNS | {
        "client_id": "VARCHAR", "toewijzingnummer": "BIGINT", "productcategorie": "VARCHAR",
        "productcode": "VARCHAR", "toewijzingsdatum": "DATE", "ingangsdatum": "DATE", "einddatum": "DATE",
        "reden_wijziging": "VARCHAR", "volume": "BIGINT", "eenheid": "VARCHAR", "frequentie": "VARCHAR",
        "budget": "BIGINT", "waar": "VARCHAR"},
    "start": _HEADER_COLUMNS | {
        "client_id": "VARCHAR", "toewijzingnummer": "BIGINT", "productcategorie": "VARCHAR",
        "productcode": "VARCHAR", "begindatum": "DATE", "status_aanlevering": "VARCHAR", "waar": "VARCHAR"},
    "stop": _HEADER_COLUMNS | {
        "client_id": "VARCHAR", "toewijzingnummer": "BIGINT", "productcategorie": "VARCHAR",
        "productcode": "VARCHAR", "begindatum": "DATE", "status_aanlevering": "VARCHAR",
        "reden_beeindiging": "VARCHAR", "einddatum": "DATE", "waar": "VARCHAR"},
}
