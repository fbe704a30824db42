"""Small cells: which figures the board may not see, decided once per section before anything shows them.

A figure about fewer than ``min_clienten`` clients (a *small cell*) could point to a person. The rule:
a report section passes its frame through :func:`verberg` (or :func:`verberg_rijen`) once; every table,
chart, sentence and total of that section then works on the returned frame, in which the small cells
are missing (``NA``) and the column ``verborgen`` marks their rows.

- **Primary suppression**: a row whose count (``aantal``, default ``clienten``) is missing or from 1 to
  ``min_clienten - 1`` (0 clients discloses nobody).
- **Secondary suppression** (``totaal=True``: the section shows, or a reader can add up, a total over
  each ``groep``): while a group's hidden rows are a single row, or together hold fewer than
  ``min_clienten`` clients, the shown row with the fewest clients is hidden too. The total minus the
  shown rows then never gives away one row, nor a sum over fewer than ``min_clienten`` clients (the
  CBS practice).
- **Pooling** (``samenvoegen``): the hidden rows of a group can also be shown as one row, their sum
  (``optellen`` columns, and the count), labelled for example "Overige aanbieders (samen)". By the
  secondary rule that row rests on at least ``min_clienten`` clients, and sums over the frame stay exact.

Tables (:func:`analysis.display.format_table`) show a hidden cell as ``x``; charts
(:mod:`analysis.plots`) leave hidden rows out and say so under the chart (:func:`zin_verborgen`).
The threshold travels with the frame (``frame.attrs["min_clienten"]``), so no later call repeats it.

>>> f = pd.DataFrame({"domein": ["Jeugd", "Wmo", "BW"], "clienten": [120, 40, 3], "toegekend_cent": [9, 5, 1]})
>>> v = verberg(f, min_clienten=10)
>>> v["verborgen"].tolist(), v["toegekend_cent"].isna().tolist()
([False, True, True], [False, True, True])
>>> verberg(f, min_clienten=10, samenvoegen={"domein": "Overige"}, optellen=["toegekend_cent"]
...         ).iloc[-1][["domein", "clienten", "toegekend_cent"]].astype(str).tolist()
['Overige', '43', '6']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.display import is_klein

VERBORGEN = "verborgen"
"""The boolean column that marks the rows whose figures are hidden."""
SAMENGEVOEGD = "samengevoegd"
"""The boolean column that marks a row pooling a group's hidden rows (``samenvoegen``)."""


def check_min_clienten(min_clienten: object) -> int:
    """``min_clienten`` a whole number >= 1 (not a bool); a ``ValueError`` naming it otherwise."""
    if isinstance(min_clienten, bool) or not isinstance(min_clienten, (int, np.integer)) or min_clienten < 1:
        raise ValueError(f"min_clienten: expected a whole number >= 1, got {min_clienten!r}")
    return int(min_clienten)


def verberg(frame: pd.DataFrame, *, min_clienten: int, aantal: str = "clienten", groep: Sequence[str] = (),
            totaal: bool = True, waarden: Sequence[str] | None = None,
            samenvoegen: Mapping[str, object] | None = None, optellen: Sequence[str] = ()) -> pd.DataFrame:
    """``frame`` with its small cells hidden (primary and, with ``totaal``, secondary suppression per
    ``groep``; ``()`` is the whole frame as one group).

    ``waarden`` are the columns to hide (default: every numeric column except the ``groep`` keys and
    ``jaar``); the count column is always hidden. Rows hidden before (a ``verborgen`` column) stay hidden.
    With ``samenvoegen`` (column -> label) each group with hidden rows gets one more row: the labels, the
    sum of its hidden rows' ``optellen`` columns and count, marked ``samengevoegd``. Returns a copy with
    ``verborgen`` and ``attrs["min_clienten"]``.
    """
    min_clienten = check_min_clienten(min_clienten)
    if aantal not in frame.columns:
        raise KeyError(f"aantal: {aantal!r} is not a column of the table")
    if missing := [g for g in groep if g not in frame.columns]:
        raise KeyError(f"groep: {missing} are not columns of the table")
    hidden = _primary(frame, aantal=aantal, min_clienten=min_clienten)
    if totaal:
        hidden = _secondary(frame, hidden, aantal=aantal, groep=list(groep), min_clienten=min_clienten)
    out = _hide(frame, hidden, min_clienten=min_clienten, keep=[*groep, "jaar"], waarden=waarden, aantal=aantal)
    if samenvoegen and hidden.any():
        out = _pool(frame, out, hidden, groep=list(groep), aantal=aantal, labels=samenvoegen, optellen=optellen)
    return out


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
                    domeinen: Sequence[str] | None = None,
                    vooraf: Mapping[int, Sequence[str]] | None = None) -> list[str]:
    """The domains to hide in a whole report: those with fewer than ``min_clienten`` clients in any of
    ``jaren``, plus, by secondary suppression in each year with such a small cell, the smallest others
    until that year's hidden domains are at least two and together hold at least ``min_clienten`` clients
    (the gemeente's total minus the domains shown would otherwise give a small one away).

    ``per_jaar`` has ``jaar``, ``domein`` and ``clienten``; a domain without a row in a year has 0.
    ``vooraf`` (year -> domains) are hidden in that year already, elsewhere (the region's table of the
    gemeenten's domains, :func:`verberg_kruis`): they count as that year's small cells.

    >>> f = pd.DataFrame({"jaar": [2024] * 3, "domein": ["Jeugd", "Wmo", "BW"], "clienten": [50, 30, 4]})
    >>> kleine_domeinen(f, jaren=[2024], min_clienten=10, domeinen=["Jeugd", "Wmo", "BW"])
    ['Wmo', 'BW']
    >>> kleine_domeinen(f.assign(clienten=[50, 5, 4]), jaren=[2024], min_clienten=10, domeinen=["Jeugd", "Wmo", "BW"])
    ['Jeugd', 'Wmo', 'BW']
    """
    from analysis.schemas import DOMEINEN

    min_clienten = check_min_clienten(min_clienten)
    order = list(domeinen or DOMEINEN)
    part = per_jaar[per_jaar["jaar"].isin(list(jaren))]
    counts = part.pivot_table(index="domein", columns="jaar", values="clienten", aggfunc="sum")
    counts = counts.reindex(index=order, columns=list(jaren)).fillna(0)
    small = {jaar: is_klein(counts[jaar], min_clienten) & (counts[jaar] > 0).to_numpy()
             | counts.index.isin(list((vooraf or {}).get(jaar, ()))) for jaar in jaren}
    hidden = np.logical_or.reduce([np.zeros(len(order), dtype=bool), *small.values()])
    while True:  # a domain hidden for one year may make another year's hidden set too small
        before = hidden.copy()
        for jaar in jaren:
            if not (small[jaar] & hidden).any():  # no small cell that year: nothing to recover
                continue
            year = pd.DataFrame({"clienten": counts[jaar].to_numpy()})
            hidden = _secondary(year, hidden, aantal="clienten", groep=[], min_clienten=min_clienten,
                                alleen_positief=True)
        if (hidden == before).all():
            break
    return [d for d, h in zip(order, hidden) if h]


def verberg_kruis(frame: pd.DataFrame, *, rij: str, kolom: str, min_clienten: int,
                  aantal: str = "clienten") -> np.ndarray:
    """Which cells of a two-way table (one row of ``frame`` per ``rij`` x ``kolom`` cell) to hide when its
    row totals and its column totals are both published, in this report or in another one.

    The regio report shows each domein's total over the gemeenten; each gemeente's own reports show its
    total over the domeinen. Suppression per column alone let a gemeente's report give a hidden cell away:
    its total minus its domeinen shown in the regio report. Here the primary cells (as :func:`verberg`)
    get secondary suppression per row and per column, again and again until neither hides one more cell,
    so every row and every column hides none, or at least two cells with at least ``min_clienten``
    clients together. Returns the hidden cells as a boolean array in the order of ``frame``.

    >>> f = pd.DataFrame({"g": ["A", "A", "B", "B"], "d": ["J", "W", "J", "W"], "clienten": [50, 4, 60, 40]})
    >>> verberg_kruis(f, rij="g", kolom="d", min_clienten=10).tolist()  # A-W small: A-J by its row, B-W, B-J
    [True, True, True, True]
    """
    min_clienten = check_min_clienten(min_clienten)
    for column in (rij, kolom, aantal):
        if column not in frame.columns:
            raise KeyError(f"{column!r} is not a column of the table")
    hidden = _primary(frame, aantal=aantal, min_clienten=min_clienten)
    while True:  # each pass only adds cells, so this ends
        before = hidden.copy()
        hidden = _secondary(frame, hidden, aantal=aantal, groep=[rij], min_clienten=min_clienten)
        hidden = _secondary(frame, hidden, aantal=aantal, groep=[kolom], min_clienten=min_clienten)
        if (hidden == before).all():
            return hidden


def verberg_kolom(frame: pd.DataFrame, kolom: str, *, aantal: str, min_clienten: int) -> pd.DataFrame:
    """``frame`` with one more small cell per row hidden: ``kolom`` where its own count ``aantal`` is small
    (the gemeente's part of a regional contract, the trajectories still running). The column
    ``verborgen_<kolom>`` marks them, so a table shows "x" there (:func:`analysis.display.format_table`). A row
    with neither a figure nor a count has nothing to hide and is not marked (it shows "–").

    >>> f = pd.DataFrame({"clienten": [40, 40], "lopend": [12, 3], "clienten_lopend": [12, 3]})
    >>> verberg_kolom(f, "lopend", aantal="clienten_lopend", min_clienten=10)["lopend"].tolist()
    [12, <NA>]
    >>> g = pd.DataFrame({"score": [None, None, 7.5], "n": [None, 4, None]})
    >>> verberg_kolom(g, "score", aantal="n", min_clienten=10)["verborgen_score"].tolist()
    [False, True, True]
    """
    for column in (kolom, aantal):
        if column not in frame.columns:
            raise KeyError(f"{column!r} is not a column of the table")
    nothing = (frame[aantal].isna() & frame[kolom].isna()).to_numpy(dtype=bool)  # no figure, no count: nothing to hide
    small = is_klein(frame[aantal], check_min_clienten(min_clienten)) & ~nothing
    out = frame.copy()
    out[kolom] = _nullable(out[kolom]).mask(pd.Series(small, index=out.index))
    out[aantal] = _nullable(out[aantal]).mask(pd.Series(small, index=out.index))
    out[f"{VERBORGEN}_{kolom}"] = small
    out.attrs = dict(frame.attrs) | {"min_clienten": min_clienten}
    return out


def markeringen(frame: pd.DataFrame) -> list[str]:
    """The marker columns of ``frame``: ``verborgen`` and the cell markers ``verborgen_<kolom>``."""
    return [c for c in frame.columns if c == VERBORGEN or str(c).startswith(f"{VERBORGEN}_")]


def zin_verborgen(frame: pd.DataFrame, *, wat: str | tuple[str, str] = ("cijfer", "cijfers")) -> str:
    """The note under a chart or table: how many rows were left out, and why ('' when none). ``wat`` names
    what a row is, singular and plural (a plural alone serves for both).

    >>> zin_verborgen(pd.DataFrame({VERBORGEN: [True, False]}), wat=("aanbieder", "aanbieders"))[:26]
    'Niet getoond: 1 aanbieder,'
    """
    n = int(frame[VERBORGEN].sum()) if VERBORGEN in frame.columns else 0
    if not n:
        return ""
    een, meer = (wat, wat) if isinstance(wat, str) else wat
    return (f"Niet getoond: {n} {een if n == 1 else meer}, zodat geen cijfer over minder dan {frame.attrs.get('min_clienten', '?')} "
            "cliënten te zien of terug te rekenen is.")


def kolommen(frame: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """The columns ``namen`` renamed for the board, with the markers kept (a cell marker renamed with its
    column) and the threshold with them."""
    cells = {f"{VERBORGEN}_{k}": f"{VERBORGEN}_{v}" for k, v in namen.items() if f"{VERBORGEN}_{k}" in frame.columns}
    marker = [VERBORGEN] if VERBORGEN in frame.columns else []
    out = frame[[*namen, *marker, *cells]].rename(columns=namen | cells)
    out.attrs = dict(frame.attrs)
    return out


def zichtbaar(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart may draw: those not hidden."""
    if VERBORGEN not in frame.columns:
        return frame
    return frame[~frame[VERBORGEN].to_numpy(dtype=bool)]


def _primary(frame: pd.DataFrame, *, aantal: str, min_clienten: int) -> np.ndarray:
    """The small cells, and the rows hidden before (a ``verborgen`` column), as a new array (``is_klein``'s
    may be a read-only view of the frame)."""
    hidden = is_klein(frame[aantal], min_clienten)
    if VERBORGEN in frame.columns:
        return hidden | frame[VERBORGEN].fillna(True).to_numpy(dtype=bool)
    return hidden.copy()


def _secondary(frame: pd.DataFrame, hidden: np.ndarray, *, aantal: str, groep: list[str],
               min_clienten: int, alleen_positief: bool = False) -> np.ndarray:
    """Hide, per group, the smallest shown rows until the hidden rows are at least two and hold at least
    ``min_clienten`` clients (``alleen_positief``: only rows with clients count as hidden rows)."""
    hidden = hidden.copy()
    counts = np.nan_to_num(pd.to_numeric(frame[aantal], errors="coerce").to_numpy(dtype="float64"))
    for positions in _groups(frame, groep):
        while True:
            gone = positions[hidden[positions] & ((counts[positions] > 0) | (not alleen_positief))]
            if not len(gone) or (len(gone) >= 2 and counts[gone].sum() >= min_clienten):
                break
            shown = positions[~hidden[positions] & (counts[positions] > 0)]
            if not len(shown):
                break
            hidden[shown[np.argsort(counts[shown], kind="stable")[0]]] = True
    return hidden


def _groups(frame: pd.DataFrame, groep: list[str]) -> list[np.ndarray]:
    """The row positions of each group (one group of all rows when ``groep`` is empty)."""
    if not groep:
        return [np.arange(len(frame))]
    keys = frame[groep].reset_index(drop=True)
    return [np.asarray(p) for p in keys.groupby(groep, sort=False, dropna=False).indices.values()]


def _pool(frame: pd.DataFrame, out: pd.DataFrame, hidden: np.ndarray, *, groep: list[str], aantal: str,
          labels: Mapping[str, object], optellen: Sequence[str]) -> pd.DataFrame:
    rows = []
    for positions in _groups(frame, groep):
        gone = positions[hidden[positions]]
        if not len(gone):
            continue
        part = frame.iloc[gone]
        row = {g: part[g].iloc[0] for g in groep} | dict(labels)
        row |= {c: part[c].sum() for c in dict.fromkeys([aantal, *optellen])}
        rows.append(row | {VERBORGEN: False, SAMENGEVOEGD: True})
    pooled = pd.DataFrame(rows).astype({c: out[c].dtype for c in rows[0] if c in out.columns})
    result = pd.concat([out.assign(**{SAMENGEVOEGD: False}), pooled], ignore_index=True)
    result.attrs = dict(out.attrs)
    return result


def _nullable(values: pd.Series) -> pd.Series:
    """``values`` in a dtype that holds a missing value without changing the others (Int64, Float64)."""
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype("Int64")
    if pd.api.types.is_float_dtype(values):
        return values.astype("Float64")
    return values.astype(object)


def _hide(frame: pd.DataFrame, hidden: np.ndarray, *, min_clienten: int, keep: list[str],
          waarden: Sequence[str] | None, aantal: str | None = None) -> pd.DataFrame:
    if waarden is None:
        waarden = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c]) and c not in keep and c not in markeringen(frame)]
    if unknown := [c for c in waarden if c not in frame.columns]:
        raise KeyError(f"waarden: {unknown} are not columns of the table")
    out = frame.copy()
    for column in dict.fromkeys([*([aantal] if aantal else []), *waarden]):
        out[column] = _nullable(out[column]).mask(pd.Series(hidden, index=out.index))
    out[VERBORGEN] = hidden
    out.attrs["min_clienten"] = min_clienten
    return out
