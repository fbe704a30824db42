"""The supply side of the demo: aanbieders, their contracts per perceel, and contract tariffs.

Plain data (dataclasses and dicts); the writers in :mod:`analysis.demo.tables` turn it into files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from analysis.demo import config
from analysis.demo.config import Region

STOPPER_NAAM = "Jeugd & Gezin Noord"  # stops in Noord-Kennemerland on STOP_DATE
STOP_DATE = dt.date(2023, 6, 30)
AFWIJKER_NAAM = "Zorggroep Céleste"  # declares above contract in Noord Limburg from AFWIJKING_VANAF
AFWIJKING_VANAF = 2023
AFWIJKING = 0.04  # 4 % above the contract tariff
TRAAG_STARTEND = 1  # the aanbieder (by position in a region's list) whose care starts weeks after the toewijzing
LAAT_DECLAREREND = 2  # the aanbieder that declares about six weeks late


@dataclass(frozen=True)
class Aanbieder:
    """A zorgaanbieder in one region: AGB (8 digits), name, its domain and percelen, its size."""

    agb: str
    naam: str
    domein: str
    percelen: tuple[str, ...]
    gewicht: float  # relative share of new clients within each of its percelen
    stopt: dt.date | None = None  # last day of care when the aanbieder drops out
    tarief_opslag: float = 0.0  # declared tariff above contract from AFWIJKING_VANAF
    traag_startend: bool = False  # its toewijzingen come 5 to 13 weeks before care starts (a waiting list)
    laat_declarerend: bool = False  # its 323s go out about six weeks after the product month


@dataclass(frozen=True)
class Contract:
    """One contract: aanbieder x perceel x contract period. Plafond in EUR a calendar year."""

    contract_id: str
    regio: str
    agb: str
    naam: str
    domein: str
    perceel: str
    begindatum: dt.date
    einddatum: dt.date | None
    plafond_eur: int | None = None


def _agb_codes(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct 8-digit AGB codes in the 98xxxxxx range used for Wmo / Jeugd providers, none of
    them in ``taken`` (codes of other regions); a taken code is drawn again (no draw when none is)."""
    codes = [f"98{int(x):06d}" for x in rng.choice(1_000_000, size=n, replace=False)]
    for i, code in enumerate(codes):
        while code in taken or code in codes[:i]:
            code = f"98{int(rng.integers(1_000_000)):06d}"
        codes[i] = code
    return codes


def _names(rng: np.random.Generator, domeinen: list[str]) -> list[str]:
    """Distinct Dutch provider names, one per entry of ``domeinen``; the fixed names come first."""
    names: list[str] = []
    for i, domein in enumerate(domeinen):
        soorten = config.NAAM_SOORTEN[domein]
        while True:
            naam = f"{soorten[rng.integers(len(soorten))]} {config.NAAM_STAMMEN[rng.integers(len(config.NAAM_STAMMEN))]}"
            if rng.random() < 0.2:
                naam += (" Noord", " & Partners", " B.V.", " Zuid")[rng.integers(4)]
            if naam not in names and naam not in config.VASTE_NAMEN:
                names.append(naam)
                break
    return names


def _domains(n: int) -> list[str]:
    """Domains of ``n`` aanbieders: 45 % Jeugd, 40 % Wmo, the rest Beschermd Wonen (at least 2)."""
    n_bw = max(2, round(n * 0.15))
    n_jeugd = round((n - n_bw) * 0.53)
    return ["Jeugd"] * n_jeugd + ["Wmo"] * (n - n_bw - n_jeugd) + ["Beschermd Wonen"] * n_bw


def _percelen(rng: np.random.Generator, domeinen: list[str]) -> list[tuple[str, ...]]:
    """Percelen per aanbieder: round-robin first (every perceel at least two aanbieders), then extra."""
    result: list[list[str]] = [[] for _ in domeinen]
    for domein in config.DOMAINS:
        idx = [i for i, d in enumerate(domeinen) if d == domein]
        own = [p for d, p in config.PERCELEN if d == domein]
        slots = [own[k % len(own)] for k in range(max(2 * len(own), len(idx)))]
        for k, perceel in enumerate(slots):
            target = result[idx[k % len(idx)]]
            if perceel not in target:
                target.append(perceel)
        for i in idx:
            for extra in rng.choice(own, size=2):
                if rng.random() < 0.6 and extra not in result[i]:
                    result[i].append(str(extra))
    return [tuple(sorted(p, key=lambda x: [q for _, q in config.PERCELEN].index(x))) for p in result]


def aanbieders(region: Region, *, scale: float, rng: np.random.Generator,
               shared: dict[str, str], taken: set[str] | None = None) -> list[Aanbieder]:
    """The aanbieders of ``region``; ``shared`` maps fixed names to AGB codes used in every region,
    ``taken`` holds the other AGB codes already given out (the region's own are added to it)."""
    n = max(12, round(config.AANBIEDERS_PER_REGION * scale))
    domeinen = _domains(n)
    names = _names(rng, domeinen)
    names[0] = STOPPER_NAAM if region.prefix == "NK" else names[0]
    first_wmo = domeinen.index("Wmo")
    names[first_wmo] = AFWIJKER_NAAM
    taken = set() if taken is None else taken
    agbs = _agb_codes(rng, n, taken | set(shared.values()))
    agbs = [shared.setdefault(nm, a) if nm in config.VASTE_NAMEN else a for nm, a in zip(names, agbs)]
    taken.update(agbs)
    weights = 1.0 / (1.0 + rng.permutation(n)) ** 0.8
    weights[0] = weights[first_wmo] = 1.0  # both special aanbieders are large
    percelen = _percelen(rng, domeinen)
    return [
        Aanbieder(agb, naam, dom, perc, float(w),
                  stopt=STOP_DATE if naam == STOPPER_NAAM else None,
                  tarief_opslag=AFWIJKING if (naam == AFWIJKER_NAAM and region.prefix == "NL") else 0.0,
                  traag_startend=i == TRAAG_STARTEND, laat_declarerend=i == LAAT_DECLAREREND)
        for i, (agb, naam, dom, perc, w) in enumerate(zip(agbs, names, domeinen, percelen, weights))
    ]


def tarieven(rng: np.random.Generator) -> dict[tuple[str, int], int]:
    """Contract tariff in cents per (productcode, year) for 2019-2026: indexation 3-6 % a year."""
    years = range(2019, 2027)
    index = np.cumprod(np.r_[1.0, 1.0 + rng.uniform(0.03, 0.06, size=len(years) - 1)])
    return {(p.code, y): (p.tarief_2019 if p.eenheid == "83" else round(p.tarief_2019 * f))
            for p in config.PRODUCTS for y, f in zip(years, index)}


CONTRACT_PERIODS = {  # first period end, second period start, candidate ends of the second period
    "NK": (dt.date(2021, 12, 31), dt.date(2022, 1, 1),
           (dt.date(2026, 6, 30), dt.date(2026, 12, 31), dt.date(2027, 12, 31), None)),
    "NL": (dt.date(2022, 12, 31), dt.date(2023, 1, 1),
           (dt.date(2026, 9, 30), dt.date(2026, 12, 31), dt.date(2028, 12, 31), None)),
}


def contracts(region: Region, aanbieders_: list[Aanbieder], *, rng: np.random.Generator) -> list[Contract]:
    """Two contract periods per aanbieder x perceel; the second period's end differs per perceel."""
    end1, start2, ends = CONTRACT_PERIODS[region.formaat]
    end2 = {p: ends[rng.integers(len(ends))] for _, p in config.PERCELEN}
    result = []
    for k, a in enumerate(aanbieders_, start=1):
        for perceel in a.percelen:
            pcode = [p for _, p in config.PERCELEN].index(perceel) + 1
            for begin, end in ((config.DECENTRALISATIE, end1), (start2, end2[perceel])):
                if a.stopt is not None and begin > a.stopt:
                    continue
                if a.stopt is not None and (end is None or end > a.stopt):
                    end = a.stopt
                cid = f"{region.prefix}-{begin.year}-{k:03d}-P{pcode:02d}"
                result.append(Contract(cid, region.naam, a.agb, a.naam, a.domein, perceel, begin, end))
    return result
