"""Hand-made monthly series for the forecast tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def months(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def series(values, *, start: str = "2019-01-01") -> pd.Series:
    """``values`` as floats on consecutive month starts from ``start``."""
    values = np.asarray(values, dtype=float)
    return pd.Series(values, index=months(start, len(values)))


def line(n: int = 48, *, start: str = "2019-01-01") -> pd.Series:
    """y = 100 + 10 t for t = 0 .. n - 1: the straight line whose baseline errors are worked out by hand."""
    return series(100 + 10 * np.arange(n), start=start)


def synthetic(n: int = 60, *, start: str = "2019-01-01", noise: float = 5.0, seed: int = 1) -> pd.Series:
    """1000 + 10 t + 100 sin(2 pi t / 12) cents, plus Gaussian noise of ``noise`` cents."""
    t = np.arange(n)
    clean = 1000 + 10 * t + 100 * np.sin(2 * np.pi * t / 12)
    return pd.Series(clean + np.random.default_rng(seed).normal(0, noise, n), index=months(start, n))
