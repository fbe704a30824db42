"""The aanbieders report's Wachttijd and Herhaald beroep sections on the tiny demo: no figure about fewer than
``min_clienten`` clients in their tables, chart or sentences, and no shown total that gives one away.

The truth comes from the analysis functions (unhidden); the notebook's cells run in this process
(:mod:`notebook_cells`), so the chart's lines are read as numbers. The report runs twice: with the default
threshold (10: in Alkmaar's tiny demo nearly every cell is small) and with 4 (rows shown with some of their
figures hidden), so both the row rule and the rule per figure are exercised.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from matplotlib.figure import Figure
from notebook_cells import Getoond, run_notebook

from analysis import report, suppliers
from analysis.display import is_klein, pct

GEMEENTE = "GM0361"
PERIODE = "2025-12"
NORM = 42  # the notebook's default wachttijd_norm_dagen
FIGUREN = {"Mediaan (dagen)": "clienten_gestart", "90% gestart binnen (dagen)": "clienten_gestart",
           "Gestart binnen norm": "clienten_beoordeeld", "Niet gestart na norm": "clienten_niet_gestart"}
"""The wachttijd table's figures and the distinct clients each rests on."""


@pytest.fixture(scope="module")
def con(demo_warehouse):
    with duckdb.connect(str(demo_warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module", params=[10, 4], ids=["min10", "min4"])
def shown(request, demo_warehouse) -> Getoond:
    return run_notebook("aanbieders", {"gemeente": GEMEENTE, "warehouse": str(demo_warehouse), "periode": PERIODE,
                                       "min_clienten": request.param})


def _min(shown: Getoond) -> int:
    return shown.namespace["rapport"].min_clienten


def _klein(frame: pd.DataFrame, aantal: str, m: int) -> pd.DataFrame:
    return frame[(frame[aantal] > 0) & (frame[aantal] < m)]


def _table(shown: Getoond, column: str) -> pd.DataFrame:
    (table,) = [v for v in shown.waarden if isinstance(v, pd.DataFrame) and column in v.columns]
    return table


def _tekst(shown: Getoond, part: str) -> str:
    (text,) = [t for t in shown.teksten if part in t and "<section" not in t]
    return text


def _opties(shown: Getoond) -> dict:
    return dict(gemeente=GEMEENTE, peildatum=shown.namespace["rapport"].einde, norm_dagen=NORM)


def test_wachttijd_table_lists_no_small_row_and_hides_each_small_figure(shown, con):
    m = _min(shown)
    truth = suppliers.wachttijd(con, **_opties(shown), by=("aanbieder_agb", "productcategorie"))
    names = report.namen_productcategorie(con).drop_duplicates("productcategorie").set_index("productcategorie")
    truth = truth.assign(naam=truth["productcategorie"].map(names["naam"]))
    small = _klein(truth, "clienten", m)
    assert len(small), "no small row in the fixture: the test would prove nothing"
    table = _table(shown, "Gestart binnen norm")
    listed = set(zip(table["Aanbieder"], table["Productcategorie"]))
    assert not listed & set(zip(small["aanbieder_naam"], small["naam"]))
    assert len(table) == len(truth) - len(small)
    rows = table.merge(truth, left_on=["Aanbieder", "Productcategorie"], right_on=["aanbieder_naam", "naam"])
    assert len(rows) == len(table)
    hidden_cells = 0
    for column, count in FIGUREN.items():
        few = is_klein(rows[count], m)
        assert (rows.loc[few, column] == "x").all(), column
        assert (rows.loc[~few, column] != "x").all(), column  # and nothing more than the rule asks
        hidden_cells += int(few.sum())
    if m == 4:  # shown rows with a small figure of their own: the rule per figure is exercised
        assert hidden_cells >= 2
    assert shown.bevat_tekst(f"Niet getoond: {len(small)} combinaties van aanbieder en productcategorie")


def test_wachttijd_chart_draws_no_quarter_of_few_started_clients(shown, con):
    m = _min(shown)
    truth = suppliers.wachttijd_trend(con, **_opties(shown), by=()).set_index("kwartaal")
    small = set(_klein(truth.reset_index(), "clienten_gestart", m)["kwartaal"])
    if m == 10:  # with 4, every quarter is shown
        assert small and small != set(truth.index), "the fixture needs small and shown quarters"
    (fig,) = [v for v in shown.waarden if isinstance(v, Figure)
              and v.axes[0].get_title().startswith("Dagen van toewijzing tot start")]
    lines = {line.get_label(): line for line in fig.axes[0].lines}
    for label, column in (("mediaan", "mediaan_dagen"), ("90% gestart binnen", "p90_dagen")):
        drawn = pd.Series(lines[label].get_ydata(), index=lines[label].get_xdata()).astype("float64")
        assert drawn[sorted(small)].isna().all(), label
        shown_quarters = sorted(set(truth.index) - small)
        assert drawn[shown_quarters].tolist() == pytest.approx(truth.loc[shown_quarters, column].tolist()), label
    assert lines[f"norm ({NORM} dagen)"].get_ydata()[0] == NORM


def test_niet_gestart_sentence_gives_no_small_count(shown, con):
    m = _min(shown)
    truth = suppliers.niet_gestart_telling(con, **_opties(shown), by=()).iloc[0].astype("int64")
    assert 0 < truth["clienten"] < 10, "the fixture needs a small count of waiting clients"
    text = _tekst(shown, f"langer dan {NORM} dagen")
    if truth["clienten"] < m:
        assert f"wachtten minder dan {m} cliënten" in text and f"{truth['toewijzingen']} toewijzingen" not in text
    else:
        assert f"waren {truth['toewijzingen']} toewijzingen ({truth['clienten']} cliënten)" in text
    assert str(truth["max_dagen_wachtend"]) not in text  # the longest wait is one client's


def _herhaald(con, shown: Getoond, by: tuple[str, ...]) -> pd.DataFrame:
    rapport = shown.namespace["rapport"]
    return suppliers.herhaald_beroep(con, gemeente=GEMEENTE, jaar=rapport.jaar - 1, meetdatum=rapport.einde, by=by)


def test_herhaald_beroep_table_hides_small_aanbieders_and_small_uitkomsten(shown, con):
    m = _min(shown)
    per_aanbieder = _herhaald(con, shown, ("aanbieder_agb",))
    per_uitkomst = _herhaald(con, shown, ("aanbieder_agb", "uitkomst"))
    small = _klein(per_aanbieder, "clienten", m)
    assert len(small) >= 2 and len(_klein(per_uitkomst, "clienten", m)), "the fixture needs small cells"
    table = _table(shown, "Na voortijdig einde")
    assert not set(table["Aanbieder"]) & set(small["aanbieder_naam"])
    assert len(table) >= 1, "the fixture needs a shown aanbieder"
    # the gemeente's share is said: the hidden aanbieders are never one, nor fewer than m clients together
    hidden = per_aanbieder[~per_aanbieder["aanbieder_naam"].isin(table["Aanbieder"]) & (per_aanbieder["clienten"] > 0)]
    assert len(hidden) != 1 and (hidden.empty or hidden["clienten"].sum() >= m)
    for row in table.itertuples(index=False):
        name, total = row[0], int(row[1])
        parts = per_uitkomst[per_uitkomst["aanbieder_naam"] == name].set_index("uitkomst")
        for uitkomst, titel in report.HERHAALD_UITKOMSTEN.items():
            cell = table.loc[table["Aanbieder"] == name, titel].iloc[0]
            if uitkomst in parts.index and 0 < parts.loc[uitkomst, "clienten"] < m:
                assert cell == "x", (name, uitkomst)
            if cell not in ("x", "–"):  # a shown share: the aanbieder's other ends are 0 or at least m
                rest = total - parts.loc[uitkomst, "clienten"]
                assert rest == 0 or rest >= m, (name, uitkomst)


def test_herhaald_beroep_sentence_hides_a_small_uitkomst(shown, con):
    m = _min(shown)
    totaal = _herhaald(con, shown, ())
    per_uitkomst = _herhaald(con, shown, ("uitkomst",)).set_index("uitkomst")
    assert (per_uitkomst["clienten"] < 10).any(), "the fixture needs a small uitkomst"
    text = _tekst(shown, "binnen twaalf maanden opnieuw een toewijzing")
    assert f"Van de {int(totaal['clienten'].iloc[0])} cliënten" in text
    small = set(per_uitkomst.index[(per_uitkomst["clienten"] > 0) & (per_uitkomst["clienten"] < m)])
    said_hidden = {u for u, titel in report.HERHAALD_UITKOMSTEN.items() if f"{titel.lower()} niet getoond" in text}
    assert small & set(report.HERHAALD_UITKOMSTEN) <= said_hidden
    for uitkomst, titel in report.HERHAALD_UITKOMSTEN.items():
        if uitkomst in per_uitkomst.index and uitkomst not in said_hidden:
            assert f"{titel.lower()} {pct(per_uitkomst.loc[uitkomst, 'aandeel_terug_pct'])}" in text, uitkomst
    # the total is said: what is left out (overig only when small) is nothing, or two ends of at least m clients
    gone = per_uitkomst.loc[sorted(said_hidden | (small & {"overig"}))]
    assert gone.empty or (len(gone) >= 2 and gone["clienten"].sum() >= m)


def test_summary_and_scorecard_judge_the_wachttijd_share_on_the_judged_clients(shown, con):
    m = _min(shown)
    truth = suppliers.wachttijd(con, **_opties(shown), by=("aanbieder_agb",))
    few = _klein(truth, "clienten_beoordeeld", m)
    assert len(few), "the fixture needs aanbieders of few judged clients"
    scorecard = _table(shown, "Gestart binnen wachttijdnorm")
    rows = scorecard.merge(truth, left_on="Aanbieder", right_on="aanbieder_naam")
    assert (rows.loc[is_klein(rows["clienten_beoordeeld"], m), "Gestart binnen wachttijdnorm"] == "x").all()
    (summary,) = [t for t in shown.teksten if '<section class="samenvatting"' in t]
    sentence = next((s for s in summary.split("<p") if "binnen de norm van" in s), "")
    assert not [n for n in few["aanbieder_naam"] if n in sentence]
