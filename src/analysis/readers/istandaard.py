"""Reader for iStandaard 3.2 messages: iJw JW301/305/307/323/325 and iWmo WMO301/305/307/323/325.

Namespaces differ per standard and message, element names do not, so the reader works
namespace-agnostically and takes the message kind from the root's namespace. Documents with a
DOCTYPE or entity declarations are refused before parsing (never expanded); the parser itself also
has entity resolution, DTD loading and network access switched off.

BSN never leaves this module: a valid BSN is replaced by its keyed pseudonym (``client_id``), an
invalid one is rejected without keeping it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from analysis.privacy import is_valid_bsn, pseudonymise
from analysis.readers import Columns, FileUnreadable, ReadResult, Reject

MAX_BYTES = 256 * 1024 * 1024
_NAMESPACE = re.compile(r"^\{http://www\.istandaarden\.nl/(ijw|iwmo)/3_2/(?:jw|wmo)(\d{3})/schema\}Bericht$")
_UNSAFE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_EURO = "83"  # WJ756 eenheid "euro's": volume is an amount, no tariff applies
KINDS = ("301", "305", "307", "323", "325")


class RowError(ValueError):
    """One element of one row is missing or malformed."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def read_istandaard(path: Path, *, secret: str) -> ReadResult:
    """Read one iStandaard message file into staging rows (see ``_ROWS`` for the tables)."""
    root = parse_document(path)
    standaard, code = message_kind(root, path)
    result = ReadResult(kind=("JW" if standaard == "ijw" else "WMO") + code)
    try:
        header = _header(root, code) | {"standaard": "iJw" if standaard == "ijw" else "iWmo"}
        _ROWS[code](root, header, result, lambda bsn: pseudonymise(bsn, secret=secret))
    except FileUnreadable as exc:
        raise FileUnreadable(f"{path}: {exc}") from exc
    return result


def parse_document(path: Path) -> etree._Element:
    """Parse safely; raise FileUnreadable naming the file and the line for any problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_BYTES:
        raise FileUnreadable(f"{path}: {len(data)} bytes is more than the {MAX_BYTES} a message may have")
    match = _UNSAFE.search(data)
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise FileUnreadable(f"{path}: line {line}: document declares a DOCTYPE or entities; "
                             "refused (entities are never expanded)")
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise FileUnreadable(f"{path}: line {exc.lineno}: not well-formed XML ({exc.msg})") from exc


def message_kind(root: etree._Element, path: Path) -> tuple[str, str]:
    """('ijw'|'iwmo', '323') from the root element's namespace, or FileUnreadable."""
    match = _NAMESPACE.match(root.tag) if isinstance(root.tag, str) else None
    if not match or match.group(2) not in KINDS:
        raise FileUnreadable(f"{path}: line {root.sourceline}: unsupported message type {root.tag!r} "
                             f"(supported: iJw/iWmo 3.2 {', '.join(KINDS)})")
    return match.group(1), match.group(2)


def _header(root: etree._Element, code: str) -> dict[str, Any]:
    """The sender, receiver and identification of a message; gemeente codes become GM####."""
    head = root.find("{*}Header")
    if head is None:
        raise FileUnreadable("no Header element")
    gemeente_sends = code in ("301", "325")
    try:
        afzender, ontvanger = _req(head, "Afzender"), _req(head, "Ontvanger")
        gemeente, agb = (afzender, ontvanger) if gemeente_sends else (ontvanger, afzender)
        return {
            "gemeente_code": _gemeente(gemeente),
            "aanbieder_agb": _agb(agb),
            "bericht_id": _req(head, "BerichtIdentificatie/{*}Identificatie"),
            "bericht_datum": _date(head, "BerichtIdentificatie/{*}Dagtekening"),
        }
    except RowError as exc:
        raise FileUnreadable(f"line {head.sourceline}: Header: {exc}") from exc


# --- field helpers: each raises RowError naming the element -------------------------------


def _req(el: etree._Element, name: str) -> str:
    value = el.findtext("{*}" + name)
    if value is None or not value.strip():
        raise RowError(f"{name.replace('{*}', '')} is missing")
    return value.strip()


def _opt(el: etree._Element, name: str) -> str | None:
    value = el.findtext("{*}" + name)
    return value.strip() if value is not None and value.strip() else None


def _date(el: etree._Element, name: str, *, required: bool = True) -> date | None:
    value = _req(el, name) if required else _opt(el, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RowError(f"{name.replace('{*}', '')} {value!r} is not a date (YYYY-MM-DD)") from exc


def _int(el: etree._Element, name: str, *, required: bool = True) -> int | None:
    value = _req(el, name) if required else _opt(el, name)
    if value is None:
        return None
    if not value.isdigit():
        raise RowError(f"{name.replace('{*}', '')} {value!r} is not a whole number")
    return int(value)


def _gemeente(value: str) -> str:
    if len(value) != 4 or not value.isdigit():
        raise RowError(f"gemeente code {value!r} is not 4 digits")
    return "GM" + value


def _agb(value: str) -> str:
    if len(value) != 8 or not value.isdigit():
        raise RowError(f"AGB code {value!r} is not 8 digits")
    return value


def _signed(el: etree._Element, name: str) -> int:
    """An amount with DebetCredit as signed integer cents (credit negative)."""
    amount = _int(el, name + "/{*}Bedrag")
    flag = _req(el, name + "/{*}DebetCredit")
    if flag not in ("D", "C"):
        raise RowError(f"{name}/DebetCredit {flag!r} is not D or C")
    return -amount if flag == "C" else amount


def _retourcodes(el: etree._Element) -> str:
    return ",".join(c.text.strip() for c in el.iterfind("{*}RetourCodes/{*}RetourCode") if c.text)


def _clients(root: etree._Element, path: str) -> Iterator[tuple[int, etree._Element]]:
    yield from enumerate(root.iterfind(path), start=1)


def _client_id(client: etree._Element, hash_bsn: Callable[[str], str]) -> str:
    bsn = _req(client, "Bsn")
    if not is_valid_bsn(bsn):
        raise RowError("Bsn fails the 11-proef (BSN not kept)")
    return hash_bsn(bsn)


def _add(columns: Columns, row: dict[str, Any]) -> None:
    for key, value in row.items():
        columns.setdefault(key, []).append(value)


def _reject(result: ReadResult, el: etree._Element, what: str, exc: Exception,
            record: dict[str, Any]) -> None:
    result.rejects.append(Reject(where=f"{what}, line {el.sourceline}", reason=str(exc),
                                 record={k: v for k, v in record.items() if k != "bsn"}))


def _record(el: etree._Element) -> dict[str, Any]:
    """The element's leaf values by local name, for a quarantine record (BSN left out)."""
    out: dict[str, Any] = {}
    for leaf in el.iter():
        if isinstance(leaf.tag, str) and len(leaf) == 0 and leaf.text and leaf.text.strip():
            name = etree.QName(leaf).localname
            if name != "Bsn":
                out[name if name not in out else f"{etree.QName(leaf.getparent()).localname}.{name}"] = leaf.text.strip()
    return out


# --- JW323 / WMO323: declaratie -------------------------------------------------------------


def _declaratie(root: etree._Element, header: dict[str, Any], result: ReadResult,
                hash_bsn: Callable[[str], str]) -> None:
    decl = root.find("{*}Declaratie")
    if decl is None:
        raise FileUnreadable(f"line {root.sourceline}: no Declaratie element")
    try:
        base = header | {
            "declaratienummer": _req(decl, "DeclaratieNummer"),
            "declaratie_begin": _date(decl, "DeclaratiePeriode/{*}Begindatum"),
            "declaratie_eind": _date(decl, "DeclaratiePeriode/{*}Einddatum"),
            "declaratie_datum": _date(decl, "DeclaratieDagtekening"),
        }
    except RowError as exc:
        raise FileUnreadable(f"line {decl.sourceline}: Declaratie: {exc}") from exc
    rows = result.tables.setdefault("declaratie", {})
    seen: set[str] = set()
    for n, client in _clients(decl, "{*}Clienten/{*}Client"):
        for m, prestatie in enumerate(client.iterfind("{*}Prestaties/{*}Prestatie"), start=1):
            where = f"Client {n} / Prestatie {m}"
            try:
                row = base | {"client_id": _client_id(client, hash_bsn)} | _prestatie(prestatie)
                _check_prestatie(row, seen)
            except RowError as exc:
                _reject(result, prestatie, where, exc, base | _record(prestatie))
                continue
            _add(rows, row | {"waar": f"{where}, line {prestatie.sourceline}"})


def _prestatie(p: etree._Element) -> dict[str, Any]:
    return {
        "referentienummer": _req(p, "ProductReferentie/{*}ReferentieNummer"),
        "vorig_referentienummer": _opt(p, "ProductReferentie/{*}VorigReferentieNummer"),
        "toewijzingnummer": _int(p, "ToewijzingNummer"),
        "productcategorie": _req(p, "ProductCategorie"),
        "productcode": _req(p, "ProductCode"),
        "periode_begin": _date(p, "ProductPeriode/{*}Begindatum"),
        "periode_eind": _date(p, "ProductPeriode/{*}Einddatum"),
        "volume": _int(p, "GeleverdVolume"),
        "eenheid": _req(p, "Eenheid"),
        "tarief_cent": _int(p, "ProductTarief", required=False),
        "ingediend_cent": _signed(p, "IngediendBedrag"),
    }


def _check_prestatie(row: dict[str, Any], seen: set[str]) -> None:
    """The checks one line allows on its own (cross-file checks belong to the warehouse)."""
    problems = []
    if row["periode_begin"] > row["periode_eind"]:
        problems.append("ProductPeriode ends before it begins")
    if row["periode_begin"] < row["declaratie_begin"] or row["periode_eind"] > row["declaratie_eind"]:
        problems.append(f"ProductPeriode {row['periode_begin']}..{row['periode_eind']} lies outside "
                        f"DeclaratiePeriode {row['declaratie_begin']}..{row['declaratie_eind']}")
    tarief = row["tarief_cent"]
    if row["eenheid"] != _EURO and tarief is not None and abs(row["ingediend_cent"]) != row["volume"] * tarief:
        problems.append(f"IngediendBedrag {abs(row['ingediend_cent'])} is not GeleverdVolume {row['volume']} "
                        f"x ProductTarief {tarief} = {row['volume'] * tarief} cents")
    if row["ingediend_cent"] < 0 and not row["vorig_referentienummer"]:
        problems.append("credit line without VorigReferentieNummer")
    if row["referentienummer"] in seen:
        problems.append(f"ReferentieNummer {row['referentienummer']!r} occurs twice in this declaratie")
    seen.add(row["referentienummer"])
    if problems:
        raise RowError("; ".join(problems))


# --- JW325 / WMO325: declaratie-antwoord ------------------------------------------------------


def _antwoord(root: etree._Element, header: dict[str, Any], result: ReadResult,
              hash_bsn: Callable[[str], str]) -> None:
    head = root.find("{*}Header")
    antwoord = root.find("{*}DeclaratieAntwoord")
    try:
        base = header | {"declaratie_id": _req(head, "DeclaratieIdentificatie/{*}Identificatie"),
                         "declaratienummer": _req(antwoord, "DeclaratieNummer") if antwoord is not None else None}
        kop = base | {
            "kop_retourcodes": _retourcodes(head),
            "antwoord_retourcodes": _retourcodes(antwoord) if antwoord is not None else None,
            "totaal_ingediend_cent": _totaal(antwoord, "TotaalIngediendBedrag"),
            "totaal_toegekend_cent": _totaal(antwoord, "TotaalToegekendBedrag"),
        }
    except RowError as exc:
        raise FileUnreadable(f"line {head.sourceline}: DeclaratieAntwoord: {exc}") from exc
    _add(result.tables.setdefault("antwoord", {}), kop | {"waar": f"DeclaratieAntwoord, line {root.sourceline}"})
    if antwoord is None:
        return
    rows = result.tables.setdefault("antwoord_regel", {})
    for n, client in _clients(antwoord, "{*}Clienten/{*}Client"):
        for m, prestatie in enumerate(client.iterfind("{*}Prestaties/{*}Prestatie"), start=1):
            where = f"Client {n} / Prestatie {m}"
            try:
                row = base | {
                    "client_id": _client_id(client, hash_bsn),
                    "referentienummer": _req(prestatie, "ProductReferentie/{*}ReferentieNummer"),
                    "retourcodes": _retourcodes(prestatie),
                }
                if not row["retourcodes"]:
                    raise RowError("rejected Prestatie without RetourCode")
            except RowError as exc:
                _reject(result, prestatie, where, exc, base | _record(prestatie))
                continue
            _add(rows, row | {"waar": f"{where}, line {prestatie.sourceline}"})


def _totaal(antwoord: etree._Element | None, name: str) -> int | None:
    if antwoord is None:
        return None
    amount = _int(antwoord, name + "/{*}TotaalBedrag")
    return -amount if _req(antwoord, name + "/{*}DebetCredit") == "C" else amount


# --- JW301/305/307 and WMO301/305/307: toewijzing, start, stop -------------------------------


def _product_rows(root: etree._Element, header: dict[str, Any], result: ReadResult,
                  hash_bsn: Callable[[str], str], *, table: str, element: str, container: str,
                  fields: Callable[[etree._Element], dict[str, Any]]) -> None:
    rows = result.tables.setdefault(table, {})
    client = root.find("{*}Client")
    if client is None:
        raise FileUnreadable(f"line {root.sourceline}: no Client element")
    for m, product in enumerate(client.iterfind(f"{{*}}{container}/{{*}}{element}"), start=1):
        where = f"{element} {m}"
        try:
            row = header | {"client_id": _client_id(client, hash_bsn)} | fields(product)
        except RowError as exc:
            _reject(result, product, where, exc, header | _record(product))
            continue
        _add(rows, row | {"waar": f"{where}, line {product.sourceline}"})


def _toegewezen(p: etree._Element) -> dict[str, Any]:
    begin, eind = _date(p, "Ingangsdatum"), _date(p, "Einddatum", required=False)
    if eind is not None and eind < begin:
        raise RowError(f"Einddatum {eind} lies before Ingangsdatum {begin}")
    return {
        "toewijzingnummer": _int(p, "ToewijzingNummer"),
        "productcategorie": _opt(p, "Product/{*}Categorie"),
        "productcode": _opt(p, "Product/{*}Code"),
        "toewijzingsdatum": _date(p, "Toewijzingsdatum"),
        "ingangsdatum": begin,
        "einddatum": eind,
        "reden_wijziging": _opt(p, "RedenWijziging"),
        "volume": _int(p, "Omvang/{*}Volume", required=False),
        "eenheid": _opt(p, "Omvang/{*}Eenheid"),
        "frequentie": _opt(p, "Omvang/{*}Frequentie"),
        "budget": _int(p, "Budget", required=False),
    }


def _start(p: etree._Element) -> dict[str, Any]:
    return {
        "toewijzingnummer": _int(p, "ToewijzingNummer", required=False),
        "productcategorie": _opt(p, "Product/{*}Categorie"),
        "productcode": _opt(p, "Product/{*}Code"),
        "begindatum": _date(p, "Begindatum"),
        "status_aanlevering": _req(p, "StatusAanlevering"),
    }


def _stop(p: etree._Element) -> dict[str, Any]:
    row = _start(p) | {"reden_beeindiging": _req(p, "RedenBeeindiging"), "einddatum": _date(p, "Einddatum")}
    if row["einddatum"] < row["begindatum"]:
        raise RowError(f"Einddatum {row['einddatum']} lies before Begindatum {row['begindatum']}")
    return row


def _toewijzing_rows(root, header, result, hash_bsn) -> None:
    _product_rows(root, header, result, hash_bsn, table="toewijzing", element="ToegewezenProduct",
                  container="ToegewezenProducten", fields=_toegewezen)


def _start_rows(root, header, result, hash_bsn) -> None:
    _product_rows(root, header, result, hash_bsn, table="start", element="StartProduct",
                  container="StartProducten", fields=_start)


def _stop_rows(root, header, result, hash_bsn) -> None:
    _product_rows(root, header, result, hash_bsn, table="stop", element="StopProduct",
                  container="StopProducten", fields=_stop)


_ROWS = {"301": _toewijzing_rows, "305": _start_rows, "307": _stop_rows,
         "323": _declaratie, "325": _antwoord}


# DuckDB types of the staging tables this reader fills (the warehouse creates them from this).
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
