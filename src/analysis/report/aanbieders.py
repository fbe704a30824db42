"""The aanbieders notebook: supplier performance by building block.

Small cells: the notebook hides the aanbieders with fewer than ``min_clienten`` clients once, in their
spend (:func:`uitgaven_aanbieders`, pooled as one row :data:`KLEINE_AANBIEDERS`); the scorecard, its
status chart, the ranks and the summary then leave those aanbieders out (:func:`zichtbare_scorecard`),
and the concentration is computed from what is shown (:func:`concentratie`). Every other section's
frame passes through its own ``verberg`` step here before a table or chart sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from analysis.display import eur, format_table, number, pct
from analysis.report.context import Rapport
from analysis.report.kleine_cellen import SAMENGEVOEGD, VERBORGEN, kolommen, verberg_kolom, zichtbaar
from analysis.report.summary import Kerncijfer, namen, samenvatting

KLEINE_AANBIEDERS = "Kleine aanbieders (samen)"
"""The row that pools the hidden aanbieders' spend."""


def uitgaven_aanbieders(spend: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.supplier_spend` with the aanbieders of fewer than ``min_clienten`` clients
    hidden (and one more where needed, so the total gives none away) and pooled as :data:`KLEINE_AANBIEDERS`."""
    return rapport.verberg(spend, samenvoegen={"aanbieder_naam": KLEINE_AANBIEDERS}, optellen=["toegekend_cent"])


def verborgen_aanbieders(uitgaven: pd.DataFrame) -> set[str]:
    """The AGB codes :func:`uitgaven_aanbieders` hid."""
    return set(uitgaven.loc[uitgaven[VERBORGEN].to_numpy(dtype=bool), "aanbieder_agb"])


INDICATOREN = {"juistheid_bedrag_pct": "juistheid_clienten", "prognose_benutting_pct": "plafond_clienten",
               "aandeel_volgens_plan_pct": "volgens_plan_clienten",
               "wachttijd_binnen_norm_pct": "wachttijd_clienten", "herhaald_beroep_pct": "herhaald_clienten",
               "score": "respondenten"}
"""The scorecard's indicators shown in its table, each with the count it rests on."""


def zichtbare_scorecard(scorecard: pd.DataFrame, uitgaven: pd.DataFrame) -> pd.DataFrame:
    """The scorecard without the aanbieders hidden in ``uitgaven``, ranked again among those shown
    (a rank among all would say where a hidden one stands), and each shown indicator hidden where its
    own count is small (:data:`INDICATOREN`). ``attrs["verborgen"]`` counts the aanbieders left out."""
    hidden = verborgen_aanbieders(uitgaven)
    out = scorecard[~scorecard["aanbieder_agb"].isin(hidden)].reset_index(drop=True)
    out = out.assign(rang=range(1, len(out) + 1))
    for kolom, aantal in INDICATOREN.items():
        if kolom in out.columns and aantal in out.columns:
            out = verberg_kolom(out, kolom, aantal=aantal, min_clienten=uitgaven.attrs["min_clienten"])
    out.attrs = dict(uitgaven.attrs) | {"verborgen": int(scorecard["aanbieder_agb"].isin(hidden).sum())}
    return out


def zin_kleine_aanbieders(scorecard: pd.DataFrame) -> str:
    """The sentence under the scorecard: how many aanbieders it leaves out and why ('' when none)."""
    n = scorecard.attrs.get("verborgen", 0)
    if not n:
        return ""
    return (f"Niet getoond: {n} {'aanbieder' if n == 1 else 'aanbieders'} met minder dan "
            f"{scorecard.attrs['min_clienten']} cliënten (hun uitgaven staan samen als "
            f"\u2018{KLEINE_AANBIEDERS}\u2019).")


def concentratie(uitgaven: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """:func:`analysis.suppliers.spend_concentration` of :func:`uitgaven_aanbieders`: the top among the
    aanbieders shown, the total with the pooled row, the HHI with the pooled row as one share (so no hidden
    share can be solved from it), ``aanbieders`` all aanbieders with spend, hidden ones included,
    ``top_aanbieders`` how many shown ones the top holds and ``verborgen_aanbieders`` how many are hidden (a
    hidden one may be larger than some of the top: the top is of the aanbieders shown)."""
    from analysis.suppliers import spend_concentration

    shown = zichtbaar(uitgaven)
    pooled = shown[SAMENGEVOEGD].to_numpy(dtype=bool) if SAMENGEVOEGD in shown.columns else False
    whole = spend_concentration(shown)
    single = spend_concentration(shown[~pooled], top=top)
    total = int(whole["toegekend_cent"].iloc[0])
    n_hidden = int(uitgaven[VERBORGEN].sum()) if VERBORGEN in uitgaven.columns else 0
    return whole.assign(aanbieders=int(single["aanbieders"].iloc[0]) + n_hidden, top_cent=single["top_cent"],
                        top_aandeel_pct=100.0 * single["top_cent"] / total if total else float("nan"),
                        top_aanbieders=min(top, int(single["aanbieders"].iloc[0])), verborgen_aanbieders=n_hidden)


def plafonden(plafonds: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.plafond_utilisation` with its small cells hidden: a contract's spend where
    the region's clients are few, the gemeente's part where the gemeente's are (the plafond is public)."""
    spend = ["toegekend_cent", "toegekend_gemeente_cent", "benutting_pct", "prognose_cent", "prognose_benutting_pct"]
    out = rapport.verberg(plafonds, totaal=False, waarden=[c for c in spend if c in plafonds.columns])
    return verberg_kolom(out, "toegekend_gemeente_cent", aantal="clienten_gemeente", min_clienten=rapport.min_clienten)


def trajecten(duration: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.trajectory_duration` with its small cells hidden: the durations of fewer
    than ``min_clienten`` ended clients, and the count still running when those are few."""
    out = rapport.verberg(duration, totaal=False, waarden=["beeindigd", "q1_dagen", "mediaan_dagen", "q3_dagen"])
    return verberg_kolom(out, "lopend", aantal="clienten_lopend", min_clienten=rapport.min_clienten)


def tevredenheid(scores: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.satisfaction` with the scores of fewer than ``min_clienten`` respondents
    hidden, and the change against the year before taken again (a shown change and a shown score would
    otherwise give a hidden year's score)."""
    from analysis.suppliers.relation import satisfaction_trend

    hidden = rapport.verberg(scores, aantal="respondenten", totaal=False,
                             waarden=["score", "clienten", "verschil_vorig_jaar"])
    out = satisfaction_trend(hidden.drop(columns=VERBORGEN)).assign(**{VERBORGEN: hidden[VERBORGEN].to_numpy()})
    out.attrs = dict(hidden.attrs)
    return out


def tabel_scorecard(scorecard: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """The first ``top`` rows of :func:`zichtbare_scorecard` for the board."""
    cols = {"rang": "Rang", "aanbieder_naam": "Aanbieder", "status": "Totaal", "status_financieel": "Financieel",
            "status_contract": "Contract", "status_prestatie": "Prestatie", "status_relatie": "Relatie",
            "toegekend_cent": "Uitgaven", "clienten": "Cliënten", "juistheid_bedrag_pct": "Declaraties juist",
            "prognose_benutting_pct": "Plafond (prognose)", "aandeel_volgens_plan_pct": "Volgens plan beëindigd",
            "wachttijd_binnen_norm_pct": "Gestart binnen wachttijdnorm", "herhaald_beroep_pct": "Terug binnen 12 maanden",
            "score": "Tevredenheid"}
    cols = {k: v for k, v in cols.items() if k in scorecard.columns}
    table = kolommen(scorecard.head(top), cols).astype({"Rang": "str"})  # a rank, not a figure
    percent = [c for c in ("Declaraties juist", "Plafond (prognose)", "Volgens plan beëindigd",
                           "Gestart binnen wachttijdnorm", "Terug binnen 12 maanden") if c in table.columns]
    return format_table(table, money=["Uitgaven"], percent=percent, numbers=["Tevredenheid"],
                        decimals={"Tevredenheid": 1}, count_column="Cliënten")


def rag_telling(scorecard: pd.DataFrame) -> pd.DataFrame:
    """How many aanbieders have each status per block (and overall): rows blocks, columns statuses."""
    from analysis.suppliers.scorecard import BLOCKS, STATUSES

    columns = {"Totaal": "status", **{b.capitalize(): f"status_{b}" for b in BLOCKS}}
    missing = [c for c in columns.values() if c not in scorecard.columns]
    if missing:
        raise KeyError(f"scorecard: missing column(s) {missing}")
    counts = {label: scorecard[col].value_counts().reindex(STATUSES, fill_value=0) for label, col in columns.items()}
    return pd.DataFrame(counts).T.astype("int64")


def plafonds_boven(plafonds: pd.DataFrame, *, drempel_pct: float) -> pd.DataFrame:
    """Contracts of :func:`plafonden` whose projected plafond use exceeds ``drempel_pct`` (%), highest first (a
    hidden contract is not among them: its use is a figure about few clients)."""
    over = plafonds[plafonds["prognose_benutting_pct"].astype("Float64").fillna(0) > drempel_pct].sort_values(
        "prognose_benutting_pct", ascending=False, ignore_index=True)
    over.attrs = dict(plafonds.attrs)
    return over


def tabel_plafonds(plafonds: pd.DataFrame, *, drempel_pct: float) -> pd.DataFrame:
    """:func:`plafonds_boven` for the board."""
    over = plafonds_boven(plafonds, drempel_pct=drempel_pct)
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "plafond_jaar_cent": "Plafond dit jaar",
            "toegekend_cent": "Besteed (regio)", "toegekend_gemeente_cent": "Waarvan gemeente",
            "prognose_benutting_pct": "Prognose benutting", "clienten": "Cliënten"}
    return format_table(kolommen(over, cols), money=["Plafond dit jaar", "Besteed (regio)", "Waarvan gemeente"],
                        percent=["Prognose benutting"], count_column="Cliënten")


def tabel_aflopend(expiring: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.suppliers.expiring_contracts` (hidden by :meth:`Rapport.verberg`) for the board,
    with whether a successor exists."""
    frame = expiring.assign(einddatum=pd.to_datetime(expiring["einddatum"]).dt.strftime("%d-%m-%Y"),
                            opvolger=expiring["opvolger_contract_id"].notna().map({True: "ja", False: "nee"}))
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "einddatum": "Einddatum", "opvolger": "Opvolger",
            "toegekend_12m_cent": "Besteed laatste 12 maanden (regio)", "clienten": "Cliënten"}
    return format_table(kolommen(frame, cols), money=["Besteed laatste 12 maanden (regio)"], count_column="Cliënten")


def tabel_retourcodes(codes: pd.DataFrame, *, top: int = 8) -> pd.DataFrame:
    """The ``top`` most frequent retourcodes of rejected lines (hidden by :meth:`Rapport.verberg`), for the
    board."""
    cols = {"retourcode": "Retourcode", "omschrijving": "Omschrijving", "regels": "Afgewezen regels",
            "afgewezen_cent": "Afgewezen bedrag", "aandeel_regels_pct": "Aandeel afgewezen regels",
            "clienten": "Cliënten"}
    return format_table(kolommen(codes.head(top), cols), money=["Afgewezen bedrag"],
                        percent=["Aandeel afgewezen regels"], numbers=["Afgewezen regels"], count_column="Cliënten")


def samenvatting_aanbieders(scorecard: pd.DataFrame, concentration: pd.DataFrame, expiring: pd.DataFrame,
                            correctness: pd.DataFrame, *, plafonds: pd.DataFrame, jaar: int, plafond_drempel_pct: float,
                            wachttijd_rood_pct: float | None = None, wachttijd_norm_dagen: int | None = None,
                            titel: str = "Samenvatting") -> str:
    """Summary of supplier performance: red aanbieders, aanbieders that start fewer than ``wachttijd_rood_pct``
    (%) of their toewijzingen within the norm (the shown shares of :func:`zichtbare_scorecard`), plafonds beyond
    the threshold (the region's contracts of :func:`plafonden` that the contracts table lists,
    :func:`plafonds_boven`) and expiring contracts without a successor first (at most three of these)."""
    rood = scorecard[scorecard["status"] == "rood"]
    plafond = plafonds_boven(plafonds, drempel_pct=plafond_drempel_pct)
    zonder = expiring[expiring["opvolger_contract_id"].isna() & expiring["binnen_6_maanden"].astype(bool)]
    exceptions = []
    if len(rood):
        getoond = " getoonde" if scorecard.attrs.get("verborgen") else ""  # the small ones are left out
        exceptions.append(f"{len(rood)} van de {len(scorecard)}{getoond} aanbieders staan op rood, het eerst te "
                          "bespreken: "
                          f"{namen(rood['aanbieder_naam'].fillna(rood['aanbieder_agb']))}.")
    if wachttijd_rood_pct is not None and "wachttijd_binnen_norm_pct" in scorecard.columns:
        traag = scorecard[scorecard["wachttijd_binnen_norm_pct"].astype("Float64").fillna(100.0) < wachttijd_rood_pct]
        if len(traag):
            exceptions.append(f"Bij {number(len(traag))} {'aanbieder' if len(traag) == 1 else 'aanbieders'} startte "
                              f"minder dan {pct(wachttijd_rood_pct)} van de toewijzingen binnen de norm van "
                              f"{wachttijd_norm_dagen} dagen: "
                              f"{namen(traag['aanbieder_naam'].fillna(traag['aanbieder_agb']))}.")
    if len(plafond):
        exceptions.append(f"Bij {len(plafond)} {'contract' if len(plafond) == 1 else 'contracten'} van de regio komt "
                          "het plafond naar verwachting boven "
                          f"{pct(plafond_drempel_pct)} uit.")
    if len(zonder):
        exceptions.append(f"{len(zonder)} {'contract loopt' if len(zonder) == 1 else 'contracten lopen'} binnen zes "
                          "maanden af zonder opvolger.")
    if not exceptions:
        exceptions.append("Geen aanbieder staat op rood, geen plafond wordt naar verwachting overschreden en geen "
                          "contract loopt binnen zes maanden af zonder opvolger.")
    juist = correctness["toegekend_cent"].sum() / correctness["ingediend_cent"].sum() * 100 \
        if correctness["ingediend_cent"].sum() else float("nan")
    conc = concentration.iloc[0]
    n_top = int(conc.get("top_aanbieders", 10))
    wie = ("De grootste aanbieder" if n_top == 1
           else f"De {'tien' if n_top == 10 else number(n_top)} grootste aanbieders")
    if conc.get("verborgen_aanbieders", 0):  # the top is of the aanbieders shown: a hidden one may be larger
        wie += f" met ten minste {scorecard.attrs['min_clienten']} cliënten"
    zinnen = [f"{wie} {'kreeg' if n_top == 1 else 'kregen'} {pct(conc['top_aandeel_pct'])} van de "
              f"{eur(int(conc['toegekend_cent']))} in {jaar} ({number(conc['aanbieders'])} aanbieders).",
              f"Van het beoordeelde gedeclareerde bedrag werd {pct(juist)} toegekend."]
    exceptions = exceptions[:3]
    kern = [Kerncijfer("aanbieders op rood", number(len(rood)), "slecht" if len(rood) else "goed", kop=True),
            Kerncijfer("contracten aflopend zonder opvolger", number(len(zonder)), "let op" if len(zonder) else "goed"),
            Kerncijfer("aanbieders met uitgaven", number(conc["aanbieders"])),
            Kerncijfer(f"aandeel top-{n_top} in de uitgaven", pct(conc["top_aandeel_pct"])),
            Kerncijfer("declaraties juist (bedrag)", pct(juist))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


def tabel_concentratie(concentration: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.suppliers.spend_concentration` for the board (about money, not clients)."""
    cols = {"aanbieders": "Aanbieders met uitgaven", "toegekend_cent": "Uitgaven", "top_cent": "Top-10",
            "top_aandeel_pct": "Aandeel top-10", "hhi": "Concentratie-index (HHI, 0-10.000)"}
    return format_table(concentration[list(cols)].rename(columns=cols), money=["Uitgaven", "Top-10"],
                        percent=["Aandeel top-10"], numbers=["Aanbieders met uitgaven",
                                                             "Concentratie-index (HHI, 0-10.000)"],
                        count_column=None)


def tabel_tarieven(tariffs: pd.DataFrame) -> pd.DataFrame:
    """Aanbieders that declared above the contract tariff (hidden by :meth:`Rapport.verberg`: a hidden one
    is not listed), largest overrun first, for the board."""
    over = tariffs[tariffs["regels_boven_contract"].astype("Float64").fillna(0) > 0].sort_values(
        "overschrijding_cent", ascending=False, ignore_index=True)
    over.attrs = dict(tariffs.attrs)
    cols = {"aanbieder_naam": "Aanbieder", "regels_vergeleken": "Regels vergeleken",
            "aandeel_regels_boven_pct": "Regels boven contracttarief", "aandeel_bedrag_boven_pct": "Bedrag boven contracttarief",
            "overschrijding_cent": "Meer dan contract", "overschrijding_toegekend_cent": "Waarvan betaald",
            "clienten": "Cliënten"}
    return format_table(kolommen(over, cols), money=["Meer dan contract", "Waarvan betaald"],
                        percent=["Regels boven contracttarief", "Bedrag boven contracttarief"],
                        numbers=["Regels vergeleken"], count_column="Cliënten")


def _met_productnaam(frame: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``naam``, the productcategorie's name from ``names`` (its code when unknown), and its attrs."""
    out = frame.merge(names.drop_duplicates("productcategorie")[["productcategorie", "naam"]], on="productcategorie",
                      how="left")
    out = out.assign(naam=out["naam"].fillna(out["productcategorie"]))
    out.attrs = dict(frame.attrs)  # a merge drops attrs
    return out


def tabel_trajecten(duration: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """:func:`trajecten` by productcategorie for the board: median and quartiles of the duration (days) of
    ended trajectories, and how many still run."""
    frame = _met_productnaam(duration, names)
    cols = {"naam": "Productcategorie", "beeindigd": "Beëindigd", "clienten": "Cliënten",
            "q1_dagen": "Duur 25% (dagen)", "mediaan_dagen": "Mediane duur (dagen)", "q3_dagen": "Duur 75% (dagen)",
            "lopend": "Nog lopend"}
    return format_table(kolommen(frame, cols), numbers=["Beëindigd", "Duur 25% (dagen)", "Mediane duur (dagen)",
                                                        "Duur 75% (dagen)", "Nog lopend"], count_column="Cliënten")


def tabel_tevredenheid(scores: pd.DataFrame, *, jaar: int) -> pd.DataFrame:
    """Year ``jaar`` of :func:`tevredenheid` for the board, lowest score first (hidden ones last); the
    respondents are the clients a score rests on."""
    frame = scores[scores["jaar"] == jaar].sort_values(["score", "aanbieder_naam"], ignore_index=True)
    frame.attrs = dict(scores.attrs)
    cols = {"aanbieder_naam": "Aanbieder", "score": "Rapportcijfer", "verschil_vorig_jaar": "Verschil met vorig jaar",
            "respondenten": "Respondenten"}
    return format_table(kolommen(frame, cols), numbers=["Rapportcijfer", "Verschil met vorig jaar"],
                        decimals={"Rapportcijfer": 1, "Verschil met vorig jaar": 1}, count_column="Respondenten")


WACHTTIJD_CELLEN = {"mediaan_dagen": "clienten_gestart", "p90_dagen": "clienten_gestart",
                    "aandeel_binnen_norm_pct": "clienten_beoordeeld", "niet_gestart_na_norm": "clienten_niet_gestart"}
"""The wachttijd figures hidden on their own count of distinct clients (a median of few started clients is
a small cell too), beyond the row's own ``clienten``."""


def _slechtste_eerst(frame: pd.DataFrame, kolommen_: Sequence[str], *, oplopend: Sequence[bool]) -> pd.DataFrame:
    """``frame`` sorted on its *shown* figures, hidden rows and figures last (sorting on a hidden figure would
    tell where it lies), then by aanbieder name."""
    names = [c for c in ("aanbieder_naam", "productcategorie") if c in frame.columns]
    out = frame.sort_values([VERBORGEN, *kolommen_, *names], ascending=[True, *oplopend, *[True] * len(names)],
                            na_position="last", ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def wachttijden(frame: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.wachttijd` (per aanbieder x productcategorie) with its small cells hidden: a row
    of fewer than ``min_clienten`` clients, and each figure of :data:`WACHTTIJD_CELLEN` where its own clients are
    few. No total is shown (medians do not add), so no secondary suppression. The worst first: lowest shown share
    within the norm, then the longest median."""
    out = rapport.verberg(frame, totaal=False)
    for kolom, aantal in WACHTTIJD_CELLEN.items():
        out = verberg_kolom(out, kolom, aantal=aantal, min_clienten=rapport.min_clienten)
    return _slechtste_eerst(out, ["aandeel_binnen_norm_pct", "mediaan_dagen"], oplopend=[True, False])


def wachttijd_kwartalen(trend: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.wachttijd_trend` with a quarter hidden (a gap in the chart) when its median and
    p90 rest on fewer than ``min_clienten`` started clients."""
    return rapport.verberg(trend, aantal="clienten_gestart", totaal=False)


def niet_gestart_gemeente(telling: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.niet_gestart_telling` for the whole gemeente (``by=()``), hidden below
    ``min_clienten`` waiting clients. The maximum wait is dropped: it is a figure about one client."""
    return rapport.verberg(telling.drop(columns="max_dagen_wachtend"), totaal=False)


def zin_niet_gestart(telling: pd.DataFrame, *, norm_dagen: int, peildatum: date) -> str:
    """The sentence on the toewijzingen of every year still without a start after the norm on ``peildatum``,
    from :func:`niet_gestart_gemeente`."""
    row = telling.iloc[0] if len(telling) else None
    op = f"Op {peildatum:%d-%m-%Y}"
    if row is not None and bool(row[VERBORGEN]):
        return (f"{op} wachtten minder dan {telling.attrs['min_clienten']} cliënten langer dan {norm_dagen} dagen "
                "na de toewijzing op de start van de zorg.")
    if row is None or row["toewijzingen"] == 0:
        return f"{op} wachtte geen toewijzing langer dan {norm_dagen} dagen op de start van de zorg."
    return (f"{op} waren {number(row['toewijzingen'])} toewijzingen ({number(row['clienten'])} cliënten) langer dan "
            f"{norm_dagen} dagen na de toewijzing nog niet gestart; de helft wacht al "
            f"{number(row['mediaan_dagen_wachtend'])} dagen of langer.")


def tabel_wachttijd(wachttijd: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`wachttijden` that are shown, worst first, for the board: days from toewijzing to start
    (median, 90th percentile), the share started within the norm and the toewijzingen not started after it."""
    frame = _met_productnaam(zichtbaar(wachttijd), names)
    cols = {"aanbieder_naam": "Aanbieder", "naam": "Productcategorie", "toewijzingen": "Toewijzingen",
            "clienten": "Cliënten", "mediaan_dagen": "Mediaan (dagen)", "p90_dagen": "90% gestart binnen (dagen)",
            "aandeel_binnen_norm_pct": "Gestart binnen norm", "niet_gestart_na_norm": "Niet gestart na norm"}
    return format_table(kolommen(frame, cols), percent=["Gestart binnen norm"],
                        numbers=["Toewijzingen", "Mediaan (dagen)", "90% gestart binnen (dagen)",
                                 "Niet gestart na norm"], count_column="Cliënten")


HERHAALD_UITKOMSTEN = {"volgens_plan": "Na einde volgens plan", "voortijdig": "Na voortijdig einde"}
"""The reden-beëindiging groups the herhaald-beroep table splits, with their column titles."""


def herhaald_beroep_aanbieders(per_aanbieder: pd.DataFrame, per_uitkomst: pd.DataFrame, *,
                               rapport: Rapport) -> pd.DataFrame:
    """:func:`analysis.suppliers.herhaald_beroep` per aanbieder (``per_aanbieder``), with the share back after an
    end volgens plan and after a voortijdig end (``terug_<uitkomst>_pct``, from ``per_uitkomst`` by aanbieder and
    uitkomst). Small cells: an aanbieder of fewer than ``min_clienten`` followed clients, with secondary
    suppression over the aanbieders (the gemeente's share is said); an uitkomst's share on its own clients, with
    secondary suppression within the aanbieder (its total would otherwise give one small uitkomst away). The
    highest shown share first."""
    out = rapport.verberg(per_aanbieder)
    delen = rapport.verberg(per_uitkomst, groep=["aanbieder_agb"])
    for uitkomst in HERHAALD_UITKOMSTEN:
        part = delen[delen["uitkomst"] == uitkomst].set_index("aanbieder_agb")
        hidden = (out["aanbieder_agb"].map(part[VERBORGEN]).astype("boolean").fillna(False).to_numpy(dtype=bool)
                  | out[VERBORGEN].to_numpy(dtype=bool))
        share = out["aanbieder_agb"].map(part["aandeel_terug_pct"]).astype("Float64")
        out[f"terug_{uitkomst}_pct"] = share.mask(pd.Series(hidden, index=out.index))
        out[f"{VERBORGEN}_terug_{uitkomst}_pct"] = hidden
    return _slechtste_eerst(out, ["aandeel_terug_pct"], oplopend=[False])


def tabel_herhaald_beroep(herhaald: pd.DataFrame) -> pd.DataFrame:
    """The aanbieders of :func:`herhaald_beroep_aanbieders` that are shown, highest share back first."""
    cols = {"aanbieder_naam": "Aanbieder", "clienten": "Cliënten (zorg beëindigd)",
            "aandeel_terug_pct": "Terug binnen 12 maanden",
            **{f"terug_{u}_pct": titel for u, titel in HERHAALD_UITKOMSTEN.items()}}
    return format_table(kolommen(zichtbaar(herhaald), cols), percent=list(cols.values())[2:],
                        count_column="Cliënten (zorg beëindigd)")


def zin_herhaald_beroep(totaal: pd.DataFrame, per_uitkomst: pd.DataFrame, *, jaar: int) -> str:
    """The gemeente's share back within 12 months after care that ended in ``jaar``, and per uitkomst
    (``totaal`` and ``per_uitkomst`` of :func:`analysis.suppliers.herhaald_beroep`, hidden by
    :meth:`Rapport.verberg`; a hidden share is said as "niet getoond", with the reason once)."""
    few = f"minder dan {totaal.attrs['min_clienten']} cliënten"
    if totaal.empty or totaal["clienten"].fillna(1).iloc[0] == 0:
        return f"Van geen cliënt eindigde de zorg in {jaar} zo dat de twaalf maanden erna al voorbij zijn."
    if bool(totaal[VERBORGEN].iloc[0]):
        return f"De zorg eindigde in {jaar} voor {few}: te weinig om het aandeel dat terugkwam te tonen."
    row = totaal.iloc[0]
    parts, verborgen = [], False
    for uitkomst, titel in HERHAALD_UITKOMSTEN.items():
        match = per_uitkomst[per_uitkomst["uitkomst"] == uitkomst]
        if match.empty:
            continue
        hidden = bool(match[VERBORGEN].iloc[0])
        verborgen |= hidden
        parts.append(f"{titel.lower()} {'niet getoond' if hidden else pct(match['aandeel_terug_pct'].iloc[0])}")
    tail = f" ({'; '.join(parts)})" if parts else ""
    # a share hidden beside a small one may rest on many clients: the reason is said for all, not per share
    reden = (f" Niet getoond: een aandeel over {few}, of een dat met het totaal zo'n aandeel zou verraden."
             if verborgen else "")
    return (f"Van de {number(row['clienten'])} cliënten van wie de zorg in {jaar} eindigde, kreeg "
            f"{pct(row['aandeel_terug_pct'])} binnen twaalf maanden opnieuw een toewijzing in hetzelfde domein"
            f"{tail}.{reden}")
