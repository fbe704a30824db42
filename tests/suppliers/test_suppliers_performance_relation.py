"""Performance and relation blocks on the warehouse of conftest.py; figures worked out in comments."""

from datetime import date

import pandas as pd
import pytest
from suppliers.conftest import A, B

from analysis.suppliers import satisfaction, satisfaction_trend, trajectory_duration, trajectory_outcomes


def test_trajectory_duration_quartiles_and_running_apart(con):
    frame = trajectory_duration(con, jaar=2024).set_index("aanbieder_agb")
    a = frame.loc[A]
    # A ended in 2024: T1 31, T2 91, T3 396 days (T6 ended in 2023); running at 31 Dec: T4 (no stop), T5 (stops 2025)
    assert (a["productcategorie"], a["beeindigd"], a["clienten"], a["lopend"], a["clienten_lopend"]) == ("45", 3, 3, 2, 2)
    # interpolated quartiles of 31, 91, 396: 31 + 0.5 * 60 = 61; 91; 91 + 0.5 * 305 = 243.5
    assert (a["q1_dagen"], a["mediaan_dagen"], a["q3_dagen"]) == (61.0, 91.0, 243.5)
    # B (GM0398 -> GM1980): T7 61 days
    only_b = trajectory_duration(con, gemeente="GM1980", jaar=2024)
    assert only_b[["aanbieder_agb", "beeindigd", "mediaan_dagen"]].values.tolist() == [[B, 1, 61.0]]


def test_trajectory_duration_to_a_peildatum(con):
    frame = trajectory_duration(con, peildatum=date(2024, 3, 31), by=("aanbieder_agb",)).set_index("aanbieder_agb")
    # by 31 March A ended T1 (31) and T2 (91): median 61; running: T3, T4, T5
    assert (frame.loc[A, "beeindigd"], frame.loc[A, "mediaan_dagen"], frame.loc[A, "lopend"]) == (2, 61.0, 3)
    # B's T7 (from 1 March) is running
    assert (frame.loc[B, "beeindigd"], frame.loc[B, "lopend"]) == (0, 1) and pd.isna(frame.loc[B, "mediaan_dagen"])


def test_trajectory_duration_refuses_unknown_grouping(con):
    with pytest.raises(ValueError, match="by: cannot group by"):
        trajectory_duration(con, jaar=2024, by=("client_id",))


def test_trajectory_outcomes_share_volgens_plan_of_judged_endings(con):
    frame = trajectory_outcomes(con, jaar=2024).set_index("aanbieder_agb")
    a = frame.loc[A]
    # A: T1 volgens plan (31), T2 voortijdig (32), T3 overig (02); share over 1 + 1 = 50 % / 50 %, clients a, b
    assert (a["beeindigd"], a["volgens_plan"], a["voortijdig"], a["overig"], a["clienten"]) == (3, 1, 1, 0 + 1, 2)
    assert (a["aandeel_volgens_plan_pct"], a["aandeel_voortijdig_pct"]) == (50.0, 50.0)
    # B: T7 reden 35 voortijdig: 0 % volgens plan
    assert (frame.loc[B, "aandeel_volgens_plan_pct"], frame.loc[B, "aandeel_voortijdig_pct"]) == (0.0, 100.0)
    assert frame.loc[A, "aanbieder_naam"] == "Alfa Zorg"


def test_trajectory_outcomes_refuses_aanbieder_in_by(con):
    with pytest.raises(ValueError, match="by: cannot group by"):
        trajectory_outcomes(con, jaar=2024, by=("aanbieder_agb",))


def test_satisfaction_weighted_over_domeinen_with_trend(con):
    frame = satisfaction(con, jaar=2024)
    assert frame[["aanbieder_agb", "jaar"]].values.tolist() == [[A, 2023], [A, 2024], [B, 2024]]
    a24 = frame.iloc[1]
    # A 2024: (8.0 * 20 + 6.5 * 10) / 30 = 225 / 30 = 7.5 on 30 respondents; 2023: 7.0 -> +0.5
    assert (a24["score"], a24["respondenten"], a24["clienten"]) == (pytest.approx(7.5), 30, 30)
    assert a24["verschil_vorig_jaar"] == pytest.approx(0.5)
    assert pd.isna(frame.iloc[2]["verschil_vorig_jaar"])
    # per domein, the reporting year only
    per = satisfaction(con, jaar=2024, by=("domein",), trend=False)
    assert per[["aanbieder_agb", "domein", "score"]].values.tolist() == [[A, "Jeugd", 8.0], [A, "Wmo", 6.5],
                                                                        [B, "Jeugd", 6.0]]
    # Venlo (GM0983): only B declared there in 2024
    assert satisfaction(con, gemeente="GM0983", jaar=2024)["aanbieder_agb"].unique().tolist() == [B]


def test_satisfaction_refuses_unknown_grouping(con):
    with pytest.raises(ValueError, match="by: cannot group by"):
        satisfaction(con, jaar=2024, by=("productcategorie",))


def test_satisfaction_trend_skips_a_missing_year():
    frame = pd.DataFrame({"aanbieder_agb": ["x", "x", "x"], "jaar": [2021, 2023, 2024], "score": [7.0, 8.0, 7.6],
                          "respondenten": [10, 12, 14]})
    out = satisfaction_trend(frame)
    # 2021: nothing before; 2023: no 2022 survey; 2024: 7.6 - 8.0 = -0.4
    assert pd.isna(out["verschil_vorig_jaar"].iloc[0]) and pd.isna(out["verschil_vorig_jaar"].iloc[1])
    assert out["verschil_vorig_jaar"].iloc[2] == pytest.approx(-0.4)


def test_satisfaction_trend_names_missing_columns():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['score'\]"):
        satisfaction_trend(pd.DataFrame({"aanbieder_agb": ["x"], "jaar": [2024]}))
