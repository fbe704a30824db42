"""Determinism, the summary against an independent recount, and the non-XML files."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from analysis.demo import generate
from demo.conftest import REFERENCE

TINY = 0.002


def _tree(out: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``out``."""
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = (generate(tmp_path / n, scale=TINY, seed=s) for n, s in (("a", 7), ("b", 7), ("c", 8)))
    tree_a, tree_b, tree_c = (_tree(tmp_path / n) for n in "abc")
    assert tree_a == tree_b and len(tree_a) > 100
    assert any(k.endswith(".xlsx") for k in tree_a)
    assert tree_a != tree_c
    assert str(a).replace(str(tmp_path / "a"), "") == str(b).replace(str(tmp_path / "b"), "")
    assert a.approved_cents != c.approved_cents


def test_summary_equals_an_independent_recount(demo, decls):
    out, summary = demo
    d323, d325, _ = decls
    files = collections.Counter(p.parent.parent.name for p in (out / "istandaard").rglob("*.xml"))
    assert {k: v for k, v in summary.files.items() if k in files} == dict(files)
    assert summary.declaration_lines == sum(len(m["lines"]) for m in d323.values())
    cents = collections.defaultdict(int)
    clients = collections.defaultdict(set)
    names = {"noord-kennemerland": "Noord-Kennemerland", "noord-limburg": "Noord Limburg"}
    for ident, m in d323.items():
        if ident not in d325:
            continue
        rejected = {ln["ref"] for ln in d325[ident]["lines"]}
        for ln in m["lines"]:
            if ln["ref"] in rejected:
                continue
            key = (names[m["region"]], int(ln["begin"][:4]))
            cents[key] += ln["bedrag"] if ln["dc"] == "D" else -ln["bedrag"]
            if ln["dc"] == "D":
                clients[key].add(ln["bsn"])
    flat = {(r, y): c for r, ys in summary.approved_cents.items() for y, c in ys.items()}
    assert flat == dict(cents)
    assert {(r, y): n for r, ys in summary.clients.items() for y, n in ys.items()} == {
        k: len(v) for k, v in clients.items()}
    assert summary.rejected_lines == sum(len(a["lines"]) for a in d325.values())
    assert "approved EUR" in str(summary)


def test_iv3_documents_follow_the_cbs_schema_and_year_taakvelden(demo):
    out, _ = demo
    schema = json.loads((REFERENCE / "iv3" / "definities" / "iv3_data_schema_v2_1_1.json").read_text())
    valid, grey = {}, {}
    for path in sorted((out / "iv3").rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(doc, schema)
        year = doc["metadata"]["boekjaar"]
        if year not in valid:
            valid[year], grey[year] = _definitions(year)
        for row in doc["data"]["lasten"]:
            assert row["taakveld"] in valid[year], (path.name, row)
            assert (row["taakveld"], row["categorie"]) not in grey[year], (path.name, row)
    names = {p.name for p in (out / "iv3").rglob("*.json")}
    assert "iv3_GM0398_2021_realisatie.json" in names and "iv3_GM0398_2022_begroting.json" not in names
    assert "iv3_GM1980_2022_realisatie.json" in names


def _definitions(year: int) -> tuple[set[str], set[tuple[str, str]]]:
    """Taakveld codes and grey (taakveld, categorie) cells of the CBS definition file of ``year``."""
    d = json.loads((REFERENCE / "iv3" / "definities" / f"iv3_definities_Gemeente_{year}.json").read_text())
    codes, stack = set(), list(d["codelijsten"]["taakveld"]["codelijst"])
    while stack:
        node = stack.pop()
        codes.add(node["code"])
        stack.extend(node.get("subcodes") or [])
    grey = {(c["taakveld"], c["categorie"]) for c in d["grijze_cellen"]["lasten"]}
    return codes, grey


def test_realisatie_follows_declared_spend_and_begroting_lags(demo):
    out, _ = demo
    total = collections.defaultdict(float)
    for path in (out / "iv3").rglob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        meta = doc["metadata"]
        total[(meta["status"], meta["boekjaar"])] += sum(r["bedrag"] for r in doc["data"]["lasten"])
    for year in range(2019, 2025):
        assert total[("Begroting", year)] < total[("Realisatie", year)]


def test_contract_workbook_and_csvs(demo):
    out, _ = demo
    wb = openpyxl.load_workbook(out / "contracten" / "noord-kennemerland" / "contracten.xlsx")
    assert wb.sheetnames == ["contracten", "tarieven", "kpi"]
    rows = list(wb["contracten"].iter_rows(values_only=True))
    assert rows[0][:3] == ("contract_id", "regio", "aanbieder_agb")
    assert all(len(r[2]) == 8 for r in rows[1:])
    assert any("&" in r[3] for r in rows[1:])
    ends = [r[7] for r in rows[1:] if r[7] is not None]
    assert any(dt.datetime(2026, 1, 1) <= e <= dt.datetime(2026, 12, 31) for e in ends)
    nl = (out / "contracten" / "noord-limburg" / "contracten.csv").read_text(encoding="utf-8")
    assert "Zorggroep Céleste" in nl and nl.startswith("contract_id,regio,aanbieder_agb")


def test_noord_limburg_satisfaction_is_windows_1252_with_decimal_commas(demo):
    out, _ = demo
    raw = (out / "tevredenheid" / "noord-limburg" / "clientervaring.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252")), delimiter=";"))
    assert rows[0] == ["aanbieder_agb", "aanbieder_naam", "jaar", "domein", "score", "respondenten"]
    assert any("é" in r[1] for r in rows[1:]) and all("," in r[4] for r in rows[1:])


def test_income_grows_slower_than_spend(demo):
    out, summary = demo
    rows = list(csv.DictReader((out / "inkomsten" / "noord-kennemerland" / "rijksmiddelen.csv").open(encoding="utf-8")))
    income = collections.defaultdict(float)
    for r in rows:
        income[int(r["jaar"])] += float(r["bedrag_eur"])
        if r["gemeente_code"] == "GM0361" and r["domein"] == "Jeugd" and r["jaar"] == "2024":
            base = next(float(x["bedrag_eur"]) for x in rows if x["gemeente_code"] == "GM0361"
                        and x["domein"] == "Jeugd" and x["jaar"] == "2019")
            assert float(r["bedrag_eur"]) / base == pytest.approx(1.03 ** 5, rel=1e-4)
    spend = summary.approved_cents["Noord-Kennemerland"]
    assert spend[2024] / spend[2019] > income[2024] / income[2019]


def test_inhabitants_cbs_style(demo):
    out, _ = demo
    rows = list(csv.DictReader((out / "inwoners" / "noord-kennemerland" / "bevolking_1_januari.csv").open(encoding="utf-8"),
                               delimiter=";"))
    by = {(r["RegioS"], r["Perioden"], r["Leeftijd"]): int(float(r["BevolkingOp1Januari_1"])) for r in rows}
    alkmaar = by[("GM0361", "2024JJ00", "0 tot 18 jaar")] + by[("GM0361", "2024JJ00", "18 jaar of ouder")]
    assert 100_000 < alkmaar < 120_000
    assert ("GM0398", "2022JJ00", "0 tot 18 jaar") not in by and ("GM1980", "2022JJ00", "0 tot 18 jaar") in by


def test_every_product_has_a_taakveld_of_its_domain_in_every_year():
    from analysis.demo import config, tables
    from analysis.reference.taakvelden import taakveld_domein, taakvelden_in_jaar

    for year in range(2019, 2027):
        reportable = set(taakvelden_in_jaar(year).query("rapporteerbaar")["taakveld"])
        for p in config.PRODUCTS:
            tv = tables.taakveld(p.code, p.categorie, p.domein, year)
            assert taakveld_domein(tv, year) == p.domein and tv in reportable, (p.code, year, tv)
        for domein in config.DOMAINS:
            assert tables.toegang(domein, year) in reportable
