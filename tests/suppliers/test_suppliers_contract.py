"""Contract block on the warehouse of conftest.py and on hand-built frames; figures worked out in comments."""

from datetime import date

import pandas as pd
import pytest
from suppliers.conftest import A, B

from analysis.suppliers import (assess_kpis, contract_kpis, expiring_contracts, kpi_actuals, kpi_targets,
                                plafond_for_year, plafond_utilisation, project_contract_year)


def test_plafond_for_year_pro_rata_by_year_or_by_contract_period():
    contracts = pd.DataFrame({"begindatum": [date(2022, 1, 1), date(2024, 1, 1), date(2024, 1, 1)],
                              "einddatum": [date(2024, 6, 30), None, date(2024, 12, 31)],
                              "plafond_cent": pd.array([366000, 100000, None], dtype="Int64")})
    # per year: 1 Jan - 30 Jun 2024 = 182 of 366 days -> 366000 * 182 / 366 = 182000; a whole year 100000
    assert plafond_for_year(contracts, jaar=2024).tolist() == [182000, 100000, pd.NA]
    # whole period: 2022-01-01..2024-06-30 = 365 + 365 + 182 = 912 days -> 366000 * 182 / 912 = 73039.5 -> 73039
    # (banker's rounding of .47); open-ended: no share
    assert plafond_for_year(contracts, jaar=2024, plafond_per="looptijd").tolist() == [73039, pd.NA, pd.NA]


def test_plafond_for_year_refuses_unknown_basis():
    with pytest.raises(ValueError, match="plafond_per: expected 'jaar' or 'looptijd'"):
        plafond_for_year(pd.DataFrame({"begindatum": [], "einddatum": [], "plafond_cent": []}), jaar=2024,
                         plafond_per="maand")


def test_project_contract_year_follows_the_seasonal_profile():
    frame = pd.DataFrame({"toegekend_cent": [300, 100, 0], "eerste_maand": [1, 4, 7], "laatste_maand": [12, 12, 12]})
    profile = [1] * 6 + [3] * 6  # the second half of the year weighs 3 times as much: total 6 + 18 = 24
    # row 1: months 1-6 weigh 6 of 24 -> 300 / 0.25 = 1200; row 2: months 4-6 weigh 3 of 3 + 18 = 21 -> 100 * 21 / 3
    # = 700; row 3 starts in July: nothing to project from yet
    assert project_contract_year(frame, profiel=profile, t_m_maand=6).tolist() == [1200, 700, pd.NA]
    # a profile with an empty month means equal months: 300 / (6 / 12) = 600
    assert project_contract_year(frame.head(1), profiel=[0] + [1] * 11, t_m_maand=6).tolist() == [600]


def test_project_contract_year_refuses_a_short_profile():
    frame = pd.DataFrame({"toegekend_cent": [1], "eerste_maand": [1], "laatste_maand": [12]})
    with pytest.raises(ValueError, match="profiel: expected 12 monthly weights, got 11"):
        project_contract_year(frame, profiel=[1] * 11, t_m_maand=3)


def test_plafond_utilisation_for_the_whole_warehouse(con):
    frame = plafond_utilisation(con, jaar=2024).set_index("contract_id")
    assert frame.index.tolist() == ["K1", "K2", "K3", "K4"]
    # K1 (ends 30 June): 400000 * 182 / 366 = 198907.1 -> 198907; spend R1 + R3 + R4 = 98000 (client a)
    k1 = frame.loc["K1"]
    assert (k1["plafond_jaar_cent"], k1["toegekend_cent"], k1["clienten"]) == (198907, 98000, 1)
    assert k1["benutting_pct"] == pytest.approx(100 * 98000 / 198907)  # 49.27 %
    # K3: B's R6 + R7 in GM0398 = 320000 of 300000 = 106.7 % (R12 has no contract tariff); whole year: projection = spend
    k3 = frame.loc["K3"]
    assert (k3["toegekend_cent"], k3["prognose_cent"], k3["clienten"]) == (320000, 320000, 2)
    assert k3["prognose_benutting_pct"] == pytest.approx(100 * 320000 / 300000)
    # K4 in Noord Limburg: R10 70000 of 100000; K2 has no plafond
    assert frame.loc["K4", "benutting_pct"] == pytest.approx(70.0)
    assert pd.isna(frame.loc["K2", "plafond_jaar_cent"]) and pd.isna(frame.loc["K2", "benutting_pct"])


def test_plafond_utilisation_for_a_gemeente_uses_its_region_and_projects(con):
    frame = plafond_utilisation(con, gemeente="GM1980", peildatum=date(2024, 3, 31)).set_index("contract_id")
    # Noord-Kennemerland only (K4 is Noord Limburg's)
    assert frame.index.tolist() == ["K1", "K2", "K3"]
    # K1: 98000 to 31 March, all in GM0361 (not GM1980's); months 1-6, 2023 profile incomplete -> equal months:
    # 98000 / (3 / 6) = 196000
    k1 = frame.loc["K1"]
    assert (k1["toegekend_cent"], k1["toegekend_gemeente_cent"], k1["prognose_cent"]) == (98000, 0, 196000)
    assert k1["prognose_benutting_pct"] == pytest.approx(100 * 196000 / 198907)  # 98.5 %
    # K2 starts in July: nothing to project from
    assert pd.isna(frame.loc["K2", "prognose_cent"])
    # whole year: K3's 320000 is all GM1980's
    year = plafond_utilisation(con, gemeente="GM1980", jaar=2024).set_index("contract_id")
    assert year.loc["K3", "toegekend_gemeente_cent"] == 320000


def test_plafond_utilisation_refuses_unknown_basis(con):
    with pytest.raises(ValueError, match="plafond_per"):
        plafond_utilisation(con, jaar=2024, plafond_per="kwartaal")


def test_expiring_contracts_within_6_and_12_months(con):
    frame = expiring_contracts(con, peildatum=date(2024, 3, 1))
    # K1 ends 30 June 2024: 30 + 30 + 31 + 30 = 121 days; K2 follows it; K4 (31 March 2025) is beyond 12 months
    assert frame["contract_id"].tolist() == ["K1"]
    k1 = frame.iloc[0]
    assert (k1["dagen_tot_einde"], k1["binnen_6_maanden"], k1["binnen_12_maanden"]) == (121, True, True)
    assert k1["opvolger_contract_id"] == "K2"
    # spend 2 March 2023 - 1 March 2024 under K1: R1 - R3 + R4 = 98000 (R8, R9 began 1 March 2023: outside)
    assert (k1["toegekend_12m_cent"], k1["clienten"]) == (98000, 1)


def test_expiring_contracts_of_a_gemeente_region(con):
    frame = expiring_contracts(con, peildatum=date(2024, 6, 1), gemeente="GM0983")
    # Noord Limburg: K4 ends 31 March 2025, 303 days after 1 June 2024 (365 - 62): within 12 months, not 6
    assert frame[["contract_id", "dagen_tot_einde", "binnen_6_maanden", "binnen_12_maanden"]].values.tolist() == [
        ["K4", 303, False, True]]
    assert frame.iloc[0]["toegekend_12m_cent"] == 70000 and pd.isna(frame.iloc[0]["opvolger_contract_id"])


def test_expiring_contracts_refuses_bad_horizons(con):
    with pytest.raises(ValueError, match="horizons: expected positive whole months"):
        expiring_contracts(con, peildatum=date(2024, 3, 1), horizons=(0, 12))


def test_kpi_targets_of_contracts_running_in_the_period(con):
    frame = kpi_targets(con, jaar=2024)
    assert frame[["contract_id", "kpi"]].values.tolist() == [
        ["K1", "declaratie_juistheid"], ["K1", "tevredenheid"], ["K3", "aandeel_volgens_plan"]]
    # K1 ended on 30 June 2024: not running in 2025
    assert kpi_targets(con, jaar=2025)["contract_id"].unique().tolist() == ["K3"]


def test_kpi_targets_refuses_no_period(con):
    with pytest.raises(ValueError, match="jaar / peildatum"):
        kpi_targets(con)


def test_kpi_actuals_turn_shares_into_fractions():
    keys = dict(aanbieder_agb=["x"], domein=["Jeugd"])
    out = kpi_actuals(
        correctness=pd.DataFrame(keys | dict(juistheid_bedrag_pct=[96.0], clienten=[40])),
        outcomes=pd.DataFrame(keys | dict(aandeel_volgens_plan_pct=[80.0], aandeel_voortijdig_pct=[20.0], clienten=[10])),
        satisfaction_=pd.DataFrame(keys | dict(score=[7.4], clienten=[25])),
    ).set_index("kpi")
    # 96 % -> 0.96, 80 % -> 0.80, 20 % -> 0.20, score stays 7.4; each with its own basis
    assert out["waarde"].to_dict() == pytest.approx({"declaratie_juistheid": 0.96, "aandeel_volgens_plan": 0.8,
                                                     "aandeel_voortijdig_beeindigd": 0.2, "tevredenheid": 7.4})
    assert out["clienten"].to_dict() == {"declaratie_juistheid": 40, "aandeel_volgens_plan": 10,
                                         "aandeel_voortijdig_beeindigd": 10, "tevredenheid": 25}


def test_kpi_actuals_names_the_missing_column():
    keys = dict(aanbieder_agb=["x"], domein=["Jeugd"], clienten=[1])
    with pytest.raises(ValueError, match="declaratie_juistheid: input frame lacks"):
        kpi_actuals(correctness=pd.DataFrame(keys), outcomes=pd.DataFrame(keys), satisfaction_=pd.DataFrame(keys))


def test_assess_kpis_min_max_and_percentages():
    targets = pd.DataFrame({"contract_id": ["K", "K", "K", "K"], "aanbieder_agb": ["x"] * 4, "domein": ["Jeugd"] * 4,
                            "kpi": ["aandeel_volgens_plan", "aandeel_voortijdig_beeindigd", "tevredenheid",
                                    "declaratie_juistheid"],
                            "norm": ["min", "max", "min", "min"], "streefwaarde": [70.0, 0.2, 7.0, 0.95]})
    actuals = pd.DataFrame({"aanbieder_agb": ["x"] * 3, "domein": ["Jeugd"] * 3,
                            "kpi": ["aandeel_volgens_plan", "aandeel_voortijdig_beeindigd", "tevredenheid"],
                            "waarde": [0.72, 0.25, 7.0], "clienten": [50, 50, 30]})
    out = assess_kpis(targets, actuals)
    # 0.72 >= 70 % (read as 0.70): met; 0.25 > 0.20 max: not met; 7.0 >= 7.0: met; no correctness figure: NA
    assert out["gehaald"].tolist() == [True, False, True, pd.NA]
    assert out["streefwaarde"].tolist() == pytest.approx([0.7, 0.2, 7.0, 0.95])


def test_assess_kpis_refuses_an_unknown_norm():
    targets = pd.DataFrame({"aanbieder_agb": ["x"], "domein": ["Jeugd"], "kpi": ["tevredenheid"], "norm": ["exact"],
                            "streefwaarde": [7.0]})
    with pytest.raises(ValueError, match="norm must be 'min' or 'max'"):
        assess_kpis(targets, pd.DataFrame(columns=["aanbieder_agb", "domein", "kpi", "waarde", "clienten"]))


def test_contract_kpis_uses_the_other_blocks(con):
    out = contract_kpis(con, jaar=2024)
    # K1 declaratie_juistheid: A's 68.75 % -> 0.6875 < 0.95; K1 tevredenheid: A's Jeugd score 8.0 >= 7.0;
    # K3 aandeel_volgens_plan: B ended T7 voortijdig -> 0 < 0.70
    assert out[["contract_id", "kpi", "gehaald"]].values.tolist() == [
        ["K1", "declaratie_juistheid", False], ["K1", "tevredenheid", True], ["K3", "aandeel_volgens_plan", False]]
    assert out["waarde"].tolist() == pytest.approx([0.6875, 8.0, 0.0])
    assert out["clienten"].tolist() == [3, 20, 1] and out["aanbieder_agb"].tolist() == [A, A, B]


def test_contract_kpis_refuses_a_non_date_peildatum(con):
    with pytest.raises(TypeError, match="peildatum: expected a datetime.date"):
        contract_kpis(con, peildatum="2024-06-30")
