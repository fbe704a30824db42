"""Forecast gap: income against expenditure per gemeente and domain, to a horizon of years.

- ``scenario``: the assumptions (price index from OVA and PPC, demand growth, income change) and their
  Dutch description.
- ``model``: the monthly spend model (ETS with damped trend and seasonality), its simulated intervals,
  the two baselines and the forecast error.
- ``gap``: the queries (approved spend via ``analysis.spend``, income) and the gap table.
- ``backtest``: the rolling-origin backtest of the model against the baselines.

Typical use in a notebook::

    gap = forecast_gap(con, gemeente="GM0361", horizon=3, scenario=Scenario(vraaggroei=0.02))
    fouten = summarise_backtest(backtest(con, gemeente="GM0361"))
"""

from analysis.forecast.backtest import backtest, backtest_monthly, backtest_series, summarise_backtest
from analysis.forecast.gap import (compute_gap, forecast_gap, forecast_spend, last_closed_month, project_income,
                                   spend_months, yearly_income)
from analysis.forecast.model import (forecast_error, forecast_with_paths, model_forecast, naive_forecast,
                                     trend_forecast)
from analysis.forecast.scenario import Scenario

__all__ = ["Scenario", "backtest", "backtest_monthly", "backtest_series", "compute_gap", "forecast_error",
           "forecast_gap", "forecast_spend", "forecast_with_paths", "last_closed_month", "model_forecast",
           "naive_forecast", "project_income", "spend_months", "summarise_backtest", "trend_forecast",
           "yearly_income"]
