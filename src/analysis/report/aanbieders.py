"""The aanbieders notebook: supplier performance by building block.

Small cells: the notebook hides the aanbieders with fewer than ``min_clienten`` clients once, in their
spend (:func:`uitgaven_aanbieders`, pooled as one row :data:`KLEINE_AANBIEDERS`); the scorecard, its
status chart, the ranks and the summary then leave those aanbieders out (:func:`zichtbare_scorecard`),
and the concentration is computed from what is shown (:func:`concentratie`). Every other section's
frame passes through its own ``verberg`` step here before a table or chart sees it.
"""

from __future__ import annotations


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


INDICATOREN = {"juistheid_bedrag_pct": "juistheid_clienten", "aandeel_volgens_plan_pct": "volgens_plan_clienten",
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
    share can be solved from it), and ``aanbieders`` all aanbieders with spend, hidden ones included."""
    from analysis.suppliers import spend_concentration

    shown = zichtbaar(uitgaven)
    pooled = shown[SAMENGEVOEGD].to_numpy(dtype=bool) if SAMENGEVOEGD in shown.columns else False
    whole = spend_concentration(shown)
    single = spend_concentration(shown[~pooled], top=top)
    total = int(whole["toegekend_cent"].iloc[0])
    n_hidden = int(uitgaven[VERBORGEN].sum()) if VERBORGEN in uitgaven.columns else 0
    return whole.assign(aanbieders=int(single["aanbieders"].iloc[0]) + n_hidden, top_cent=single["top_cent"],
                        top_aandeel_pct=100.0 * single["top_cent"] / total if total else float("nan"))


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


def tabel_plafonds(plafonds: pd.DataFrame, *, drempel_pct: float) -> pd.DataFrame:
    """Contracts of :func:`plafonden` whose projected plafond use exceeds ``drempel_pct`` (%), highest first,
    for the board (a hidden contract is not listed: its use is a figure about few clients)."""
    over = plafonds[plafonds["prognose_benutting_pct"].astype("Float64").fillna(0) > drempel_pct].sort_values(
        "prognose_benutting_pct", ascending=False, ignore_index=True)
    over.attrs = dict(plafonds.attrs)
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
                            correctness: pd.DataFrame, *, jaar: int, plafond_drempel_pct: float,
                            titel: str = "Samenvatting") -> str:
    """Summary of supplier performance: red aanbieders, plafonds beyond the threshold and expiring
    contracts without a successor first."""
    rood = scorecard[scorecard["status"] == "rood"]
    plafond = scorecard[scorecard["prognose_benutting_pct"] > plafond_drempel_pct]
    zonder = expiring[expiring["opvolger_contract_id"].isna() & expiring["binnen_6_maanden"].astype(bool)]
    exceptions = []
    if len(rood):
        getoond = " getoonde" if scorecard.attrs.get("verborgen") else ""  # the small ones are left out
        exceptions.append(f"{len(rood)} van de {len(scorecard)}{getoond} aanbieders staan op rood, het eerst te "
                          "bespreken: "
                          f"{namen(rood['aanbieder_naam'].fillna(rood['aanbieder_agb']))}.")
    if len(plafond):
        exceptions.append(f"Bij {len(plafond)} aanbieders komt het plafond naar verwachting boven "
                          f"{pct(plafond_drempel_pct)} uit.")
    if len(zonder):
        exceptions.append(f"{len(zonder)} contracten lopen binnen zes maanden af zonder opvolger.")
    if not exceptions:
        exceptions.append("Geen aanbieder staat op rood, geen plafond wordt naar verwachting overschreden en geen "
                          "contract loopt binnen zes maanden af zonder opvolger.")
    juist = correctness["toegekend_cent"].sum() / correctness["ingediend_cent"].sum() * 100 \
        if correctness["ingediend_cent"].sum() else float("nan")
    conc = concentration.iloc[0]
    zinnen = [f"De tien grootste aanbieders kregen {pct(conc['top_aandeel_pct'])} van de "
              f"{eur(int(conc['toegekend_cent']))} in {jaar} ({number(conc['aanbieders'])} aanbieders).",
              f"Van het beoordeelde gedeclareerde bedrag werd {pct(juist)} toegekend."]
    exceptions = exceptions[:3]
    kern = [Kerncijfer("aanbieders op rood", number(len(rood)), "slecht" if len(rood) else "goed", kop=True),
            Kerncijfer("contracten aflopend zonder opvolger", number(len(zonder)), "let op" if len(zonder) else "goed"),
            Kerncijfer("aanbieders met uitgaven", number(conc["aanbieders"])),
            Kerncijfer("aandeel top-10 in de uitgaven", pct(conc["top_aandeel_pct"])),
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


def tabel_trajecten(duration: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """:func:`trajecten` by productcategorie for the board: median and quartiles of the duration (days) of
    ended trajectories, and how many still run."""
    frame = duration.merge(names.drop_duplicates("productcategorie")[["productcategorie", "naam"]],
                           on="productcategorie", how="left")
    frame = frame.assign(naam=frame["naam"].fillna(frame["productcategorie"]))
    frame.attrs = dict(duration.attrs)  # a merge drops attrs
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
