"""The Iv3 crosswalk: the same care domein before and after the 2023 and 2025 redesigns."""

import pytest

from analysis.reference import DOMEINEN, taakveld_domein, taakvelden_in_jaar, taakvelden_sociaal_domein


@pytest.mark.parametrize(
    ("taakveld", "jaar", "expected"),
    [
        ("6.72", 2019, "Jeugd"),
        ("6.72a", 2023, "Jeugd"),
        ("6.751", 2025, "Jeugd"),
        ("6.82", 2019, "Jeugd"),
        ("6.821", 2025, "Jeugd"),
        ("6.71", 2019, "Wmo"),
        ("6.711", 2025, "Wmo"),
        ("6.6", 2019, "Wmo"),
        ("6.60", 2025, "Wmo"),
        ("6.81", 2019, "Beschermd Wonen"),
        ("6.81b", 2024, "Beschermd Wonen"),
        ("6.812", 2025, "Beschermd Wonen"),
        ("6.3", 2019, None),
        ("6.2", 2019, None),
        ("6.22", 2025, None),
        ("6.3", 2030, None),  # open-ended: newest definitions assumed to continue
    ],
)
def test_taakveld_domein(taakveld, jaar, expected):
    assert taakveld_domein(taakveld, jaar) == expected


@pytest.mark.parametrize(
    ("taakveld", "jaar"), [("6.711", 2019), ("6.71", 2025), ("6.71a", 2022), ("6.3", 2016), ("7.1", 2019)]
)
def test_taakveld_domein_unknown_in_that_year(taakveld, jaar):
    with pytest.raises(KeyError, match="does not exist"):
        taakveld_domein(taakveld, jaar)


def test_periods_and_totals():
    frame = taakvelden_sociaal_domein()
    assert list(frame.columns) == [
        "taakveld", "omschrijving", "geldig_van", "geldig_tot", "domein", "rapporteerbaar", "toelichting",
    ]
    periods = frame[frame["taakveld"] == "6.71"][["geldig_van", "geldig_tot", "rapporteerbaar"]]
    assert periods.values.tolist() == [[2017, 2022, True], [2023, 2024, False]]
    totals = set(frame.loc[~frame["rapporteerbaar"], "taakveld"])
    assert totals == {"6.71", "6.72", "6.81", "6.82"}
    assert set(frame["domein"].dropna()) == set(DOMEINEN)


def test_taakvelden_in_jaar():
    counts = {jaar: len(taakvelden_in_jaar(jaar)) for jaar in (2016, 2019, 2023, 2025, 2031)}
    assert counts == {2016: 0, 2019: 10, 2023: 28, 2025: 26, 2031: 26}
    for jaar in range(2017, 2027):
        assert taakvelden_in_jaar(jaar)["taakveld"].is_unique, jaar


def test_taakvelden_frame_is_a_copy():
    mine = taakvelden_sociaal_domein()
    mine.loc[:, "domein"] = "Wlz"
    assert "Wlz" not in set(taakvelden_sociaal_domein()["domein"].dropna())
    assert taakveld_domein("6.72", 2019) == "Jeugd"
