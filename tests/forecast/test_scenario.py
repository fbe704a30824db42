"""Scenario: the price index from OVA and PPC, the factors it puts on expenditure and income, its text."""

import pytest

from analysis.forecast import Scenario


def test_prijsindex_is_the_weighted_mix():
    # 0.9 x 5% + 0.1 x 2% = 4.5% + 0.2% = 4.7%
    assert Scenario(ova=0.05, ppc=0.02).prijsindex == pytest.approx(0.047)
    # defaults, VNG 2025: 0.9 x 4.18% + 0.1 x 1.82% = 3.762% + 0.182% = 3.944%
    assert Scenario().prijsindex == pytest.approx(0.03944)
    # weights 50/50: (5% + 2%) / 2 = 3.5%
    assert Scenario(ova=0.05, ppc=0.02, gewicht_ova=0.5, gewicht_ppc=0.5).prijsindex == pytest.approx(0.035)


def test_expenditure_factor_moves_by_the_difference_from_the_trend():
    # defaults: index 3.944% = index in the trend, no extra demand -> factor 1 at any horizon
    assert Scenario().uitgaven_factor([1, 12, 36]).tolist() == pytest.approx([1.0, 1.0, 1.0])
    # demand +21% a year: 6 months -> 1.21 ** 0.5 = 1.1; 24 months -> 1.21 ** 2 = 1.4641
    assert Scenario(vraaggroei=0.21).uitgaven_factor([6, 24]).tolist() == pytest.approx([1.1, 1.4641])
    # index 4.7% against 3.944% in the trend: 12 months -> 1.047 / 1.03944 = 1.007273
    assert Scenario(ova=0.05, ppc=0.02).uitgaven_factor([12])[0] == pytest.approx(1.047 / 1.03944)
    # income -10% a year: 2 years -> 0.9 ** 2 = 0.81
    assert Scenario(inkomsten_groei=-0.10).inkomsten_factor(2) == pytest.approx(0.81)


def test_describe_states_every_assumption_in_dutch():
    text = " ".join(Scenario(vraaggroei=0.02, inkomsten_groei=-0.01).describe())
    assert "Prijsindex 3,94% per jaar" in text and "OVA (4,18%)" in text and "PPC (1,82%)" in text
    assert "Volumegroei bovenop de trend: 2,00%" in text and "-1,00% per jaar" in text


@pytest.mark.parametrize(("kwargs", "name"), [({"ova": 4.0}, "ova"), ({"vraaggroei": -0.6}, "vraaggroei"),
                                              ({"gewicht_ova": 0.8}, "gewicht_ova")])
def test_scenario_rejects_implausible_values(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Scenario(**kwargs)
