"""How mature is the region's own organisation, and its aanbieders? Scores from maturity-scan answers.

Two models (:mod:`analysis.reference.volwassenheid`): the Keten Maturity Model (KMM, five pillars,
levels 1-4) and the inkoopontwikkelmodel (seven categories, levels 1-6); both called *pijler* here.
Every respondent gives per question the current level (``huidig``) and the ambitioned level
(``ambitie``). Definitions, in levels of the model's scale:

- a respondent's level on a pillar is the mean of their answers to its questions;
- per organisation, model and pillar: ``respondenten``, the mean and standard deviation (n − 1)
  of those levels (``huidig_gem``, ``huidig_sd``, ``ambitie_gem``, ``ambitie_sd``) and
  ``gap = ambitie_gem − huidig_gem``;
- ``r_wg`` (James, Demaree & Wolf 1984), how far respondents agree on the current level:
  1 − s² / σ²_EU, with σ²_EU = (A² − 1) / 12 for A levels (all answers equally likely) and s² the
  variance (n − 1) between respondents of the answers to one question, averaged over the pillar's
  questions; clipped to [0, 1] and missing with fewer than two respondents. For a pillar of one
  question this is the classic single-item r_wg; for several it is the mean item variance without
  the Spearman-Brown step of r_wg(J), which would rise with the number of questions alone;
- ``tussendoel`` (phase 1 of the inkoopontwikkelmodel, used for both models): one level for every
  pillar of a model, by default the highest rounded current mean of the organisation's pillars
  (bring every pillar up to the leading one), or a level given for the model.

Only an organisation's latest scan counts: its answers filled in within :data:`SCAN_MAANDEN` months
before its last answer up to the report's end date. Functions return small frames; none mutates
its input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.reference.volwassenheid import MODELLEN, ORGANISATIE_SOORTEN

SCAN_MAANDEN = 12
"""Answers of an organisation filled in within this many months of its last answer form one scan."""
EIGEN_ORGANISATIE = ("gemeente", "regio")
"""The soorten that make up the region's own organisation (aanbieders are compared apart)."""
PIJLER = ["model", "pijler"]


def answers(con: duckdb.DuckDBPyConnection, *, regio: str, tot: date,
            soorten: Sequence[str] = ORGANISATIE_SOORTEN) -> pd.DataFrame:
    """The answers of ``regio``'s organisations of ``soorten`` in their latest scan up to ``tot``.

    One row per answer: ``organisatie_code``, ``organisatie``, ``organisatie_soort``, ``respondent``,
    ``rol``, ``model``, ``pijler``, ``vraag``, ``huidig``, ``ambitie``, ``ingevuld``.
    """
    return con.sql(f"""
        SELECT organisatie_code, organisatie, organisatie_soort, respondent, rol, model, pijler, vraag,
               huidig, ambitie, ingevuld
        FROM volwassenheid
        WHERE regio = $regio AND ingevuld <= $tot AND organisatie_soort IN (SELECT unnest($soorten))
        QUALIFY ingevuld > max(ingevuld) OVER (PARTITION BY organisatie_code, model) - INTERVAL {SCAN_MAANDEN} MONTH
        ORDER BY organisatie_code, model, respondent, vraag""",
                   params={"regio": regio, "tot": tot, "soorten": list(soorten)}).df()


def scores(answers: pd.DataFrame, *, by: Sequence[str] = ("organisatie_code",)) -> pd.DataFrame:
    """Per ``by`` (default: each organisation; ``()`` pools every respondent), model and pillar:
    ``respondenten``, ``huidig_gem``, ``huidig_sd``, ``ambitie_gem``, ``ambitie_sd``, ``gap`` and
    ``r_wg`` (levels), in the models' pillar order; with ``organisatie`` (its latest name) and
    ``organisatie_soort`` when ``by`` holds ``organisatie_code``.

    >>> frame = pd.DataFrame({"organisatie_code": "GM0361", "respondent": ["a", "b"], "model": "kmm",
    ...     "pijler": "IT", "vraag": "K1", "huidig": [1, 3], "ambitie": [3, 3], "organisatie": "Alkmaar",
    ...     "organisatie_soort": "gemeente", "ingevuld": date(2025, 10, 1)})
    >>> scores(frame)[["huidig_gem", "gap", "r_wg"]].iloc[0].tolist()  # s² = 2, σ²_EU = 1.25: r_wg 0
    [2.0, 1.0, 0.0]
    """
    if answers.empty:
        raise ValueError("answers: no answers to score")
    keys = [*by, *PIJLER]
    levels = answers.groupby([*keys, "respondent"], as_index=False)[["huidig", "ambitie"]].mean()
    frame = levels.groupby(keys, as_index=False).agg(
        respondenten=("respondent", "size"), huidig_gem=("huidig", "mean"), huidig_sd=("huidig", "std"),
        ambitie_gem=("ambitie", "mean"), ambitie_sd=("ambitie", "std"))
    frame["gap"] = frame["ambitie_gem"] - frame["huidig_gem"]
    frame = frame.merge(_agreement(answers, keys), on=keys, how="left")
    if "organisatie_code" in by:
        frame = frame.merge(_names(answers), on="organisatie_code", how="left")
    return _in_pillar_order(frame, by=list(by))


def _agreement(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """r_wg per ``keys`` on the current level (see the module's definition)."""
    s2 = answers.groupby([*keys, "vraag"])["huidig"].var().groupby(level=keys).mean()  # NaN (1 respondent) skipped
    frame = s2.rename("s2").reset_index()
    sigma2 = frame["model"].map({code: m.sigma2_eu for code, m in MODELLEN.items()})
    return frame.assign(r_wg=(1 - frame["s2"] / sigma2).clip(0, 1)).drop(columns="s2")


def _names(answers: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's name and soort as given with its latest answer."""
    latest = answers.sort_values(["ingevuld", "respondent", "vraag"]).drop_duplicates("organisatie_code", keep="last")
    return latest[["organisatie_code", "organisatie", "organisatie_soort"]]


def _in_pillar_order(frame: pd.DataFrame, *, by: list[str]) -> pd.DataFrame:
    pairs = [(code, p) for code, m in MODELLEN.items() for p in m.pijlers]  # KMM first, then the other
    order = {pair: i for i, pair in enumerate(pairs)}
    rank = pd.Series([order.get(k, len(order)) for k in zip(frame["model"], frame["pijler"])], index=frame.index)
    return (frame.assign(_volgorde=rank).sort_values([*by, "_volgorde"], kind="stable")
            .drop(columns="_volgorde").reset_index(drop=True))


def add_tussendoel(scores: pd.DataFrame, *, niveaus: Mapping[str, int | None] | None = None,
                   by: Sequence[str] = ("organisatie_code",)) -> pd.DataFrame:
    """``scores`` with ``tussendoel``: per ``by`` and model one level for every pillar, the highest
    rounded (half up) ``huidig_gem``, unless ``niveaus`` gives the model a level.

    >>> frame = pd.DataFrame({"model": "kmm", "pijler": ["IT", "mens en cultuur"], "huidig_gem": [1.5, 2.6]})
    >>> add_tussendoel(frame, by=())["tussendoel"].tolist()  # 1.5 rounds to 2, 2.6 to 3: both pillars to 3
    [3, 3]
    """
    niveaus = {k: v for k, v in (niveaus or {}).items() if v}
    for code, level in niveaus.items():
        if code not in MODELLEN or not 1 <= level <= MODELLEN[code].hoogste:
            raise ValueError(f"niveaus: {code!r} has no level {level!r}")
    leading = np.floor(scores["huidig_gem"] + 0.5).groupby([scores[k] for k in [*by, "model"]]).transform("max")
    given = scores["model"].map(niveaus)
    return scores.assign(tussendoel=given.fillna(leading).astype("int64"))


def largest_gaps(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with the largest gap first (ties: lowest current level first, then pillar order)."""
    order = scores.assign(_volgorde=range(len(scores)))
    return (order.sort_values(["gap", "huidig_gem", "_volgorde"], ascending=[False, True, True], kind="stable")
            .drop(columns="_volgorde").reset_index(drop=True))


def hide_small(scores: pd.DataFrame, *, drempel: int) -> pd.DataFrame:
    """``scores`` for charts: the figures of a pillar resting on fewer than ``drempel`` respondents
    made missing, and organisations left without any figure dropped (tables use ``display.format_table``)."""
    figures = ["huidig_gem", "huidig_sd", "ambitie_gem", "ambitie_sd", "gap", "r_wg"]
    small = scores["respondenten"] < drempel
    out = scores.copy()
    out.loc[small, [c for c in figures if c in out.columns]] = np.nan
    keys = [c for c in ("organisatie_code", "model") if c in out.columns]
    kept = out["huidig_gem"].notna().groupby([out[k] for k in keys]).transform("any")
    return out[kept].reset_index(drop=True)


def per_organisatie(scores: pd.DataFrame, *, model: str) -> pd.DataFrame:
    """One row per organisation for ``model``: the fewest ``respondenten`` on any pillar, the means
    over its pillars of ``huidig_gem``, ``ambitie_gem``, ``gap`` and ``r_wg``, its weakest pillar
    (``laagste_pijler``, ``laagste_niveau``), ``balans`` (highest minus lowest pillar, levels) and one
    column per pillar holding its ``huidig_gem``, in pillar order. Ordered by soort (regio, gemeente,
    aanbieder), then name."""
    part = scores[scores["model"] == model]
    if part.empty:
        raise ValueError(f"model: no scores for {model!r}")
    keys = ["organisatie_code", "organisatie", "organisatie_soort"]
    frame = part.groupby(keys, sort=False).agg(
        respondenten=("respondenten", "min"), huidig_gem=("huidig_gem", "mean"), ambitie_gem=("ambitie_gem", "mean"),
        gap=("gap", "mean"), r_wg=("r_wg", "mean"), laagste_niveau=("huidig_gem", "min"),
        balans=("huidig_gem", lambda s: s.max() - s.min()))
    weakest = part.loc[part.groupby(keys, sort=False)["huidig_gem"].idxmin()].set_index(keys)["pijler"]
    wide = part.pivot_table(index=keys, columns="pijler", values="huidig_gem", sort=False)
    pillars = [p for p in MODELLEN[model].pijlers if p in wide.columns]
    frame = frame.assign(laagste_pijler=weakest).join(wide[pillars]).reset_index()
    soort = frame["organisatie_soort"].map({s: i for i, s in enumerate(("regio", "gemeente", "aanbieder"))})
    return (frame.assign(_soort=soort).sort_values(["_soort", "organisatie"], kind="stable")
            .drop(columns="_soort").reset_index(drop=True))


def rank(organisaties: pd.DataFrame, *, drempel: int) -> pd.DataFrame:
    """:func:`per_organisatie` ranked for a comparison (partner selection): highest mean current
    level first, a tie broken by the higher weakest pillar, then by name; ``rang`` 1, 2, ...
    Organisations whose weakest pillar rests on fewer than ``drempel`` respondents get no rank and
    come last."""
    small = organisaties["respondenten"] < drempel
    ranked = (organisaties.assign(_klein=small)
              .sort_values(["_klein", "huidig_gem", "laagste_niveau", "organisatie"],
                           ascending=[True, False, False, True], kind="stable")
              .reset_index(drop=True))
    position = pd.Series(np.arange(1, len(ranked) + 1), dtype="Int64").where(~ranked["_klein"])
    return ranked.assign(rang=position).drop(columns="_klein")
