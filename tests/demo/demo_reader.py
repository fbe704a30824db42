"""An independent reader of the demo's 323 and 325 messages, for the tests only."""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def local(el) -> str:
    """Element name without namespace."""
    return etree.QName(el).localname


def text(el, path: str) -> str:
    """Text of the first descendant at a slash-separated local-name path."""
    node = el
    for name in path.split("/"):
        node = next(c for c in node if local(c) == name)
    return node.text


def kind(path: Path) -> str:
    """Message kind from the root namespace, e.g. ``JW323``."""
    ns = etree.QName(etree.parse(str(path)).getroot()).namespace
    return ns.split("/")[-2].upper()


def prestaties(root) -> list[dict]:
    """Every Prestatie of a 323 or 325 as a dict (BSN included)."""
    rows = []
    for client in root.iter("{*}Client"):
        bsn = text(client, "Bsn")
        for p in client.iter("{*}Prestatie"):
            ref = next(c for c in p if local(c) == "ProductReferentie")
            vorig = [c.text for c in ref if local(c) == "VorigReferentieNummer"]
            tarief = [c.text for c in p if local(c) == "ProductTarief"]
            rows.append({
                "bsn": bsn, "ref": text(ref, "ReferentieNummer"), "vorig": vorig[0] if vorig else None,
                "toewijzing": text(p, "ToewijzingNummer"), "code": text(p, "ProductCode"),
                "begin": text(p, "ProductPeriode/Begindatum"), "eind": text(p, "ProductPeriode/Einddatum"),
                "volume": int(text(p, "GeleverdVolume")), "eenheid": text(p, "Eenheid"),
                "tarief": int(tarief[0]) if tarief else None, "bedrag": int(text(p, "IngediendBedrag/Bedrag")),
                "dc": text(p, "IngediendBedrag/DebetCredit"),
                "retour": [c.text for c in p.iter("{*}RetourCode")],
            })
    return rows


def read_declarations(out: Path) -> tuple[dict, dict, list[Path]]:
    """(323s by BerichtIdentificatie, 325s by DeclaratieIdentificatie, duplicate 323 paths)."""
    d323, d325, dupes = {}, {}, []
    for path in sorted((out / "istandaard").rglob("*.xml")):
        if "323" not in path.parent.parent.name and "325" not in path.parent.parent.name:
            continue
        root = etree.parse(str(path)).getroot()
        head = next(c for c in root if local(c) == "Header")
        ident = text(head, "BerichtIdentificatie/Identificatie")
        msg = {"path": path, "region": path.parts[-4], "afzender": text(head, "Afzender"),
               "ontvanger": text(head, "Ontvanger"), "dag": text(head, "BerichtIdentificatie/Dagtekening"),
               "lines": prestaties(root), "root": root, "id": ident}
        if path.parent.parent.name.endswith("323"):
            if ident in d323:
                dupes.append(path)
                continue
            msg["nummer"] = text(root, "Declaratie/DeclaratieNummer")
            d323[ident] = msg
        else:
            msg["decl_id"] = text(head, "DeclaratieIdentificatie/Identificatie")
            msg["nummer"] = text(root, "DeclaratieAntwoord/DeclaratieNummer")
            d325[msg["decl_id"]] = msg
    return d323, d325, dupes
