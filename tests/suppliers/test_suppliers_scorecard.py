"""Scorecard: RAG statuses, ranking and concentration, on hand-built frames and the conftest warehouse."""

import math

import numpy as np
import pandas as pd
import pytest
from suppliers.conftest import A, B

from analysis.suppliers import (
    Thresholds, plafond_utilisation, rag, rate_suppliers, spend_concentration, supplier_scorecard)


def test_rag_both_directions():
    values = pd.Series([99.0, 96.0, 94.0, np.nan])
    # green at or above 98, red below 95, amber between, missing stays missing
    status = rag(values, groen=98, rood=95)
    assert status.iloc[:3].tolist() == ["groen", "oranje", "rood"] and pd.isna(status.iloc[3])
    # lower is better: green at or below 100, red above 110
    assert rag(pd.Series([100.0, 105.0, 111.0]), groen=100, rood=110, higher_is_better=False).tolist() == [
        "groen", "oranje", "rood"]


def test_rag_refuses_thresholds_the_wrong_way_round():
    with pytest.raises(ValueError, match="groen: 90 is on the wrong side of rood 95"):
        rag(pd.Series([1.0]), groen=90, rood=95)


def test_thresholds_refuse_inconsistent_values():
    with pytest.raises(ValueError, match="juistheid_groen_pct: must not be below juistheid_rood_pct"):
        Thresholds(juistheid_groen_pct=90.0)
    with pytest.raises(ValueError, match="min_basis: expected a number >= 0"):
        Thresholds(min_basis=-1)
    with pytest.raises(ValueError, match="wachttijd_norm_dagen: expected a whole number of days, got 42.5"):
        Thresholds(wachttijd_norm_dagen=42.5)


def _indicators(**columns):
    base = dict(aanbieder_agb=["x", "y", "z"], toegekend_cent=[100, 500, 300],
                juistheid_bedrag_pct=[99.0, 96.0, 99.0], juistheid_clienten=[20, 20, 20],
                aandeel_bedrag_boven_pct=[0.0, 0.0, 0.0], tarief_clienten=[20, 20, 20],
                prognose_benutting_pct=[90.0, 90.0, 120.0], plafond_clienten=[20, 20, 20],
                kpi_niet_gehaald=[0.0, 0.0, np.nan],
                aandeel_volgens_plan_pct=[75.0, 65.0, 50.0], volgens_plan_clienten=[20, 20, 5],
                score=[8.0, 7.2, 8.0], respondenten=[30, 30, 30])
    return pd.DataFrame(base | columns)


def test_rate_suppliers_blocks_overall_and_ranking():
    out = rate_suppliers(_indicators()).set_index("aanbieder_agb")
    # x: all green. y: juistheid 96 (amber), volgens plan 65 (amber), score 7.2 (amber) -> oranje.
    # z: plafond 120 % (red); volgens plan 50 % rests on 5 < 10 clients: not judged -> rood
    assert out["status"].to_dict() == {"x": "groen", "y": "oranje", "z": "rood"}
    assert out.loc["y", ["status_financieel", "status_contract", "status_prestatie", "status_relatie"]].tolist() == [
        "oranje", "groen", "oranje", "oranje"]
    assert out.loc["z", "status_prestatie"] == "geen oordeel" and out.loc["z", "status_contract"] == "rood"
    # ranking: rood (z), oranje (y), groen (x)
    assert out["rang"].to_dict() == {"z": 1, "y": 2, "x": 3}


def test_rate_suppliers_breaks_ties_on_red_blocks_then_spend():
    frame = _indicators(prognose_benutting_pct=[120.0, 120.0, 120.0], score=[6.0, 8.0, 8.0],
                        juistheid_bedrag_pct=[99.0, 99.0, 99.0], aandeel_volgens_plan_pct=[75.0, 75.0, 75.0],
                        volgens_plan_clienten=[20, 20, 20])
    out = rate_suppliers(frame).set_index("aanbieder_agb")
    # all red on the plafond; x is red on satisfaction too (2 red blocks) -> first; then y (500) before z (300)
    assert out["rang"].to_dict() == {"x": 1, "y": 2, "z": 3}
    # with min_basis 1, _indicators()' z (50 % volgens plan on 5 clients) is judged: red
    assert rate_suppliers(_indicators(), thresholds=Thresholds(min_basis=1)).set_index("aanbieder_agb").loc[
        "z", "status_prestatie"] == "rood"


def test_rate_suppliers_names_missing_indicators():
    with pytest.raises(ValueError, match=r"indicators: missing column\(s\) \['score'\]"):
        rate_suppliers(_indicators().drop(columns="score"))


def test_spend_concentration_top_share_and_hhi():
    spend = pd.DataFrame({"toegekend_cent": [500, 300, 200, 0, -50]})
    out = spend_concentration(spend, top=2).iloc[0]
    # positive spend 1000 over 3 aanbieders; top 2 = 800 = 80 %; HHI 50^2 + 30^2 + 20^2 = 2500 + 900 + 400 = 3800
    assert (out["aanbieders"], out["toegekend_cent"], out["top_cent"]) == (3, 1000, 800)
    assert out["top_aandeel_pct"] == pytest.approx(80.0) and out["hhi"] == pytest.approx(3800.0)
    assert math.isnan(spend_concentration(pd.DataFrame({"toegekend_cent": [0]}))["hhi"].iloc[0])


def test_spend_concentration_refuses_a_bad_top():
    with pytest.raises(ValueError, match="top: expected a whole number >= 1"):
        spend_concentration(pd.DataFrame({"toegekend_cent": [1]}), top=0)


def test_supplier_scorecard_on_the_warehouse(con):
    out = supplier_scorecard(con, jaar=2024, thresholds=Thresholds(min_basis=1)).set_index("aanbieder_agb")
    a, b = out.loc[A], out.loc[B]
    # A: juistheid 68.75 % (red), 62.3 % of amount above contract (red) -> financieel rood; K1 plafond 49 % (green),
    # 1 of 2 KPIs missed (amber) -> contract oranje; 50 % volgens plan (red); score 7.5 (green)
    assert a[["status_financieel", "status_contract", "status_prestatie", "status_relatie", "status"]].tolist() == [
        "rood", "oranje", "rood", "groen", "rood"]
    assert (a["kpi_beoordeeld"], a["kpi_niet_gehaald"]) == (2, 1)
    # B: juistheid 100 % but 48.7 % above contract (red); highest plafond use K3 106.7 % (amber), K3's KPI missed
    # (amber); 0 % volgens plan (red); score 6.0 (red)
    assert b[["status_financieel", "status_contract", "status_prestatie", "status_relatie", "status"]].tolist() == [
        "rood", "oranje", "rood", "rood", "rood"]
    assert b["prognose_benutting_pct"] == pytest.approx(100 * 320000 / 300000)
    # both red overall; B has 3 red blocks against A's 2 -> B first
    assert (b["rang"], a["rang"]) == (1, 2)
    # with the default min_basis 10 only satisfaction (30 and 4 respondents) and contract figures are judged
    default = supplier_scorecard(con, jaar=2024).set_index("aanbieder_agb")
    assert default.loc[A, "status_financieel"] == "geen oordeel" and default.loc[A, "status_relatie"] == "groen"


def test_supplier_scorecard_refuses_thresholds_of_the_wrong_type(con):
    with pytest.raises(TypeError, match="thresholds: expected a Thresholds"):
        supplier_scorecard(con, jaar=2024, thresholds={"min_basis": 1})


def test_prestatie_takes_the_worst_of_volgens_plan_wachttijd_and_herhaald_beroep():
    out = rate_suppliers(_indicators(
        # x: volgens plan 75 % green, but 70 % started within the norm (< 75): red
        # y: volgens plan 65 % amber, wachttijd 95 % green, 15 % back within 12 months (10-20): amber
        # z: wachttijd 50 % on 4 clients and 30 % back on 8: neither judged, volgens plan not judged either
        wachttijd_binnen_norm_pct=[70.0, 95.0, 50.0], wachttijd_clienten=[12, 40, 4],
        herhaald_beroep_pct=[5.0, 15.0, 30.0], herhaald_clienten=[25, 20, 8])).set_index("aanbieder_agb")
    assert out["status_prestatie"].to_dict() == {"x": "rood", "y": "oranje", "z": "geen oordeel"}
    # 21 % back is red; 90 % within the norm and 10 % back are green (the boundaries count as green);
    # z's volgens plan is not judged, its two judged indicators are green
    edge = rate_suppliers(_indicators(wachttijd_binnen_norm_pct=[90.0] * 3, wachttijd_clienten=[20] * 3,
                                      herhaald_beroep_pct=[21.0, 10.0, 0.0], herhaald_clienten=[20] * 3))
    assert edge.set_index("aanbieder_agb")["status_prestatie"].to_dict() == {"x": "rood", "y": "oranje", "z": "groen"}
    with pytest.raises(ValueError, match="herhaald_groen_pct: must not be above herhaald_rood_pct"):
        Thresholds(herhaald_groen_pct=30.0)


def test_plafond_use_comes_from_contracts_with_enough_clients(con):
    # B's K3 (106.7 %, see above) rests on R6 (client d) and R7 (e): 2 clients. K4 (Noord Limburg, R10: g) has 1.
    # Judged with min_basis 2; with 3 neither contract is, and B's plafond use is not shown or judged.
    plafonds = plafond_utilisation(con, jaar=2024).set_index("contract_id")
    assert plafonds.loc[["K3", "K4"], "clienten"].tolist() == [2, 1]
    judged = supplier_scorecard(con, jaar=2024, thresholds=Thresholds(min_basis=2)).set_index("aanbieder_agb")
    assert judged.loc[B, ["prognose_benutting_pct", "plafond_clienten"]].tolist() == [pytest.approx(320 / 3), 2]
    not_judged = supplier_scorecard(con, jaar=2024, thresholds=Thresholds(min_basis=3)).set_index("aanbieder_agb")
    # no use, and the count of its largest small contract (K3's 2), so a table can say "x" rather than "–"
    assert pd.isna(not_judged.loc[B, "prognose_benutting_pct"]) and not_judged.loc[B, "plafond_clienten"] == 2


def test_rate_suppliers_judges_plafond_use_on_its_clients():
    # z's 120 % rests on 4 clients: not judged, so its contract block has no verdict; y's 130 % on 10: red
    frame = _indicators(prognose_benutting_pct=[90.0, 130.0, 120.0], plafond_clienten=[20, 10, 4])
    out = rate_suppliers(frame).set_index("aanbieder_agb")
    assert out.loc[["x", "y", "z"], "status_contract"].tolist() == ["groen", "rood", "geen oordeel"]
