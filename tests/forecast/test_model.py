"""The model, its baselines and the forecast error on series whose answers are known."""

import numpy as np
import pandas as pd
import pytest
from forecast.series import months, synthetic

from analysis.forecast import forecast_error, forecast_with_paths, model_forecast, naive_forecast, trend_forecast


def test_naive_repeats_the_last_twelve_months():
    series = pd.Series(np.arange(24, dtype=float), index=months("2020-01-01", 24))  # 0 .. 23
    forecast = naive_forecast(series, maanden=14)
    # the last 12 months are 12..23; month 13 and 14 start the cycle again: 12, 13
    assert forecast.tolist() == [*range(12, 24), 12, 13]
    assert forecast.index[0] == pd.Timestamp("2022-01-01")


def test_trend_extends_the_ols_line():
    # y = 100 + 10 t for t = 0..23, with +5 on even and -5 on odd months: the line's fit is
    # slope = cov(t, y) / var(t); the +-5 pattern adds cov(t, e) = -5 * 12/24 ... exact solve below by hand:
    # the zig-zag e_t = 5 (-1)^t has sum(e) = 0 and sum(t e) = 5 * (0-1+2-3...+22-23) = 5 * -12 = -60;
    # sum((t - 11.5)^2) = 24 (24^2 - 1) / 12 = 1150, so slope = 10 - 60/1150 = 9.947826;
    # intercept = mean(y) - slope * 11.5 = 215 - 114.4 = 100.6; month 24: 100.6 + 9.947826 * 24 = 339.347826
    t = np.arange(24)
    series = pd.Series(100 + 10 * t + 5 * (-1.0) ** t, index=months("2020-01-01", 24))
    forecast = trend_forecast(series, maanden=2)
    assert forecast.iloc[0] == pytest.approx(339.347826, abs=1e-6)
    assert forecast.iloc[1] - forecast.iloc[0] == pytest.approx(9.947826, abs=1e-6)


def test_forecast_error_mape_skips_zero_months_and_bias_is_signed():
    index = months("2024-01-01", 3)
    forecast, actual = pd.Series([110.0, 90.0, 100.0], index), pd.Series([100.0, 100.0, 0.0], index)
    errors = forecast_error(forecast, actual)
    # MAPE over the two non-zero months: (10/100 + 10/100) / 2 = 10%
    assert errors["mape_pct"] == pytest.approx(10.0)
    # bias: (300 - 200) / 200 = +50% (too high)
    assert errors["bias_pct"] == pytest.approx(50.0)


def test_model_recovers_a_clean_trend_and_season():
    # 60 months of 1000 + 10 t + 100 sin(2 pi t / 12) + noise (sd 5 cents); forecast the next 12 against the
    # truth. Tolerance: a damped trend gives up part of the slope by design. statsmodels keeps the damping
    # phi in [0.8, 0.98], so h months ahead it forecasts at least 10 x sum(0.8^1..h) of the 10 x h trend
    # cents: a miss of at most 10 x (h - sum 0.8^i) (2 cents at h = 1, 83 cents = 5% at h = 12), plus three
    # noise standard deviations (15 cents) for the level and season it estimates from noisy months.
    series = synthetic(60)
    h = np.arange(1, 13)
    truth = 1000 + 10 * (59 + h) + 100 * np.sin(2 * np.pi * (59 + h) / 12)
    damped = np.cumsum(0.8 ** h)
    tolerance = 10 * (h - damped) + 15
    forecast = model_forecast(series, maanden=12).to_numpy()
    assert np.all(np.abs(forecast - truth) <= tolerance)
    # the season is there: the forecast peaks in April (t = 63, sin = 1), like the truth
    assert forecast.argmax() == truth.argmax() == 3
    # and it beats the naive baseline, which misses a year of trend (120 cents)
    naive = naive_forecast(series, maanden=12).to_numpy()
    assert np.mean(np.abs(forecast - truth)) < np.mean(np.abs(naive - truth))


def test_paths_are_reproducible_and_centred_on_the_forecast():
    series = synthetic(48)
    point, paths = forecast_with_paths(series, maanden=6, herhalingen=400, seed=3)
    again = forecast_with_paths(series, maanden=6, herhalingen=400, seed=3)[1]
    assert paths.shape == (6, 400) and paths.equals(again)
    # 400 paths: the mean is within a few standard errors of the point forecast
    assert np.all(np.abs(paths.mean(axis=1) - point) < 4 * paths.std(axis=1) / np.sqrt(400))


def test_a_flat_series_forecasts_itself():
    series = pd.Series(0.0, index=months("2020-01-01", 24))
    point, paths = forecast_with_paths(series, maanden=3, herhalingen=5)
    assert point.tolist() == [0.0, 0.0, 0.0] and (paths == 0).all().all()


@pytest.mark.parametrize("function", [model_forecast, naive_forecast, trend_forecast])
def test_too_short_a_series_is_refused(function):
    with pytest.raises(ValueError, match="series: 23 months is too short"):
        function(synthetic(23), maanden=12)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="maanden"):
        naive_forecast(synthetic(24), maanden=0)
    with pytest.raises(ValueError, match="consecutive"):
        trend_forecast(synthetic(30).drop(pd.Timestamp("2019-05-01")), maanden=1)
    with pytest.raises(ValueError, match="forecast, actual"):
        forecast_error(synthetic(24).iloc[:3], synthetic(24).iloc[3:6])
