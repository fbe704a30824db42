"""The regio notebook: the gemeenten of a region side by side."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.display import eur, format_table, number, pct
from analysis.forecast.gap import TOTAAL
from analysis.forecast.model import MIN_MAANDEN
from analysis.periode import Periode
from analysis.report.kleine_cellen import VERBORGEN
from analysis.report.summary import Kerncijfer, namen, samenvatting, status_van

# --- regio --------------------------------------------------------------------------------------

def regio_saldo(gaps: dict[str, pd.DataFrame], gemeenten: pd.DataFrame) -> pd.DataFrame:
    """The plan table "realisatie / prognose" per gemeente: saldo of the base year and of the horizon year.

    ``gaps`` maps a gemeente code to its :func:`analysis.forecast.forecast_gap` table. Rows: each
    gemeente and ``Regio`` (the sums, % of the summed income). Columns ``gemeente_code``,
    ``gemeentenaam``, ``{realisatie,prognose}_{inkomsten,uitgaven,saldo}_cent``,
    ``{realisatie,prognose}_saldo_pct`` and ``realisatie_jaar``, ``prognose_jaar``.
    """
    if not gaps:
        raise ValueError("gaps: no gemeente")
    rows = []
    for code, gap in gaps.items():
        total = gap[gap["domein"] == TOTAAL]
        row = {"gemeente_code": code}
        for soort, jaar in (("realisatie", total["jaar"].min()), ("prognose", total["jaar"].max())):
            line = total[total["jaar"] == jaar].iloc[0]
            row |= {f"{soort}_jaar": int(jaar), f"{soort}_inkomsten_cent": int(line["inkomsten_cent"]),
                    f"{soort}_uitgaven_cent": int(line["uitgaven_cent"])}
        rows.append(row)
    frame = pd.DataFrame(rows).merge(gemeenten, on="gemeente_code", how="left")
    money = [c for c in frame.columns if c.endswith("_cent")]
    regio = {"gemeente_code": "", "gemeentenaam": "Regio", **frame[money].sum().astype("int64").to_dict(),
             "realisatie_jaar": frame["realisatie_jaar"].iloc[0], "prognose_jaar": frame["prognose_jaar"].iloc[0]}
    frame = pd.concat([frame, pd.DataFrame([regio])], ignore_index=True)
    for soort in ("realisatie", "prognose"):
        frame[f"{soort}_saldo_cent"] = frame[f"{soort}_inkomsten_cent"] - frame[f"{soort}_uitgaven_cent"]
        income = frame[f"{soort}_inkomsten_cent"].astype("float64")
        frame[f"{soort}_saldo_pct"] = frame[f"{soort}_saldo_cent"] / income.where(income != 0) * 100
    return frame.astype({c: "int64" for c in frame.columns if c.endswith("_cent") or c.endswith("_jaar")})


def tabel_regio_saldo(saldo: pd.DataFrame) -> pd.DataFrame:
    """:func:`regio_saldo` for the board (amounts about budgets, not clients)."""
    r, p = int(saldo["realisatie_jaar"].iloc[0]), int(saldo["prognose_jaar"].iloc[0])
    cols = {"gemeentenaam": "Gemeente", "realisatie_inkomsten_cent": f"Inkomsten {r}",
            "realisatie_uitgaven_cent": f"Uitgaven {r}", "realisatie_saldo_cent": f"Saldo {r}",
            "realisatie_saldo_pct": f"Saldo {r} (% inkomsten)", "prognose_inkomsten_cent": f"Inkomsten {p}",
            "prognose_uitgaven_cent": f"Uitgaven {p} (prognose)", "prognose_saldo_cent": f"Saldo {p} (prognose)",
            "prognose_saldo_pct": f"Saldo {p} (% inkomsten)"}
    table = saldo[list(cols)].rename(columns=cols)
    money = [v for k, v in cols.items() if k.endswith("_cent")]
    return format_table(table, money=money, percent=[v for k, v in cols.items() if k.endswith("_pct")],
                        count_column=None)


BENCH_GEMEENTE = ["toegekend_cent", "clienten", "toegekend_per_1000_cent", "clienten_per_1000", "index_toegekend",
                  "index_clienten"]
"""The figures of :func:`analysis.spend.benchmark` about one gemeente's clients: hidden in a small cell
(the region's own figures and the inhabitants stay)."""


def regio_benchmark(bench: pd.DataFrame) -> pd.DataFrame:
    """Spend per 1,000 inhabitants per gemeente (rows) and domein, with the region's level per domein.

    ``bench`` is :func:`analysis.spend.benchmark`. Returns ``gemeentenaam``, ``domein``,
    ``toegekend_per_1000_cent``, ``index_toegekend``, ``clienten``, plus one ``Regio`` row per domein
    (region total per 1,000 inhabitants, index 100, the region's clients). Hidden rows of ``bench``
    (:meth:`Rapport.verberg` by domein) stay hidden; the Regio rows are totals and shown.
    """
    keep = ["gemeentenaam", "domein", "toegekend_per_1000_cent", "index_toegekend", "clienten"]
    marker = [VERBORGEN] if VERBORGEN in bench.columns else []
    regio = (bench.groupby("domein", as_index=False)
             .agg(toegekend_per_1000_cent=("regio_toegekend_per_1000_cent", "first"),
                  clienten=("regio_clienten", "first"))
             .assign(gemeentenaam="Regio", index_toegekend=100.0, **{m: False for m in marker}))
    out = pd.concat([bench[keep + marker], regio[keep + marker]], ignore_index=True)
    out.attrs = dict(bench.attrs)
    return out


def tabel_benchmark(bench: pd.DataFrame) -> pd.DataFrame:
    """:func:`regio_benchmark` wide: gemeenten as rows, per domein the spend per 1,000 and the index.

    A domein's hidden figures (fewer clients than the report's ``min_clienten``) show as "x".
    """
    parts = []
    for domein, part in bench.groupby("domein", sort=False):
        shown = format_table(part.rename(columns={"toegekend_per_1000_cent": "per_1000", "index_toegekend": "index"}),
                             money=["per_1000"], numbers=["index"])
        parts.append(shown.set_index("gemeentenaam")[["per_1000", "index"]].rename(
            columns={"per_1000": f"{domein}: € per 1.000 inwoners", "index": f"{domein}: index (regio = 100)"}))
    out = pd.concat(parts, axis=1).reset_index().rename(columns={"gemeentenaam": "Gemeente"}).fillna("–")
    notes = [p.attrs["voetnoot"] for p in parts if "voetnoot" in p.attrs]
    out.attrs = {"voetnoot": notes[0]} if notes else {}  # concat keeps no attrs that differ
    return out


def _naam(code: str, gemeenten: pd.DataFrame, toelichting: str = "") -> str:
    """'Alkmaar (GM0361)', or 'Alkmaar (GM0361, toelichting)'."""
    names = dict(zip(gemeenten["gemeente_code"], gemeenten["gemeentenaam"]))
    return f"{names.get(code, code)} ({code}{', ' + toelichting if toelichting else ''})"


def zin_buiten_prognose(buiten: Mapping[str, pd.Timestamp], gemeenten: pd.DataFrame) -> str:
    """The sentence naming the gemeenten left out of the region's forecast (``buiten``, from
    :func:`analysis.forecast.region_forecasts`: code -> first month of its data), or "" when none is."""
    if not buiten:
        return ""
    wie = namen([_naam(code, gemeenten, f"gegevens vanaf {Periode(m.year, m.month).tekst}")
                 for code, m in sorted(buiten.items())], max_items=len(buiten))
    return (f"Niet in de prognose en het saldo van de regio: {wie}. Een prognose heeft ten minste één volledig "
            "kalenderjaar gegevens nodig; de cijfers van de regio zijn daarom lager dan haar werkelijke uitgaven "
            "en inkomsten.")


def regio_aannames(gaps: Mapping[str, pd.DataFrame], gemeenten: pd.DataFrame) -> list[str]:
    """The assumptions of the region's forecasts: those of the gemeente with the longest history (the
    gemeenten share the data date and scenario) and, when some have a short one (under 24 months,
    ``gap.attrs["maanden"]``), a sentence naming them."""
    if not gaps:
        raise ValueError("gaps: no gemeente")
    maanden = {code: gap.attrs.get("maanden", MIN_MAANDEN) for code, gap in gaps.items()}
    langst = max(maanden, key=maanden.get)
    kort = sorted(code for code, n in maanden.items() if n < MIN_MAANDEN)
    out = list(gaps[langst].attrs.get("aannames", []))
    if kort and maanden[langst] >= MIN_MAANDEN:
        out.append(f"Korte reeks bij {namen([_naam(c, gemeenten) for c in kort], max_items=len(kort))}: er zijn "
                   f"minder dan {MIN_MAANDEN} maanden gegevens, dus de prognose herhaalt daar het laatste jaar, met "
                   "bewust ruime intervallen.")
    return out


def samenvatting_regio(saldo: pd.DataFrame, bench: pd.DataFrame, *, regio: str, tekort_drempel_pct: float,
                       index_drempel: float, buiten: str = "", titel: str = "Samenvatting") -> str:
    """Summary of the region: gemeenten with a forecast deficit beyond the threshold (% of income)
    and gemeenten far above the region's spend per inhabitant first; ``buiten`` (:func:`zin_buiten_prognose`)
    leads when some gemeente is not in the region's figures."""
    gem, tot = saldo[saldo["gemeentenaam"] != "Regio"], saldo[saldo["gemeentenaam"] == "Regio"].iloc[0]
    r, p = int(tot["realisatie_jaar"]), int(tot["prognose_jaar"])
    tekort = gem[gem["prognose_saldo_pct"] < -tekort_drempel_pct]
    hoog = bench[(bench["gemeentenaam"] != "Regio") & (bench["index_toegekend"].astype("Float64").fillna(0) > index_drempel)]
    exceptions = [buiten] if buiten else []
    if len(tekort):
        exceptions.append(f"{len(tekort)} van de {len(gem)} gemeenten {'heeft' if len(tekort) == 1 else 'hebben'} "
                          f"in {p} naar verwachting een tekort "
                          f"van meer dan {pct(tekort_drempel_pct)} van de inkomsten: "
                          f"{namen(tekort.sort_values('prognose_saldo_pct')['gemeentenaam'])}.")
    if len(hoog):
        worst = hoog.sort_values("index_toegekend", ascending=False).iloc[0]
        n = hoog["gemeentenaam"].nunique()
        exceptions.append(f"{n} {'gemeente geeft' if n == 1 else 'gemeenten geven'} per inwoner meer dan index "
                          f"{number(index_drempel)} uit in een domein; het hoogst is {worst['gemeentenaam']} bij "
                          f"{worst['domein']} (index {number(worst['index_toegekend'])}).")
    if not (len(tekort) or len(hoog)):
        exceptions.append(f"Geen gemeente valt buiten de tolerantie: geen tekort boven {pct(tekort_drempel_pct)} "
                          f"van de inkomsten in {p} en geen uitgaven per inwoner boven index {number(index_drempel)}.")
    zinnen = [f"De regio {regio} sloot {r} af met een saldo van {eur(int(tot['realisatie_saldo_cent']))} "
              f"({pct(tot['realisatie_saldo_pct'])} van de inkomsten).",
              f"Voor {p} is de prognose {eur(int(tot['prognose_saldo_cent']))} "
              f"({pct(tot['prognose_saldo_pct'])} van de inkomsten)."]
    kern = [Kerncijfer(f"prognose saldo regio {p}", eur(int(tot["prognose_saldo_cent"])),
                       status_van(tot["prognose_saldo_pct"], slecht=-tekort_drempel_pct, let_op=0.0,
                                  hoger_is_slechter=False), kop=True),
            Kerncijfer(f"gemeenten met tekort > {pct(tekort_drempel_pct)} in {p}", number(len(tekort)),
                       "slecht" if len(tekort) else "goed"),
            Kerncijfer(f"saldo regio {r}", eur(int(tot["realisatie_saldo_cent"]))),
            Kerncijfer(f"uitgaven regio {r}", eur(int(tot["realisatie_uitgaven_cent"])))]
    return samenvatting(uitzonderingen=exceptions[:3], zinnen=zinnen[:5 - len(exceptions[:3])], kerncijfers=kern, titel=titel)
