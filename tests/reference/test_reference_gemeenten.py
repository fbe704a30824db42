"""Gemeenten, mergers and code normalisation: figures checked by hand against the CBS lists."""

import datetime as dt

import pytest

from analysis.reference import (
    GemeenteGesplitstError,
    cbs_code,
    gemeente_codes_bekend,
    gemeenten,
    herindelingen,
    huidige_code,
    opvolgers,
    rebase_tabel,
)


def test_gemeenten_has_342_unique_codes():
    frame = gemeenten()
    assert list(frame.columns) == ["gemeente_code", "gemeentenaam", "provincie", "jeugdzorgregio"]
    assert len(frame) == 342
    assert frame["gemeente_code"].is_unique
    assert frame["gemeente_code"].str.fullmatch(r"GM\d{4}").all()


def test_bergen_nh_and_bergen_l_are_distinct():
    frame = gemeenten().set_index("gemeente_code")
    assert frame.loc["GM0373", "provincie"] == "Noord-Holland"
    assert frame.loc["GM0893", "provincie"] == "Limburg"
    assert frame.loc["GM0373", "jeugdzorgregio"] == "Noord-Kennemerland"
    assert frame.loc["GM0893", "jeugdzorgregio"] == "Noord Limburg"


def test_returned_frames_are_copies():
    mine = gemeenten()
    mine.loc[0, "gemeentenaam"] = "overwritten"
    merged = herindelingen()
    merged.loc[:, "nieuwe_code"] = "GM0000"
    table = rebase_tabel()
    table.loc[:, "gemeente_code_huidig"] = "GM0000"
    assert "overwritten" not in set(gemeenten()["gemeentenaam"])
    assert "GM0000" not in set(herindelingen()["nieuwe_code"])
    assert huidige_code("GM0398") == "GM1980"
    assert "GM0000" not in set(rebase_tabel()["gemeente_code_huidig"])


def test_dijk_en_waard_merger():
    assert huidige_code("GM0398") == "GM1980"
    assert huidige_code("0416") == "GM1980"
    rows = herindelingen().query("nieuwe_code == 'GM1980'")
    assert set(rows["oude_code"]) == {"GM0398", "GM0416"}
    assert set(rows["datum"]) == {dt.date(2022, 1, 1)}


def test_chain_millingen_groesbeek_berg_en_dal():
    # 2015 Millingen aan de Rijn -> Groesbeek (GM0241), 2016 Groesbeek -> Berg en Dal (GM1945)
    assert huidige_code("GM0265") == "GM1945"
    assert huidige_code("GM0282") == "GM1945"
    assert huidige_code("GM0241") == "GM1945"


def test_current_code_maps_to_itself():
    assert huidige_code("361") == "GM0361"


def test_split_with_main_successor_follows_the_main_one():
    assert huidige_code("GM0140") == "GM1900"  # Littenseradiel -> Súdwest-Fryslân
    assert opvolgers("GM0140") == ("GM0080", "GM1900", "GM1949")
    assert huidige_code("GM0053") == "GM1966"  # Winsum -> Het Hogeland
    assert opvolgers("GM0053") == ("GM1966", "GM1969")


def test_split_without_main_successor_raises_and_lists_the_parts():
    with pytest.raises(GemeenteGesplitstError, match="GM0757, GM0824, GM0855, GM0865"):
        huidige_code("GM0788")  # Haaren 2021
    assert opvolgers("0788") == ("GM0757", "GM0824", "GM0855", "GM0865")


def test_huidige_code_unknown_raises_keyerror():
    with pytest.raises(KeyError, match="GM9999 is neither"):
        huidige_code("9999")
    with pytest.raises(ValueError):
        huidige_code("Alkmaar")


def test_opvolgers_of_current_and_unknown():
    assert opvolgers("GM0080") == ("GM0080",)
    with pytest.raises(KeyError):
        opvolgers("GM9999")


def test_gemeente_codes_bekend():
    known = gemeente_codes_bekend()
    assert isinstance(known, frozenset)
    assert {"GM0361", "GM0398", "GM0788", "GM1980"} <= known
    assert len(known) == 342 + 84  # 84 codes ended 2015-2026
    assert "GM9999" not in known


def test_rebase_tabel_covers_every_known_code():
    table = rebase_tabel().set_index("gemeente_code")["gemeente_code_huidig"]
    assert set(table.index) == gemeente_codes_bekend()
    assert table["GM0398"] == "GM1980"
    assert table["GM0361"] == "GM0361"
    assert table.isna().sum() == 1 and table.isna()["GM0788"]
    assert set(table.dropna()) <= set(gemeenten()["gemeente_code"])


def test_every_chain_ends_in_a_current_gemeente():
    current = set(gemeenten()["gemeente_code"])
    merged = herindelingen()
    assert not set(merged["oude_code"]) & current  # nothing merged away is still current
    for code in set(merged["oude_code"]) - {"GM0788"}:
        assert huidige_code(code) in current


def test_herindelingen_splits_are_explicit():
    merged = herindelingen()
    assert list(merged.columns[:5]) == ["oude_code", "oude_naam", "nieuwe_code", "nieuwe_naam", "datum"]
    main = merged[merged["hoofdopvolger"]]
    assert main["oude_code"].is_unique  # at most one main successor per old code
    assert set(merged.loc[merged["soort"] == "splitsing", "oude_code"]) == {"GM0140", "GM0053", "GM0788"}
    weesp = merged.set_index("oude_code").loc["GM0457"]
    assert (weesp["nieuwe_code"], weesp["datum"]) == ("GM0363", dt.date(2022, 3, 24))


@pytest.mark.parametrize("value", ["361", "0361", "GM0361", " gm0361 ", 361, "Gm0361"])
def test_cbs_code_normalises(value):
    assert cbs_code(value) == "GM0361"


@pytest.mark.parametrize("value", ["", "GM", "GM03610", "12345", "GM 0361", "Alkmaar", "-361", None, 3.61, True])
def test_cbs_code_rejects(value):
    with pytest.raises(ValueError):
        cbs_code(value)
