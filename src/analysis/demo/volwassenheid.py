"""Demo answers of the two maturity scans (KMM and inkoopontwikkelmodel) of one region.

Who answers: every gemeente of the region that exists in the autumn of 2025, the regional office
and twelve of the region's aanbieders (the two that work in both regions, then the largest), each
with 3 to 8 respondents; gemeenten and the office fill in both models, aanbieders only the KMM (as
in a partner selection). Not scaled by the demo's scale: a scan is a questionnaire, not a volume.

Each organisation has a level per pillar (a shared regional pattern: IT and information systems
lag, the purchasing process leads, plus the organisation's own level) and an ambition half a level
to a level higher, more where the pillar lags; a respondent answers every question around those
levels. Noord-Kennemerland writes UTF-8 with ``,`` and the models' codes; Noord Limburg Windows-1252 with ``;``, DD-MM-YYYY dates and
the pillars spelled as a survey tool may (``Strategie & Beleidsvorming``). Deliberate flaws: in
Noord-Kennemerland one "weet niet" exported as level 5 (outside the KMM scale); in Noord Limburg
one aanbieder's respondent submits the KMM twice with one answer changed. The other regions of the
landelijk demo write one of the two formats (``Region.formaat``) and carry no flaw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.demo.config import VASTE_NAMEN, Region
from analysis.demo.market import Aanbieder
from analysis.demo.tables import _write_csv
from analysis.reference.volwassenheid import INKOOPONTWIKKELMODEL, KMM, Model, regio_slug

HEADER = ["respondent", "organisatie", "organisatie_soort", "organisatie_code", "rol", "model", "pijler", "vraag",
          "huidig", "ambitie", "ingevuld"]
SCAN_BEGIN = dt.date(2025, 9, 1)
SCAN_DAGEN = 88  # answers until the end of November 2025
AANBIEDERS = 12
VRAGEN_PER_PIJLER = 2
ROLLEN = {
    "gemeente": ("beleidsadviseur", "contractmanager", "inkoopadviseur", "teamleider toegang", "controller"),
    "regio": ("inkoopadviseur", "contractmanager", "data-analist", "hoofd inkoopbureau"),
    "aanbieder": ("bestuurder", "manager zorg", "controller", "kwaliteitsfunctionaris"),
}
# The region's shared pattern: levels above or below an organisation's own level, per pillar.
PATROON = {
    "kmm": (0.3, 0.1, 0.0, -0.6, 0.2),
    "inkoopontwikkelmodel": (0.2, 0.3, 0.6, -0.2, -0.3, -0.8, 0.1),
}
EIGEN_NIVEAU = {  # (low, high) of an organisation's own level, per soort and model
    ("gemeente", "kmm"): (1.6, 2.4), ("regio", "kmm"): (2.1, 2.5), ("aanbieder", "kmm"): (1.3, 3.2),
    ("gemeente", "inkoopontwikkelmodel"): (2.0, 3.0), ("regio", "inkoopontwikkelmodel"): (2.8, 3.2),
}


@dataclass(frozen=True)
class Organisatie:
    naam: str
    soort: str
    code: str
    modellen: tuple[Model, ...]


def organisaties(region: Region, aanbieders: list[Aanbieder]) -> list[Organisatie]:
    """The gemeenten existing at the scan, the regional office, and twelve aanbieders."""
    both = (KMM, INKOOPONTWIKKELMODEL)
    orgs = [Organisatie(g.naam, "gemeente", g.cbs, both) for g in region.gemeenten if g.valid_on(SCAN_BEGIN)]
    orgs.append(Organisatie(f"Regionaal inkoopbureau {region.naam}", "regio", regio_slug(region.naam), both))
    chosen = sorted(aanbieders, key=lambda a: (a.naam not in VASTE_NAMEN, -a.gewicht, a.agb))[:AANBIEDERS]
    return orgs + [Organisatie(a.naam, "aanbieder", a.agb, (KMM,)) for a in chosen]


def answer_rows(orgs: list[Organisatie], rng: np.random.Generator) -> list[list]:
    """One row per respondent and question, in the order of ``HEADER`` (levels as integers, dates as dates)."""
    rows, ids = [], set()
    for org in orgs:
        profiles = {m.code: _profile(org, m, rng) for m in org.modellen}
        for _ in range(int(rng.integers(3, 9))):
            respondent = _respondent_id(rng, ids)
            rol = ROLLEN[org.soort][int(rng.integers(len(ROLLEN[org.soort])))]
            ingevuld = SCAN_BEGIN + dt.timedelta(days=int(rng.integers(SCAN_DAGEN)))
            for m in org.modellen:
                huidig, ambitie = profiles[m.code]
                for p, pijler in enumerate(m.pijlers):
                    for q in range(VRAGEN_PER_PIJLER):
                        levels = [_level(x, m, rng) for x in (huidig[p], ambitie[p])]
                        rows.append([respondent, org.naam, org.soort, org.code, rol, m.code, pijler,
                                     f"{m.code[:3].upper()}-{p * VRAGEN_PER_PIJLER + q + 1:02d}", *levels, ingevuld])
    return rows


def _profile(org: Organisatie, model: Model, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The organisation's true current and ambitioned level per pillar (not yet rounded): the ambition
    lies half a level to a level higher, more where a pillar lags the region's pattern."""
    low, high = EIGEN_NIVEAU[(org.soort, model.code)]
    patroon = np.asarray(PATROON[model.code])
    huidig = rng.uniform(low, high) + patroon + rng.normal(0, 0.25, len(patroon))
    return huidig, huidig + rng.uniform(0.5, 1.0, len(patroon)) + 0.8 * np.maximum(-patroon, 0)


def _level(true: float, model: Model, rng: np.random.Generator) -> int:
    return int(np.clip(np.rint(true + rng.normal(0, 0.45)), 1, model.hoogste))


def _respondent_id(rng: np.random.Generator, ids: set[str]) -> str:
    """An opaque id as a survey tool gives one, unique within the region."""
    while (respondent := f"R_{int(rng.integers(16**10)):010x}") in ids:
        pass
    ids.add(respondent)
    return respondent


def weet_niet(rows: list[list], rng: np.random.Generator) -> str:
    """One KMM answer of a gemeente's respondent becomes 5: "weet niet" exported as the next number."""
    candidates = [i for i, r in enumerate(rows) if r[2] == "gemeente" and r[5] == KMM.code]
    row = rows[candidates[int(rng.integers(len(candidates)))]]
    row[8] = KMM.hoogste + 1
    return f"respondent {row[0]} ({row[1]}) answered 'weet niet' to {row[7]}, exported as level 5: quarantined"


def dubbel_ingestuurd(rows: list[list], rng: np.random.Generator) -> str:
    """An aanbieder's respondent submits the KMM again (appended), one current level changed."""
    respondents = sorted({r[0] for r in rows if r[2] == "aanbieder"})
    respondent = respondents[int(rng.integers(len(respondents)))]
    again = [list(r) for r in rows if r[0] == respondent]
    changed = again[int(rng.integers(len(again)))]
    changed[8] = changed[8] + 1 if changed[8] < KMM.hoogste else changed[8] - 1
    rows.extend(again)
    return (f"respondent {respondent} ({again[0][1]}) submitted the KMM twice with {changed[7]} changed: the "
            f"repeated answers are loaded once, both copies of {changed[7]} are quarantined")


FLAWS = {"NK": weet_niet, "NL": dubbel_ingestuurd}  # only the seed regions carry a deliberate flaw


def write_scan(out: Path, region: Region, aanbieders: list[Aanbieder], rng: np.random.Generator
               ) -> tuple[Path, int, str]:
    """Write the region's export; returns its path, the number of respondents and the flaw it holds
    (``""`` for none)."""
    rows = answer_rows(organisaties(region, aanbieders), rng)
    respondents = len({r[0] for r in rows})
    path = out / "volwassenheid" / region.slug / "volwassenheidsscan_2025.csv"
    flaw = FLAWS.get(region.prefix)
    note = flaw(rows, rng) if flaw else ""
    if region.formaat == "NK":
        return _write_csv(path, HEADER, [[*r[:10], r[10].isoformat()] for r in rows], sep=",",
                          encoding="utf-8"), respondents, note
    spelled = [[*r[:5], "KMM" if r[5] == KMM.code else "Inkoopontwikkelmodel", _survey_spelling(r[6]), *r[7:10],
                r[10].strftime("%d-%m-%Y")] for r in rows]
    return _write_csv(path, HEADER, spelled, sep=";", encoding="cp1252"), respondents, note


def _survey_spelling(pijler: str) -> str:
    """'strategie en beleidsvorming' as a survey tool may label it: 'Strategie & Beleidsvorming'."""
    return " ".join(w if w.isupper() else w.capitalize() for w in pijler.replace(" en ", " & ").split())
