"""The radar charts of the maturity scans: per pillar the current level, the intermediate target and the ambition.

A radar here is drawn on plain axes, not on matplotlib's polar ones: the rings are polygons through the pillars
(the web a radar is read by), the pillar names and ring numbers are texts, and the axes themselves are off.
Polar axes laid out and drew their circular grid, angular ticks and automatic title position again at every
pass: a region's small multiples of 12 radars took 1.2 s to render, most of a maturity report's time. Drawn
this way, the Noord Limburg demo report took 1.3-1.4 s in-process instead of 3.6-4.5 s (its charts 0.5 s
instead of 2.3-2.8 s).

Every text from the data (a name, a level, a title) is drawn as written (``parse_math`` off): a ``$`` in a
name never starts mathtext, and no escaping shows up as a backslash.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from analysis.reference.volwassenheid import MODELLEN

FASEN = (("huidig_gem", "huidig (fase 0)", "C0", "-"), ("tussendoel", "tussendoel (fase 1)", "C2", "--"),
         ("ambitie_gem", "ambitie (fase 2)", "C1", "-"))
"""The lines of a radar: column, label, colour, line style. Phase 0 is today, phase 2 the horizon."""
WEB = "#c8ccd2"
"""The colour of the rings and spokes."""


def angles(n: int) -> np.ndarray:
    """The direction of each of ``n`` pillars, clockwise from the top (radians from 12 o'clock).

    >>> angles(4).round(4).tolist()
    [0.0, 1.5708, 3.1416, 4.7124]
    """
    return np.linspace(0, 2 * np.pi, n, endpoint=False)


def punten(hoeken: np.ndarray, niveaus: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points at ``niveaus`` along ``hoeken``, closed (the first again at the end); a missing level
    (NaN) leaves a gap in the line.

    >>> [v.round(3).tolist() for v in punten(angles(4), np.array([1.0, 2.0, 3.0, 4.0]))]
    [[0.0, 2.0, 0.0, -4.0, 0.0], [1.0, 0.0, -3.0, -0.0, 1.0]]
    """
    values = np.r_[niveaus, niveaus[:1]]
    closed = np.r_[hoeken, hoeken[:1]]
    return values * np.sin(closed), values * np.cos(closed)


def _web(ax, *, pijlers: Sequence[str], niveaus: int, labels: bool, titel: str) -> np.ndarray:
    """Rings, spokes, the pillar names (numbers unless ``labels``) and the title; returns the pillars' directions.

    The names stand outside the web and inside the axes: :func:`fit_webs` sizes the web to leave them room."""
    hoeken = angles(len(pijlers))
    rings = [np.column_stack(punten(hoeken, np.full(len(hoeken), float(r)))) for r in range(1, niveaus + 1)]
    spokes = [np.array([[0.0, 0.0], [niveaus * np.sin(a), niveaus * np.cos(a)]]) for a in hoeken]
    ax.add_collection(LineCollection(rings + spokes, colors=WEB, linewidths=0.8, zorder=1))
    ax.set_xlim(-niveaus, niveaus)
    ax.set_ylim(-niveaus, niveaus)
    ax.set_axis_off()
    fontsize, pad = ("small", 10) if labels else ("x-small", 3)
    names = ([textwrap.fill(p, 16, break_long_words=False) for p in pijlers] if labels  # a name on a line or two
             else [str(i) for i in range(1, len(pijlers) + 1)])
    for hoek, name in zip(hoeken, names):
        dx, dy = np.sin(hoek), np.cos(hoek)
        ha = "left" if dx > 0.05 else "right" if dx < -0.05 else "center"
        va = "bottom" if dy > 0.05 else "top" if dy < -0.05 else "center"
        label = ax.annotate(name, (niveaus * dx, niveaus * dy), xytext=(pad * dx, pad * dy),
                            textcoords="offset points", ha=ha, va=va, fontsize=fontsize, parse_math=False,
                            gid="pijler", annotation_clip=False)
        label.set_in_layout(False)  # inside the axes once fitted: the layout need not make room for it
    size = {} if labels else {"fontsize": "small"}  # a small multiple's title is small
    ax.set_title(titel, y=1.0, fontweight="bold", parse_math=False, **size)
    return hoeken


_SHARE = {"left": (0, 1), "bottom": (0, 1), "center": (0.5, 0.5), "right": (1, 0), "top": (1, 0)}
"""How much of a text's width (height) lies before and after its anchor, by its alignment."""


def fit_webs(fig: Figure) -> Figure:
    """Size each radar's web so its pillar names fit inside its axes, the web round and centred.

    One layout pass gives each axes' box (the pillar names are out of the layout: the box depends on the titles
    and legend alone). A name's corner moves with the web's scale ``s`` (points per level) as ``s * r + c``
    (``r`` the vertex's coordinate, ``c`` its offset and its extent from the vertex); the largest scale that keeps
    every corner inside half the box wins, and the limits follow from it, the same in both directions."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.get_layout_engine().execute(fig)
    for ax in fig.axes:
        names = [t for t in ax.texts if t.get_gid() == "pijler"]
        if not ax.get_visible() or not names:
            continue
        box = ax.get_position(original=True).transformed(fig.transSubfigure)
        half = np.array([box.width, box.height]) * 72 / fig.dpi / 2  # points
        scales = [half.min() / ax.get_ylim()[1]]
        for name in names:
            extent = name.get_window_extent(renderer)
            size = np.array([extent.width, extent.height]) * 72 / fig.dpi
            vertex, offset = np.asarray(name.xy, dtype=float), np.asarray(name.xyann, dtype=float)
            share = [_SHARE[name.get_ha()], _SHARE[name.get_va()]]
            for axis in (0, 1):
                low, high = offset[axis] - share[axis][0] * size[axis], offset[axis] + share[axis][1] * size[axis]
                if vertex[axis] > 1e-9:
                    scales.append((half[axis] - high) / vertex[axis])
                elif vertex[axis] < -1e-9:
                    scales.append((-half[axis] - low) / vertex[axis])
        scale = max(min(scales), 1e-3)
        ax.set_xlim(-half[0] / scale, half[0] / scale)
        ax.set_ylim(-half[1] / scale, half[1] / scale)
    return fig


def _ringnummers(ax, hoeken: np.ndarray, *, niveaus: int) -> None:
    """Number the rings, above the lines, halfway between the two pillars nearest three o'clock (where a pillar's
    name spreads away from the middle); the legend names the levels (:func:`niveau_sleutel`)."""
    gaps = hoeken + np.pi / len(hoeken)
    along = gaps[np.argmin(np.abs(gaps - np.pi / 2))]
    for ring in range(1, niveaus + 1):
        ax.text(ring * np.sin(along), ring * np.cos(along), str(ring), ha="center", va="center", fontsize="x-small",
                color="#555555", zorder=4, gid="ring",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})


def niveau_sleutel(niveaus: Sequence[str]) -> str:
    """What the numbered rings of a radar mean, wrapped to the width of the chart, a line never inside a name.

    >>> niveau_sleutel(["pionier", "proces", "systeem", "keten"])
    'Ringen (niveaus): 1 pionier · 2 proces · 3 systeem · 4 keten'
    """
    nbsp = "\N{NO-BREAK SPACE}"
    items = [f"{i} {n}".replace(" ", nbsp) for i, n in enumerate(niveaus, 1)]
    return textwrap.fill("Ringen (niveaus): " + " · ".join(items), 90).replace(nbsp, " ")


def _lines(ax, part: pd.DataFrame, hoeken: np.ndarray, *, label: bool) -> None:
    """The three phases as closed lines; the current level also shaded (when no pillar is missing)."""
    for column, name, colour, style in FASEN:
        x, y = punten(hoeken, part[column].to_numpy(dtype="float64"))
        ax.plot(x, y, color=colour, linestyle=style, linewidth=2, marker=None if column == "tussendoel" else "o",
                markersize=3, label=name if label else None, zorder=3)
    current = part["huidig_gem"].to_numpy(dtype="float64")
    if not np.isnan(current).any():
        ax.fill(*punten(hoeken, current), color=FASEN[0][2], alpha=0.12, zorder=2)


def model_rows(scores: pd.DataFrame, model: str) -> pd.DataFrame:
    """The rows of ``model`` in pillar order, a pillar without scores as missing values (none: empty)."""
    missing = [c for c in ["model", "pijler", *(c for c, *_ in FASEN)] if c not in scores.columns]
    if missing:
        raise KeyError(f"scores: missing column(s) {missing}")
    part = scores[scores["model"] == model].set_index("pijler")
    return part.reindex(list(MODELLEN[model].pijlers)).reset_index() if len(part) else part.reset_index()


def radar(scores: pd.DataFrame, *, model: str, niveaus: Sequence[str], titel: str) -> Figure:
    """One radar of ``model``: per pillar the current level (phase 0), the intermediate target (phase
    1, one level for all pillars) and the ambition (phase 2); the rings are the levels, numbered, and the
    legend names them by ``niveaus``. ``scores`` is :func:`analysis.volwassenheid.scores` of one organisation
    or pooled, with ``tussendoel``. Without scores for ``model`` the chart says so."""
    part = model_rows(scores, model)
    fig = Figure(figsize=(7, 6), layout="constrained")
    ax = fig.add_subplot()
    hoeken = _web(ax, pijlers=MODELLEN[model].pijlers, niveaus=len(niveaus), labels=True, titel=titel)
    if part.empty:
        ax.text(0, 0, "geen antwoorden", ha="center", va="center")
    else:
        _lines(ax, part, hoeken, label=True)
        _ringnummers(ax, hoeken, niveaus=len(niveaus))
        legend = fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize="small",
                            title=niveau_sleutel(niveaus), title_fontsize="small")
        legend.get_title().set_multialignment("center")
        legend.get_title().set_parse_math(False)
    return fit_webs(fig)


def radars(scores: pd.DataFrame, *, model: str, niveaus: Sequence[str], titel: str, ncols: int = 4) -> Figure:
    """Small multiples: a radar of ``model`` per organisation (``organisatie_code``, titled with
    ``organisatie``), the three phases each, so organisations stand side by side; pillars numbered,
    the key in the title. Without any organisation the chart says so."""
    if missing := [c for c in ("organisatie_code", "organisatie") if c not in scores.columns]:
        raise KeyError(f"scores: missing column(s) {missing}")
    pijlers = MODELLEN[model].pijlers
    orgs = list(dict.fromkeys(scores.loc[scores["model"] == model, "organisatie_code"]))
    nrows = max(1, -(-len(orgs) // ncols))
    fig = Figure(figsize=(3 * ncols, 3.1 * nrows + 1.2), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, (ax, code) in enumerate(zip(axes, orgs)):
        own = scores[scores["organisatie_code"] == code]
        # on at most two lines as wide as a radar: a longer title ran past its column (and the figure's edge)
        naam = textwrap.fill(textwrap.shorten(str(own["organisatie"].iloc[0]), 50, placeholder="…"), 25)
        hoeken = _web(ax, pijlers=pijlers, niveaus=len(niveaus), labels=False, titel=naam)
        _lines(ax, model_rows(own, model), hoeken, label=i == 0)
    for ax in axes[len(orgs):]:
        ax.set_visible(False)
    if not orgs:
        axes[0].set_visible(True)
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, "geen organisatie met genoeg respondenten", ha="center", va="center",
                     transform=axes[0].transAxes)
    key = textwrap.fill("; ".join(f"{n} {p}" for n, p in enumerate(pijlers, 1)), 120)
    fig.suptitle(f"{titel}\n{key}", fontsize="small", fontweight="bold", parse_math=False)
    if orgs:
        fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize="small")
    return fit_webs(fig)
