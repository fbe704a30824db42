"""Checks that need more than one file: run in SQL after staging, they move failing rows to quarantine.

Each check names the table, the condition on a row ``t`` of ``bron_<table>`` and the reason (an SQL
expression, so the message can quote the row's values). Rows leave the staging table and enter
``quarantaine`` in one step, so read = loaded + quarantined keeps holding.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Check:
    table: str
    condition: str
    reason: str


def _gemeente_known(table: str) -> Check:
    return Check(table, "t.gemeente_code NOT IN (SELECT gemeente_code FROM ref_rebase)",
                 "'gemeente ' || t.gemeente_code || ' is not a CBS gemeente code (current, or merged away since 2015)'")


def _categorie_known(table: str) -> Check:
    return Check(table, "t.productcategorie IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ref_productcategorie r "
                        "WHERE r.standaard = t.standaard AND r.productcategorie = t.productcategorie)",
                 "'ProductCategorie ' || t.productcategorie || ' is not in the ' || t.standaard || ' code list'")


def _aanbieder_known(table: str) -> Check:
    return Check(table, "(SELECT count(*) FROM bron_contract) > 0 AND t.aanbieder_agb NOT IN "
                        "(SELECT aanbieder_agb FROM bron_contract)",
                 "'aanbieder AGB ' || t.aanbieder_agb || ' has no contract in the contract register'")


def _first_file(table: str, key: str, what: str) -> Check:
    """Rows of a key that an earlier file (in load order) already delivered."""
    return Check(
        table,
        f"EXISTS (SELECT 1 FROM bron_{table} o WHERE o.aanbieder_agb = t.aanbieder_agb AND o.{key} = t.{key} "
        "AND o.file_id < t.file_id)",
        f"'{what} ' || t.{key} || ' of aanbieder ' || t.aanbieder_agb || ' was already loaded from ' || "
        f"(SELECT l.pad FROM laadlog l WHERE l.file_id = (SELECT min(o.file_id) FROM bron_{table} o "
        f"WHERE o.aanbieder_agb = t.aanbieder_agb AND o.{key} = t.{key}))",
    )


CREDIT_WITHOUT_DEBIT = Check(
    "declaratie",
    "t.ingediend_cent < 0 AND NOT EXISTS (SELECT 1 FROM bron_declaratie d WHERE d.aanbieder_agb = t.aanbieder_agb "
    "AND d.referentienummer = t.vorig_referentienummer AND d.ingediend_cent > 0)",
    "'credit refers to ReferentieNummer ' || t.vorig_referentienummer || ', which no loaded declaratie of "
    "aanbieder ' || t.aanbieder_agb || ' holds as a debit'",
)
ANSWER_WITHOUT_DECLARATIE = Check(
    "antwoord",
    # two equality joins, not one join with an OR: DuckDB cannot hash-join on an OR, and the OR made
    # this check quadratic per aanbieder (17 s of a 2.25 million-row build; 0.4 s like this)
    "NOT EXISTS (SELECT 1 FROM bron_declaratie d WHERE d.aanbieder_agb = t.aanbieder_agb "
    "AND d.declaratienummer = t.declaratienummer) AND NOT (t.declaratienummer IS NULL AND EXISTS "
    "(SELECT 1 FROM bron_declaratie d WHERE d.aanbieder_agb = t.aanbieder_agb AND d.bericht_id = t.declaratie_id))",
    "'answer to declaratie ' || coalesce(t.declaratienummer, t.declaratie_id) || ' of aanbieder ' || "
    "t.aanbieder_agb || ', which was not loaded'",
)
REJECT_WITHOUT_LINE = Check(
    "antwoord_regel",
    "NOT EXISTS (SELECT 1 FROM bron_declaratie d WHERE d.aanbieder_agb = t.aanbieder_agb AND "
    "d.declaratienummer = t.declaratienummer AND d.referentienummer = t.referentienummer)",
    "'rejects ReferentieNummer ' || t.referentienummer || ', which declaratie ' || t.declaratienummer || "
    "' of aanbieder ' || t.aanbieder_agb || ' does not hold'",
)


def _contract_known(table: str) -> Check:
    return Check(table, "t.contract_id NOT IN (SELECT contract_id FROM bron_contract)",
                 "'contract ' || t.contract_id || ' is not in the contracten table'")


# --- maturity scans: one answer per respondent, model and question ------------------------------------

_ANSWER_KEY = "o.respondent = t.respondent AND o.model = t.model AND o.vraag = t.vraag"
_EARLIER = "(o.file_id < t.file_id OR (o.file_id = t.file_id AND o.rowid < t.rowid))"
_SAME_ANSWER = ("o.organisatie_code = t.organisatie_code AND o.pijler = t.pijler AND o.huidig = t.huidig "
                "AND o.ambitie = t.ambitie")


def _copies(condition: str) -> str:
    """SQL text listing where the answers ``o`` meeting ``condition`` were read: 'file line 3; ...'."""
    return (f"(SELECT string_agg(l.pad || ' ' || o.waar, '; ' ORDER BY o.file_id, o.rowid) "
            f"FROM bron_volwassenheid o JOIN laadlog l USING (file_id) WHERE {condition})")


SCAN_GEMEENTE_KNOWN = Check(
    "volwassenheid",
    "t.organisatie_soort = 'gemeente' AND t.organisatie_code NOT IN (SELECT gemeente_code FROM ref_rebase)",
    "'gemeente ' || t.organisatie_code || ' is not a CBS gemeente code (current, or merged away since 2015)'",
)
SCAN_GEMEENTE_IN_REGIO = Check(
    "volwassenheid",
    "t.organisatie_soort = 'gemeente' AND NOT EXISTS (SELECT 1 FROM ref_rebase r JOIN ref_gemeente g "
    "ON g.gemeente_code = coalesce(r.gemeente_code_huidig, r.gemeente_code) "
    "WHERE r.gemeente_code = t.organisatie_code AND g.jeugdzorgregio = t.regio)",
    "'gemeente ' || t.organisatie_code || ' is not in jeugdzorgregio ' || t.regio || ' (the folder of the file)'",
)
# A repeated identical answer (an export delivered twice, overlapping exports) counts once: the
# later copies leave. Whatever repeats after that differs from the first answer: a conflict, and
# as nobody can tell which answer holds, every copy leaves.
SCAN_ANSWER_REPEATED = Check(
    "volwassenheid",
    f"EXISTS (SELECT 1 FROM bron_volwassenheid o WHERE {_ANSWER_KEY} AND {_EARLIER} AND {_SAME_ANSWER})",
    "'respondent ' || t.respondent || ' gave this answer to ' || t.model || ' question ' || t.vraag || "
    "' already in ' || " + _copies(f"{_ANSWER_KEY} AND {_EARLIER} AND {_SAME_ANSWER}") + " || ': loaded once'",
)
SCAN_ANSWER_CONFLICT = Check(
    "volwassenheid",
    f"EXISTS (SELECT 1 FROM bron_volwassenheid o WHERE {_ANSWER_KEY} AND o.rowid <> t.rowid)",
    "'respondent ' || t.respondent || ' answered ' || t.model || ' question ' || t.vraag || "
    "' differently more than once (' || " + _copies(_ANSWER_KEY) + " || '): every copy quarantined'",
)


WITH_GEMEENTE = ("declaratie", "antwoord", "antwoord_regel", "toewijzing", "start", "stop",
                 "begroting", "inkomsten", "inwoners")
WITH_CATEGORIE = ("declaratie", "toewijzing", "start", "stop")
WITH_AANBIEDER = ("declaratie", "antwoord", "antwoord_regel", "toewijzing", "start", "stop", "tevredenheid")

#: In order: a row's own codes first, then duplicates, then links between rows.
CHECKS: tuple[Check, ...] = (
    *(_gemeente_known(t) for t in WITH_GEMEENTE),
    *(_categorie_known(t) for t in WITH_CATEGORIE),
    *(_aanbieder_known(t) for t in WITH_AANBIEDER),
    _first_file("declaratie", "declaratienummer", "declaratie"),
    _first_file("antwoord", "declaratie_id", "answer to declaratie message"),
    CREDIT_WITHOUT_DEBIT,
    ANSWER_WITHOUT_DECLARATIE,
    REJECT_WITHOUT_LINE,
    _contract_known("contract_tarief"),
    _contract_known("contract_kpi"),
    SCAN_GEMEENTE_KNOWN,
    SCAN_GEMEENTE_IN_REGIO,
    SCAN_ANSWER_REPEATED,
    SCAN_ANSWER_CONFLICT,
)


def run_checks(con: duckdb.DuckDBPyConnection, checks: tuple[Check, ...] = CHECKS) -> dict[str, int]:
    """Move every row that fails a check to quarantine; returns rows moved per check reason table."""
    moved: dict[str, int] = {}
    for check in checks:
        con.execute(f"CREATE OR REPLACE TEMP TABLE hit AS SELECT t.rowid AS rid, t.file_id, t.waar, "
                    f"{check.reason} AS reden, to_json(t) AS record FROM bron_{check.table} t WHERE {check.condition}")
        n = con.sql("SELECT count(*) FROM hit").fetchall()[0][0]
        if n:
            con.execute(f"INSERT INTO quarantaine SELECT file_id, '{check.table}', waar, reden, record FROM hit")
            con.execute(f"DELETE FROM bron_{check.table} WHERE rowid IN (SELECT rid FROM hit)")
            moved[check.table] = moved.get(check.table, 0) + n
    con.execute("DROP TABLE IF EXISTS hit")
    return moved
