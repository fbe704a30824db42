"""Shared series for the forecast tests, and the ``slow`` marker (the demo backtest builds a warehouse)."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast.series import synthetic


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a demo warehouse (about 40 s); deselect with -m 'not slow'")


@pytest.fixture
def monthly() -> pd.DataFrame:
    """``complete_months``-shaped frame, 2021-01..2024-10: Jeugd the synthetic series, Wmo half of it, BW 0."""
    jeugd = synthetic(46, start="2021-01-01")
    frames = [pd.DataFrame({"maand": jeugd.index, "domein": d, "toegekend_cent": (jeugd * f).round().astype("int64")})
              for d, f in (("Jeugd", 1.0), ("Wmo", 0.5), ("Beschermd Wonen", 0.0))]
    return pd.concat(frames, ignore_index=True)
