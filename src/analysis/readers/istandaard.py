"""Reader for iStandaard 3.2 messages: iJw JW301/305/307/323/325 and iWmo WMO301/305/307/323/325.

Namespaces differ per standard and message, element names do not, so the reader works
namespace-agnostically and takes the message kind from the root's namespace. Documents with a
DOCTYPE or entity declarations are refused, in any encoding (:mod:`analysis.readers.xmlfile`).
Every field the reader keeps is checked against the XSD's length, pattern and range
(:mod:`analysis.readers.velden`); a line that breaks one is rejected. A 323 whose
TotaalIngediendBedrag is not the sum of its Prestaties gets a note.

BSN never leaves this module: a valid BSN is replaced by its keyed pseudonym (``client_id``), an
invalid one is rejected without keeping it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from analysis.privacy import is_valid_bsn, pseudonymise
from analysis.readers import FileUnreadable, ReadResult, Reject, mask_bsn, safe_record, velden
from analysis.readers.istandaard_kolommen import STAGING_COLUMNS
from analysis.readers.xmlfile import parse_document

_NAMESPACE = re.compile(r"^\{http://www\.istandaarden\.nl/(ijw|iwmo)/3_2/(?:jw|wmo)(\d{3})/schema\}Bericht$")
_EURO = "83"  # WJ756 eenheid "euro's": volume is an amount, no tariff applies
KINDS = ("301", "305", "307", "323", "325")
__all__ = ["KINDS", "STAGING_COLUMNS", "fields", "message_kind", "read_istandaard"]


class RowError(ValueError):
    """One element of one row is missing or malformed."""


def read_istandaard(path: Path | str, *, secret: str, data: bytes | None = None) -> ReadResult:
    """Read one iStandaard message file into staging rows (see ``_ROWS`` for the tables).

    ``data`` is the file's content when the caller has read it already (the build does, for the
    sha256), so a file is read from disk once.
    """
    root = parse_document(path, data=data)
    standaard, code = message_kind(root, path)
    result = ReadResult(kind=("JW" if standaard == "ijw" else "WMO") + code)
    try:
        header = _header(root, code) | {"standaard": "iJw" if standaard == "ijw" else "iWmo"}
        _ROWS[code](root, header, result, functools.partial(_pseudonym, secret=secret))
    except FileUnreadable as exc:
        raise FileUnreadable(f"{path}: {mask_bsn(str(exc))}") from exc  # a header value may be a BSN
    return result


def message_kind(root: etree._Element, path: Path | str) -> tuple[str, str]:
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
    f = fields(head)
    try:
        _valid(f)
        gemeente, agb = (f.get("Afzender"), f.get("Ontvanger"))
        if code not in ("301", "325"):  # the gemeente sends 301 and 325, the aanbieder the others
            gemeente, agb = agb, gemeente
        return {"gemeente_code": _gemeente(gemeente), "aanbieder_agb": _agb(agb),
                "bericht_id": _req(f, "BerichtIdentificatie/Identificatie"),
                "bericht_datum": _date(f, "BerichtIdentificatie/Dagtekening")}
    except RowError as exc:
        raise FileUnreadable(f"line {head.sourceline}: Header: {exc}") from exc


# --- fields of one element, by local name: namespace-agnostic and one pass over the children ------

_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rpartition("}")[2]
    return name


def fields(el: etree._Element) -> dict[str, str]:
    """Leaf texts of ``el``'s children and grandchildren: {"ProductPeriode/Begindatum": "2024-03-01"}.

    Repeated leaves (RetourCodes/RetourCode) are joined with commas. Deeper elements are skipped.
    This runs for every line of every message, so it is written for speed: the parser drops
    comments and processing instructions, so every child is an element, and local names are
    looked up in a cache.
    """
    out: dict[str, str] = {}
    local = _LOCAL
    for child in el:
        tag = child.tag
        name = local.get(tag) or _local(tag)
        if len(child) == 0:
            text = child.text
            out[name] = text.strip() if text else ""
            continue
        prefix = name + "/"
        for leaf in child:
            if len(leaf) == 0:
                tag = leaf.tag
                key, text = prefix + (local.get(tag) or _local(tag)), leaf.text
                text = text.strip() if text else ""
                out[key] = out[key] + "," + text if key in out else text
    return out


# --- field helpers: each raises RowError naming the element ---------------------------------------


def _valid(f: dict[str, str]) -> dict[str, str]:
    """``f`` when its fields keep to the XSD's lengths, patterns and ranges (:mod:`velden`)."""
    if found := velden.problems(f):
        raise RowError("; ".join(found))
    return f


def _req(f: dict[str, str], name: str) -> str:
    value = f.get(name)
    if not value:
        raise RowError(f"{name} is missing")
    return value


def _opt(f: dict[str, str], name: str) -> str | None:
    return f.get(name) or None


def _date(f: dict[str, str], name: str, *, required: bool = True) -> date | None:
    value = _req(f, name) if required else _opt(f, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RowError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from exc


def _int(f: dict[str, str], name: str, *, required: bool = True) -> int | None:
    value = _req(f, name) if required else _opt(f, name)
    if value is None:
        return None
    if not value.isdigit():
        raise RowError(f"{name} {value!r} is not a whole number")
    return int(value)


def _gemeente(value: str | None) -> str:
    if not value or len(value) != 4 or not value.isdigit():
        raise RowError(f"gemeente code {value!r} is not 4 digits")
    return "GM" + value


def _agb(value: str | None) -> str:
    if not value or len(value) != 8 or not value.isdigit():
        raise RowError(f"AGB code {value!r} is not 8 digits")
    return value


def _signed(f: dict[str, str], name: str, *, amount: str = "Bedrag") -> int:
    """An amount with DebetCredit as signed integer cents (credit negative)."""
    value = _int(f, f"{name}/{amount}")
    flag = _req(f, f"{name}/DebetCredit")
    if flag not in ("D", "C"):
        raise RowError(f"{name}/DebetCredit {flag!r} is not D or C")
    return -value if flag == "C" else value


@functools.lru_cache(maxsize=1 << 18)
def _pseudonym(bsn: str, secret: str) -> str | None:
    """The keyed pseudonym of a valid BSN, None for an invalid one. Cached: a client appears in
    many messages, and the HMAC is a good part of the cost of a small message."""
    return pseudonymise(bsn, secret=secret) if is_valid_bsn(bsn) else None


class _Clients:
    """Client pseudonyms, computed once per client element; invalid BSNs raise RowError."""

    def __init__(self, hash_bsn: Callable[[str], str | None]) -> None:
        self.hash_bsn = hash_bsn

    def client_id(self, client: etree._Element) -> str:
        pseudonym = self.hash_bsn((client.findtext("{*}Bsn") or "").strip())
        if pseudonym is None:
            raise RowError("Bsn fails the 11-proef (BSN not kept)")
        return pseudonym


def _lines(result: ReadResult, table: str, parent: etree._Element, client_path: str, item_path: str,
           hash_bsn: Callable[[str], str | None], row: Callable[[dict[str, str]], dict[str, Any]],
           base: dict[str, Any], tally: Callable[[dict[str, str]], None] | None = None) -> None:
    """Read every item of every client below ``parent`` into ``table``, or into the rejects;
    ``tally`` sees the fields of every item, loaded or not."""
    rows, clients = result.tables.setdefault(table, []), _Clients(hash_bsn)
    for n, client in enumerate(parent.iterfind(client_path), start=1):
        try:
            client_id, problem = clients.client_id(client), None
        except RowError as exc:
            client_id, problem = None, exc
        for m, item in enumerate(client.iterfind(item_path), start=1):
            where, f = f"Client {n} / {_local(item.tag)} {m}, line {item.sourceline}", fields(item)
            if tally is not None:
                tally(f)
            try:
                if problem:
                    raise problem
                rows.append({**base, "client_id": client_id, **row(_valid(f)), "waar": where})
            except RowError as exc:
                result.rejects.append(Reject(where=where, reason=str(exc), record=base | safe_record(f, velden.KNOWN)))


# --- JW323 / WMO323: declaratie -------------------------------------------------------------------


def _declaratie(root: etree._Element, header: dict[str, Any], result: ReadResult,
                hash_bsn: Callable[[str], str | None]) -> None:
    decl = root.find("{*}Declaratie")
    if decl is None:
        raise FileUnreadable(f"line {root.sourceline}: no Declaratie element")
    f = fields(decl)
    try:
        base = header | {
            "declaratienummer": _req(_valid(f), "DeclaratieNummer"),
            "declaratie_begin": _date(f, "DeclaratiePeriode/Begindatum"),
            "declaratie_eind": _date(f, "DeclaratiePeriode/Einddatum"),
            "declaratie_datum": _date(f, "DeclaratieDagtekening"),
        }
    except RowError as exc:
        raise FileUnreadable(f"line {decl.sourceline}: Declaratie: {exc}") from exc
    seen: set[str] = set()
    total = _Total()
    _lines(result, "declaratie", decl, "{*}Clienten/{*}Client", "{*}Prestaties/{*}Prestatie", hash_bsn,
           lambda f: _checked(_prestatie(f) | base, seen), base, tally=total.add)
    if note := total.note(f, line=decl.sourceline):
        result.notes.append(note)


class _Total:
    """The sum of the Prestaties' IngediendBedrag (cents, debit minus credit) over every Prestatie
    whose amount can be read, loaded or rejected, to hold against TotaalIngediendBedrag."""

    def __init__(self) -> None:
        self.lines = self.cents = 0

    def add(self, f: dict[str, str]) -> None:
        self.lines += 1
        bedrag, teken = f.get("IngediendBedrag/Bedrag", ""), f.get("IngediendBedrag/DebetCredit")
        if bedrag.isdigit() and len(bedrag) <= velden.VELDEN["IngediendBedrag/Bedrag"].longest and teken in ("D", "C"):
            self.cents += -int(bedrag) if teken == "C" else int(bedrag)

    def note(self, f: dict[str, str], *, line: int) -> str | None:
        """A note when the Declaratie's total is not the sum of its lines (None when it is)."""
        try:
            total = _signed(f, "TotaalIngediendBedrag", amount="TotaalBedrag")
        except RowError as exc:
            return f"header total not compared with the Prestaties: {exc} (line {line})"
        if total == self.cents:
            return None
        return (f"header total vs sum of lines mismatch: TotaalIngediendBedrag {total} cents, the {self.lines} "
                f"Prestatie(s) sum to {self.cents} cents (line {line})")


def _prestatie(f: dict[str, str]) -> dict[str, Any]:
    return {
        "referentienummer": _req(f, "ProductReferentie/ReferentieNummer"),
        "vorig_referentienummer": _opt(f, "ProductReferentie/VorigReferentieNummer"),
        "toewijzingnummer": _int(f, "ToewijzingNummer"),
        "productcategorie": _req(f, "ProductCategorie"),
        "productcode": _req(f, "ProductCode"),
        "periode_begin": _date(f, "ProductPeriode/Begindatum"),
        "periode_eind": _date(f, "ProductPeriode/Einddatum"),
        "volume": _int(f, "GeleverdVolume"),
        "eenheid": _req(f, "Eenheid"),
        "tarief_cent": _int(f, "ProductTarief", required=False),
        "ingediend_cent": _signed(f, "IngediendBedrag"),
    }


def _checked(row: dict[str, Any], seen: set[str]) -> dict[str, Any]:
    """The checks one line allows on its own (checks across files belong to the warehouse)."""
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
    return row


# --- JW325 / WMO325: declaratie-antwoord ----------------------------------------------------------


def _antwoord(root: etree._Element, header: dict[str, Any], result: ReadResult,
              hash_bsn: Callable[[str], str | None]) -> None:
    head, antwoord = fields(root.find("{*}Header")), root.find("{*}DeclaratieAntwoord")
    a = fields(antwoord) if antwoord is not None else {}
    try:
        _valid(head), _valid(a)
        base = header | {"declaratie_id": _req(head, "DeclaratieIdentificatie/Identificatie"),
                         "declaratienummer": _req(a, "DeclaratieNummer") if antwoord is not None else None}
        kop = base | {
            "kop_retourcodes": _opt(head, "RetourCodes/RetourCode"),
            "antwoord_retourcodes": _opt(a, "RetourCodes/RetourCode"),
            "totaal_ingediend_cent": _signed(a, "TotaalIngediendBedrag", amount="TotaalBedrag") if a else None,
            "totaal_toegekend_cent": _signed(a, "TotaalToegekendBedrag", amount="TotaalBedrag") if a else None,
        }
    except RowError as exc:
        raise FileUnreadable(f"line {root.sourceline}: DeclaratieAntwoord: {exc}") from exc
    result.tables["antwoord"] = [kop | {"waar": f"DeclaratieAntwoord, line {root.sourceline}"}]
    if antwoord is not None:
        _lines(result, "antwoord_regel", antwoord, "{*}Clienten/{*}Client", "{*}Prestaties/{*}Prestatie",
               hash_bsn, _afwijzing, base)


def _afwijzing(f: dict[str, str]) -> dict[str, Any]:
    codes = _opt(f, "RetourCodes/RetourCode")
    if not codes:
        raise RowError("rejected Prestatie without RetourCode")
    return {"referentienummer": _req(f, "ProductReferentie/ReferentieNummer"), "retourcodes": codes}


# --- JW301/305/307 and WMO301/305/307: toewijzing, start, stop ------------------------------------


def _toegewezen(f: dict[str, str]) -> dict[str, Any]:
    begin, eind = _date(f, "Ingangsdatum"), _date(f, "Einddatum", required=False)
    if eind is not None and eind < begin:
        raise RowError(f"Einddatum {eind} lies before Ingangsdatum {begin}")
    return {
        "toewijzingnummer": _int(f, "ToewijzingNummer"),
        "productcategorie": _opt(f, "Product/Categorie"),
        "productcode": _opt(f, "Product/Code"),
        "toewijzingsdatum": _date(f, "Toewijzingsdatum"),
        "ingangsdatum": begin,
        "einddatum": eind,
        "reden_wijziging": _opt(f, "RedenWijziging"),
        "volume": _int(f, "Omvang/Volume", required=False),
        "eenheid": _opt(f, "Omvang/Eenheid"),
        "frequentie": _opt(f, "Omvang/Frequentie"),
        "budget": _int(f, "Budget", required=False),
    }


def _start(f: dict[str, str]) -> dict[str, Any]:
    return {
        "toewijzingnummer": _int(f, "ToewijzingNummer", required=False),
        "productcategorie": _opt(f, "Product/Categorie"),
        "productcode": _opt(f, "Product/Code"),
        "begindatum": _date(f, "Begindatum"),
        "status_aanlevering": _req(f, "StatusAanlevering"),
    }


def _stop(f: dict[str, str]) -> dict[str, Any]:
    row = _start(f) | {"reden_beeindiging": _req(f, "RedenBeeindiging"), "einddatum": _date(f, "Einddatum")}
    if row["einddatum"] < row["begindatum"]:
        raise RowError(f"Einddatum {row['einddatum']} lies before Begindatum {row['begindatum']}")
    return row


def _per_client(table: str, items: str, row: Callable[[dict[str, str]], dict[str, Any]]):
    """Reader of a message with one Client and a list of products (301, 305, 307)."""
    def read(root: etree._Element, header: dict[str, Any], result: ReadResult,
             hash_bsn: Callable[[str], str | None]) -> None:
        if root.find("{*}Client") is None:
            raise FileUnreadable(f"line {root.sourceline}: no Client element")
        _lines(result, table, root, "{*}Client", items, hash_bsn, row, header)
    return read


_ROWS = {
    "301": _per_client("toewijzing", "{*}ToegewezenProducten/{*}ToegewezenProduct", _toegewezen),
    "305": _per_client("start", "{*}StartProducten/{*}StartProduct", _start),
    "307": _per_client("stop", "{*}StopProducten/{*}StopProduct", _stop),
    "323": _declaratie,
    "325": _antwoord,
}
