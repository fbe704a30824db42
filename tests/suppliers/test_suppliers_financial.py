"""Financial block on the warehouse of conftest.py; each expected figure is worked out in a comment."""

from datetime import date

import pandas as pd
import pytest
from suppliers.conftest import A, B

from analysis.suppliers import (compare_years, declaration_correctness, retourcode_breakdown, supplier_spend,
                                tariff_compliance)


def test_supplier_spend_with_previous_year_and_cost_per_client(con):
    frame = supplier_spend(con, jaar=2024).set_index("aanbieder_agb")
    # sorted by spend: B first
    assert frame.index.tolist() == [B, A]
    # A 2024: R1 100000 - R3 100000 + R4 98000 = 98000 (R2, R11 rejected, R5 pending); client a only
    # A 2023: R8 60000 + R9 20000 = 80000, clients a and f
    a = frame.loc[A]
    assert (a["toegekend_cent"], a["clienten"], a["toegekend_vorig_jaar_cent"], a["clienten_vorig_jaar"]) == (
        98000, 1, 80000, 2)
    # cost per client 98000 / 1; last year 80000 / 2 = 40000
    assert (a["kosten_per_client_cent"], a["kosten_per_client_vorig_jaar_cent"]) == (98000, 40000)
    # growth (98000 - 80000) / 80000 = 22.5 %; cost per client (98000 - 40000) / 40000 = 145 %
    assert a["groei_pct"] == pytest.approx(22.5) and a["groei_kosten_per_client_pct"] == pytest.approx(145.0)
    # B: R6 200000 + R7 120000 + R12 10000 + R10 70000 = 400000, clients d, e, g; 400000 / 3 = 133333.3 -> 133333
    b = frame.loc[B]
    assert (b["toegekend_cent"], b["clienten"], b["kosten_per_client_cent"]) == (400000, 3, 133333)
    assert frame.loc[B, "aanbieder_naam"] == "Beta Hulp" and pd.isna(b["groei_pct"])
    assert frame["toegekend_cent"].dtype == "int64"


def test_supplier_spend_for_one_rebased_gemeente_and_a_peildatum(con):
    # GM1980 = GM0398 Heerhugowaard: B's R6 + R7 + R12 = 330000 (clients d, e); A's R5 is pending
    frame = supplier_spend(con, gemeente="GM1980", jaar=2024)
    assert frame[["aanbieder_agb", "toegekend_cent", "clienten"]].values.tolist() == [[B, 330000, 2]]
    # to 31 March: A's March lines 98000 against 1 Jan - 31 Mar 2023: 80000; B has only later lines
    early = supplier_spend(con, peildatum=date(2024, 3, 31))
    assert early[["aanbieder_agb", "toegekend_cent", "toegekend_vorig_jaar_cent"]].values.tolist() == [[A, 98000, 80000]]


def test_supplier_spend_refuses_a_merged_gemeente_and_a_bad_period(con):
    with pytest.raises(ValueError, match="gemeente: .GM0398. is not a current gemeente"):
        supplier_spend(con, gemeente="GM0398", jaar=2024)
    with pytest.raises(ValueError, match="peildatum: 2023-05-01 is not in jaar 2024"):
        supplier_spend(con, jaar=2024, peildatum=date(2023, 5, 1))
    with pytest.raises(ValueError, match="by: cannot group by"):
        supplier_spend(con, jaar=2024, by=("client_id",))


def test_compare_years_keeps_keys_of_either_year():
    frame = pd.DataFrame({"aanbieder_agb": ["x", "x", "y"], "jaar": [2024, 2023, 2023],
                          "toegekend_cent": [300, 200, 50], "clienten": [4, 2, 1]})
    out = compare_years(frame, jaar=2024).set_index("aanbieder_agb")
    # x: 300 / 4 = 75 per client, 200 / 2 = 100 before: growth +50 %, cost per client -25 %
    assert (out.loc["x", "kosten_per_client_cent"], out.loc["x", "kosten_per_client_vorig_jaar_cent"]) == (75, 100)
    assert out.loc["x", "groei_pct"] == pytest.approx(50.0)
    assert out.loc["x", "groei_kosten_per_client_pct"] == pytest.approx(-25.0)
    # y stopped: 0 now, 50 before, growth (0 - 50) / 50 = -100 %, no cost per client now
    assert out.loc["y", "toegekend_cent"] == 0 and out.loc["y", "groei_pct"] == pytest.approx(-100.0)
    assert pd.isna(out.loc["y", "kosten_per_client_cent"])


def test_compare_years_names_missing_columns():
    with pytest.raises(ValueError, match=r"frame: missing column\(s\) \['clienten'\]"):
        compare_years(pd.DataFrame({"jaar": [2024], "toegekend_cent": [1]}), jaar=2024)


def test_declaration_correctness_counts_answered_debit_lines(con):
    frame = declaration_correctness(con, jaar=2024).set_index("aanbieder_agb")
    a = frame.loc[A]
    # A answered debits: R1 100000 ok, R2 50000 rejected, R4 98000 ok, R11 40000 rejected (R5 pending, R3 credit)
    assert (a["regels_beantwoord"], a["regels_toegekend"]) == (4, 2)
    # ingediend 100000 + 50000 + 98000 + 40000 = 288000; toegekend 100000 + 98000 = 198000 -> 68.75 %
    assert (a["ingediend_cent"], a["toegekend_cent"]) == (288000, 198000)
    assert a["juistheid_bedrag_pct"] == pytest.approx(68.75) and a["juistheid_regels_pct"] == pytest.approx(50.0)
    # clients a, b, h; pending R5 30000 and credit R3 -100000 apart
    assert a["clienten"] == 3
    assert (a["regels_in_behandeling"], a["in_behandeling_cent"], a["credit_regels"], a["credit_cent"]) == (
        1, 30000, 1, -100000)
    # B: R6, R7, R12, R10 all approved: 400000 / 400000
    assert frame.loc[B, "juistheid_bedrag_pct"] == pytest.approx(100.0) and frame.loc[B, "regels_beantwoord"] == 4


def test_declaration_correctness_rejects_unknown_gemeente(con):
    with pytest.raises(ValueError, match="gemeente: expected a CBS code"):
        declaration_correctness(con, gemeente="Alkmaar", jaar=2024)


def test_retourcode_breakdown_counts_each_code_of_a_line(con):
    frame = retourcode_breakdown(con, jaar=2024)
    # rejected debit lines: R2 (0611, 9346) 50000 client b and R11 (9346) 40000 client h
    assert frame["retourcode"].tolist() == ["9346", "0611"]
    first, second = frame.iloc[0], frame.iloc[1]
    # 9346: 2 lines, 50000 + 40000 = 90000, 2 clients, 2 of 2 rejected lines = 100 %
    assert (first["regels"], first["afgewezen_cent"], first["clienten"]) == (2, 90000, 2)
    assert first["aandeel_regels_pct"] == pytest.approx(100.0)
    # 0611: 1 line of 2 = 50 %
    assert (second["regels"], second["afgewezen_cent"]) == (1, 50000)
    assert second["aandeel_regels_pct"] == pytest.approx(50.0)
    assert second["omschrijving"].startswith("Het ingediende tarief komt niet overeen")
    per = retourcode_breakdown(con, jaar=2024, by=("aanbieder_agb",))
    assert per["aanbieder_agb"].unique().tolist() == [A]
    # GM1980 has no rejected lines
    assert retourcode_breakdown(con, gemeente="GM1980", jaar=2024).empty


def test_retourcode_breakdown_refuses_unknown_grouping(con):
    with pytest.raises(ValueError, match="by: cannot group by"):
        retourcode_breakdown(con, jaar=2024, by=("retourcodes",))


def test_tariff_compliance_against_the_highest_contract_tariff(con):
    frame = tariff_compliance(con, jaar=2024).set_index("aanbieder_agb")
    a = frame.loc[A]
    # A in Noord-Kennemerland 2024: K1 95000 and K2 96000 -> 96000. Above: R1 100000 (+4000), R4 98000 (+2000)
    assert (a["regels"], a["regels_vergeleken"], a["regels_boven_contract"]) == (5, 5, 2)
    # compared amount 100000 + 50000 + 98000 + 30000 + 40000 = 318000; above 100000 + 98000 = 198000
    assert (a["ingediend_vergeleken_cent"], a["ingediend_boven_contract_cent"]) == (318000, 198000)
    assert (a["overschrijding_cent"], a["overschrijding_toegekend_cent"]) == (6000, 6000)
    assert a["aandeel_regels_boven_pct"] == pytest.approx(40.0)  # 2 / 5
    assert a["aandeel_bedrag_boven_pct"] == pytest.approx(100 * 198000 / 318000)  # 62.26 %
    b = frame.loc[B]
    # B: R6 100000 = K3's 100000 (not above); R7 120000 vs 100000 (+20000); R10 in Venlo vs K4's 60000 (+10000);
    # R12 45A04 has no contract tariff
    assert (b["regels"], b["regels_vergeleken"], b["regels_boven_contract"], b["overschrijding_cent"]) == (4, 3, 2, 30000)
    # above 120000 + 70000 = 190000 of 200000 + 120000 + 70000 = 390000
    assert b["aandeel_bedrag_boven_pct"] == pytest.approx(100 * 190000 / 390000) and b["clienten"] == 3


def test_tariff_compliance_refuses_a_year_out_of_range(con):
    with pytest.raises(ValueError, match="jaar: expected a year"):
        tariff_compliance(con, jaar=24)
