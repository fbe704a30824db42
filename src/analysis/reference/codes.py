"""iStandaarden 3.2 code lists the product uses (iJw for Jeugd, iWmo for Wmo and Beschermd Wonen).

Codes are text with their leading zeros, as in the XML: productcategorie "02", retourcode "0200".

Domein per productcategorie: every iJw category is Jeugd; iWmo 01-14 is Wmo; iWmo 15-18
(beschermd wonen, opvang, spoedopvang, overige) is Beschermd Wonen.

Uitkomst per reden beëindiging (the national outcome indicator, ended according to plan versus
drop-out). The two standards number their reasons differently:

* iJw (JZ588): 31 volgens plan; 32-35 voortijdig (by client, by aanbieder, in agreement, external).
* iWmo (WMO588): 19 volgens plan; 21-23 voortijdig (by client, by aanbieder, in agreement) and
  31 "verhuizing naar een andere gemeente", the external reason that iJw codes as 35 (both go with
  reden wijziging toewijzing 07), so also voortijdig. iWmo 31 is *not* "volgens plan".
* Everything else (death, temporary stop, ended by the gemeente, transfer, other domain): overig.
"""

from __future__ import annotations

import functools

import pandas as pd

from analysis.reference._data import cached_table

STANDAARDEN = ("iJw", "iWmo")
DOMEINEN = ("Jeugd", "Wmo", "Beschermd Wonen")


def productcategorieen() -> pd.DataFrame:
    """Productcategorieën of iJw (JZ020) and iWmo (WMO020) with their ``domein``."""
    return cached_table("productcategorieen").copy()


def retourcodes() -> pd.DataFrame:
    """Retourcodes (WJ001, shared by iJw and iWmo): 4-character ``retourcode`` and ``omschrijving``."""
    return cached_table("retourcodes").copy()


def redenen_beeindiging() -> pd.DataFrame:
    """Redenen beëindiging of iJw (JZ588) and iWmo (WMO588) with ``uitkomst``.

    ``uitkomst`` is volgens_plan, voortijdig or overig (see the module docstring per standard).
    """
    return cached_table("redenen_beeindiging").copy()


def eenheden() -> pd.DataFrame:
    """Eenheden (WJ756) in which a volume is expressed: 01 minuut, 04 uur, 14 etmaal, ... 83 euro's."""
    return cached_table("eenheden").copy()


def domein(standaard: str, productcategorie: str) -> str:
    """The domein (Jeugd, Wmo, Beschermd Wonen) of one line's productcategorie.

    >>> domein("iWmo", "15"), domein("iJw", "45")
    ('Beschermd Wonen', 'Jeugd')
    """
    key = (_standaard(standaard), _two_digits(productcategorie))
    try:
        return _domein_lookup()[key]
    except KeyError:
        raise KeyError(f"productcategorie {productcategorie!r} does not exist in {key[0]} 3.2") from None


@functools.cache
def _domein_lookup() -> dict[tuple[str, str], str]:
    frame = cached_table("productcategorieen")
    return dict(zip(zip(frame["standaard"], frame["productcategorie"]), frame["domein"]))


def _standaard(value: str) -> str:
    for standaard in STANDAARDEN:
        if isinstance(value, str) and value.strip().casefold() == standaard.casefold():
            return standaard
    raise ValueError(f"unknown standaard {value!r}; expected one of {', '.join(STANDAARDEN)}")


def _two_digits(value: str) -> str:
    """Restore a leading zero some exports drop ("2" -> "02")."""
    text = str(value).strip()
    return text.zfill(2) if text.isdigit() else text
