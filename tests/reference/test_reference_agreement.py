"""The product's tables agree with the official files in ../shared/reference (skipped if absent)."""

import json
import re
from pathlib import Path

import pandas as pd
from lxml import etree

from analysis.reference import (
    eenheden,
    gemeenten,
    herindelingen,
    productcategorieen,
    redenen_beeindiging,
    retourcodes,
    taakvelden_in_jaar,
)

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def _enumeration(xsd: Path, simple_type: str) -> set[str]:
    tree = etree.parse(str(xsd))
    values = tree.xpath(f"//xs:simpleType[@name='{simple_type}']//xs:enumeration/@value", namespaces=XS)
    assert values, f"{simple_type} not found in {xsd}"
    return set(values)


def _official(shared: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(shared / "gemeenten" / name, dtype=str, keep_default_na=False)


def test_every_current_gemeente_agrees(shared_reference):
    official = _official(shared_reference, "gemeenten_2026_jeugdzorgregio.csv")
    ours = gemeenten()
    columns = ["gm_code", "gemeentenaam", "provincienaam", "jeugdzorgregio"]
    expected = set(official[columns].itertuples(index=False, name=None))
    assert set(ours.itertuples(index=False, name=None)) == expected


def test_every_merger_is_present(shared_reference):
    official = _official(shared_reference, "gemeentelijke_herindelingen_2015_2026.csv")
    merged = herindelingen()
    ours = set(zip(merged["oude_code"], merged["nieuwe_code"], merged["datum"].astype(str)))
    for row in official.itertuples():
        targets = [row.nieuwe_gm_code] if row.nieuwe_gm_code else re.findall(r"GM\d{4}", row.nieuwe_naam)
        targets += re.findall(r"GM\d{4}", row.opmerking)  # parts of a split named in the remark
        assert targets, row
        for target in targets:
            assert (row.oude_gm_code, target, row.datum_ingang_nieuw) in ours, row


def test_every_retourcode_of_the_xsd(shared_reference):
    for standaard in ("ijw", "iwmo"):
        enumerated = _enumeration(shared_reference / standaard / "xsd" / "basisschema.xsd", "LDT_RetourCode")
        assert enumerated == set(retourcodes()["retourcode"]), standaard


def test_every_productcategorie_of_the_xsd(shared_reference):
    ours = productcategorieen()
    for standaard in ("iJw", "iWmo"):
        xsd = shared_reference / standaard.lower() / "xsd" / "basisschema.xsd"
        enumerated = _enumeration(xsd, "LDT_ProductCategorie")
        assert enumerated == set(ours.loc[ours["standaard"] == standaard, "productcategorie"]), standaard


def test_every_reden_beeindiging_and_eenheid_of_the_xsd(shared_reference):
    ours = redenen_beeindiging()
    for standaard in ("iJw", "iWmo"):
        xsd = shared_reference / standaard.lower() / "xsd" / "basisschema.xsd"
        redenen = set(ours.loc[ours["standaard"] == standaard, "reden"])
        assert _enumeration(xsd, "LDT_RedenBeeindiging") == redenen
        assert _enumeration(xsd, "LDT_Eenheid") == set(eenheden()["eenheid"])


def _taakvelden_of_year(shared: Path, jaar: int) -> dict[str, str]:
    source = shared / "iv3" / "definities" / f"iv3_definities_Gemeente_{jaar}.json"
    definitions = json.loads(source.read_text())
    found: dict[str, str] = {}

    def walk(entries):
        for entry in entries:
            found[entry["code"]] = entry["omschrijving"].strip()
            walk(entry.get("subcodes") or [])

    walk(definitions["codelijsten"]["taakveld"]["codelijst"])
    return {code: text for code, text in found.items() if code.startswith("6.") and code != "6."}


def test_taakvelden_agree_with_iv3_definitions_every_year(shared_reference):
    for jaar in range(2017, 2027):
        ours = taakvelden_in_jaar(jaar)
        assert dict(zip(ours["taakveld"], ours["omschrijving"])) == _taakvelden_of_year(shared_reference, jaar), jaar
