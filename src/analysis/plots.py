"""The report charts: static matplotlib figures in the house theme (``analysis.setup()``), Dutch axes.

Each function takes an analysis frame and returns a :class:`matplotlib.figure.Figure` that is not
registered with pyplot, so a notebook cell shows it once (as the cell's value, with
``%matplotlib inline``) and no figure leaks into the next cell. Money on axes is in cents and
formatted by :func:`analysis.display.eur_formatter`.

Small cells: a frame that went through :func:`analysis.report.kleine_cellen.verberg` marks hidden rows
``verborgen``. Every chart draws only the rows it may show (:func:`_zichtbaar`) and says under the chart
how many it left out (:func:`_voetnoot`), so a bar or line never shows what a table hides.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
from matplotlib.dates import MonthLocator
from matplotlib.figure import Figure

from analysis.display import eur_formatter, maand_formatter, pct_formatter
from analysis.radar import radar, radars  # noqa: F401 - the maturity scans' charts, for notebooks as plots.radar(s)
from analysis.report.kleine_cellen import zichtbaar as _zichtbaar
from analysis.report.kleine_cellen import zin_verborgen

GEEN_ZICHTBAAR = "Geen domein met genoeg cliënten om te tonen."
GEEN_TERUGTOETS = "Nog geen terugtoets: daarvoor zijn ten minste drie jaar gegevens nodig."
"""What a chart says when every row it would draw is a hidden small cell."""
RAG_KLEUREN = {"rood": "#d55e00", "oranje": "#e69f00", "groen": "#009e73", "geen oordeel": "#bbbbbb"}
"""Okabe-Ito colours for the statuses (colour-blind safe)."""
DOMEIN_KLEUREN = {"Beschermd Wonen": "C0", "Jeugd": "C1", "Wmo": "C2"}
"""Each domein its own colour of the theme's palette in every chart, also where another domein is hidden (a
hidden small domein used to hand its colour to the next one). Another domein gets the palette's next free colour."""


def _kleur(domein: str, domeinen: Sequence[str]) -> str:
    """The colour of ``domein`` (:data:`DOMEIN_KLEUREN`); a domein outside it takes the first palette colour
    no drawn domein has."""
    if domein in DOMEIN_KLEUREN:
        return DOMEIN_KLEUREN[domein]
    taken = {DOMEIN_KLEUREN[d] for d in domeinen if d in DOMEIN_KLEUREN}
    others = [d for d in domeinen if d not in DOMEIN_KLEUREN]
    free = [f"C{i}" for i in range(10) if f"C{i}" not in taken]
    return free[others.index(domein) % len(free)]


def _figure(*, width: float = 8, height: float = 4.5, ncols: int = 1, sharey: bool = False):
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, sharey=sharey)
    return fig, axes


def _geen(titel: str, tekst: str) -> Figure:
    """A small figure that says there is nothing to show, where nothing is a normal outcome."""
    fig, ax = _figure(height=1.5)
    ax.text(0.5, 0.5, tekst, ha="center", va="center", fontsize=11, transform=ax.transAxes)
    ax.set_axis_off()
    ax.set_title(titel)
    return fig


def _voetnoot(fig: Figure, *frames: pd.DataFrame) -> Figure:
    """Say under the chart which hidden cells it leaves out (nothing when none)."""
    notes = list(dict.fromkeys(n for n in (zin_verborgen(f) for f in frames) if n))
    if notes:
        fig.supxlabel(" ".join(notes), x=0.01, ha="left", fontsize="small", color="#475467")
    return fig


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    _columns(frame, columns, name)
    if frame.empty:
        raise ValueError(f"{name}: nothing to plot")


def maanduitgaven(monthly: pd.DataFrame, *, laatste_maand: pd.Timestamp, tot: date | None = None,
                  titel: str = "Goedgekeurde uitgaven per maand") -> Figure:
    """Approved spend per month and domein (lines); the months after ``laatste_maand`` up to ``tot`` (the
    report's last month) or the last month with data, whichever is later, shaded: they are still being
    declared, also where nothing has been approved for them yet. ``monthly`` is
    :func:`analysis.spend.monthly_spend` by domein."""
    _require(monthly, ["maand", "domein", "toegekend_cent"], "monthly")
    shown = _zichtbaar(monthly)
    if shown.empty:
        return _voetnoot(_geen(titel, GEEN_ZICHTBAAR), monthly)
    fig, ax = _figure()
    wide = shown.pivot_table(index="maand", columns="domein", values="toegekend_cent", aggfunc="sum")
    wide = wide.reindex(sorted(monthly["maand"].unique())).astype("float64")  # a hidden month is a gap, not 0
    for domein in wide.columns:
        ax.plot(wide.index, wide[domein], label=domein, linewidth=2, color=_kleur(domein, wide.columns))
    laatste_open = wide.index.max() if tot is None else max(wide.index.max(), pd.Timestamp(tot).replace(day=1))
    if laatste_open > laatste_maand:
        ax.axvspan(laatste_maand + pd.DateOffset(days=15), laatste_open + pd.DateOffset(days=15),
                   color="#dddddd", alpha=0.6, label="nog niet volledig gedeclareerd")
    ax.yaxis.set_major_formatter(eur_formatter())
    # a label every half year, in Dutch ("jan 2024"): matplotlib's own "2024-01" every four months ran together
    ax.xaxis.set_major_locator(MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(maand_formatter())
    ax.set_ylim(bottom=0)
    ax.set(title=titel, xlabel="", ylabel="")
    # under the dates, in one row: over no line, and the chart keeps its width (the layout makes room for it)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=2, ncols=len(wide.columns) + 1,
              frameon=False)
    return _voetnoot(fig, monthly)


def jaaruitgaven(frame: pd.DataFrame, *, titel: str = "Uitgaven per jaar en domein") -> Figure:
    """Stacked bars of approved spend per year and domein (``jaar``, ``domein``, ``toegekend_cent``). A year with a
    hidden domain is labelled "(deels)": its bar is lower than the year's spend."""
    _require(frame, ["jaar", "domein", "toegekend_cent"], "frame")
    shown = _zichtbaar(frame)
    if shown.empty:
        return _voetnoot(_geen(titel, GEEN_ZICHTBAAR), frame)
    wide = shown.pivot_table(index="jaar", columns="domein", values="toegekend_cent", aggfunc="sum")
    wide = wide.reindex(sorted(frame["jaar"].unique())).astype("float64").fillna(0)
    deels = set(frame.drop(index=shown.index)["jaar"])
    fig, ax = _figure()
    bottom = np.zeros(len(wide))
    labels = [f"{j}\n(deels)" if j in deels else str(j) for j in wide.index]
    for domein in wide.columns:
        ax.bar(labels, wide[domein], bottom=bottom, label=domein, color=_kleur(domein, wide.columns))
        bottom += wide[domein].to_numpy()
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set(title=titel, xlabel="", ylabel="")
    ax.legend(loc="upper left", frameon=False)
    return _voetnoot(fig, frame)


def groeiverklaring(drivers: pd.DataFrame, *, titel: str = "Waardoor veranderden de uitgaven?") -> Figure:
    """Per domein the change in spend split into clients, the shift between products (when given), care per
    client and price (grouped bars).

    ``drivers`` is :func:`analysis.spend.spend_drivers` by domein.
    """
    parts = {"effect_clienten_cent": "aantal cliënten", "effect_intensiteit_cent": "zorg per cliënt",
             "effect_prijs_cent": "prijs per eenheid"}
    _require(drivers, ["domein", "toegekend_verschil_cent", *parts], "drivers")
    if "effect_mix_cent" in drivers.columns:
        parts = {"effect_clienten_cent": parts["effect_clienten_cent"],
                 "effect_mix_cent": "verschuiving tussen producten"} | parts
    every, drivers = drivers, _zichtbaar(drivers)
    if drivers.empty:
        return _voetnoot(_geen(titel, GEEN_ZICHTBAAR), every)
    fig, ax = _figure()
    y = np.arange(len(drivers))
    height = 0.8 / (len(parts) + 1)
    for i, (column, label) in enumerate([("toegekend_verschil_cent", "totale verandering"), *parts.items()]):
        ax.barh(y + i * height, drivers[column], height=height, label=label)
    ax.set_yticks(y + height * len(parts) / 2, drivers["domein"])
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.xaxis.set_major_formatter(eur_formatter())
    ax.set(title=titel, xlabel="", ylabel="")
    # under the amounts, over no bar, in the order of the bars
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=2, ncols=3, frameon=False,
              fontsize="small")
    return _voetnoot(fig, every)


def budgetuitputting(monitor: pd.DataFrame, *, titel: str) -> Figure:
    """Per domein: the budget, the realisation to date (with the pending amount apart, hatched) and
    the year-end projection. ``monitor`` is :func:`analysis.budget.budget_monitor`."""
    _require(monitor, ["domein", "begroting_cent", "realisatie_cent", "in_behandeling_cent", "prognose_cent"],
             "monitor")
    every, monitor = monitor, _zichtbaar(monitor)
    if monitor.empty:
        return _voetnoot(_geen(titel, GEEN_ZICHTBAAR), every)
    fig, ax = _figure()
    x = np.arange(len(monitor))
    w = 0.27
    ax.bar(x - w, monitor["begroting_cent"], width=w, label="begroting", color="#999999")
    ax.bar(x, monitor["realisatie_cent"], width=w, label="realisatie tot nu")
    ax.bar(x, monitor["in_behandeling_cent"], width=w, bottom=monitor["realisatie_cent"], fill=False, hatch="//", edgecolor="C0",
           label="nog in behandeling (apart)")
    ax.bar(x + w, monitor["prognose_cent"].fillna(0), width=w, label="prognose jaareinde")
    ax.set_xticks(x, monitor["domein"])
    ax.yaxis.set_major_formatter(eur_formatter())
    ax.set(title=titel, xlabel="", ylabel="")
    ax.legend(loc="upper right", frameon=False, fontsize="small")
    return _voetnoot(fig, every)


def prognose(gap: pd.DataFrame, *, titel: str = "Inkomsten en uitgaven: realisatie en prognose") -> Figure:
    """Per domein (and Totaal) a panel: expenditure per year with its 80% and 95% interval, and income.

    ``gap`` is :func:`analysis.forecast.forecast_gap`.
    """
    _require(gap, ["jaar", "domein", "uitgaven_cent", "inkomsten_cent", "uitgaven_80_laag_cent",
                   "uitgaven_80_hoog_cent", "uitgaven_95_laag_cent", "uitgaven_95_hoog_cent"], "gap")
    domeinen = list(dict.fromkeys(gap["domein"]))
    fig = Figure(figsize=(10, 6.5), layout="constrained")
    axes = fig.subplots(2, (len(domeinen) + 1) // 2, squeeze=False).ravel()
    for ax, domein in zip(axes, domeinen):
        part = gap[gap["domein"] == domein].sort_values("jaar")
        x = part["jaar"].astype(str)
        ax.fill_between(x, part["uitgaven_95_laag_cent"], part["uitgaven_95_hoog_cent"], alpha=0.15, color="C0",
                        label="uitgaven 95%-interval")
        ax.fill_between(x, part["uitgaven_80_laag_cent"], part["uitgaven_80_hoog_cent"], alpha=0.3, color="C0",
                        label="uitgaven 80%-interval")
        ax.plot(x, part["uitgaven_cent"], marker="o", color="C0", label="uitgaven")
        ax.plot(x, part["inkomsten_cent"], marker="s", color="C2", label="inkomsten")
        ax.yaxis.set_major_formatter(eur_formatter())
        ax.set_ylim(bottom=0)
        ax.set_title(domein)
    for ax in axes[len(domeinen):]:
        ax.set_visible(False)
    axes[0].legend(loc="lower left", frameon=False, fontsize="small")
    fig.suptitle(titel, fontweight="bold")
    return fig


def backtest(summary: pd.DataFrame, *,
             titel: str = "Terugtoets: gemiddelde fout in het jaartotaal per methode") -> Figure:
    """Mean absolute error of the year total (% of what happened) per domein and method (grouped bars);
    ``summary`` is ``summarise_backtest``."""
    from analysis.report import METHODEN

    if summary.empty and {"domein", "methode", "ape_pct"} <= set(summary.columns):  # too short a history
        return _geen(titel, GEEN_TERUGTOETS)
    _require(summary, ["domein", "methode", "ape_pct"], "summary")
    wide = summary.pivot_table(index="domein", columns="methode", values="ape_pct", sort=False)
    wide = wide[[m for m in METHODEN if m in wide.columns] + [m for m in wide.columns if m not in METHODEN]]
    fig, ax = _figure()
    x = np.arange(len(wide))
    w = 0.8 / len(wide.columns)
    for i, methode in enumerate(wide.columns):
        ax.bar(x + i * w, wide[methode], width=w, label=METHODEN.get(methode, methode))
    ax.set_xticks(x + w * (len(wide.columns) - 1) / 2, wide.index)
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.set(title=titel, xlabel="", ylabel="gemiddelde afwijking van het jaartotaal")
    ax.legend(frameon=False, fontsize="small")
    return fig


def saldo_per_gemeente(saldo: pd.DataFrame, *, drempel_pct: float,
                       titel: str = "Saldo in % van de inkomsten per gemeente") -> Figure:
    """Horizontal bars of the realised and forecast saldo (% of income) per gemeente (``regio_saldo``),
    with the tolerance line at ``-drempel_pct``."""
    _require(saldo, ["gemeentenaam", "realisatie_saldo_pct", "prognose_saldo_pct", "realisatie_jaar",
                     "prognose_jaar"], "saldo")
    fig, ax = _figure(height=0.5 * len(saldo) + 1.5)
    y = np.arange(len(saldo))
    h = 0.4
    ax.barh(y - h / 2, saldo["realisatie_saldo_pct"], height=h,
            label=f"realisatie {int(saldo['realisatie_jaar'].iloc[0])}")
    ax.barh(y + h / 2, saldo["prognose_saldo_pct"], height=h,
            label=f"prognose {int(saldo['prognose_jaar'].iloc[0])}")
    ax.axvline(-drempel_pct, color=RAG_KLEUREN["rood"], linestyle="--", linewidth=1, label="tolerantie")
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, saldo["gemeentenaam"])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(pct_formatter())
    ax.set(title=titel, xlabel="", ylabel="")
    ax.legend(loc="best", frameon=False, fontsize="small")
    return fig


def uitgaven_per_inwoner(bench: pd.DataFrame, *, titel: str = "Uitgaven per 1.000 inwoners") -> Figure:
    """Per domein a panel of spend per 1,000 inhabitants per gemeente, with the region's level as a line.

    ``bench`` is :func:`analysis.spend.benchmark`.
    """
    _require(bench, ["gemeentenaam", "domein", "toegekend_per_1000_cent", "regio_toegekend_per_1000_cent"], "bench")
    domeinen = list(dict.fromkeys(bench["domein"]))
    fig, axes = _figure(width=10, height=4, ncols=len(domeinen))
    axes = np.atleast_1d(axes)
    for ax, domein in zip(axes, domeinen):
        part = bench[bench["domein"] == domein]
        values = part["toegekend_per_1000_cent"].astype("float64")
        if "verborgen" in part.columns:  # a hidden gemeente keeps its place on the axis, without a bar
            values = values.where(~part["verborgen"].to_numpy(dtype=bool), 0.0)
        ax.barh(part["gemeentenaam"], values, color="C0")
        ax.axvline(float(part["regio_toegekend_per_1000_cent"].iloc[0]), color=RAG_KLEUREN["rood"],
                   linestyle="--", label="regio")
        ax.xaxis.set_major_formatter(eur_formatter())
        ax.tick_params(axis="x", labelrotation=30)
        ax.invert_yaxis()
        ax.set_title(domein)
    axes[0].legend(frameon=False, fontsize="small")
    fig.suptitle(titel, fontweight="bold")
    return _voetnoot(fig, bench)


def rag_overzicht(telling: pd.DataFrame, *, titel: str = "Status van de aanbieders per bouwsteen") -> Figure:
    """Stacked horizontal bars: how many aanbieders are red, amber, green or not judged per block
    (:func:`analysis.report.rag_telling`)."""
    if telling.empty:
        raise ValueError("telling: nothing to plot")
    fig, ax = _figure(height=3.5)
    left = np.zeros(len(telling))
    for status in telling.columns:
        ax.barh(telling.index, telling[status], left=left, label=status, color=RAG_KLEUREN.get(status))
        left += telling[status].to_numpy()
    ax.invert_yaxis()
    ax.set(title=titel, xlabel="aantal aanbieders", ylabel="")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize="small")  # beside: over no bar
    return fig


def top_aanbieders(spend: pd.DataFrame, *, top: int = 10, titel: str = "Grootste aanbieders: aandeel in de uitgaven"
                   ) -> Figure:
    """Bars of the ``top`` aanbieders' share of approved spend (%) with the cumulative share as a line.

    ``spend`` has ``aanbieder_naam`` (or ``aanbieder_agb``) and ``toegekend_cent``. Hidden aanbieders
    (``verborgen``) get no bar; pool them (``verberg(..., samenvoegen=...)``) so the shares are of the
    whole spend. A pooled row counts in the whole but gets no bar of its own (it is not one aanbieder).
    """
    _require(spend, ["toegekend_cent"], "spend")
    shown = _zichtbaar(spend)
    total = float(shown.loc[shown["toegekend_cent"] > 0, "toegekend_cent"].astype("float64").sum())
    if "samengevoegd" in shown.columns:
        shown = shown[~shown["samengevoegd"].to_numpy(dtype=bool)]
    positive = shown[shown["toegekend_cent"] > 0].sort_values("toegekend_cent", ascending=False)
    share = positive["toegekend_cent"].astype("float64") / total * 100 if total else positive["toegekend_cent"] * 0.0
    names = positive.get("aanbieder_naam", positive.get("aanbieder_agb")).fillna(positive["aanbieder_agb"])
    fig, ax = _figure()
    ax.bar(names.head(top), share.head(top), label="aandeel")
    ax.plot(names.head(top), share.cumsum().head(top), color="C1", marker="o", label="cumulatief")
    ax.yaxis.set_major_formatter(pct_formatter())
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    ax.set(title=titel, xlabel="", ylabel="")
    ax.legend(frameon=False)
    return _voetnoot(fig, spend)


def _regels(label: str, *, breedte: int = 40) -> str:
    """``label`` on at most two lines of ``breedte`` characters, broken between words; what does not fit
    ends in "…" (a retourcode's omschrijving is often a long sentence)."""
    return "\n".join(textwrap.wrap(label, breedte, max_lines=2, placeholder=" …")) or label


def retourcodes(codes: pd.DataFrame, *, top: int = 8, titel: str = "Waarom declaraties werden afgewezen") -> Figure:
    """Horizontal bars of the rejected lines per retourcode (``retourcode_breakdown``), most frequent first.

    No rejected lines is good news, not an error: the figure then says so.
    """
    if codes.empty and "regels" in codes.columns:
        return _geen(titel, "Geen afgewezen declaratieregels in deze periode.")
    _require(codes, ["retourcode", "omschrijving", "regels"], "codes")
    part = _zichtbaar(codes).sort_values("regels", ascending=False).head(top)
    labels = [_regels(f"{c} {o}") for c, o in zip(part["retourcode"], part["omschrijving"].fillna(""))]
    fig, ax = _figure()
    ax.barh(labels, part["regels"])
    ax.invert_yaxis()
    ax.set(title=titel, xlabel="afgewezen declaratieregels", ylabel="")
    return _voetnoot(fig, codes)



GEEN_CIJFERS = "Niets met genoeg cliënten om te tonen."
"""What a quality chart says when every row it would draw is a hidden small cell."""
GEEN_GEGEVENS = "Geen gegevens over deze periode."
"""What a quality chart says when its frame has no rows at all (a small gemeente without any toewijzing
that started in the period, say): a normal outcome, not an error."""


def _columns(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{name}: missing column(s) {missing}")


def tijdlijnen(frame: pd.DataFrame, *, x: str, y: str | Sequence[str], titel: str, groep: str | None = None,
               labels: dict[str, str] | None = None, norm: float | None = None, norm_label: str = "norm",
               eenheid: str = "", procent: bool = False) -> Figure:
    """Lines over time (``x``): ``y`` with a line per value of ``groep``, or a line per column of ``y``
    (named by ``labels``); ``norm`` as a dashed red line. A hidden row is a gap in its line, never a point."""
    columns = [y] if isinstance(y, str) else list(y)
    if groep is not None and len(columns) != 1:
        raise ValueError("y: one column when the lines are per groep")
    _columns(frame, [x, *columns, *([groep] if groep else [])], "frame")
    if frame.empty:
        return _geen(titel, GEEN_GEGEVENS)
    shown = _zichtbaar(frame)
    if shown.empty:
        return _voetnoot(_geen(titel, GEEN_CIJFERS), frame)
    if groep is None:
        wide = shown.set_index(x)[columns].rename(columns=labels or {})
    else:
        wide = shown.pivot_table(index=x, columns=groep, values=columns[0], aggfunc="sum")
    wide = wide.reindex(sorted(frame[x].unique())).astype("float64")
    fig, ax = _figure()
    for name in wide.columns:  # names as written: the theme draws no mathtext
        ax.plot(wide.index, wide[name], label=str(name), linewidth=2, marker="o" if len(wide) <= 12 else None)
    if norm is not None:
        ax.axhline(norm, color=RAG_KLEUREN["rood"], linestyle="--", linewidth=1, label=norm_label)
    if procent:
        ax.yaxis.set_major_formatter(pct_formatter())
    ax.set_ylim(bottom=0)
    ax.set(title=titel, xlabel="", ylabel=eenheid)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize="small")
    return _voetnoot(fig, frame)


def staven(frame: pd.DataFrame, *, label: str, waarde: str, titel: str, eenheid: str = "",
           norm: float | None = None, norm_label: str = "norm", procent: bool = False, top: int = 15) -> Figure:
    """Horizontal bars of ``waarde`` for the first ``top`` rows shown, in the frame's order, named by
    ``label``; ``norm`` as a dashed red line. A hidden row gets no bar."""
    _columns(frame, [label, waarde], "frame")
    if frame.empty:
        return _geen(titel, GEEN_GEGEVENS)
    shown = _zichtbaar(frame).head(top)
    if shown.empty:
        return _voetnoot(_geen(titel, GEEN_CIJFERS), frame)
    fig, ax = _figure(height=0.35 * len(shown) + 1.6)
    positions = np.arange(len(shown))
    ax.barh(positions, shown[waarde].astype("float64").fillna(0))
    ax.set_yticks(positions, [textwrap.shorten(str(v), 40, placeholder="…") for v in shown[label]])
    if norm is not None:
        ax.axvline(norm, color=RAG_KLEUREN["rood"], linestyle="--", linewidth=1, label=norm_label)
        ax.legend(loc="lower right", frameon=False, fontsize="small")
    if procent:
        ax.xaxis.set_major_formatter(pct_formatter())
    ax.invert_yaxis()
    ax.set(title=titel, xlabel=eenheid, ylabel="")
    return _voetnoot(fig, frame)

