"""Iv3 taakvelden of chapter 6 (sociaal domein) per boekjaar, with the care domein they hold.

A budget trend per domein needs this crosswalk because CBS redrew chapter 6 twice (compared from
the Iv3 definition files 2017-2026):

* 2017-2022: 6.6 Maatwerkvoorziening (WMO), 6.71 Maatwerkdienstverlening 18+, 6.72 ... 18-,
  6.81 Geëscaleerde zorg 18+, 6.82 ... 18-. Only wording changed (2020: "(WMO)";
  2023: 6.2 Wijkteams -> Toegang en eerstelijnsvoorzieningen, 6.4 -> WSW en beschut werk).
* 2023-2024: amounts go on sub-taakvelden 6.71a-d, 6.72a-d, 6.73a-c, 6.74a-c, 6.81a-b,
  6.82a-b; 6.71, 6.72, 6.81 and 6.82 remain only as totals (every lasten cell grey), marked
  ``rapporteerbaar == False`` so that nobody adds a total to its parts. 6.73/6.74 have no total
  of their own; by numbering and content they are part of 6.72.
* 2025-: 6.2 -> 6.21/6.22/6.23 (toegang Wmo/Jeugd/integraal), 6.6 -> 6.60, 6.71a-d -> 6.711-714,
  jeugdhulp -> 6.751-753 (ambulant) and 6.761-763 (met verblijf), new 6.791/6.792 (pgb),
  6.81a-b -> 6.811-812, 6.82a-b -> 6.821-822, new 6.91/6.92 (coördinatie en beleid).

Domein choices (column ``toelichting`` gives the reason per row):

* Jeugd: 6.72, 6.82 and all their parts and successors (6.72a-6.74c, 6.82a-b, 6.75x, 6.76x,
  6.821-822) and 6.792 pgb Jeugd.
* Wmo: 6.6/6.60 (hulpmiddelen, woonvoorzieningen), 6.71 and parts/successors, 6.791 pgb Wmo.
* Beschermd Wonen: 6.81 Geëscaleerde zorg 18+ and its parts 6.81a/6.811 beschermd wonen and
  6.81b/6.812 maatschappelijke en vrouwenopvang, because the domein Beschermd Wonen includes
  opvang (iWmo productcategorie 15-18).
* None: 6.1, 6.2/6.21-6.23 (toegang), 6.3, 6.4, 6.5, 6.91, 6.92: not care bought through
  the contracts. Toegang stays None in every year so 2019 compares with 2025.

Known breaks: pgb was booked inside the care taakvelden until 2024 and has its own taakvelden from
2025 (mapped to Wmo and Jeugd to keep the domein totals comparable; pgb beschermd wonen lands in
6.791, so Wmo); 6.91/6.92 make apparatus costs visible from 2025 that were spread before.
"""

from __future__ import annotations

import functools

import pandas as pd

from analysis.reference._data import as_bool, read_table


def taakvelden_sociaal_domein() -> pd.DataFrame:
    """Chapter 6 taakvelden, one row per definition period, with ``domein`` (None: no care).

    ``geldig_van``/``geldig_tot`` are boekjaren (int); ``geldig_tot`` is NA while the taakveld is
    in the newest definitions (2026). ``rapporteerbaar`` is False for a total-only taakveld.
    """
    return _taakvelden().copy()


@functools.cache
def _taakvelden() -> pd.DataFrame:
    frame = read_table("taakvelden_sociaal_domein")
    return frame.assign(
        geldig_van=frame["geldig_van"].astype("int64"),
        geldig_tot=frame["geldig_tot"].astype("Int64"),
        rapporteerbaar=as_bool(frame["rapporteerbaar"]),
    )


def taakvelden_in_jaar(jaar: int) -> pd.DataFrame:
    """The chapter 6 taakvelden of boekjaar ``jaar``, one row each (empty before 2017).

    Years after 2026 get the newest definitions (``geldig_tot`` NA is taken as open-ended).
    """
    frame = _taakvelden()
    ended = frame["geldig_tot"].fillna(jaar).astype("int64")
    return frame[(frame["geldig_van"] <= jaar) & (ended >= jaar)].reset_index(drop=True)


def taakveld_domein(taakveld: str, jaar: int) -> str | None:
    """The domein (Jeugd, Wmo, Beschermd Wonen) of an Iv3 taakveld in boekjaar ``jaar``, or None.

    None means a taakveld of chapter 6 that holds no care bought through the contracts.
    Raises KeyError for a taakveld that does not exist in that year's definitions.

    >>> taakveld_domein("6.81", 2019), taakveld_domein("6.811", 2025)
    ('Beschermd Wonen', 'Beschermd Wonen')
    """
    year = taakvelden_in_jaar(jaar)
    rows = year[year["taakveld"] == str(taakveld).strip()]
    if rows.empty:
        raise KeyError(f"taakveld {taakveld!r} does not exist in chapter 6 of Iv3 {jaar}")
    value = rows["domein"].iloc[0]
    return None if pd.isna(value) else str(value)
