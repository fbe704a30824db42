"""The whole country as demo: every gemeente of 1-1-2026 (342) in its jeugdzorgregio (42).

The two seed regions of :mod:`analysis.demo.config` come first and unchanged (their merger and their
story: the aanbieder that stops, the tariff deviation, the duplicate 323, the flawed scans). The other
40 regions are drawn in the boundaries of 2026 throughout 2019-2025, as a history re-based to today's
gemeenten would look, with the inhabitants of ``data/inwoners.csv`` (approximate magnitudes of 1 January
2024, rounded to 100: demo data, not CBS figures), the jeugdzorgregio of the product's own reference
table, and the file formats of one of the two seed regions, alternating. Gemeenten below
``VRAAG_MINIMUM`` inhabitants draw the demand of that many, so every series is long enough to report.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib.resources import files

import pandas as pd

from analysis import reference
from analysis.demo import config
from analysis.demo.config import Gemeente, Region
from analysis.reference.volwassenheid import regio_slug

AANDEEL_JEUGD = 0.195  # share aged 0-17 of a gemeente outside the seed regions (national, about 19.5 %)
INWONERS_JAAR = 2024  # the year of data/inwoners.csv
# Demand of at least this many inhabitants per gemeente (13 of them are smaller, Vlieland 1,200, the least):
# at a small scale the Waddeneilanden would otherwise have months without any client, and series
# too short for the forecast. Their per-inhabitant figures are high in the demo for it.
VRAAG_MINIMUM = 10_000


def regions() -> tuple[Region, ...]:
    """The seed regions, then the other jeugdzorgregio's by name, each with its current gemeenten."""
    seeds = {r.naam for r in config.REGIONS}
    table = _gemeenten()
    others = sorted(set(table["jeugdzorgregio"]) - seeds)
    taken = {r.prefix for r in config.REGIONS}
    result = list(config.REGIONS)
    for k, naam in enumerate(others):
        rows = table[table["jeugdzorgregio"] == naam]
        prefix = _prefix(naam, taken)
        taken.add(prefix)
        result.append(Region(naam=naam, slug=regio_slug(naam), prefix=prefix,
                             gemeenten=tuple(_gemeente(r) for r in rows.itertuples(index=False)),
                             centrumgemeente=_centrum(rows), export_als=("NK", "NL")[k % 2]))
    return tuple(result)


@functools.cache
def _gemeenten() -> pd.DataFrame:
    """gemeente_code, gemeentenaam, jeugdzorgregio and inwoners (1-1-2024) of the 342 gemeenten."""
    source = files(__package__) / "data" / "inwoners.csv"
    with source.open("rb") as handle:
        inwoners = pd.read_csv(handle, dtype={"gemeente_code": str, "gemeentenaam": str, "inwoners": int})
    regio = reference.gemeenten()[["gemeente_code", "jeugdzorgregio"]]
    table = inwoners.merge(regio, on="gemeente_code", how="outer", validate="1:1", indicator=True)
    if not (table["_merge"] == "both").all():
        missing = table.loc[table["_merge"] != "both", "gemeente_code"].tolist()
        raise ValueError(f"data/inwoners.csv and the reference gemeenten differ in {missing}")
    return table.drop(columns="_merge").sort_values("gemeente_code", ignore_index=True)


def _gemeente(row) -> Gemeente:
    """A current gemeente; inhabitants of 2019 from those of 2024 at the demo's growth rate. A gemeente
    below ``VRAAG_MINIMUM`` inhabitants draws the demand of that many."""
    inwoners_2019 = round(row.inwoners / (1 + config.POPULATION_GROWTH) ** (INWONERS_JAAR - 2019))
    vraag = VRAAG_MINIMUM if inwoners_2019 < VRAAG_MINIMUM else None
    return Gemeente(row.gemeente_code[2:], row.gemeentenaam, inwoners_2019, AANDEEL_JEUGD, vraag_inwoners=vraag)


def _centrum(rows: pd.DataFrame) -> str:
    """The largest gemeente of the region (four digits), as the demo's centrumgemeente."""
    return str(rows.sort_values(["inwoners", "gemeente_code"], ascending=[False, True])["gemeente_code"].iloc[0][2:])


def _prefix(naam: str, taken: set[str]) -> str:
    """Two capitals for contract ids, unique among ``taken``: the initials, else the first letter with
    a later one, else the first free pair of letters.

    >>> _prefix("Zuid-Oost Brabant", set()), _prefix("Zuid-Oost Utrecht", {"ZO"}), _prefix("Twente", set())
    ('ZO', 'ZU', 'TW')
    """
    letters = [c for c in unicodedata.normalize("NFKD", naam.upper()) if "A" <= c <= "Z"]
    words = [w for w in regio_slug(naam).upper().split("-") if w]
    candidates = [words[0][0] + words[1][0]] if len(words) > 1 else []
    candidates += [letters[0] + c for c in letters[1:]]
    candidates += [chr(a) + chr(b) for a in range(65, 91) for b in range(65, 91)]
    return next(c for c in candidates if c not in taken)
