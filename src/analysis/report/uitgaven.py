"""The uitgaven notebook: where the money goes, its growth and the budget."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.display import eur, format_table, number, pct
from analysis.forecast.gap import TOTAAL, GeenVolledigJaar, forecast_gap
from analysis.report.summary import Kerncijfer, namen, samenvatting, status_van
from analysis.report.context import Rapport
from analysis.report.kleine_cellen import VERBORGEN, kolommen

OVERIGE = "Overige"
"""The row of :func:`top_spend` that sums the groups after the top."""
BUDGET_VERBORGEN = ["realisatie_cent", "realisatie_pct", "prognose_cent", "afwijking_cent", "afwijking_pct",
                    "in_behandeling_cent"]
"""The budget monitor's figures about spend, hidden for a hidden domain (its budget is a public decision)."""

def jaaroverzicht(per_inwoner: pd.DataFrame, *, tot: int, jaren: int = 4) -> pd.DataFrame:
    """The last ``jaren`` years up to ``tot`` of :func:`analysis.spend.spend_per_inhabitant`, with
    the change of spend and of clients against the year before (:func:`analysis.spend.add_year_on_year`)."""
    from analysis.spend import add_year_on_year

    if per_inwoner.empty:
        raise ValueError("per_inwoner: no spend")
    frame = add_year_on_year(per_inwoner, by=("domein",)).pipe(add_year_on_year, by=("domein",), value="clienten")
    frame = frame[(frame["jaar"] <= tot) & (frame["jaar"] > tot - jaren)]
    out = frame.sort_values(["domein", "jaar"], ignore_index=True)
    out.attrs = dict(per_inwoner.attrs)  # a merge drops attrs; a hidden year gives its successor no growth
    return out


def totalen(per_inwoner: pd.DataFrame, monitor: pd.DataFrame, *, basisjaar: int) -> dict[str, int]:
    """The totals the summary states, over every domain: ``uitgaven`` and ``vorig`` (of ``basisjaar`` and
    the year before) and the budget's ``realisatie``, ``prognose``, ``begroting`` and ``in_behandeling``.

    Take them before small cells are hidden: a total is shown, and secondary suppression keeps the
    domains below it from being recovered by subtraction.
    """
    year = per_inwoner.groupby("jaar")["toegekend_cent"].sum()
    return {"uitgaven": int(year.get(basisjaar, 0)), "vorig": int(year.get(basisjaar - 1, 0)),
            **{k: int(monitor[f"{k}_cent"].sum()) for k in ("realisatie", "prognose", "begroting", "in_behandeling")}}


def verborgen_domeinen(per_inwoner: pd.DataFrame, *, rapport: Rapport) -> list[str]:
    """The domains this report hides in its growth, budget and month sections: fewer than ``min_clienten``
    clients in a year those sections show (the base year and the year before, the month chart's three
    years up to the report's year), plus more by secondary suppression."""
    jaren = sorted({rapport.basisjaar - 1, rapport.basisjaar, rapport.jaar - 2, rapport.jaar - 1, rapport.jaar})
    return rapport.kleine_domeinen(per_inwoner, jaren=jaren)


def jaarprognose(rapport: Rapport) -> pd.DataFrame:
    """What the prognose report forecasts for the report's year, per domein (``domein``, ``prognose_cent``:
    its closed months realised, the rest forecast), for :func:`analysis.budget.use_forecast`; no rows for a
    gemeente without a full year to forecast from (the budget keeps the profile's projection then)."""
    try:
        gap = forecast_gap(rapport.con, gemeente=rapport.gemeente, peildatum=rapport.peildatum)
    except GeenVolledigJaar:
        return pd.DataFrame({"domein": pd.Series(dtype="str"), "prognose_cent": pd.Series(dtype="int64")})
    year = gap[(gap["jaar"] == rapport.jaar) & (gap["domein"] != TOTAAL)]
    return pd.DataFrame({"domein": year["domein"].to_numpy(), "prognose_cent": year["uitgaven_cent"].to_numpy("int64")})


def tabel_jaaroverzicht(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`jaaroverzicht` for the board."""
    cols = {"jaar": "Jaar", "domein": "Domein", "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
            "clienten": "Cliënten", "kosten_per_client_cent": "Kosten per cliënt",
            "toegekend_per_1000_cent": "Uitgaven per 1.000 inwoners", "clienten_per_1000": "Cliënten per 1.000 inwoners"}
    table = kolommen(frame, cols).astype({"Jaar": "str"})
    return format_table(table, money=["Uitgaven", "Kosten per cliënt", "Uitgaven per 1.000 inwoners"],
                        percent=["Groei"], numbers=["Cliënten per 1.000 inwoners"],
                        decimals={"Cliënten per 1.000 inwoners": 1}, count_column="Cliënten")


def top_spend(yearly: pd.DataFrame, *, keys: tuple[str, ...], jaar: int, top: int = 10,
              labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``top`` largest groups (``keys``) in ``jaar`` by approved spend, with growth against the year
    before and their share of the year's spend (%); the rest as one row 'Overige'.

    ``yearly`` is :func:`analysis.spend.yearly_spend` by ``keys``. ``labels`` (``keys`` and ``naam``)
    names the groups; an unnamed group shows its last key (its code); the keys stay as columns (so a report can
    hide the categories of a domain it hides, :meth:`Rapport.verberg_domeinen`). The 'Overige' row's ``clienten`` is
    the largest count among its groups (fewer than that it cannot hold), so a rest of only small groups is
    hidden like any small cell. ``growth`` is missing where a group had no spend the year before.
    """
    from analysis.spend import add_year_on_year

    if missing := [k for k in keys if k not in yearly.columns]:
        raise KeyError(f"keys: {missing} are not columns of yearly")
    frame = add_year_on_year(yearly, by=keys)
    frame = frame[frame["jaar"] == jaar].sort_values("toegekend_cent", ascending=False, ignore_index=True)
    total = frame["toegekend_cent"].sum()
    if labels is not None:
        frame = frame.merge(labels.drop_duplicates(list(keys)), on=list(keys), how="left")
    naam = frame["naam"].fillna(frame[keys[-1]]) if "naam" in frame else frame[keys[-1]]
    out = frame.assign(naam=naam.astype("str"))[["naam", *keys, "toegekend_cent", "toegekend_verschil_pct",
                                                 "clienten"]]
    head, rest = out.head(top), out.iloc[top:]
    if len(rest):  # the count of the rest: the largest group's, a lower bound of its distinct clients
        head = pd.concat([head, pd.DataFrame([{"naam": OVERIGE, "toegekend_cent": int(rest["toegekend_cent"].sum()),
                                               "clienten": int(rest["clienten"].max())}])], ignore_index=True)
    head = head.assign(aandeel_pct=head["toegekend_cent"] / total * 100 if total else float("nan"))
    return head.astype({"toegekend_cent": "int64", "clienten": "Int64", "toegekend_verschil_pct": "Float64"})


def namen_productcategorie(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``domein``, ``productcategorie`` and ``naam`` ('45 Ambulante jeugdhulp ...') from ``ref_productcategorie``."""
    return con.sql("""SELECT domein, productcategorie, productcategorie || ' ' || omschrijving AS naam
                      FROM ref_productcategorie ORDER BY ALL""").df()


def namen_aanbieder(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``aanbieder_agb`` and ``naam`` (from the latest contract)."""
    return con.sql("""SELECT aanbieder_agb, arg_max(aanbieder_naam, begindatum) AS naam
                      FROM contract GROUP BY ALL ORDER BY ALL""").df()


def tabel_top(frame: pd.DataFrame, *, naam: str) -> pd.DataFrame:
    """:func:`top_spend` (hidden by :meth:`Rapport.verberg`) for the board; ``naam`` heads the name column.
    The 'Overige' row shows no growth and no client count (its count is a lower bound, not a figure)."""
    table = kolommen(frame, {"naam": naam, "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
                             "clienten": "Cliënten", "aandeel_pct": "Aandeel"})
    shown = format_table(table, money=["Uitgaven"], percent=["Groei", "Aandeel"], count_column="Cliënten")
    overige = ((frame["naam"] == OVERIGE) & ~frame.get(VERBORGEN, pd.Series(False, frame.index))).to_numpy(dtype=bool)
    shown.loc[overige, ["Groei", "Cliënten"]] = "–"
    return shown


def tabel_groei(drivers: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.spend.spend_drivers` by domein for the board: change split in clients, the shift between
    products (when given), intensity and price."""
    cols = {"domein": "Domein", "toegekend_vorig_jaar_cent": "Vorig jaar", "toegekend_cent": "Dit jaar",
            "toegekend_verschil_cent": "Verschil", "effect_clienten_cent": "Door aantal cliënten",
            "effect_mix_cent": "Door verschuiving tussen producten",
            "effect_intensiteit_cent": "Door zorg per cliënt", "effect_prijs_cent": "Door prijs per eenheid"}
    cols = {k: v for k, v in cols.items() if k in drivers.columns or k != "effect_mix_cent"}
    return format_table(kolommen(drivers, cols), money=list(cols.values())[1:], count_column=None)


def tabel_budget(monitor: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.budget.budget_monitor` for the board; a hidden domain (:data:`BUDGET_VERBORGEN`) shows
    its budget, not its spend."""
    cols = {"domein": "Domein", "begroting_cent": "Begroting", "realisatie_cent": "Realisatie tot nu",
            "realisatie_pct": "Realisatie (% begroting)", "profiel_pct": "Gebruikelijk tot nu (% jaar)",
            "prognose_cent": "Prognose jaareinde", "afwijking_cent": "Afwijking", "afwijking_pct": "Afwijking (%)",
            "in_behandeling_cent": "Nog in behandeling (apart)"}
    table = kolommen(monitor, cols)
    money = ["Begroting", "Realisatie tot nu", "Prognose jaareinde", "Afwijking", "Nog in behandeling (apart)"]
    return format_table(table, money=money, percent=["Realisatie (% begroting)", "Gebruikelijk tot nu (% jaar)",
                                                     "Afwijking (%)"], count_column=None)


def samenvatting_uitgaven(jaar_frame: pd.DataFrame, monitor: pd.DataFrame, bench: pd.DataFrame, *, rapport: Rapport,
                          totaal: dict[str, int], overschrijding_drempel_pct: float, groei_drempel_pct: float,
                          index_drempel: float, titel: str = "Samenvatting") -> str:
    """Summary of spend: projected budget overruns, fast growth and spend far above the region first.

    The frames are the hidden ones the sections show (a hidden domain is never named); ``totaal`` is
    :func:`totalen`, taken over every domain."""
    jaar, basis = rapport.jaar, rapport.basisjaar
    last = jaar_frame[jaar_frame["jaar"] == basis]
    over = monitor[monitor["afwijking_pct"].fillna(0) > overschrijding_drempel_pct]
    groei = last[last["toegekend_verschil_pct"].fillna(0) > groei_drempel_pct]
    own = bench[bench["is_gemeente"] & (bench["index_toegekend"].fillna(0) > index_drempel)]
    exceptions = []
    if len(over):
        exceptions.append(f"De begroting {jaar} wordt naar verwachting overschreden bij {namen(over['domein'])}: "
                          f"samen {eur(int(over['afwijking_cent'].sum()))} boven begroting.")
    if len(groei):
        exceptions.append(f"De uitgaven groeiden in {basis} met meer dan {pct(groei_drempel_pct)} bij "
                          + namen([f"{r.domein} ({pct(r.toegekend_verschil_pct)})" for r in groei.itertuples()]) + ".")
    if len(own):
        exceptions.append("Per inwoner liggen de uitgaven ruim boven de regio bij "
                          + namen([f"{r.domein} (index {number(r.index_toegekend)})" for r in own.itertuples()]) + ".")
    if not exceptions:
        exceptions.append(f"Niets valt buiten de tolerantie: geen verwachte overschrijding boven "
                          f"{pct(overschrijding_drempel_pct)}, geen groei boven {pct(groei_drempel_pct)} en geen "
                          f"uitgaven per inwoner boven index {number(index_drempel)}.")
    totaal_, vorig = totaal["uitgaven"], totaal["vorig"]
    groei_tot = (totaal_ - vorig) / vorig * 100 if vorig else float("nan")
    real, prog, begr, pending = (totaal[k] for k in ("realisatie", "prognose", "begroting", "in_behandeling"))
    meer = "meer" if not groei_tot < 0 else "minder"
    zinnen = [f"In {basis} was {eur(totaal_)} aan zorg goedgekeurd, {pct(abs(groei_tot))} {meer} dan in {basis - 1}.",
              f"Tot en met {rapport.periode_tekst} is {eur(real)} gerealiseerd; de prognose voor het jaareinde is "
              f"{eur(prog)} tegen een begroting van {eur(begr)}.",
              f"Daarnaast is nog {eur(pending)} gedeclareerd en in behandeling; dat staat apart en zit niet in de "
              "prognose."]
    exceptions = exceptions[:3]
    afwijking_pct = (prog - begr) / begr * 100 if begr else float("nan")
    kern = [Kerncijfer(f"afwijking van de begroting {jaar}", eur(prog - begr),
                       status_van(afwijking_pct, slecht=overschrijding_drempel_pct), kop=True),
            Kerncijfer(f"groei {basis}", pct(groei_tot), status_van(groei_tot, slecht=groei_drempel_pct)),
            Kerncijfer(f"uitgaven {basis}", eur(totaal_)), Kerncijfer(f"prognose jaareinde {jaar}", eur(prog)),
            Kerncijfer("nog in behandeling", eur(pending))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)
