"""Small cells: which figures the board may not see, decided once per section before anything shows them.

A figure about fewer than ``min_clienten`` clients (a *small cell*) could point to a person. The rule:
a report section passes its frame through :func:`verberg` (or :func:`verberg_rijen`) once; every table,
chart, sentence and total of that section then works on the returned frame, in which the small cells
are missing (``NA``) and the column ``verborgen`` marks their rows.

- **Primary suppression**: a row whose count (``aantal``, default ``clienten``) is missing or from 1 to
  ``min_clienten - 1`` (0 clients discloses nobody).
- **Secondary suppression** (``totaal=True``: the section shows, or a reader can add up, a total over
  each ``groep``): where a group has exactly one hidden row, the shown row with the fewest clients is
  hidden too, so the total minus the shown rows cannot give the hidden one away (the CBS practice).

Tables (:func:`analysis.display.format_table`) show a hidden cell as ``<10``; charts
(:mod:`analysis.plots`) leave hidden rows out and say so under the chart (:func:`zin_verborgen`).
The threshold travels with the frame (``frame.attrs["min_clienten"]``), so no later call repeats it.

>>> f = pd.DataFrame({"domein": ["Jeugd", "Wmo", "BW"], "clienten": [120, 40, 3], "toegekend_cent": [9, 5, 1]})
>>> v = verberg(f, min_clienten=10)
>>> v["verborgen"].tolist(), v["toegekend_cent"].isna().tolist()
([False, True, True], [False, True, True])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

VERBORGEN = "verborgen"
"""The boolean column that marks the rows whose figures are hidden."""


def check_min_clienten(min_clienten: object) -> int:
    """``min_clienten`` a whole number >= 1 (not a bool); a ``ValueError`` naming it otherwise."""
    if isinstance(min_clienten, bool) or not isinstance(min_clienten, (int, np.integer)) or min_clienten < 1:
        raise ValueError(f"min_clienten: expected a whole number >= 1, got {min_clienten!r}")
    return int(min_clienten)


def is_klein(counts: pd.Series, min_clienten: int) -> np.ndarray:
    """Counts that are missing or from 1 to ``min_clienten - 1``."""
    values = pd.to_numeric(counts, errors="coerce")
    return (values.isna() | ((values > 0) & (values < min_clienten))).to_numpy(dtype=bool)


def verberg(frame: pd.DataFrame, *, min_clienten: int, aantal: str = "clienten", groep: Sequence[str] = (),
            totaal: bool = True, waarden: Sequence[str] | None = None) -> pd.DataFrame:
    """``frame`` with its small cells hidden (primary and, with ``totaal``, secondary suppression per
    ``groep``; ``()`` is the whole frame as one group).

    ``waarden`` are the columns to hide (default: every numeric column except the ``groep`` keys and
    ``jaar``); the count column is always hidden. Rows hidden before (a ``verborgen`` column) stay hidden.
    Returns a copy with ``verborgen`` and ``attrs["min_clienten"]``.
    """
    min_clienten = check_min_clienten(min_clienten)
    if aantal not in frame.columns:
        raise KeyError(f"aantal: {aantal!r} is not a column of the table")
    if missing := [g for g in groep if g not in frame.columns]:
        raise KeyError(f"groep: {missing} are not columns of the table")
    hidden = is_klein(frame[aantal], min_clienten)
    if VERBORGEN in frame.columns:
        hidden |= frame[VERBORGEN].fillna(True).to_numpy(dtype=bool)
    if totaal:
        hidden = _secondary(frame, hidden, aantal=aantal, groep=list(groep))
    return _hide(frame, hidden, min_clienten=min_clienten, keep=[*groep, "jaar"], waarden=waarden, aantal=aantal)


def verberg_rijen(frame: pd.DataFrame, rijen: Sequence[bool] | np.ndarray | pd.Series, *, min_clienten: int,
                  waarden: Sequence[str] | None = None, keep: Sequence[str] = ("jaar",)) -> pd.DataFrame:
    """``frame`` with the figures of ``rijen`` (a boolean mask) hidden: for a section whose rows must follow
    what another section hid (the domains hidden in the year table hide their budget and growth too)."""
    mask = np.asarray(rijen, dtype=bool)
    if len(mask) != len(frame):
        raise ValueError(f"rijen: {len(mask)} values for a table of {len(frame)} rows")
    if VERBORGEN in frame.columns:
        mask = mask | frame[VERBORGEN].fillna(True).to_numpy(dtype=bool)
    return _hide(frame, mask, min_clienten=check_min_clienten(min_clienten), keep=list(keep), waarden=waarden)


def kleine_domeinen(per_jaar: pd.DataFrame, *, jaren: Sequence[int], min_clienten: int,
                    domeinen: Sequence[str] | None = None) -> list[str]:
    """The domains to hide in a whole report: those with fewer than ``min_clienten`` clients in any of
    ``jaren``, plus, when exactly one domain is that small, the next smallest (secondary suppression:
    the gemeente's total minus the domains shown would otherwise give the hidden one away).

    ``per_jaar`` has ``jaar``, ``domein`` and ``clienten``; a domain without a row in a year has 0.

    >>> f = pd.DataFrame({"jaar": [2024] * 3, "domein": ["Jeugd", "Wmo", "BW"], "clienten": [50, 30, 4]})
    >>> kleine_domeinen(f, jaren=[2024], min_clienten=10, domeinen=["Jeugd", "Wmo", "BW"])
    ['Wmo', 'BW']
    """
    from analysis.schemas import DOMEINEN

    order = list(domeinen or DOMEINEN)
    part = per_jaar[per_jaar["jaar"].isin(list(jaren))]
    counts = part.pivot_table(index="domein", columns="jaar", values="clienten", aggfunc="sum")
    counts = counts.reindex(index=order, columns=list(jaren)).fillna(0)
    small = [d for d in order if ((counts.loc[d] > 0) & (counts.loc[d] < min_clienten)).any()]
    if len(small) == 1:
        rest = counts.drop(index=small)
        rest = rest[(rest > 0).any(axis=1)]
        if len(rest):
            small.append(rest.min(axis=1).sort_values(kind="stable").index[0])
    return [d for d in order if d in small]


def zin_verborgen(frame: pd.DataFrame, *, wat: str = "cijfers") -> str:
    """The note under a chart or table: how many rows were left out, and why ('' when none)."""
    n = int(frame[VERBORGEN].sum()) if VERBORGEN in frame.columns else 0
    if not n:
        return ""
    return f"Niet getoond: {n} {wat} over minder dan {frame.attrs.get('min_clienten', '?')} cliënten."


def zichtbaar(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart may draw: those not hidden."""
    if VERBORGEN not in frame.columns:
        return frame
    return frame[~frame[VERBORGEN].to_numpy(dtype=bool)]


def _secondary(frame: pd.DataFrame, hidden: np.ndarray, *, aantal: str, groep: list[str]) -> np.ndarray:
    hidden = hidden.copy()
    counts = pd.to_numeric(frame[aantal], errors="coerce").to_numpy(dtype="float64")
    keys = frame[groep].astype("string").fillna("").agg("\x1f".join, axis=1) if groep else pd.Series("", frame.index)
    for _, positions in keys.reset_index(drop=True).groupby(keys.to_numpy(), sort=False).indices.items():
        positions = np.asarray(positions)
        if hidden[positions].sum() != 1:
            continue
        shown = positions[~hidden[positions] & (np.nan_to_num(counts[positions]) > 0)]
        if len(shown):
            hidden[shown[np.argsort(counts[shown], kind="stable")[0]]] = True
    return hidden


def _hide(frame: pd.DataFrame, hidden: np.ndarray, *, min_clienten: int, keep: list[str],
          waarden: Sequence[str] | None, aantal: str | None = None) -> pd.DataFrame:
    if waarden is None:
        waarden = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c]) and c not in keep and c != VERBORGEN]
    if unknown := [c for c in waarden if c not in frame.columns]:
        raise KeyError(f"waarden: {unknown} are not columns of the table")
    out = frame.copy()
    for column in dict.fromkeys([*([aantal] if aantal else []), *waarden]):
        values = out[column]
        if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
            values = values.astype("Int64")
        elif pd.api.types.is_float_dtype(values):
            values = values.astype("Float64")
        else:
            values = values.astype(object)
        out[column] = values.mask(pd.Series(hidden, index=out.index))
    out[VERBORGEN] = hidden
    out.attrs["min_clienten"] = min_clienten
    return out
