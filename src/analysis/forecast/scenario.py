"""The scenario of a forecast: price index, demand growth and income change, stated in Dutch.

The statistical model (``analysis.forecast.model``) continues the trend of the past years; that trend
already carries the price rises of those years. The scenario therefore moves the model's forecast by
how far its assumptions differ from the trend: a price index above ``prijsindex_in_trend`` and any
``vraaggroei`` raise expenditure by that much a year, compounded monthly from the last closed month.
With the defaults the factor is exactly 1 and the forecast is the model's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# VNG, "Indexatie bij inkoop Jeugdhulp en Wmo-ondersteuning 2025" (voorlopige indexatie 2025):
# OVA 4,18% weighted 90%, PPC 1,82% weighted 10% -> 3,944% a year.
OVA_2025 = 0.0418
PPC_2025 = 0.0182
OVA_MIX_2025 = 0.9 * OVA_2025 + 0.1 * PPC_2025

_RATE_LIMIT = 0.5  # a yearly rate outside (-50%, +50%) is a typo (4 instead of 0.04), not a scenario


def _pct(rate: float) -> str:
    """0.03944 -> '3,94%' (Dutch decimal comma)."""
    return f"{rate * 100:.2f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Scenario:
    """Assumptions of a forecast; every rate is a fraction a year (0.04 = 4% a year).

    - ``ova``, ``ppc``, ``gewicht_ova``, ``gewicht_ppc``: the tariff index is
      ``gewicht_ova * ova + gewicht_ppc * ppc`` (defaults: the VNG's 2025 figures, 90/10, 3,944%).
    - ``prijsindex_in_trend``: the yearly price rise the history's trend already carries (default the
      same 3,944%); only the difference between the index and this rate moves the forecast.
    - ``vraaggroei``: demand (volume) growth a year on top of the trend (default 0).
    - ``inkomsten_groei``: change of income a year after the last year the warehouse knows (default 0:
      nominally flat, the cautious plan assumption).

    >>> Scenario(ova=0.05, ppc=0.02).prijsindex
    0.047
    """

    ova: float = OVA_2025
    ppc: float = PPC_2025
    gewicht_ova: float = 0.9
    gewicht_ppc: float = 0.1
    prijsindex_in_trend: float = OVA_MIX_2025
    vraaggroei: float = 0.0
    inkomsten_groei: float = 0.0

    def __post_init__(self) -> None:
        for name in ("ova", "ppc", "prijsindex_in_trend", "vraaggroei", "inkomsten_groei"):
            value = getattr(self, name)
            if not -_RATE_LIMIT < value < _RATE_LIMIT:
                raise ValueError(f"{name}: {value} is not a yearly rate between -0.5 and 0.5 (0.04 = 4%)")
        if min(self.gewicht_ova, self.gewicht_ppc) < 0 or abs(self.gewicht_ova + self.gewicht_ppc - 1) > 1e-9:
            raise ValueError(f"gewicht_ova, gewicht_ppc: weights must be >= 0 and add up to 1, "
                             f"got {self.gewicht_ova} and {self.gewicht_ppc}")

    @property
    def prijsindex(self) -> float:
        """The yearly tariff index (fraction): the weighted mix of OVA and PPC."""
        return round(self.gewicht_ova * self.ova + self.gewicht_ppc * self.ppc, 12)

    def uitgaven_factor(self, maanden_vooruit: np.ndarray) -> np.ndarray:
        """Multiplier on the model's expenditure ``maanden_vooruit`` months after the last closed month."""
        yearly = (1 + self.prijsindex) / (1 + self.prijsindex_in_trend) * (1 + self.vraaggroei)
        return yearly ** (np.asarray(maanden_vooruit, dtype=float) / 12)

    def inkomsten_factor(self, jaren_vooruit: int) -> float:
        """Multiplier on the last known year's income ``jaren_vooruit`` years later."""
        return (1 + self.inkomsten_groei) ** jaren_vooruit

    def describe(self) -> list[str]:
        """The assumptions as Dutch sentences, for the report."""
        return [
            f"Prijsindex {_pct(self.prijsindex)} per jaar: {self.gewicht_ova * 100:.0f}% OVA ({_pct(self.ova)}) "
            f"en {self.gewicht_ppc * 100:.0f}% PPC ({_pct(self.ppc)}).",
            f"De trend van de afgelopen jaren bevat al een prijsstijging van {_pct(self.prijsindex_in_trend)} "
            f"per jaar; alleen het verschil met de prijsindex verschuift de prognose.",
            f"Volumegroei bovenop de trend: {_pct(self.vraaggroei)} per jaar.",
            f"Rijksmiddelen na het laatst bekende jaar: {_pct(self.inkomsten_groei)} per jaar.",
        ]
