"""Presentation, in one place: Dutch number formats, small-cell suppression and the plot theme.

Analyses return integer cents and plain numbers; only this module turns them into text for a board
report. Formats follow Babel's ``nl_NL`` patterns: a non-breaking space (U+00A0) between the euro
sign and the amount, so a line never breaks inside an amount, and the minus after the sign
(``€ -1.234``); a decimal comma and a thousands dot. Percentages are given in % (12.3 -> ``12,3%``),
the unit of every ``*_pct`` column. Amounts are rounded half away from zero.

Every presentation table goes through :func:`format_table`, which first calls :func:`suppress` on
the table's client count: a table without one must say so (``count_column=None``).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"
NBSP = "\u00a0"
MISSING = "–"
"""Shown for a missing figure (en dash)."""
HIDDEN = "x"
"""Shown for a hidden figure (a small cell, or one that would give a small cell away), as CBS marks a figure
"geheim". Not "<10": in a column of euros, days or percentages that reads as a value below ten, and a cell
hidden to protect another may rest on more than ten clients. A table with one says so under it
(:func:`hidden_note`)."""


def hidden_note(threshold: int, *, wie: str = "cliënten") -> str:
    """The note under a table with hidden cells: ``x`` explained, with the threshold and who it counts."""
    return (f"{HIDDEN} = niet getoond: het cijfer rust op minder dan {threshold} {wie}, of het zou zo'n cijfer "
            "verraden.")

PALETTE = "colorblind"
"""seaborn's colour-blind-safe palette (after Wong 2011 / Okabe-Ito)."""


def _check_decimals(decimals: int) -> None:
    if not (isinstance(decimals, int) and 0 <= decimals <= 6):
        raise ValueError(f"decimals: must be an int from 0 to 6, got {decimals!r}")


def _quantize(value: float | int | Decimal, decimals: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        raise TypeError(f"value: expected a number, got {value!r}")
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(amount) if amount == 0 else amount


def eur(cents: int, *, decimals: int = 0) -> str:
    """Integer cents as Dutch euros: ``eur(123456789) == "€\u00a01.234.568"``, ``eur(-12345, decimals=2)
    == "€\u00a0-123,45"``."""
    _check_decimals(decimals)
    if isinstance(cents, bool) or not isinstance(cents, (int, np.integer)):
        raise TypeError(f"cents: expected whole cents (int), got {cents!r}")
    amount = _quantize(Decimal(int(cents)) / 100, decimals)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern = f"¤{NBSP}{digits};¤{NBSP}-{digits}"
    return format_currency(amount, "EUR", locale=LOCALE, format=pattern, currency_digits=False)


def afgerond(x: float | int, *, decimals: int = 0) -> float:
    """``x`` rounded as :func:`number` shows it (half up): ``afgerond(3.25, decimals=1) == 3.3``."""
    _check_decimals(decimals)
    return float(_quantize(x, decimals))


def number(x: float | int, *, decimals: int = 0) -> str:
    """A Dutch number: ``number(1234567) == "1.234.567"``, ``number(2.25, decimals=1) == "2,3"``."""
    _check_decimals(decimals)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_quantize(x, decimals), format=digits, locale=LOCALE, decimal_quantization=True)


def pct(x: float | int, *, decimals: int = 1) -> str:
    """A percentage given in % (not a fraction): ``pct(12.345) == "12,3%"``, ``pct(-4) == "-4,0%"``."""
    return number(x, decimals=decimals) + "%"


def month_label(d: date | pd.Timestamp) -> str:
    """A short Dutch month label: ``month_label(date(2024, 3, 1)) == "mrt 2024"``."""
    if not isinstance(d, date):
        raise TypeError(f"d: expected a date, got {d!r}")
    return format_date(d, "MMM yyyy", locale=LOCALE).replace(".", "")


def is_klein(counts: pd.Series, min_clienten: int) -> np.ndarray:
    """The small cells' rule, in one place: counts that are missing or from 1 to ``min_clienten - 1``
    (0 clients discloses nobody).

    >>> is_klein(pd.Series([0, 3, 10, None]), 10).tolist()
    [False, True, False, True]
    """
    values = pd.to_numeric(counts, errors="coerce")
    return (values.isna() | ((values > 0) & (values < min_clienten))).to_numpy(dtype=bool)


def suppress(frame: pd.DataFrame, *, count_column: str = "clienten", threshold: int = 10,
             columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Mask every figure of a row that is about fewer than ``threshold`` clients (small cells).

    A row is masked when its ``count_column`` is missing or between 1 and ``threshold - 1`` (0 clients
    discloses nobody). The masked cells of ``count_column`` and ``columns`` (default: every numeric
    column) become the text :data:`HIDDEN`; the affected columns become object dtype
    so they can hold the text. Other rows and columns keep their values. Returns a copy.
    """
    if count_column not in frame.columns:
        raise KeyError(f"count_column: {count_column!r} is not a column of the table")
    if not (isinstance(threshold, int) and threshold >= 1):
        raise ValueError(f"threshold: must be a positive int, got {threshold!r}")
    if columns is None:
        columns = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        raise KeyError(f"columns: {unknown} are not columns of the table")
    small = is_klein(frame[count_column], threshold)
    out = frame.copy()
    for column in dict.fromkeys([count_column, *columns]):
        values = out[column].astype(object)
        values[small] = HIDDEN
        out[column] = values
    return out


def _format_column(values: pd.Series, formatter) -> pd.Series:
    return values.map(lambda v: v if isinstance(v, str) else MISSING if pd.isna(v) else formatter(v),
                      na_action=None).astype("str")


def format_table(frame: pd.DataFrame, *, money: Sequence[str] = (), percent: Sequence[str] = (),
                 numbers: Sequence[str] = (), decimals: dict[str, int] | None = None,
                 count_column: str | None = "clienten", threshold: int | None = None) -> pd.DataFrame:
    """A presentation table: small cells suppressed, then every figure formatted as Dutch text.

    ``money`` columns hold integer cents (shown as whole euros), ``percent`` columns hold % (one
    decimal), ``numbers`` are shown with ``decimals.get(column, 0)`` decimals; the count column is
    formatted as a number. Missing figures show as "–", hidden ones as :data:`HIDDEN` ("x"); a table with any
    carries the note :func:`hidden_note` in ``attrs["voetnoot"]``, which :func:`table_html` shows under it.

    The threshold comes with the frame (``frame.attrs["min_clienten"]``, set by
    :func:`analysis.report.kleine_cellen.verberg`), or as ``threshold``; a table with a count column
    and neither is refused, so no table about clients skips the small-cell rule. Rows the frame marks
    ``verborgen`` show "x" in every figure; the marker column itself is not shown. Pass
    ``count_column=None`` only for a table that holds no figures about clients. Returns strings.
    """
    threshold = threshold if threshold is not None else frame.attrs.get("min_clienten")
    if count_column is not None and threshold is None:
        raise ValueError("format_table: a table about clients needs its small-cell threshold: pass the frame "
                         "through Rapport.verberg (or give threshold)")
    markers = [c for c in frame.columns if c == "verborgen" or str(c).startswith("verborgen_")]
    if markers and threshold is None:
        raise ValueError("format_table: cells are marked verborgen but the frame lost its min_clienten "
                         "(a merge drops attrs: restore them, or pass the frame through Rapport.verberg again)")
    named = [*money, *percent, *numbers]
    unknown = [c for c in named if c not in frame.columns]
    if unknown:
        raise KeyError(f"format_table: {unknown} are not columns of the table")
    count_as_number = [count_column] if count_column is not None and count_column not in named else []
    masks = _hidden_cells(frame, [*named, *count_as_number], count_column=count_column, threshold=threshold)
    decimals = decimals or {}
    out = frame.drop(columns=markers)
    for column in [*numbers, *count_as_number]:
        out[column] = _format_column(out[column], lambda v, c=column: number(v, decimals=decimals.get(c, 0)))
    for column in money:
        out[column] = _format_column(out[column], lambda v: eur(int(v)))  # int(): Int64 gives numpy ints
    for column in percent:
        out[column] = _format_column(out[column], lambda v, c=column: pct(v, decimals=decimals.get(c, 1)))
    for column, mask in masks.items():
        out.loc[mask, column] = HIDDEN
    if masks:
        wie = "respondenten" if count_column is not None and "respondent" in count_column.lower() else "cliënten"
        out.attrs["voetnoot"] = hidden_note(threshold, wie=wie)
    return out


def _hidden_cells(frame: pd.DataFrame, figures: list[str], *, count_column: str | None,
                  threshold: int | None) -> dict[str, np.ndarray]:
    """Per figure column, the rows that show :data:`HIDDEN`: the cells a ``verborgen`` row hid (missing
    there), the cells a ``verborgen_<kolom>`` marker hid, and, as a safety net, every figure of a row not
    marked whose count is small (:func:`suppress`)."""
    masks: dict[str, np.ndarray] = {}
    marked = np.zeros(len(frame), dtype=bool)
    if "verborgen" in frame.columns:
        marked = frame["verborgen"].to_numpy(dtype=bool)
        for column in figures:
            masks[column] = marked & frame[column].isna().to_numpy(dtype=bool)
    for column in figures:
        if f"verborgen_{column}" in frame.columns:
            cell = frame[f"verborgen_{column}"].to_numpy(dtype=bool)
            masks[column] = masks.get(column, np.zeros(len(frame), dtype=bool)) | cell
    if count_column is not None:
        if count_column not in frame.columns:
            raise KeyError(f"count_column: {count_column!r} is not a column of the table")
        small = is_klein(frame[count_column], threshold) & ~marked
        numeric = [c for c in figures if pd.api.types.is_numeric_dtype(frame[c])]
        for column in dict.fromkeys([count_column, *numeric]):
            masks[column] = masks.get(column, np.zeros(len(frame), dtype=bool)) | small
    return {c: m for c, m in masks.items() if m.any()}


# --- charts -----------------------------------------------------------------------------------

def _tick_formatter(label):
    """A matplotlib tick formatter of ``label(value)``, remembering its labels: matplotlib formats the same
    ticks again at every layout pass (hundreds of Babel calls for one figure), and a label depends on the
    value alone. The memory belongs to the formatter, so it ends with its figure."""
    from matplotlib.ticker import FuncFormatter

    cached = functools.lru_cache(maxsize=1024)(label)
    return FuncFormatter(lambda v, _pos: cached(float(v)))


def eur_formatter(*, cents: bool = True, decimals: int = 0):
    """A matplotlib tick formatter showing Dutch euros; ``cents=True`` when the data are cents."""
    _check_decimals(decimals)
    factor = 1 if cents else 100
    return _tick_formatter(lambda v: eur(int(round(v * factor)), decimals=decimals))


def maand_formatter():
    """A matplotlib tick formatter for a date axis: Dutch month labels, ``jan 2024`` (:func:`month_label`)."""
    from matplotlib.dates import num2date

    return _tick_formatter(lambda v: month_label(num2date(v).date()))


def pct_formatter(*, decimals: int = 0):
    """A matplotlib tick formatter for values in %: ``12,3%``."""
    _check_decimals(decimals)
    return _tick_formatter(lambda v: pct(v, decimals=decimals))


def use_theme() -> None:
    """The one plot theme of the reports: seaborn whitegrid, colour-blind-safe palette, readable sizes.

    Text is drawn as plain text (``text.parse_math`` off): a name with ``$``, ``\\`` or ``_`` (an
    aanbieder's, a gemeente's) is shown as written and never breaks a chart. A title sits at the top of
    its axes (``axes.titley`` 1.0): matplotlib's automatic title position measures every tick label again
    at each layout pass to make room for ticks on top or an offset text, and these charts have neither
    (their formatters write whole amounts); a radar puts its title above its top pillar's name itself
    (:mod:`analysis.radar`).
    """
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE,
                  rc={"figure.figsize": (8, 4.5), "figure.dpi": 100, "axes.titleweight": "bold",
                      "axes.spines.right": False, "axes.spines.top": False, "text.parse_math": False,
                      "axes.titley": 1.0})



# Known, named warnings from the pinned versions (../shared/TOOLCHAIN.md, "Pitfalls"): each is a
# deprecation inside a library call we cannot change, and would reach the board's HTML as stderr.
KNOWN_WARNINGS: tuple[tuple[str, str], ...] = (
    ("MatplotlibDeprecationWarning", r"vert: bool was deprecated in Matplotlib 3\.11"),  # sns.boxplot
    ("FutureWarning", r"\s*Passing `palette` without assigning `hue` is deprecated"),    # seaborn 0.13
    ("FutureWarning", r"\s*The `ci` parameter is deprecated"),                         # seaborn 0.13
)


def setup() -> None:
    """For the first cell of a notebook, after ``%matplotlib inline``: the plot theme, board tables, figures as
    PNG in one drawing (:mod:`analysis.png`, cropped as IPython's ``bbox_inches="tight"``), and only the known
    warnings above filtered."""
    from matplotlib import MatplotlibDeprecationWarning

    from analysis.png import use_figure_png

    categories = {"MatplotlibDeprecationWarning": MatplotlibDeprecationWarning, "FutureWarning": FutureWarning}
    for category, message in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=categories[category])
    use_theme()
    _use_table_html()
    use_figure_png()


def table_html(frame: pd.DataFrame) -> str:
    """A board table as HTML: names escaped, no row numbers (a meaningful index is kept), empty for NA; the
    table's ``attrs["voetnoot"]`` (what its hidden cells mean, :func:`format_table`) under it, or a general one
    when it shows a hidden cell without that note."""
    from html import escape

    show_index = not isinstance(frame.index, pd.RangeIndex)
    html = frame.to_html(index=show_index, escape=True, border=0, na_rep="", classes="tabel")
    note = frame.attrs.get("voetnoot") or (_GENERAL_NOTE if (frame.astype(object) == HIDDEN).any().any() else None)
    return html + (f'\n<p class="voetnoot">{escape(str(note))}</p>' if note else "")


_GENERAL_NOTE = f"{HIDDEN} = niet getoond: het cijfer rust op te weinig cliënten, of het zou zo'n cijfer verraden."
"""The note of a table that shows :data:`HIDDEN` but lost the note of :func:`format_table` (a reshape after it)."""


def _use_table_html() -> None:
    """Let the notebook show every DataFrame through :func:`table_html` (outside IPython: nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)
