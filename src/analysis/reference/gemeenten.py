"""Gemeenten of 1-1-2026 and the mergers (herindelingen) of 2015-2026, to re-base history.

Data come from CBS (342 gemeenten with their jeugdzorgregio) and a compiled merger table.
A merger table row says: from ``datum`` on, (part of) ``oude_code`` belongs to ``nieuwe_code``.

Chains and splits are explicit:

* Chains: Millingen aan de Rijn GM0265 and Ubbergen GM0282 merged into Groesbeek GM0241 (2015),
  which became Berg en Dal GM1945 in 2016; ``huidige_code`` follows such chains to 2026.
* Splits: a gemeente divided over several gemeenten has one row per receiving gemeente,
  ``soort == "splitsing"``. ``hoofdopvolger`` marks the gemeente that took over the bulk, as the
  source names it: Littenseradiel GM0140 -> Súdwest-Fryslân GM1900 (parts to Leeuwarden GM0080
  and Waadhoeke GM1949), Winsum GM0053 -> Het Hogeland GM1966 (part to Westerkwartier GM1969).
  Haaren GM0788 (2021) was divided over Boxtel, Oisterwijk, Tilburg and Vught with no main
  successor: ``huidige_code`` raises ``GemeenteGesplitstError`` for it and ``rebase_tabel``
  leaves its current code empty (NA), so its history is never silently given to one gemeente.
"""

from __future__ import annotations

import functools
import numbers
import re

import pandas as pd

from analysis.reference._data import as_bool, read_table

_CBS_CODE = re.compile(r"(?:GM)?(\d{1,4})")


class GemeenteGesplitstError(KeyError):
    """A gemeente was divided over several gemeenten and has no single current gemeente."""


def cbs_code(value: str | int) -> str:
    """Normalise a gemeentecode to the CBS form ``GM`` + 4 digits.

    iStandaard XML carries 4 digits ("0361"); CSVs may drop leading zeros. Only the form is
    checked; whether the gemeente exists is ``huidige_code``'s job.

    >>> cbs_code(" gm0361 "), cbs_code("0361"), cbs_code(361)
    ('GM0361', 'GM0361', 'GM0361')
    """
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise ValueError(f"not a gemeentecode: {value!r} (expected text such as 'GM0361' or '0361')")
    match = _CBS_CODE.fullmatch(str(value).strip().upper())
    if match is None:
        raise ValueError(f"not a gemeentecode: {value!r} (expected 'GM0361', '0361' or '361')")
    return "GM" + match.group(1).zfill(4)


def gemeenten() -> pd.DataFrame:
    """All 342 gemeenten of 1-1-2026: ``gemeente_code`` (GM0361), name, provincie, jeugdzorgregio."""
    return _gemeenten().copy()


@functools.cache
def _gemeenten() -> pd.DataFrame:
    return read_table("gemeenten")


def herindelingen() -> pd.DataFrame:
    """Every merger, renaming and split 2015-2026, one row per (oude_code, nieuwe_code).

    ``datum`` is the date the new gemeente starts (a date, mostly 1 January; Weesp -> Amsterdam
    on 2022-03-24). ``soort`` is samenvoeging, naamswijziging (new code, e.g. GM0241 -> GM1945)
    or splitsing; ``hoofdopvolger`` is False for the minor parts of a split.
    """
    return _herindelingen().copy()


@functools.cache
def _herindelingen() -> pd.DataFrame:
    frame = read_table("herindelingen")
    return frame.assign(
        datum=pd.to_datetime(frame["datum"], format="%Y-%m-%d").astype("date32[pyarrow]"),
        hoofdopvolger=as_bool(frame["hoofdopvolger"]),
    )


@functools.cache
def _current_codes() -> frozenset[str]:
    return frozenset(_gemeenten()["gemeente_code"])


@functools.cache
def _successors(*, main_only: bool) -> dict[str, tuple[str, ...]]:
    rows = _herindelingen()
    if main_only:
        rows = rows[rows["hoofdopvolger"]]
    return {old: tuple(group["nieuwe_code"]) for old, group in rows.groupby("oude_code")}


def gemeente_codes_bekend() -> frozenset[str]:
    """Every CBS code the product knows: the 342 current ones plus those merged away since 2015."""
    return _current_codes() | frozenset(_herindelingen()["oude_code"])


def huidige_code(code: str | int) -> str:
    """The 2026 gemeente a code belongs to, following chains of mergers.

    >>> huidige_code("0398"), huidige_code("GM0265")
    ('GM1980', 'GM1945')
    """
    start = current = cbs_code(code)
    main = _successors(main_only=True)
    for _ in range(len(main) + 1):  # bounded: a chain is never longer than the table
        if current in _current_codes():
            return current
        if current not in main:
            break
        current = main[current][0]
    if current in _successors(main_only=False):
        parts = ", ".join(opvolgers(current))
        raise GemeenteGesplitstError(f"{current} was split over {parts}: no single current gemeente")
    raise KeyError(f"{start} is neither a gemeente of 2026 nor merged away in 2015-2026")


def opvolgers(code: str | int) -> tuple[str, ...]:
    """All 2026 gemeenten that hold (part of) the territory of ``code``, sorted; itself if current."""
    start = cbs_code(code)
    if start not in gemeente_codes_bekend():
        raise KeyError(f"{start} is neither a gemeente of 2026 nor merged away in 2015-2026")
    found, todo, seen = set(), [start], set()
    while todo:
        current = todo.pop()
        seen.add(current)
        if current in _current_codes():
            found.add(current)
        todo += [nxt for nxt in _successors(main_only=False).get(current, ()) if nxt not in seen]
    return tuple(sorted(found))


def rebase_tabel() -> pd.DataFrame:
    """``gemeente_code`` -> ``gemeente_code_huidig`` for every known code, for the warehouse to join.

    Current codes map to themselves; a split without main successor (Haaren GM0788) maps to NA.
    """
    return _rebase_tabel().copy()


@functools.cache
def _rebase_tabel() -> pd.DataFrame:
    codes = sorted(gemeente_codes_bekend())
    return pd.DataFrame(
        {"gemeente_code": codes, "gemeente_code_huidig": [_huidige_of_na(code) for code in codes]},
        dtype="str",
    )


def _huidige_of_na(code: str) -> str | None:
    try:
        return huidige_code(code)
    except GemeenteGesplitstError:
        return None
