"""Supplier performance: the four building blocks of leveranciersmanagement, and a scorecard.

- :mod:`~analysis.suppliers.financial`: spend, clients, cost per client and trend; declaration
  correctness and retourcodes; tariff compliance against the contract.
- :mod:`~analysis.suppliers.contract`: plafond utilisation with a year-end projection, contracts
  that end soon, KPI targets met or not.
- :mod:`~analysis.suppliers.performance`: trajectory duration; ended volgens plan against voortijdig.
- :mod:`~analysis.suppliers.wachttijd`: days from toewijzing to start of care, the share within a norm,
  toewijzingen not started after it, a trend per quarter.
- :mod:`~analysis.suppliers.herhaald_beroep`: clients whose care ended and who get a new toewijzing in
  the same domein within 12 months, by how the care ended.
- :mod:`~analysis.suppliers.relation`: satisfaction score and respondents, trend.
- :mod:`~analysis.suppliers.scorecard`: red/amber/green per block against :class:`Thresholds`,
  an overall status and a ranking; the concentration of spend.

Every query takes an open DuckDB connection first, ``gemeente`` (a current CBS code, re-based over
mergers; None = the whole warehouse) and the period: ``jaar`` (the calendar year) or ``peildatum``
(1 January of its year up to that day). Money is integer cents; shares are float %; figures about
clients carry ``clienten``, the count they rest on (not suppressed here). Each module's docstring
states its definitions.
"""

from analysis.suppliers.contract import (assess_kpis, contract_kpis, expiring_contracts, kpi_actuals, kpi_targets,
                                         plafond_for_year, plafond_utilisation, project_contract_year)
from analysis.suppliers.financial import (compare_years, declaration_correctness, retourcode_breakdown,
                                          supplier_spend, tariff_compliance)
from analysis.suppliers.herhaald_beroep import herhaald_beroep
from analysis.suppliers.performance import trajectory_duration, trajectory_outcomes
from analysis.suppliers.relation import satisfaction, satisfaction_trend
from analysis.suppliers.scorecard import Thresholds, rag, rate_suppliers, spend_concentration, supplier_scorecard
from analysis.suppliers.wachttijd import niet_gestart, niet_gestart_telling, wachttijd, wachttijd_trend

__all__ = [
    "Thresholds", "assess_kpis", "compare_years", "contract_kpis", "declaration_correctness", "expiring_contracts",
    "herhaald_beroep", "kpi_actuals", "kpi_targets", "niet_gestart", "niet_gestart_telling", "plafond_for_year",
    "plafond_utilisation",
    "project_contract_year", "rag", "rate_suppliers", "retourcode_breakdown", "satisfaction", "satisfaction_trend",
    "spend_concentration", "supplier_scorecard", "tariff_compliance", "trajectory_duration", "trajectory_outcomes",
    "wachttijd", "wachttijd_trend",
]
