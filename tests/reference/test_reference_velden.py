"""The XML reader's field facts (analysis.readers.velden) against the published iJw and iWmo XSDs."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from analysis.readers.velden import VELDEN, problems

XS = "{http://www.w3.org/2001/XMLSchema}"


def _facets(xsd: etree._ElementTree, name: str) -> dict[str, str]:
    """{facet: value} of the simple type ``name`` in ``xsd`` (enumerations left out)."""
    found = xsd.getroot().find(f"{XS}simpleType[@name='{name}']")
    assert found is not None, f"{name} not in the XSD"
    restriction = found.find(f"{XS}restriction")
    return {child.tag.removeprefix(XS): child.get("value") for child in restriction
            if child.tag != f"{XS}enumeration" and child.get("value") is not None}


@pytest.mark.parametrize("standaard", ["ijw", "iwmo"])
def test_every_veld_has_the_facets_of_its_type_in_basisschema(shared_reference, standaard):
    xsd = etree.parse(str(shared_reference / standaard / "xsd" / "basisschema.xsd"))
    for name, veld in VELDEN.items():
        facets = _facets(xsd, veld.xsd_type)
        assert veld.max_length == (int(facets["maxLength"]) if "maxLength" in facets else None), name
        assert veld.pattern == facets.get("pattern"), name
        assert veld.max_value == (int(facets["maxInclusive"]) if "maxInclusive" in facets else None), name


@pytest.mark.parametrize("bericht", ["ijw/xsd/JW323.xsd", "iwmo/xsd/WMO323.xsd", "ijw/xsd/JW301.xsd"])
def test_every_element_of_a_message_has_the_type_velden_names(shared_reference, bericht):
    """Each element of VELDEN that a message declares has there the type VELDEN gives it."""
    text = (shared_reference / bericht).read_text(encoding="utf-8")
    declared = dict(re.findall(r'<xs:element name="(\w+)" type="\w+:(LDT_\w+)"', text))
    checked = 0
    for name, veld in VELDEN.items():
        element = name.rpartition("/")[2]
        if element in declared and element not in ("Identificatie", "Code", "Categorie", "Volume", "Eenheid"):
            assert declared[element] == veld.xsd_type, name
            checked += 1
    assert checked >= 3  # 323: 9 of them; 301: ToewijzingNummer, RedenWijziging, Budget


def test_problems_name_the_field_its_length_and_its_type():
    assert problems({"ProductCode": "X" * 9_437_184}) == [
        "ProductCode is 9437184 characters long, more than the 5 of LDT_ProductCode"]
    assert problems({"GeleverdVolume": "100000000"}) == [
        "GeleverdVolume 100000000 is more than the 99999999 of LDT_Volume"]
    assert problems({"RetourCodes/RetourCode": "0200,80017"}) == [
        "RetourCodes/RetourCode is 5 characters long, more than the 4 of LDT_RetourCode"]
    assert problems({"ProductCode": "45A03", "RetourCodes/RetourCode": "0200,8001", "Onbekend": "x" * 99}) == []
