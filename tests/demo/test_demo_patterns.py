"""The demo holds the patterns the quality measures look for: a slow starter, clients who come back,
a late declarer and a gemeente that answers late (in every region; named in the seed regions' notes)."""

from __future__ import annotations

import duckdb
import pytest

from analysis import datakwaliteit
from analysis.demo import config, laat_antwoordend, market
from analysis.suppliers.herhaald_beroep import herhaald_beroep
from analysis.suppliers.wachttijd import wachttijd


@pytest.fixture(scope="module")
def con(demo_warehouse):
    with duckdb.connect(str(demo_warehouse), read_only=True) as connection:
        yield connection


def test_the_slow_starter_waits_weeks_longer_than_the_others(con):
    frame = wachttijd(con, regio="Noord-Kennemerland", jaar=2024, by=("aanbieder_agb",)).set_index("aanbieder_naam")
    slow = frame[frame["mediaan_dagen"] >= 35]
    assert len(slow) == 1 and slow["aandeel_binnen_norm_pct"].iloc[0] < 50  # 5 to 13 weeks: mostly over 42 days
    assert (frame.drop(index=slow.index)["mediaan_dagen"] < 22).all()  # the others: 0 to 21 days


def test_clients_come_back_after_ending_voortijdig_only(con):
    frame = herhaald_beroep(con, regio="Noord-Kennemerland", jaar=2023, by=("uitkomst",)).set_index("uitkomst")
    assert frame.loc["voortijdig", "terug"] > 0 and frame.loc["volgens_plan", "terug"] == 0
    assert frame.loc["voortijdig", "terug_andere_aanbieder"] == 0  # they come back to the same aanbieder


def test_one_gemeente_answers_late_and_one_aanbieder_declares_late(con):
    answers = datakwaliteit.antwoordtermijn(con, regio="Noord-Kennemerland", jaar=2024)
    median = answers.groupby("gemeente_code_huidig")["mediaan_werkdagen"].median()
    late = f"GM{laat_antwoordend(config.NOORD_KENNEMERLAND)}"  # Bergen (NH.): the first after the centrumgemeente
    assert median.idxmax() == late and median[late] > median.drop(late).max() + 20  # 40 calendar days more
    lag = datakwaliteit.declaratievertraging(con, regio="Noord-Kennemerland", jaar=2024, by=("aanbieder_agb",))
    per = lag.groupby("aanbieder_naam")["mediaan_dagen"].median()
    assert (per > 35).sum() == 1 and (per.drop(per.idxmax()) < 20).all()
    assert market.LAAT_DECLAREREND != market.TRAAG_STARTEND
