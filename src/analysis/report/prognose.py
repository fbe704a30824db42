"""The prognose notebook: the income-expenditure gap forecast and how far to trust it."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from analysis.display import eur, format_table, pct
from analysis.forecast.gap import TOTAAL
from analysis.forecast.model import MIN_MAANDEN
from analysis.report.summary import Kerncijfer, namen, samenvatting, status_van

# --- prognose -----------------------------------------------------------------------------------

def tabel_prognose(gap: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.forecast.forecast_gap` for the board: income, expenditure with its 80% and 95%
    interval, saldo in EUR and % of income."""
    frame = gap.assign(
        **{f"interval_{n}": [f"{eur(int(lo))} – {eur(int(hi))}" if s == "prognose" else "–"
                             for lo, hi, s in zip(gap[f"uitgaven_{n}_laag_cent"], gap[f"uitgaven_{n}_hoog_cent"],
                                                  gap["soort"])] for n in ("80", "95")})
    cols = {"jaar": "Jaar", "domein": "Domein", "soort": "Soort", "inkomsten_cent": "Inkomsten",
            "uitgaven_cent": "Uitgaven", "interval_80": "Uitgaven 80%-interval", "interval_95": "Uitgaven 95%-interval",
            "saldo_cent": "Saldo", "saldo_pct": "Saldo (% inkomsten)"}
    table = frame[list(cols)].rename(columns=cols).astype({"Jaar": "str"})
    return format_table(table, money=["Inkomsten", "Uitgaven", "Saldo"], percent=["Saldo (% inkomsten)"],
                        count_column=None)


METHODEN = {"combinatie": "Prognose (combinatie)", "ets": "ETS", "ets_gedempt": "ETS gedempt", "theta": "Theta",
            "arima": "ARIMA",
            "naief": "Naïef (vorig jaar)", "trend": "Rechte lijn"}
"""The backtest's methods in the order and words of the board."""


def zonder_kleine_domeinen(frame: pd.DataFrame, verborgen: Sequence[str]) -> pd.DataFrame:
    """``frame`` (a gap table or backtest summary) without the rows of the ``verborgen`` domains."""
    return frame[~frame["domein"].isin(list(verborgen))].reset_index(drop=True)


def zin_kleine_domeinen(verborgen: Sequence[str], *, min_clienten: int) -> str:
    """The sentence that says which domains get no forecast of their own, and why."""
    if not verborgen:
        return f"Elk domein rust op ten minste {min_clienten} cliënten en heeft een eigen prognose."
    return (f"{namen(list(verborgen))} {'krijgt' if len(verborgen) == 1 else 'krijgen'} geen eigen prognose: "
            f"een domein met minder dan {min_clienten} cliënten wordt niet getoond (en zo nodig een tweede, zodat het "
            "totaal het niet verraadt). Het totaal telt ze wel mee.")


def tabel_backtest(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.forecast.summarise_backtest` for the board: per domein and method the mean error of the
    year total in % and in euros, the monthly sMAPE and MASE, and how often the 80% and 95% bands held."""
    rank = {"methode": {m: i for i, m in enumerate(METHODEN)},
            "domein": {d: i for i, d in enumerate(dict.fromkeys(summary["domein"]))}}
    summary = summary.sort_values(["domein", "methode"], key=lambda c: c.map(rank[c.name]), kind="stable")
    frame = summary.assign(methode=summary["methode"].map(METHODEN).fillna(summary["methode"]),
                           fout_cent=summary["fout_abs"].round().astype("Int64"),
                           dekking_80_pct=summary["dekking_80"] * 100, dekking_95_pct=summary["dekking_95"] * 100,
                           beter=summary["beter_dan_baselines"].map({True: "ja", False: "nee"}).where(
                               summary["gebruikt"], ""))
    cols = {"domein": "Domein", "methode": "Methode", "ape_pct": "Fout jaartotaal (%)", "fout_cent": "Fout jaartotaal",
            "smape_pct": "sMAPE per maand", "mase": "MASE", "dekking_80_pct": "Binnen 80%-band",
            "dekking_95_pct": "Binnen 95%-band", "oorsprongen": "Keren getoetst", "beter": "Beter dan beide maatstaven"}
    table = frame[list(cols)].rename(columns=cols).reset_index(drop=True)
    return format_table(table, money=["Fout jaartotaal"], percent=["Fout jaartotaal (%)", "sMAPE per maand",
                        "Binnen 80%-band", "Binnen 95%-band"], numbers=["MASE", "Keren getoetst"], decimals={"MASE": 2},
                        count_column=None)


def zin_terugtoets(summary: pd.DataFrame) -> str:
    """How far the forecast is to be trusted, from the backtest of the total: its year-total error in % and
    euros, against the baselines, and how often its bands held."""
    total = summary[summary["domein"] == TOTAAL].set_index("methode")
    if "combinatie" not in total.index or pd.isna(total.loc["combinatie", "ape_pct"]):
        return "Een terugtoets was niet mogelijk: daarvoor zijn ten minste drie jaar gegevens nodig."
    c = total.loc["combinatie"]
    maatstaf = "verslaat daarmee beide eenvoudige maatstaven" if c["beter_dan_baselines"] else (
        "verslaat daarmee niet beide eenvoudige maatstaven (vorig jaar herhalen: "
        f"{pct(total.loc['naief', 'ape_pct'])}, rechte lijn: {pct(total.loc['trend', 'ape_pct'])})")
    return (f"In de terugtoets ({int(c['oorsprongen'])} keer een jaar vooruit) week het voorspelde jaartotaal "
            f"gemiddeld {pct(c['ape_pct'])} ({eur(int(round(c['fout_abs'])))}) af van wat er gebeurde, en "
            f"{maatstaf}; de 80%-band omvatte {pct(c['dekking_80'] * 100, decimals=0)} en de 95%-band "
            f"{pct(c['dekking_95'] * 100, decimals=0)} van de getoetste jaren.")


def alinea_methode(gap: pd.DataFrame) -> str:
    """The paragraph "De methode" of the prognose report as HTML: the mean of the three models, or,
    for a history under 24 months (``gap.attrs["maanden"]``), the last year repeated."""
    maanden = gap.attrs.get("maanden", MIN_MAANDEN)
    if maanden < MIN_MAANDEN:
        tekst = (f"Er zijn pas {maanden} maanden gegevens, te weinig om het seizoen van de trend te scheiden "
                 f"(daarvoor zijn {MIN_MAANDEN} maanden nodig). De prognose herhaalt daarom het laatste jaar, de "
                 "eenvoudigste maatstaf die er is. De banden zijn zo breed als de maanden onderling verschillen en "
                 "bewust ruim: lees de prognose als een eerste indicatie. Zodra er twee jaar gegevens zijn, gaat de "
                 "prognose over op het gemiddelde van drie beproefde modellen (twee vormen van exponentiële afvlakking "
                 "en Theta).")
    else:
        tekst = ("De prognose is het gemiddelde van drie beproefde modellen voor maandreeksen: exponentiële "
                 "afvlakking (ETS), dezelfde met een gedempte trend (een groei of daling zet door, maar elke maand "
                 "iets minder) en de Theta-methode, elk automatisch op de reeks van het domein geschat. Een "
                 "gemiddelde van verschillende modellen is in de grote vergelijkingen van voorspelmethoden (de "
                 "M-competities) moeilijk te verslaan; in onze eigen toets op ruim 2.400 echte maandreeksen (uit de "
                 "M1-, M3- en Tourism-competities) zat dit gemiddelde het jaartotaal gemiddeld dichter bij dan elk "
                 "van de modellen alleen, dan andere gemiddelden en dan vorig jaar herhalen; een vierde model "
                 "(seizoens-ARIMA) deed het daar het slechtst en telt niet mee. De banden zijn zo breed als de "
                 "jaartotalen van de reeks in het verleden van jaar op jaar verrasten, en ruimer naarmate er minder "
                 "jaren zijn.")
    return f"<p><strong>De methode.</strong> {html.escape(tekst)}</p>"


def zin_regio_prognose(regio_gap: pd.DataFrame) -> str:
    """The region's forecast total of the horizon year with its 80% band, from :func:`analysis.forecast.region_gap`."""
    last = regio_gap[regio_gap["jaar"] == regio_gap["jaar"].max()].iloc[0]
    return (f"De regio als geheel geeft in {int(last['jaar'])} naar verwachting {eur(int(last['uitgaven_cent']))} uit "
            f"(met 80% zekerheid tussen {eur(int(last['uitgaven_80_laag_cent']))} en "
            f"{eur(int(last['uitgaven_80_hoog_cent']))}), tegen {eur(int(last['inkomsten_cent']))} inkomsten: "
            "een saldo "
            f"van {eur(int(last['saldo_cent']))} ({pct(last['saldo_pct'])}).")


def samenvatting_prognose(gap: pd.DataFrame, summary: pd.DataFrame, *, tekort_drempel_pct: float,
                          verborgen: Sequence[str] = (), min_clienten: int = 10, titel: str = "Samenvatting") -> str:
    """Summary of the forecast: domains whose forecast deficit exceeds the threshold (% of income) first,
    then the total saldo, the 80% interval and how far the forecast is to be trusted. The ``verborgen``
    domains (:func:`analysis.report.kleine_cellen.kleine_domeinen`) are not named."""
    horizon_jaar, basis = int(gap["jaar"].max()), int(gap["jaar"].min())
    last = gap[gap["jaar"] == horizon_jaar].set_index("domein")
    domains = last.drop(index=[TOTAAL, *verborgen], errors="ignore")
    tekort = domains[domains["saldo_pct"] < -tekort_drempel_pct].sort_values("saldo_pct")
    tot, real = last.loc[TOTAAL], gap[(gap["jaar"] == basis) & (gap["domein"] == TOTAAL)].iloc[0]
    if len(tekort):
        first = [f"In {horizon_jaar} is het verwachte tekort groter dan {pct(tekort_drempel_pct)} van de inkomsten "
                 "bij " + namen([f"{d} ({pct(r.saldo_pct)})" for d, r in zip(tekort.index, tekort.itertuples())])
                 + "."]
    else:
        first = [f"Geen getoond domein heeft in {horizon_jaar} een verwacht tekort van meer dan "
                 f"{pct(tekort_drempel_pct)} van de inkomsten."]
    maanden = gap.attrs.get("maanden", MIN_MAANDEN)
    if maanden < MIN_MAANDEN:
        first.insert(0, f"Er zijn pas {maanden} maanden gegevens: de prognose herhaalt het laatste jaar en is een "
                        "eerste indicatie, met bewust ruime banden.")
    zinnen = [f"{basis} sloot af met een saldo van {eur(int(real['saldo_cent']))} ({pct(real['saldo_pct'])} van de "
              "inkomsten).",
              f"Voor {horizon_jaar} is het verwachte saldo {eur(int(tot['saldo_cent']))} "
              f"({pct(tot['saldo_pct'])}); de uitgaven liggen met 80% zekerheid tussen "
              f"{eur(int(tot['uitgaven_80_laag_cent']))} en {eur(int(tot['uitgaven_80_hoog_cent']))}.",
              zin_terugtoets(summary)]
    if verborgen:
        zinnen.append(zin_kleine_domeinen(verborgen, min_clienten=min_clienten))
    status = status_van(tot["saldo_pct"], slecht=-tekort_drempel_pct, let_op=0.0, hoger_is_slechter=False)
    kern = [Kerncijfer(f"verwacht saldo {horizon_jaar}", eur(int(tot["saldo_cent"])), status, kop=True),
            Kerncijfer(f"verwacht saldo {horizon_jaar} in % van de inkomsten", pct(tot["saldo_pct"]), status),
            Kerncijfer(f"saldo {basis} (realisatie)", eur(int(real["saldo_cent"]))),
            Kerncijfer(f"verwachte uitgaven {horizon_jaar}", eur(int(tot["uitgaven_cent"])))]
    return samenvatting(uitzonderingen=first, zinnen=zinnen, kerncijfers=kern, titel=titel)
