"""Monthly spend forecasts: the statistical model, its two baselines and the forecast error.

Every function takes a monthly series (``pd.Series`` of cents on a month-start ``DatetimeIndex``,
no gaps) and returns the next ``maanden`` months on the same kind of index.

- Model: exponential smoothing (statsmodels ``ETSModel``) with additive error, an additive damped
  trend and additive 12-month seasonality, fitted by maximum likelihood. Additive, because a small
  gemeente's domain can have months of zero spend. Intervals come from simulating 1,000 future paths
  (``simulate_paths``), not from ``get_prediction``: the report needs intervals of *year totals*, and
  summing simulated paths gives those (and the sum over domains) directly.
- Baselines: ``naive_forecast`` repeats the last 12 months (seasonal naive: last year's level and
  pattern); ``trend_forecast`` is a straight line fitted by OLS on the month number.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel, ETSResults

SEIZOEN = 12
MIN_MAANDEN = 2 * SEIZOEN
"""Two full years: the fewest months from which the model can tell the season from the trend."""


def check_series(series: pd.Series) -> None:
    """Raise ``ValueError`` unless ``series`` is a gap-free monthly series of at least 24 numbers."""
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("series: needs a DatetimeIndex of month starts")
    if len(series) < MIN_MAANDEN:
        raise ValueError(f"series: {len(series)} months is too short; the model needs at least {MIN_MAANDEN}")
    expected = pd.date_range(series.index[0], periods=len(series), freq="MS")
    if not series.index.equals(expected) or series.isna().any():
        raise ValueError("series: months must be consecutive month starts without missing values")


def _check_maanden(maanden: int) -> None:
    if maanden < 1:
        raise ValueError(f"maanden: must be at least 1, got {maanden}")


def _future_index(series: pd.Series, maanden: int) -> pd.DatetimeIndex:
    return pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=maanden, freq="MS")


def _fit(series: pd.Series) -> tuple[ETSResults, float]:
    """The fitted model on the series scaled to mean 1 (the optimiser's comfort), and that scale."""
    scale = float(series.abs().mean())
    y = pd.Series(series.to_numpy(dtype=float) / scale, index=pd.DatetimeIndex(series.index, freq="MS"))
    model = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=SEIZOEN)
    with warnings.catch_warnings():
        # A flat likelihood on a short noisy series is normal here; the backtest shows the result's worth.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(disp=False), scale


def _is_flat(series: pd.Series) -> bool:
    """A constant series (often all zeros: a domain a gemeente does not buy) has nothing to fit."""
    return bool(np.ptp(series.to_numpy(dtype=float)) == 0)


def forecast_with_paths(series: pd.Series, *, maanden: int, herhalingen: int = 1000,
                        seed: int = 0) -> tuple[pd.Series, pd.DataFrame]:
    """The model's expected spend and ``herhalingen`` simulated futures from one fit (cents, float).

    The paths' rows are the ``maanden`` months after the series, their columns the repetitions;
    Gaussian errors with the fitted variance; the same ``seed`` gives the same paths.
    """
    check_series(series)
    _check_maanden(maanden)
    if herhalingen < 2:
        raise ValueError(f"herhalingen: need at least 2 paths for an interval, got {herhalingen}")
    index = _future_index(series, maanden)
    if _is_flat(series):
        level = float(series.iloc[-1])
        return pd.Series(level, index=index), pd.DataFrame(level, index=index, columns=range(herhalingen))
    result, scale = _fit(series)
    point = pd.Series(np.asarray(result.forecast(maanden)) * scale, index=index)
    paths = np.asarray(result.simulate(maanden, anchor="end", repetitions=herhalingen,
                                       rng=np.random.default_rng(seed)))
    return point, pd.DataFrame(paths.reshape(maanden, herhalingen) * scale, index=index)


def model_forecast(series: pd.Series, *, maanden: int) -> pd.Series:
    """The model's expected spend (cents, float) for the ``maanden`` months after the series."""
    return forecast_with_paths(series, maanden=maanden, herhalingen=2)[0]


def naive_forecast(series: pd.Series, *, maanden: int) -> pd.Series:
    """Baseline 'last year': month ``i`` after the series gets the value of the same month a year before.

    >>> s = pd.Series(range(24), index=pd.date_range("2020-01-01", periods=24, freq="MS"), dtype=float)
    >>> naive_forecast(s, maanden=13).tolist()[:2], naive_forecast(s, maanden=13).tolist()[-1]
    ([12.0, 13.0], 12.0)
    """
    check_series(series)
    _check_maanden(maanden)
    last_year = series.to_numpy(dtype=float)[-SEIZOEN:]
    return pd.Series(np.resize(last_year, maanden), index=_future_index(series, maanden))


def trend_forecast(series: pd.Series, *, maanden: int) -> pd.Series:
    """Baseline 'straight line': OLS of spend on the month number (0, 1, ...), extended ``maanden`` months."""
    check_series(series)
    _check_maanden(maanden)
    t = np.arange(len(series), dtype=float)
    slope, intercept = np.polyfit(t, series.to_numpy(dtype=float), deg=1)
    future = np.arange(len(series), len(series) + maanden, dtype=float)
    return pd.Series(intercept + slope * future, index=_future_index(series, maanden))


def forecast_error(forecast: pd.Series, actual: pd.Series) -> dict[str, float]:
    """MAPE and bias of a forecast against what happened, in %.

    ``mape_pct``: the mean of ``|forecast - actual| / |actual|`` over months with non-zero actual spend
    (NaN when there are none); ``bias_pct``: ``(sum forecast - sum actual) / sum actual``, positive when
    the forecast was too high (NaN when the actual total is zero).
    """
    if not forecast.index.equals(actual.index):
        raise ValueError("forecast, actual: must cover the same months")
    f, a = forecast.to_numpy(dtype=float), actual.to_numpy(dtype=float)
    nonzero = a != 0
    mape = float(np.mean(np.abs(f[nonzero] - a[nonzero]) / np.abs(a[nonzero])) * 100) if nonzero.any() else np.nan
    total = a.sum()
    bias = float((f.sum() - total) / total * 100) if total != 0 else np.nan
    return {"mape_pct": mape, "bias_pct": bias}
