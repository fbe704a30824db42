"""iStandaard code lists: domein per productcategorie, uitkomst per reden beëindiging."""

import pytest

from analysis.reference import domein, eenheden, productcategorieen, redenen_beeindiging, retourcodes


def test_productcategorieen_domeinen():
    frame = productcategorieen()
    assert list(frame.columns) == ["standaard", "productcategorie", "omschrijving", "domein"]
    counts = frame.groupby(["standaard", "domein"]).size().to_dict()
    assert counts == {("iJw", "Jeugd"): 24, ("iWmo", "Wmo"): 14, ("iWmo", "Beschermd Wonen"): 4}
    assert frame["productcategorie"].str.fullmatch(r"\d{2}").all()


def test_domein_of_one_line():
    assert domein("iWmo", "15") == "Beschermd Wonen"
    assert domein("iWmo", "18") == "Beschermd Wonen"
    assert domein("iWmo", "02") == "Wmo"
    assert domein("iWmo", "14") == "Wmo"
    assert domein("iJw", "45") == "Jeugd"
    assert domein("IWMO", "2") == "Wmo"  # leading zero dropped by an export, case of the standaard


def test_domein_failures():
    with pytest.raises(KeyError, match="'19' does not exist in iWmo"):
        domein("iWmo", "19")
    with pytest.raises(KeyError):
        domein("iJw", "02")  # an iWmo category is not an iJw category
    with pytest.raises(ValueError, match="unknown standaard"):
        domein("Wlz", "15")


def test_retourcodes_are_four_characters():
    frame = retourcodes()
    assert len(frame) == 59
    assert frame["retourcode"].str.len().eq(4).all()
    lookup = frame.set_index("retourcode")["omschrijving"]
    assert lookup["0200"].startswith("Geen opmerking")
    assert "tarief" in lookup["0611"]
    assert "0001" in lookup.index and "1" not in lookup.index


def test_redenen_beeindiging_uitkomst():
    frame = redenen_beeindiging().set_index(["standaard", "reden"])["uitkomst"]
    assert frame[("iJw", "31")] == "volgens_plan"
    assert frame[("iJw", "34")] == "voortijdig"
    assert frame[("iJw", "02")] == "overig"
    assert frame[("iWmo", "19")] == "volgens_plan"
    assert frame[("iWmo", "31")] == "voortijdig"  # iWmo 31 is verhuizing, not "volgens plan"
    assert frame.xs("iJw").value_counts().to_dict() == {"overig": 6, "voortijdig": 4, "volgens_plan": 1}
    assert frame.xs("iWmo").value_counts().to_dict() == {"overig": 6, "voortijdig": 4, "volgens_plan": 1}


def test_eenheden():
    frame = eenheden().set_index("eenheid")["omschrijving"]
    assert list(frame.index) == ["01", "04", "14", "16", "82", "83", "84"]
    assert frame["14"] == "Etmaal"


def test_code_frames_are_copies():
    mine = productcategorieen()
    mine.loc[:, "domein"] = "Wlz"
    codes = retourcodes()
    codes.loc[:, "omschrijving"] = ""
    assert set(productcategorieen()["domein"]) == {"Jeugd", "Wmo", "Beschermd Wonen"}
    assert retourcodes()["omschrijving"].str.len().gt(0).all()
