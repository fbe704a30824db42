"""The demo's iStandaard messages: XSD-valid, linked, amounts right, merger respected."""

from __future__ import annotations

import collections
import datetime as dt
import functools
import re
from pathlib import Path

import pytest
from lxml import etree

from analysis.privacy import is_valid_bsn
from demo.conftest import REFERENCE
from demo.demo_reader import kind, local, text

KINDS = [f"{p}{n}" for p in ("JW", "WMO") for n in ("301", "305", "307", "323", "325")]


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    """The real XSD of a message kind. WMO325 has none in the reference set: it is JW325.xsd with the
    iWmo namespaces and BerichtCode 485, importing the real iWmo basisschema (see ``wmo325_xsd``)."""
    if name == "WMO325":
        return wmo325_xsd()
    folder = "ijw" if name.startswith("JW") else "iwmo"
    return etree.XMLSchema(etree.parse(str(REFERENCE / folder / "xsd" / f"{name}.xsd")))


def wmo325_xsd() -> etree.XMLSchema:
    """JW325's structure in the iWmo namespaces, so iWmo types (productcategorie 01-18) apply."""
    data = (REFERENCE / "ijw" / "xsd" / "JW325.xsd").read_bytes()
    data = (data.replace(b"http://www.istandaarden.nl/ijw/3_2/jw325/schema", b"http://www.istandaarden.nl/iwmo/3_2/wmo325/schema")
            .replace(b"http://www.istandaarden.nl/ijw/3_2/basisschema/schema", b"http://www.istandaarden.nl/iwmo/3_2/basisschema/schema")
            .replace(b'<xs:pattern value="491"/>', b'<xs:pattern value="485"/>'))
    assert b"wmo325" in data and b'value="485"' in data
    base = str(REFERENCE / "iwmo" / "xsd" / "WMO325.xsd")  # resolves basisschema.xsd to iWmo's
    return etree.XMLSchema(etree.fromstring(data, base_url=base))


@functools.cache
def appinfo(name: str) -> tuple[str, str]:
    """(BasisschemaXsdVersie, BerichtXsdVersie) from the XSD's appinfo."""
    folder = "ijw" if name.startswith("JW") else "iwmo"
    root = etree.parse(str(REFERENCE / folder / "xsd" / f"{name}.xsd")).getroot()
    return (next(e.text for e in root.iter("{*}BasisschemaXsdVersie")),
            next(e.text for e in root.iter("{*}BerichtXsdVersie")))


def _xml_files(out: Path) -> list[Path]:
    return sorted((out / "istandaard").rglob("*.xml"))


def test_every_message_validates_against_the_real_xsd(demo):
    out, _ = demo
    errors, seen = [], collections.Counter()
    for path in _xml_files(out):
        name = kind(path)
        seen[name] += 1
        data = path.read_bytes()
        doc = etree.fromstring(data)
        xsd = schema(name)
        if not xsd.validate(doc):
            errors.append(f"{path.name}: {xsd.error_log.last_error}")
    assert not errors, errors[:5]
    assert sorted(seen) == sorted(KINDS)
    assert all(seen[k] > 0 for k in KINDS)


def test_wmo325_check_is_not_vacuous(demo):
    """A WMO325 with an element out of order, or with a Jeugd productcategorie, fails the check."""
    out, _ = demo
    path = next(p for p in _xml_files(out) if p.parent.parent.name == "WMO325")
    broken = path.read_bytes().replace(b"<BerichtVersie>3</BerichtVersie>\n<BerichtSubversie>2</BerichtSubversie>",
                                       b"<BerichtSubversie>2</BerichtSubversie>\n<BerichtVersie>3</BerichtVersie>")
    assert schema("WMO325").validate(etree.fromstring(path.read_bytes()))
    assert not schema("WMO325").validate(etree.fromstring(broken))
    d_path = next(p for p in _xml_files(out) if p.parent.parent.name == "WMO325" and b"<ProductCategorie>" in p.read_bytes())
    jeugd = re.sub(rb"<ProductCategorie>\d\d<", b"<ProductCategorie>45<", d_path.read_bytes())
    assert not schema("WMO325").validate(etree.fromstring(jeugd))


def test_header_versions_match_the_xsd_appinfo(demo):
    out, _ = demo
    for name in KINDS:
        path = next(p for p in _xml_files(out) if p.parent.parent.name == name)
        root = etree.parse(str(path)).getroot()
        head = next(c for c in root if local(c) == "Header")
        got = (text(head, "XsdVersie/BasisschemaXsdVersie"), text(head, "XsdVersie/BerichtXsdVersie"))
        expected = appinfo("WMO323") if name == "WMO325" else appinfo(name)
        assert got == expected, name


def test_identifiers_bsn_agb_and_gemeente_codes(demo):
    out, _ = demo
    ids, bsns = collections.Counter(), set()
    for path in _xml_files(out):
        if "(1)" in path.name:
            continue
        root = etree.parse(str(path)).getroot()
        ids[next(root.iter("{*}Identificatie")).text] += 1
        bsns.update(e.text for e in root.iter("{*}Bsn"))
    assert max(ids.values()) == 1 and all(len(i) <= 12 for i in ids)
    assert bsns and all(is_valid_bsn(b) for b in bsns)


def test_amount_is_volume_times_tariff(decls):
    d323, _, _ = decls
    lines = [ln for m in d323.values() for ln in m["lines"]]
    assert lines
    for ln in lines:
        if ln["eenheid"] == "83":
            assert ln["tarief"] is None
        else:
            assert ln["bedrag"] == ln["volume"] * ln["tarief"], ln
    for m in d323.values():
        signed = sum(ln["bedrag"] * (1 if ln["dc"] == "D" else -1) for ln in m["lines"])
        root = m["root"]
        total = int(text(root, "Declaratie/TotaalIngediendBedrag/TotaalBedrag"))
        dc = text(root, "Declaratie/TotaalIngediendBedrag/DebetCredit")
        assert (total if dc == "D" else -total) == signed


def test_each_325_answers_an_existing_323_with_only_its_rejected_lines(decls):
    d323, d325, _ = decls
    assert d325 and len(d325) < len(d323)  # the last months are pending
    for decl_id, ans in d325.items():
        orig = d323[decl_id]
        assert ans["nummer"] == orig["nummer"]
        assert ans["ontvanger"] == orig["afzender"]
        by_ref = {ln["ref"]: ln for ln in orig["lines"]}
        for ln in ans["lines"]:
            assert ln["retour"], ln
            assert {k: ln[k] for k in ("bsn", "code", "begin", "volume", "bedrag", "dc")} == {
                k: by_ref[ln["ref"]][k] for k in ("bsn", "code", "begin", "volume", "bedrag", "dc")}
        root = ans["root"]
        ingediend = int(text(root, "DeclaratieAntwoord/TotaalIngediendBedrag/TotaalBedrag"))
        toegekend = int(text(root, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag"))
        sign = lambda path: 1 if text(root, path) == "D" else -1  # noqa: E731
        rejected = sum(ln["bedrag"] * (1 if ln["dc"] == "D" else -1) for ln in ans["lines"])
        assert (sign("DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit") * toegekend
                == sign("DeclaratieAntwoord/TotaalIngediendBedrag/DebetCredit") * ingediend - rejected)
        has_clients = any(local(c) == "Clienten" for c in next(root.iter("{*}DeclaratieAntwoord")))
        assert has_clients == bool(ans["lines"])
    assert any(a["lines"] for a in d325.values()) and any(not a["lines"] for a in d325.values())


def test_pending_declarations_are_those_sent_in_the_last_two_months(decls):
    # declarations go out the month after the month they are sent for: those sent for 2025-11 and
    # 2025-12 (in 2025-12 and 2026-01) have no answer yet, every earlier one has
    d323, d325, _ = decls
    sent = {m["id"]: text(m["root"], "Declaratie/DeclaratieDagtekening")[:7] for m in d323.values()}
    pending = {s for i, s in sent.items() if i not in d325}
    assert pending == {"2025-12", "2026-01"}
    assert all(i not in d325 for i, s in sent.items() if s in pending)


def test_every_product_period_lies_in_its_declaration_period(decls):
    # TR319: a late line or a credit goes out in a declaratie for the month it is about
    d323, _, _ = decls
    for m in d323.values():
        begin = text(m["root"], "Declaratie/DeclaratiePeriode/Begindatum")
        eind = text(m["root"], "Declaratie/DeclaratiePeriode/Einddatum")
        for p in m["root"].iter("{*}ProductPeriode"):
            assert begin <= p[0].text <= p[1].text <= eind


def test_credits_cancel_an_earlier_debit_of_the_same_aanbieder(decls):
    d323, _, _ = decls
    seen: dict[tuple[str, str], tuple[str, dict]] = {}  # (agb, ref) -> (dagtekening, line)
    credits = 0
    for m in sorted(d323.values(), key=lambda m: (m["dag"], m["id"])):
        for ln in m["lines"]:
            if ln["dc"] == "C":
                credits += 1
                dag, debit = seen[(m["afzender"], ln["vorig"])]
                assert dag < m["dag"] and debit["dc"] == "D"
                same = ("bsn", "toewijzing", "code", "begin", "eind", "volume", "bedrag")
                assert {k: ln[k] for k in same} == {k: debit[k] for k in same}
        for ln in m["lines"]:
            assert (m["afzender"], ln["ref"]) not in seen, "ReferentieNummer reused"
            seen[(m["afzender"], ln["ref"])] = (m["dag"], ln)
    assert credits > 0


def test_duplicate_file_is_byte_identical(demo, decls):
    out, summary = demo
    _, _, dupes = decls
    assert len(dupes) == 1
    copy, original = (out / p for p in summary.duplicate)
    assert dupes[0] in (copy, original) and copy.read_bytes() == original.read_bytes() and copy.name != original.name


def test_merger_dijk_en_waard(demo):
    out, _ = demo
    merger = dt.date(2022, 1, 1).isoformat()
    gemeenten = collections.defaultdict(set)
    for path in _xml_files(out):
        root = etree.parse(str(path)).getroot()
        head = next(c for c in root if local(c) == "Header")
        dag = text(head, "BerichtIdentificatie/Dagtekening")
        for role in ("Afzender", "Ontvanger"):
            code = text(head, role)
            if len(code) == 4:
                gemeenten[code].add(dag >= merger)
    assert gemeenten["0398"] == {False} and gemeenten["0416"] == {False}
    assert gemeenten["1980"] == {True}
    assert not {"0398", "0416", "1980"} & {c for c in gemeenten if c.startswith("09") or c.startswith("1")} - {"1980"}


def test_stop_reasons_use_each_standards_codes(demo):
    out, _ = demo
    reasons = collections.defaultdict(collections.Counter)
    for path in _xml_files(out):
        if path.parent.parent.name.endswith("307"):
            root = etree.parse(str(path)).getroot()
            reasons[path.parent.parent.name][next(root.iter("{*}RedenBeeindiging")).text] += 1
    assert reasons["JW307"]["31"] > sum(reasons["JW307"][c] for c in ("32", "33", "34", "35")) > 0
    assert reasons["WMO307"]["19"] > 0 and "38" in reasons["JW307"] | reasons["WMO307"]


@pytest.mark.parametrize("bad", [0, -1, 0.0001, float("nan")])
def test_generate_rejects_a_scale_below_the_smallest(tmp_path, bad):
    from analysis.demo import generate
    with pytest.raises(ValueError, match="scale must be at least 0.0002"):
        generate(tmp_path, scale=bad)
    assert not any(tmp_path.iterdir())  # refused before anything is written


def test_the_demo_command_names_a_scale_too_small(tmp_path, caplog):
    from analysis import cli

    assert cli.main(["demo", "--out", str(tmp_path / "raw"), "--landelijk", "--scale", "0.0001"]) == 2
    assert "scale must be at least 0.0002, got 0.0001" in caplog.text and not (tmp_path / "raw").exists()
