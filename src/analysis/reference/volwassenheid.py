"""The two maturity models the region steers its own organisation with, as the product's own data.

- The **Keten Maturity Model** (KMM): five pillars, each in four growth phases from *pionier* to
  *keten* (levels 1-4). Gemeenten may also ask aanbieders to fill it in during partner selection.
- The **inkoopontwikkelmodel**: seven categories on the six stages of the classic purchasing
  development model (levels 1-6), from transactiegericht to waardeketenintegratie.

Level names are defaults: a report may name the levels differently (a notebook parameter), but the
number of levels is the model's own. Pillar names in a questionnaire export are matched to the
names here ignoring case, surrounding and repeated whitespace, and ``&`` written for ``en``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Model:
    """A maturity model: its code in exports, its name, its pillars in display order, its levels."""

    code: str
    naam: str
    pijlers: tuple[str, ...]
    niveaus: tuple[str, ...]  # default level names, level 1 first

    @property
    def hoogste(self) -> int:
        """The highest level (the lowest is 1)."""
        return len(self.niveaus)

    @property
    def sigma2_eu(self) -> float:
        """Variance of answers spread uniformly over the levels: (A² − 1) / 12 for A levels
        (James, Demaree & Wolf 1984), the "no agreement at all" baseline of r_wg.

        >>> KMM.sigma2_eu
        1.25
        """
        return (self.hoogste**2 - 1) / 12

    def pijler(self, raw: str) -> str | None:
        """The pillar's own spelling for ``raw`` (case, whitespace and ``&``/``en`` ignored), else None.

        >>> KMM.pijler("  Strategie &  Beleidsvorming "), KMM.pijler("it"), KMM.pijler("inkoopproces")
        ('strategie en beleidsvorming', 'IT', None)
        """
        return {_key(p): p for p in self.pijlers}.get(_key(raw))


KMM = Model(
    code="kmm",
    naam="Keten Maturity Model",
    pijlers=("strategie en beleidsvorming", "organisatie en processen", "besturing en beheersing", "IT",
             "mens en cultuur"),
    niveaus=("pionier", "proces", "systeem", "keten"),
)
INKOOPONTWIKKELMODEL = Model(
    code="inkoopontwikkelmodel",
    naam="Inkoopontwikkelmodel",
    pijlers=("strategie", "organisatiestructuur", "inkoopproces", "leveranciersmanagement",
             "sturing en methodologie", "informatiesystemen en tools", "persoonlijke competenties"),
    niveaus=("transactiegericht", "commercieel", "gecoördineerd", "intern geïntegreerd", "extern geïntegreerd",
             "waardeketen"),
)
MODELLEN: dict[str, Model] = {m.code: m for m in (KMM, INKOOPONTWIKKELMODEL)}
ORGANISATIE_SOORTEN = ("gemeente", "regio", "aanbieder")
"""Who answers: a gemeente (CBS code), the regional office (the region's folder name), an aanbieder (AGB)."""


def _key(text: str) -> str:
    return " ".join(text.replace("&", " en ").lower().split())


def model(raw: str) -> Model | None:
    """The model for an export's ``model`` value: its code or its name, case and whitespace ignored.

    >>> model(" KMM ").code, model("Keten Maturity Model").code, model("BMM")
    ('kmm', 'kmm', None)
    """
    key = _key(raw)
    return next((m for m in MODELLEN.values() if key in (_key(m.code), _key(m.naam))), None)


def regio_slug(regio: str) -> str:
    """Folder name of a jeugdzorgregio, also the organisatie_code of its regional office: lower case,
    anything but letters and digits to ``-`` (``Noord Limburg`` → ``noord-limburg``)."""
    return re.sub(r"[^a-z0-9]+", "-", regio.lower()).strip("-")
