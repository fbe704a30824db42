"""The aanbieders notebook: supplier performance by building block."""

from __future__ import annotations


import pandas as pd

from analysis.display import eur, format_table, number, pct
from analysis.report.summary import namen, samenvatting

# --- aanbieders ---------------------------------------------------------------------------------

def tabel_scorecard(scorecard: pd.DataFrame, *, top: int = 20, threshold: int = 10) -> pd.DataFrame:
    """The first ``top`` rows of :func:`analysis.suppliers.supplier_scorecard` for the board."""
    cols = {"rang": "Rang", "aanbieder_naam": "Aanbieder", "status": "Totaal", "status_financieel": "Financieel",
            "status_contract": "Contract", "status_prestatie": "Prestatie", "status_relatie": "Relatie",
            "toegekend_cent": "Uitgaven", "clienten": "Cliënten", "juistheid_bedrag_pct": "Declaraties juist",
            "prognose_benutting_pct": "Plafond (prognose)", "aandeel_volgens_plan_pct": "Volgens plan beëindigd",
            "score": "Tevredenheid"}
    table = scorecard.head(top)[list(cols)].rename(columns=cols).astype({"Rang": "str"})  # a rank, not a figure
    return format_table(table, money=["Uitgaven"], percent=["Declaraties juist", "Plafond (prognose)",
                                                            "Volgens plan beëindigd"],
                        numbers=["Tevredenheid"], decimals={"Tevredenheid": 1}, count_column="Cliënten",
                        threshold=threshold)


def rag_telling(scorecard: pd.DataFrame) -> pd.DataFrame:
    """How many aanbieders have each status per block (and overall): rows blocks, columns statuses."""
    from analysis.suppliers.scorecard import BLOCKS, STATUSES

    columns = {"Totaal": "status", **{b.capitalize(): f"status_{b}" for b in BLOCKS}}
    missing = [c for c in columns.values() if c not in scorecard.columns]
    if missing:
        raise KeyError(f"scorecard: missing column(s) {missing}")
    counts = {label: scorecard[col].value_counts().reindex(STATUSES, fill_value=0) for label, col in columns.items()}
    return pd.DataFrame(counts).T.astype("int64")


def tabel_plafonds(plafonds: pd.DataFrame, *, drempel_pct: float, threshold: int = 10) -> pd.DataFrame:
    """Contracts whose projected plafond use exceeds ``drempel_pct`` (%), highest first, for the board."""
    over = plafonds[plafonds["prognose_benutting_pct"] > drempel_pct].sort_values(
        "prognose_benutting_pct", ascending=False, ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "plafond_jaar_cent": "Plafond dit jaar",
            "toegekend_cent": "Besteed (regio)", "toegekend_gemeente_cent": "Waarvan gemeente",
            "prognose_benutting_pct": "Prognose benutting", "clienten": "Cliënten"}
    return format_table(over[list(cols)].rename(columns=cols), money=["Plafond dit jaar", "Besteed (regio)",
                                                                      "Waarvan gemeente"],
                        percent=["Prognose benutting"], count_column="Cliënten", threshold=threshold)


def tabel_aflopend(expiring: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`analysis.suppliers.expiring_contracts` for the board, with whether a successor exists."""
    frame = expiring.assign(einddatum=pd.to_datetime(expiring["einddatum"]).dt.strftime("%d-%m-%Y"),
                            opvolger=expiring["opvolger_contract_id"].notna().map({True: "ja", False: "nee"}))
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "einddatum": "Einddatum", "opvolger": "Opvolger",
            "toegekend_12m_cent": "Besteed laatste 12 maanden (regio)", "clienten": "Cliënten"}
    return format_table(frame[list(cols)].rename(columns=cols), money=["Besteed laatste 12 maanden (regio)"],
                        count_column="Cliënten", threshold=threshold)


def tabel_retourcodes(codes: pd.DataFrame, *, top: int = 8, threshold: int = 10) -> pd.DataFrame:
    """The ``top`` most frequent retourcodes of rejected lines, for the board."""
    cols = {"retourcode": "Retourcode", "omschrijving": "Omschrijving", "regels": "Afgewezen regels",
            "afgewezen_cent": "Afgewezen bedrag", "aandeel_regels_pct": "Aandeel afgewezen regels",
            "clienten": "Cliënten"}
    return format_table(codes.head(top)[list(cols)].rename(columns=cols), money=["Afgewezen bedrag"],
                        percent=["Aandeel afgewezen regels"], numbers=["Afgewezen regels"], count_column="Cliënten",
                        threshold=threshold)


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
        exceptions.append(f"{len(rood)} van de {len(scorecard)} aanbieders staan op rood, het eerst te bespreken: "
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
    kern = [("aanbieders op rood", number(len(rood))), ("aanbieders met uitgaven", number(len(scorecard))),
            ("aandeel top-10 in de uitgaven", pct(conc["top_aandeel_pct"])),
            ("declaraties juist (bedrag)", pct(juist)), ("contracten aflopend zonder opvolger", number(len(zonder)))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


def tabel_concentratie(concentration: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.suppliers.spend_concentration` for the board (about money, not clients)."""
    cols = {"aanbieders": "Aanbieders met uitgaven", "toegekend_cent": "Uitgaven", "top_cent": "Top-10",
            "top_aandeel_pct": "Aandeel top-10", "hhi": "Concentratie-index (HHI, 0-10.000)"}
    return format_table(concentration[list(cols)].rename(columns=cols), money=["Uitgaven", "Top-10"],
                        percent=["Aandeel top-10"], numbers=["Aanbieders met uitgaven",
                                                             "Concentratie-index (HHI, 0-10.000)"],
                        count_column=None)


def tabel_tarieven(tariffs: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """Aanbieders that declared above the contract tariff, largest overrun first, for the board."""
    over = tariffs[tariffs["regels_boven_contract"] > 0].sort_values("overschrijding_cent", ascending=False,
                                                                      ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "regels_vergeleken": "Regels vergeleken",
            "aandeel_regels_boven_pct": "Regels boven contracttarief", "aandeel_bedrag_boven_pct": "Bedrag boven contracttarief",
            "overschrijding_cent": "Meer dan contract", "overschrijding_toegekend_cent": "Waarvan betaald",
            "clienten": "Cliënten"}
    return format_table(over[list(cols)].rename(columns=cols), money=["Meer dan contract", "Waarvan betaald"],
                        percent=["Regels boven contracttarief", "Bedrag boven contracttarief"],
                        numbers=["Regels vergeleken"], count_column="Cliënten", threshold=threshold)


def tabel_trajecten(duration: pd.DataFrame, names: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`analysis.suppliers.trajectory_duration` by productcategorie for the board: median and
    quartiles of the duration (days) of ended trajectories, and how many still run."""
    frame = duration.merge(names.drop_duplicates("productcategorie")[["productcategorie", "naam"]],
                           on="productcategorie", how="left")
    frame = frame.assign(naam=frame["naam"].fillna(frame["productcategorie"]))
    cols = {"naam": "Productcategorie", "beeindigd": "Beëindigd", "clienten": "Cliënten",
            "q1_dagen": "Duur 25% (dagen)", "mediaan_dagen": "Mediane duur (dagen)", "q3_dagen": "Duur 75% (dagen)",
            "lopend": "Nog lopend"}
    table = frame[list(cols)].rename(columns=cols)
    return format_table(table, numbers=["Beëindigd", "Duur 25% (dagen)", "Mediane duur (dagen)", "Duur 75% (dagen)",
                                        "Nog lopend"], count_column="Cliënten", threshold=threshold)


def tabel_tevredenheid(scores: pd.DataFrame, *, jaar: int, threshold: int = 10) -> pd.DataFrame:
    """Year ``jaar`` of :func:`analysis.suppliers.satisfaction` (with trend) for the board, lowest score
    first; the respondents are the clients a score rests on."""
    frame = scores[scores["jaar"] == jaar].sort_values(["score", "aanbieder_naam"], ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "score": "Rapportcijfer", "verschil_vorig_jaar": "Verschil met vorig jaar",
            "respondenten": "Respondenten"}
    return format_table(frame[list(cols)].rename(columns=cols), numbers=["Rapportcijfer", "Verschil met vorig jaar"],
                        decimals={"Rapportcijfer": 1, "Verschil met vorig jaar": 1}, count_column="Respondenten",
                        threshold=threshold)
