"""The uitgaven notebook: where the money goes, its growth and the budget."""

from __future__ import annotations


import duckdb
import pandas as pd

from analysis.display import eur, format_table, number, pct
from analysis.report.summary import namen, samenvatting
from analysis.report.context import Rapport

# --- uitgaven -----------------------------------------------------------------------------------

def jaaroverzicht(per_inwoner: pd.DataFrame, *, tot: int, jaren: int = 4) -> pd.DataFrame:
    """The last ``jaren`` years up to ``tot`` of :func:`analysis.spend.spend_per_inhabitant`, with
    the change of spend and of clients against the year before (:func:`analysis.spend.add_year_on_year`)."""
    from analysis.spend import add_year_on_year

    if per_inwoner.empty:
        raise ValueError("per_inwoner: no spend")
    frame = add_year_on_year(per_inwoner, by=("domein",)).pipe(add_year_on_year, by=("domein",), value="clienten")
    frame = frame[(frame["jaar"] <= tot) & (frame["jaar"] > tot - jaren)]
    return frame.sort_values(["domein", "jaar"], ignore_index=True)


def tabel_jaaroverzicht(frame: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`jaaroverzicht` for the board."""
    cols = {"jaar": "Jaar", "domein": "Domein", "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
            "clienten": "Cliënten", "kosten_per_client_cent": "Kosten per cliënt",
            "toegekend_per_1000_cent": "Uitgaven per 1.000 inwoners", "clienten_per_1000": "Cliënten per 1.000 inwoners"}
    table = frame[list(cols)].rename(columns=cols).astype({"Jaar": "str"})
    return format_table(table, money=["Uitgaven", "Kosten per cliënt", "Uitgaven per 1.000 inwoners"],
                        percent=["Groei"], numbers=["Cliënten per 1.000 inwoners"],
                        decimals={"Cliënten per 1.000 inwoners": 1}, count_column="Cliënten", threshold=threshold)


def top_spend(yearly: pd.DataFrame, *, keys: tuple[str, ...], jaar: int, top: int = 10,
              labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``top`` largest groups (``keys``) in ``jaar`` by approved spend, with growth against the year
    before and their share of the year's spend (%); the rest as one row 'Overige'.

    ``yearly`` is :func:`analysis.spend.yearly_spend` by ``keys``. ``labels`` (``keys`` and ``naam``)
    names the groups; an unnamed group shows its last key (its code).
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
    out = frame.assign(naam=naam.astype("str"))[["naam", "toegekend_cent", "toegekend_verschil_pct", "clienten"]]
    head, rest = out.head(top), out.iloc[top:]
    if len(rest):
        head = pd.concat([head, pd.DataFrame([{"naam": "Overige", "toegekend_cent": int(rest["toegekend_cent"].sum())}])],
                         ignore_index=True)
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


def tabel_top(frame: pd.DataFrame, *, naam: str, threshold: int = 10) -> pd.DataFrame:
    """:func:`top_spend` for the board; ``naam`` heads the name column. The 'Overige' row has no client count."""
    table = frame.rename(columns={"naam": naam, "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
                                  "clienten": "Cliënten", "aandeel_pct": "Aandeel"})
    shown = format_table(table, money=["Uitgaven"], percent=["Groei", "Aandeel"], count_column="Cliënten",
                         threshold=threshold)
    overige = (frame["naam"] == "Overige").to_numpy()
    for column in ("Uitgaven", "Aandeel"):  # a total over many groups discloses nobody
        shown.loc[overige, column] = format_table(table.loc[overige], money=["Uitgaven"], percent=["Aandeel"],
                                                  count_column=None).loc[:, column]
    shown.loc[overige, ["Groei", "Cliënten"]] = "–"
    return shown


def tabel_groei(drivers: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.spend.spend_drivers` by domein for the board: change split in volume, intensity, price."""
    cols = {"domein": "Domein", "toegekend_vorig_jaar_cent": "Vorig jaar", "toegekend_cent": "Dit jaar",
            "toegekend_verschil_cent": "Verschil", "effect_clienten_cent": "Door aantal cliënten",
            "effect_intensiteit_cent": "Door zorg per cliënt", "effect_prijs_cent": "Door prijs per eenheid"}
    table = drivers[list(cols)].rename(columns=cols)
    return format_table(table, money=list(cols.values())[1:], count_column=None)


def tabel_budget(monitor: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.budget.budget_monitor` for the board (budget figures, not about clients)."""
    cols = {"domein": "Domein", "begroting_cent": "Begroting", "realisatie_cent": "Realisatie tot nu",
            "realisatie_pct": "Realisatie (% begroting)", "profiel_pct": "Gebruikelijk tot nu (% jaar)",
            "prognose_cent": "Prognose jaareinde", "afwijking_cent": "Afwijking", "afwijking_pct": "Afwijking (%)",
            "in_behandeling_cent": "Nog in behandeling (apart)"}
    table = monitor[list(cols)].rename(columns=cols)
    money = ["Begroting", "Realisatie tot nu", "Prognose jaareinde", "Afwijking", "Nog in behandeling (apart)"]
    return format_table(table, money=money, percent=["Realisatie (% begroting)", "Gebruikelijk tot nu (% jaar)",
                                                     "Afwijking (%)"], count_column=None)


def samenvatting_uitgaven(jaar_frame: pd.DataFrame, monitor: pd.DataFrame, bench: pd.DataFrame, *, rapport: Rapport,
                          overschrijding_drempel_pct: float, groei_drempel_pct: float, index_drempel: float,
                          titel: str = "Samenvatting") -> str:
    """Summary of spend: projected budget overruns, fast growth and spend far above the region first."""
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
    totaal, vorig = int(last["toegekend_cent"].sum()), int(last["toegekend_vorig_jaar_cent"].fillna(0).sum())
    groei_tot = (totaal - vorig) / vorig * 100 if vorig else float("nan")
    real, prog, begr = (int(monitor[c].sum()) for c in ("realisatie_cent", "prognose_cent", "begroting_cent"))
    pending = int(monitor["in_behandeling_cent"].sum())
    meer = "meer" if not groei_tot < 0 else "minder"
    zinnen = [f"In {basis} was {eur(totaal)} aan zorg goedgekeurd, {pct(abs(groei_tot))} {meer} dan in {basis - 1}.",
              f"Tot en met {rapport.periode_tekst} is {eur(real)} gerealiseerd; de prognose voor het jaareinde is "
              f"{eur(prog)} tegen een begroting van {eur(begr)}.",
              f"Daarnaast is nog {eur(pending)} gedeclareerd en in behandeling; dat staat apart en zit niet in de "
              "prognose."]
    exceptions = exceptions[:3]
    kern = [(f"uitgaven {basis}", eur(totaal)), (f"groei {basis}", pct(groei_tot)),
            (f"prognose jaareinde {jaar}", eur(prog)), (f"afwijking van de begroting {jaar}", eur(prog - begr)),
            ("nog in behandeling", eur(pending))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)
