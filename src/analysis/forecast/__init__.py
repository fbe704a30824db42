"""Forecast gap: income against expenditure per gemeente and domain, to a horizon of years.

- ``scenario``: the assumptions (price index from OVA and PPC, demand growth, income change) and their
  Dutch description.
- ``model``: the one forecaster ``predict`` (the mean of ETS, damped ETS and Theta, with bands measured on
  the series' own history, as simulated paths) and the two baselines.
- ``gap``: the queries (approved spend via ``analysis.spend``, income) and the gap table.
- ``backtest``: the rolling-origin backtest of year totals, for the forecast, every candidate and the baselines.
- ``toets``: that backtest for every gemeente of a warehouse (``inkoopmonitor prognose-toets``).

Typical use in a notebook::

    gap = forecast_gap(con, gemeente="GM0361", horizon=3, scenario=Scenario(vraaggroei=0.02))
    fouten = summarise_backtest(backtest(con, gemeente="GM0361"))
"""

from analysis.forecast.backtest import (backtest, backtest_monthly, backtest_series, report_backtest,
                                       summarise_backtest)
from analysis.forecast.gap import (GeenVolledigJaar, compute_gap, forecast_gap, forecast_gap_paths, forecast_spend,
                                   last_closed_month, project_income, region_forecasts, region_gap, spend_months,
                                   yearly_income)
from analysis.forecast.model import (KANDIDATEN, LEDEN, naive_forecast, predict, predict_paths, short_paths,
                                     trend_forecast)
from analysis.forecast.scenario import Scenario

__all__ = ["GeenVolledigJaar", "KANDIDATEN", "LEDEN", "Scenario", "backtest", "backtest_monthly",
           "backtest_series", "compute_gap", "forecast_gap", "forecast_gap_paths", "forecast_spend",
           "last_closed_month", "naive_forecast", "predict", "predict_paths", "project_income",
           "region_forecasts", "region_gap", "report_backtest", "short_paths", "spend_months",
           "summarise_backtest", "trend_forecast", "yearly_income"]
