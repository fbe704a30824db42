"""The volwassenheid notebook: the maturity scans of the region and its aanbieders."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.display import afgerond, format_table, number
from analysis.reference.volwassenheid import MODELLEN
from analysis.volwassenheid import EIGEN_ORGANISATIE, answers, largest_gaps, per_organisatie, rank
from analysis.report.summary import Kerncijfer, namen, samenvatting
from analysis.report.context import Rapport, check_drempels

# --- volwassenheid ------------------------------------------------------------------------------

PARAMETER_MODEL = {"kmm": "kmm", "inkoop": "inkoopontwikkelmodel"}
"""Suffix of the notebook parameters (``niveaus_kmm``, ``tussendoel_inkoop``) -> model code."""


@dataclass(frozen=True)
class ScanOpties:
    """The checked parameters of the maturity report: level names and intermediate target per model
    code, and the thresholds."""

    niveaus: dict[str, tuple[str, ...]]
    tussendoel: dict[str, int | None]  # None: the highest rounded current level
    drempel: int  # respondents below this: not shown
    gap_drempel: float  # levels
    rwg_drempel: float


def check_scan(rapport: Rapport, *, niveaus_kmm: str, niveaus_inkoop: str, tussendoel_kmm: int,
               tussendoel_inkoop: int, drempel_respondenten: int, gap_drempel: float,
               rwg_drempel: float) -> ScanOpties:
    """Check the maturity report's own parameters; ``ValueError`` naming the parameter.

    Level names are separated by commas, as many as the model has levels; a ``tussendoel`` is 0
    (automatic) or a level of the model; ``rwg_drempel`` lies in [0, 1]. The region must have answers
    of its gemeenten or regional office up to the end of ``periode``.
    """
    niveaus, tussendoel = {}, {}
    for suffix, names, level in (("kmm", niveaus_kmm, tussendoel_kmm), ("inkoop", niveaus_inkoop, tussendoel_inkoop)):
        model = MODELLEN[PARAMETER_MODEL[suffix]]
        parts = tuple(p.strip() for p in names.split(",")) if isinstance(names, str) else ()
        if len(parts) != model.hoogste or not all(parts):
            raise ValueError(f"niveaus_{suffix}: expected {model.hoogste} level names separated by commas, "
                             f"got {names!r}")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= model.hoogste:
            raise ValueError(f"tussendoel_{suffix}: expected 0 (automatic) or a level from 1 to {model.hoogste}, "
                             f"got {level!r}")
        niveaus[model.code], tussendoel[model.code] = parts, level or None
    if isinstance(drempel_respondenten, bool) or not isinstance(drempel_respondenten, int) or drempel_respondenten < 1:
        raise ValueError(f"drempel_respondenten: expected a whole number >= 1, got {drempel_respondenten!r}")
    check_drempels({"gap_drempel": gap_drempel, "rwg_drempel": rwg_drempel})
    if rwg_drempel > 1:
        raise ValueError(f"rwg_drempel: expected a number from 0 to 1, got {rwg_drempel!r}")
    if answers(rapport.con, regio=rapport.regio, tot=rapport.einde, soorten=EIGEN_ORGANISATIE).empty:
        raise ValueError(f"regio: no maturity-scan answers of the gemeenten or the regional office of "
                         f"{rapport.regio} up to {rapport.periode_tekst}")
    return ScanOpties(niveaus, tussendoel, drempel_respondenten, float(gap_drempel), float(rwg_drempel))


def niveau_naam(niveau: float, namen: Sequence[str]) -> str:
    """The name of the level ``niveau`` rounds to (half up): ``niveau_naam(2.5, KMM names) == "systeem"``."""
    if pd.isna(niveau):
        return "–"
    return namen[min(max(int(math.floor(niveau + 0.5)), 1), len(namen)) - 1]


def _model_naam(code: str) -> str:
    return "KMM" if code == "kmm" else MODELLEN[code].naam


def samenvatting_volwassenheid(eigen: pd.DataFrame, regio_scores: pd.DataFrame, aanbieders: pd.DataFrame, *,
                               scan: ScanOpties, titel: str = "Samenvatting") -> str:
    """Summary of the maturity scans: the pillars of the region's own organisation (its gemeenten and
    regional office together: ``regio_scores``, pooled, with ``tussendoel``) whose gap reaches
    ``gap_drempel`` first, largest first, then pillars where respondents disagree; then the level per
    model and its intermediate target, and how the aanbieders compare. ``eigen`` are the answers of
    the own organisation (:func:`analysis.volwassenheid.answers`), ``aanbieders`` the aanbieders'
    :func:`analysis.volwassenheid.scores`."""
    gaps = largest_gaps(zoals_getoond(regio_scores))
    wide = gaps[gaps["gap"] >= scan.gap_drempel]
    oneens = regio_scores[regio_scores["r_wg"] < scan.rwg_drempel]
    exceptions = []
    if len(wide):
        exceptions.append(f"{len(wide)} van de {len(gaps)} pijlers {'heeft' if len(wide) == 1 else 'hebben'} een "
                          f"gat van minstens "
                          f"{number(scan.gap_drempel, decimals=1)} niveau tussen huidig niveau en ambitie; het grootst: "
                          + namen([f"{r.pijler} ({_model_naam(r.model)}, van {number(r.huidig_gem, decimals=1)} naar "
                                   f"{number(r.ambitie_gem, decimals=1)})" for r in wide.itertuples()]) + ".")
    if len(oneens):
        exceptions.append(f"Bij {len(oneens)} {'pijler' if len(oneens) == 1 else 'pijlers'} zijn de respondenten "
                          "het oneens over het huidige niveau "
                          f"(overeenstemming onder {number(scan.rwg_drempel, decimals=2)}): "
                          + namen([f"{r.pijler} ({_model_naam(r.model)})" for r in oneens.itertuples()]) + ".")
    if not exceptions:
        exceptions.append(f"Geen pijler heeft een gat van {number(scan.gap_drempel, decimals=1)} niveau of meer en "
                          f"de respondenten zijn het overal eens over het huidige niveau.")
    zinnen = [_zin_model(regio_scores, code, scan) for code in dict.fromkeys(regio_scores["model"])]
    zinnen.append(_zin_aanbieders(aanbieders, scan))
    exceptions = exceptions[:2]
    kern = [Kerncijfer(f"pijlers met een gat van minstens {number(scan.gap_drempel, decimals=1)}", number(len(wide)),
                       "let op" if len(wide) else "goed", kop=True),
            ("grootste gat (niveaus)", number(gaps["gap"].iloc[0], decimals=1)),
            ("respondenten van gemeenten en regio", number(eigen["respondent"].nunique())),
            ("organisaties van de regio", number(eigen["organisatie_code"].nunique())),
            ("aanbieders vergeleken (KMM)", number(aanbieders["organisatie_code"].nunique() if len(aanbieders) else 0))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


def _zin_model(regio_scores: pd.DataFrame, code: str, scan: ScanOpties) -> str:
    part = regio_scores[regio_scores["model"] == code]
    namen_ = scan.niveaus[code]
    huidig, ambitie, doel = part["huidig_gem"].mean(), part["ambitie_gem"].mean(), int(part["tussendoel"].iloc[0])
    return (f"{_model_naam(code)}: gemiddeld {number(huidig, decimals=1)} ({niveau_naam(huidig, namen_)}), ambitie "
            f"{number(ambitie, decimals=1)} ({niveau_naam(ambitie, namen_)}); tussendoel: alle pijlers naar niveau "
            f"{doel} ({namen_[doel - 1]}).")


def _zin_aanbieders(aanbieders: pd.DataFrame, scan: ScanOpties) -> str:
    kmm = aanbieders[aanbieders["model"] == "kmm"] if len(aanbieders) else aanbieders
    if kmm.empty:
        return "Geen aanbieder vulde het KMM in."
    ranked = rank(per_organisatie(kmm, model="kmm"), drempel=scan.drempel)
    shown = ranked[ranked["rang"].notna()]
    if shown.empty:
        return (f"{len(ranked)} aanbieders vulden het KMM in, elk met minder dan {scan.drempel} respondenten: "
                "geen vergelijking.")
    best = shown.iloc[0]
    return (f"{len(ranked)} aanbieders vulden het KMM in; het hoogst staat {best['organisatie']} met gemiddeld "
            f"{number(best['huidig_gem'], decimals=1)}, de mediaan is {number(shown['huidig_gem'].median(), decimals=1)}.")


def zoals_getoond(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with each ``gap`` as the reader works it out: the ambition minus the current level, both
    as shown (one decimal). From 1,8 to 3,3 is a gap of 1,5, not the 1,4 of 3,25 - 1,84, and a pillar from
    2,4 to 3,4 reaches a threshold of 1,0 in the summary as it does in the table."""
    def shown(column: str) -> np.ndarray:
        return np.array([afgerond(x, decimals=1) if pd.notna(x) else np.nan for x in scores[column]], dtype=float)

    return scores.assign(gap=np.round(shown("ambitie_gem") - shown("huidig_gem"), 1))


_SCORE_KOLOMMEN = {"respondenten": "Respondenten", "huidig_gem": "Huidig", "ambitie_gem": "Ambitie", "gap": "Gat",
                   "huidig_sd": "Spreiding huidig", "r_wg": "Overeenstemming (r_wg)"}


def tabel_pijlers(regio_scores: pd.DataFrame, *, scan: ScanOpties) -> pd.DataFrame:
    """Every pillar of both models, largest gap first: levels (one decimal), from and to as level
    names, the spread and agreement of the current level. Pillars resting on fewer respondents than
    ``scan.drempel`` are suppressed."""
    frame = largest_gaps(regio_scores)
    van_naar = [f"{niveau_naam(h, scan.niveaus[m])} → {niveau_naam(a, scan.niveaus[m])}"
                for m, h, a in zip(frame["model"], frame["huidig_gem"], frame["ambitie_gem"])]
    frame = frame.assign(van_naar=van_naar).pipe(zoals_getoond).pipe(largest_gaps)
    van_naar = frame.pop("van_naar").tolist()
    table = (frame.assign(model=frame["model"].map(_model_naam), van_naar=van_naar)
             [["model", "pijler", *_SCORE_KOLOMMEN, "van_naar"]]
             .rename(columns={"model": "Model", "pijler": "Pijler", "van_naar": "Van → naar", **_SCORE_KOLOMMEN}))
    shown = format_table(table, numbers=["Huidig", "Ambitie", "Gat", "Spreiding huidig", "Overeenstemming (r_wg)"],
                         decimals={"Huidig": 1, "Ambitie": 1, "Gat": 1, "Spreiding huidig": 2,
                                   "Overeenstemming (r_wg)": 2},
                         count_column="Respondenten", threshold=scan.drempel)
    small = (frame["respondenten"] < scan.drempel).to_numpy()
    shown.loc[small, "Van → naar"] = "–"
    return shown


_AFBREKEN = {w.replace("|", ""): w.replace("|", "\N{SOFT HYPHEN}")
            for w in ("organisatie|structuur", "leveranciers|management", "informatie|systemen", "inkoop|proces")}
"""The long words of the inkoopontwikkelmodel's pillar names with a soft hyphen where a column header may break
them: a browser has no Dutch hyphenation offline, and unbroken they make its table of the organisations wider than
a laptop's page or an A4 one."""


def _kop(pijler: str) -> str:
    r"""A pillar's name as a column header: its long words breakable (:data:`_AFBREKEN`), otherwise as written.

    >>> _kop("leveranciersmanagement").split("\N{SOFT HYPHEN}"), _kop("IT")
    (['leveranciers', 'management'], 'IT')
    """
    return " ".join(_AFBREKEN.get(word, word) for word in pijler.split(" "))


def tabel_organisaties(scores: pd.DataFrame, *, model: str, scan: ScanOpties) -> pd.DataFrame:
    """The organisations side by side for ``model``: the current level per pillar (one decimal), the
    mean current level and the mean gap. ``Respondenten`` is the fewest on any pillar; an organisation
    below ``scan.drempel`` shows no figures. A pillar's header may break inside its long words (:func:`_kop`)."""
    part = scores[scores["model"] == model] if len(scores) else scores
    if part.empty:
        return pd.DataFrame({"Organisatie": [f"Geen antwoorden op het {_model_naam(model)}"]})
    frame = per_organisatie(part, model=model)
    pillars = [p for p in MODELLEN[model].pijlers if p in frame.columns]
    cols = {"organisatie": "Organisatie", "respondenten": "Respondenten", **{p: _kop(p) for p in pillars},
            "huidig_gem": "Gem. huidig", "gap": "Gem. gat"}
    figures = [*map(_kop, pillars), "Gem. huidig", "Gem. gat"]
    return format_table(frame[list(cols)].rename(columns=cols), numbers=figures, decimals=dict.fromkeys(figures, 1),
                        count_column="Respondenten", threshold=scan.drempel)


def tabel_aanbieders(scores: pd.DataFrame, *, scan: ScanOpties) -> pd.DataFrame:
    """The aanbieders' KMM ranked for a partner selection (:func:`analysis.volwassenheid.rank`): the
    mean current level, its weakest pillar, ambition, gap and the respondents' agreement. An aanbieder
    with fewer respondents than ``scan.drempel`` on a pillar gets no rank and no figures."""
    kmm = scores[scores["model"] == "kmm"] if len(scores) else scores
    if kmm.empty:
        return pd.DataFrame({"Aanbieder": ["Geen aanbieder vulde het KMM in"]})
    frame = rank(per_organisatie(kmm, model="kmm"), drempel=scan.drempel)
    small = frame["rang"].isna().to_numpy()
    frame = frame.assign(rang=frame["rang"].astype("str").where(~small, "geen oordeel"),
                         laagste_pijler=frame["laagste_pijler"].where(~small, "–"))
    cols = {"rang": "Rang", "organisatie": "Aanbieder", "organisatie_code": "AGB", "respondenten": "Respondenten",
            "huidig_gem": "Gem. huidig", "laagste_pijler": "Zwakste pijler", "laagste_niveau": "Zwakste pijler: niveau",
            "ambitie_gem": "Gem. ambitie", "gap": "Gem. gat", "r_wg": "Overeenstemming (r_wg)"}
    figures = ["Gem. huidig", "Zwakste pijler: niveau", "Gem. ambitie", "Gem. gat", "Overeenstemming (r_wg)"]
    return format_table(frame[list(cols)].rename(columns=cols), numbers=figures,
                        decimals={c: 2 if c.startswith("Overeenstemming") else 1 for c in figures},
                        count_column="Respondenten", threshold=scan.drempel)
