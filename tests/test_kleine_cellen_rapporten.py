"""Every report on the tiny demo: a figure about fewer than ``min_clienten`` clients appears in no table,
no chart's data and no sentence, and no shown total gives one away by subtraction.

The small cells are found here from the analysis functions (unhidden); the report's cells run in this
process (:mod:`notebook_cells`) so the charts' numbers can be searched too. An amount counts as shown
when its euro text is in a table, sentence or chart text, or its cents are a bar, line or point of a chart.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from notebook_cells import Getoond, run_notebook

from analysis import budget, spend, suppliers
from analysis.display import eur

MIN = 10
GEMEENTE = "GM0361"  # Beschermd Wonen has fewer than 10 clients every year in the tiny demo
PERIODE = "2025-12"


def _klein(frame: pd.DataFrame, aantal: str = "clienten") -> pd.DataFrame:
    counts = frame[aantal]
    return frame[(counts > 0) & (counts < MIN)]


def _assert_hidden(shown: Getoond, cents: list[int], what: str) -> None:
    """None of ``cents`` (amounts of at least EUR 100, so no coincidence with a small figure) is shown."""
    checked = [int(c) for c in cents if pd.notna(c) and abs(int(c)) >= 10_000]
    assert checked, f"{what}: no small cell in the fixture, the test would prove nothing"
    for value in checked:
        assert not shown.bevat_tekst(eur(value)), f"{what}: {eur(value)} is shown"
        assert not shown.bevat_getal(float(value)), f"{what}: {value} cents is drawn in a chart"


def _tables(shown: Getoond, column: str) -> list[pd.DataFrame]:
    return [v for v in shown.waarden if isinstance(v, pd.DataFrame) and column in v.columns]


@pytest.fixture(scope="module")
def con(demo_warehouse):
    with duckdb.connect(str(demo_warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def uitgaven(demo_warehouse) -> Getoond:
    return run_notebook("uitgaven", {"gemeente": GEMEENTE, "warehouse": str(demo_warehouse), "periode": PERIODE})


@pytest.fixture(scope="module")
def aanbieders(demo_warehouse) -> Getoond:
    return run_notebook("aanbieders", {"gemeente": GEMEENTE, "warehouse": str(demo_warehouse), "periode": PERIODE})


def test_uitgaven_hides_small_domains_in_every_section(uitgaven, con):
    rapport = uitgaven.namespace["rapport"]
    basis, jaar = rapport.basisjaar, rapport.jaar
    per_jaar = spend.spend_per_inhabitant(con, gemeente=GEMEENTE)
    small = _klein(per_jaar)
    _assert_hidden(uitgaven, [*small["toegekend_cent"], *small["toegekend_per_1000_cent"]], "year table and chart")
    months = spend.monthly_spend(con, gemeente=GEMEENTE, tot=rapport.einde)
    months = _klein(months[months["maand"].dt.year > jaar - 3])
    _assert_hidden(uitgaven, list(months["toegekend_cent"]), "month chart")
    small_domains = set(_klein(per_jaar[per_jaar["jaar"].isin([basis - 1, basis])])["domein"])
    drivers = spend.spend_drivers(con, gemeente=GEMEENTE, jaar=basis, by=("domein",))
    drivers = drivers[drivers["domein"].isin(small_domains)]
    _assert_hidden(uitgaven, [*drivers["toegekend_verschil_cent"], *drivers["effect_clienten_cent"],
                              *drivers["toegekend_cent"]], "growth table and chart")
    monitor = budget.budget_monitor(con, gemeente=GEMEENTE, jaar=jaar, maand=rapport.maand,
                                    laatste_gesloten=rapport.laatste_maand.date())
    hidden_budget = monitor[monitor["domein"].isin(set(_klein(per_jaar[per_jaar["jaar"] == jaar])["domein"]))]
    _assert_hidden(uitgaven, [*hidden_budget["realisatie_cent"], *hidden_budget["prognose_cent"]],
                   "budget table and chart")
    categories = spend.yearly_spend(con, gemeente=GEMEENTE, by=("domein", "productcategorie"), van=basis, tot=basis)
    _assert_hidden(uitgaven, list(_klein(categories)["toegekend_cent"]), "top productcategorieën")
    # and every category of a domain the report hides (small, or hidden to protect a small one): together they
    # would give that domain's amount
    hidden_domains = uitgaven.namespace["verborgen"]
    assert set(hidden_domains) > small_domains  # a domain hidden by secondary suppression is in the fixture
    of_hidden = categories[categories["domein"].isin(hidden_domains)]
    _assert_hidden(uitgaven, list(of_hidden["toegekend_cent"]), "top productcategorieën of a hidden domain")
    assert "x" in uitgaven.teksten and uitgaven.bevat_tekst("Niet getoond")  # a hidden cell, and the sentence


def test_uitgaven_total_minus_the_shown_domains_gives_no_small_cell_away(uitgaven, con):
    rapport = uitgaven.namespace["rapport"]
    per_jaar = spend.spend_per_inhabitant(con, gemeente=GEMEENTE)
    shown = uitgaven.namespace["jaren"]
    for jaar, year in shown.groupby("jaar"):
        hidden = year[year["verborgen"]]
        truth = per_jaar[(per_jaar["jaar"] == jaar) & per_jaar["domein"].isin(hidden["domein"])]
        assert len(hidden) in (0, 2, 3) and (hidden.empty or truth["clienten"].sum() >= MIN), jaar
    total = uitgaven.namespace["totaal"]["uitgaven"]
    assert total == per_jaar.loc[per_jaar["jaar"] == rapport.basisjaar, "toegekend_cent"].sum()  # shown in the summary


def test_aanbieders_hides_small_aanbieders_everywhere(aanbieders, con):
    rapport = aanbieders.namespace["rapport"]
    opties = dict(gemeente=GEMEENTE, peildatum=rapport.einde)
    per_aanbieder = suppliers.supplier_spend(con, **opties)
    small = _klein(per_aanbieder)
    _assert_hidden(aanbieders, list(small["toegekend_cent"]), "scorecard, top chart and concentration")
    names = set(small["aanbieder_naam"].dropna())
    (scorecard,) = _tables(aanbieders, "Rang")
    assert not names & set(scorecard["Aanbieder"])  # no status, no rank for a hidden aanbieder
    assert scorecard["Rang"].tolist() == [str(i) for i in range(1, len(scorecard) + 1)]
    rest = per_aanbieder["toegekend_cent"].sum() - aanbieders.namespace["concentratie"]["top_cent"].iloc[0]
    assert rest not in set(small["toegekend_cent"])  # total minus the top-10 is not one small aanbieder
    plafonds = suppliers.plafond_utilisation(con, **opties)
    _assert_hidden(aanbieders, list(_klein(plafonds, "clienten_gemeente")["toegekend_gemeente_cent"]),
                   "plafond table, the gemeente's part")
    codes = _klein(suppliers.retourcode_breakdown(con, **opties))
    for code in codes["retourcode"]:
        assert not any(t.startswith(f"{code} ") for t in aanbieders.teksten), f"retourcode {code} drawn"
    assert aanbieders.bevat_tekst("Niet getoond")


def test_aanbieders_running_trajectories_of_few_clients_show_as_small(aanbieders, con):
    rapport = aanbieders.namespace["rapport"]
    duur = suppliers.trajectory_duration(con, gemeente=GEMEENTE, peildatum=rapport.einde, by=("productcategorie",))
    (table,) = _tables(aanbieders, "Nog lopend")
    few = _klein(duur, "clienten_lopend")
    assert len(few) and len(table) == len(duur)
    rows = table.assign(code=duur["productcategorie"].to_numpy())  # the table keeps the frame's order
    assert (rows.loc[rows["code"].isin(few["productcategorie"]), "Nog lopend"] == "x").all()


def test_regio_hides_small_gemeente_domains_in_chart_and_table(demo_warehouse, con):
    shown = run_notebook("regio", {"regio": "Noord-Kennemerland", "warehouse": str(demo_warehouse),
                                   "periode": PERIODE})
    rapport = shown.namespace["rapport"]
    bench = spend.benchmark(con, gemeente=rapport.gemeenten["gemeente_code"].iloc[0], jaar=rapport.basisjaar)
    small = _klein(bench)
    _assert_hidden(shown, [*small["toegekend_per_1000_cent"], *small["toegekend_cent"]],
                   "Uitgaven per 1.000 inwoners (chart and table)")
    hidden = shown.namespace["bench"]
    for domein, part in hidden.groupby("domein"):  # the region's total is shown: never one hidden gemeente
        assert part["verborgen"].sum() != 1, domein


def test_a_gemeente_report_and_the_regio_report_hide_the_same_cells_of_the_basisjaar(uitgaven, demo_warehouse):
    """The regio report shows each domein's total over the gemeenten, a gemeente's report its total over the
    domeinen. Hiding per domein alone, the regio report showed GM0361's Jeugd and Wmo beside its hidden
    Beschermd Wonen, and GM0361's own total minus those two gave Beschermd Wonen (2 clients) away."""
    regio = run_notebook("regio", {"regio": "Noord-Kennemerland", "warehouse": str(demo_warehouse),
                                   "periode": PERIODE})
    bench = regio.namespace["bench"]
    for code, row in bench.groupby("gemeente_code_huidig"):
        assert row["verborgen"].sum() != 1, code
    for domein, column in bench.groupby("domein"):
        assert column["verborgen"].sum() != 1, domein
    in_regio = set(bench.loc[bench["verborgen"] & (bench["gemeente_code_huidig"] == GEMEENTE), "domein"])
    per_jaar = uitgaven.namespace["per_inwoner"]
    basis = per_jaar[per_jaar["jaar"] == uitgaven.namespace["rapport"].basisjaar]
    assert in_regio == set(basis.loc[basis["verborgen"], "domein"]) == {"Beschermd Wonen", "Jeugd"}
    own = uitgaven.namespace["bench"]  # the uitgaven report's own comparison with the region: the same cells
    assert own.loc[own["verborgen"], ["gemeente_code_huidig", "domein"]].values.tolist() == \
        bench.loc[bench["verborgen"], ["gemeente_code_huidig", "domein"]].values.tolist()
    assert {"Beschermd Wonen", "Jeugd"} <= set(uitgaven.namespace["verborgen"])


def test_prognose_gives_small_domains_no_figure(demo_warehouse):
    shown = run_notebook("prognose", {"gemeente": GEMEENTE, "warehouse": str(demo_warehouse), "periode": PERIODE})
    ns = shown.namespace
    clienten = ns["clienten"]
    small = set(_klein(clienten[clienten["jaar"] == ns["rapport"].basisjaar])["domein"])
    assert small and small <= set(ns["verborgen"])
    gap = ns["gap"][ns["gap"]["domein"].isin(ns["verborgen"])]
    _assert_hidden(shown, [*gap["uitgaven_cent"], *gap["saldo_cent"]], "forecast of a small domain")
