"""Rolling-origin backtest on series whose errors are worked out by hand."""

import numpy as np
import pandas as pd
import pytest
from forecast.series import months, synthetic

from analysis.forecast import backtest_monthly, backtest_series, summarise_backtest


def test_backtest_errors_of_the_baselines_on_a_straight_line():
    # y = 100 + 10 t, Jan 2019 (t = 0) .. Dec 2022 (t = 47). Origins from Dec 2021: only Dec 2021 has 12
    # months after it (Dec 2022 has none). Actual 2022: t = 36..47, y = 460..570, sum 12 x 515 = 6180.
    series = pd.Series(100 + 10 * np.arange(48, dtype=float), index=months("2019-01-01", 48))
    errors = backtest_series(series, vanaf=2021).set_index("methode")
    assert errors["oorsprong"].unique().tolist() == [pd.Timestamp("2021-12-01")]
    # trend: the OLS line is the series itself -> no error
    assert errors.loc["trend", "mape_pct"] == pytest.approx(0, abs=1e-9)
    # naive: every month is last year's, 120 cents too low: bias -1440 / 6180 = -23.3010%;
    # MAPE = mean(120 / 460, 120 / 470, ..., 120 / 570) = 23.4065%
    assert errors.loc["naief", "bias_pct"] == pytest.approx(-23.300971)
    assert errors.loc["naief", "mape_pct"] == pytest.approx(np.mean(120 / np.arange(460, 571, 10)) * 100)
    assert errors.loc["naief", "mape_pct"] == pytest.approx(23.4065, abs=1e-4)


def test_backtest_per_domain_and_total(monthly):
    # history Jan 2021 .. Oct 2024: origins Dec 2022 (24 months) and Dec 2023 would need Dec 2024 -> only 2022
    errors = backtest_monthly(monthly, vanaf=2021)
    assert errors["oorsprong"].unique().tolist() == [pd.Timestamp("2022-12-01")]
    assert sorted(errors["domein"].unique()) == ["Beschermd Wonen", "Jeugd", "Totaal", "Wmo"]
    # BW spends nothing: no month to take a percentage of
    assert errors[errors["domein"] == "Beschermd Wonen"]["mape_pct"].isna().all()
    # Wmo is half of Jeugd: percentage errors of the baselines are the same (up to rounding to cents)
    by = errors.set_index(["domein", "methode"])["bias_pct"]
    assert by[("Wmo", "naief")] == pytest.approx(by[("Jeugd", "naief")], abs=0.01)


def test_summary_averages_over_origins_and_compares_with_the_baselines():
    errors = pd.DataFrame({
        "domein": ["Jeugd"] * 6, "oorsprong": pd.to_datetime(["2021-12-01", "2022-12-01"] * 3),
        "methode": ["model", "model", "naief", "naief", "trend", "trend"],
        "mape_pct": [10.0, 20.0, 12.0, 14.0, 30.0, 10.0], "bias_pct": [-4.0, 2.0, 5.0, 5.0, -10.0, 0.0]})
    summary = summarise_backtest(errors).set_index("methode")
    # model: MAPE (10 + 20) / 2 = 15, bias (-4 + 2) / 2 = -1, |bias| (4 + 2) / 2 = 3
    assert summary.loc["model", ["mape_pct", "bias_pct", "abs_bias_pct", "oorsprongen"]].tolist() == [15, -1, 3, 2]
    # naive MAPE 13 < 15: the model is not better than both baselines
    assert summary.loc["naief", "mape_pct"] == 13 and not summary.loc["model", "beter_dan_baselines"]


def test_backtest_needs_an_origin():
    # 30 months from Jan 2019: Dec 2021 has only 6 months after it
    with pytest.raises(ValueError, match="series: no origin"):
        backtest_series(synthetic(30), vanaf=2021)
