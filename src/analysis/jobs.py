"""What a run is made of: the report notebooks, a job (one notebook for one gemeente or region) and its result.

The runner (:mod:`analysis.runner`) makes and executes jobs; the front page (:mod:`analysis.index`)
lists their results. Both import this module, and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.publish import report_title

GEMEENTE_NOTEBOOKS = ("uitgaven", "prognose", "aanbieders")
REGIO_NOTEBOOKS = ("regio", "volwassenheid", "datakwaliteit")
REPORT_NAMES = {"uitgaven": "Uitgaven en budget", "prognose": "Prognose inkomsten en uitgaven",
                "aanbieders": "Prestaties aanbieders", "regio": "Regio-overzicht",
                "volwassenheid": "Volwassenheidsscan", "datakwaliteit": "Datakwaliteit en tijdigheid"}
SCAN_NOTEBOOKS = ("volwassenheid",)
"""Region notebooks planned only for a region with maturity-scan answers filled in by the end of the periode."""
GEPUBLICEERD, MISLUKT = "gepubliceerd", "mislukt"

@dataclass(frozen=True)
class Job:
    """One notebook for one gemeente (``soort`` gemeente) or one jeugdzorgregio (``soort`` regio)."""

    notebook: Path
    soort: str
    code: str  # gemeente code, or the regio's name
    naam: str  # gemeente or regio name, for people
    regio: str
    parameters: dict[str, Any]
    ipynb: Path  # executed audit copy
    html: Path
    pdf: Path | None = None  # also print the page to this A4 PDF (``reports --pdf``)

    @property
    def report(self) -> str:
        return REPORT_NAMES.get(self.notebook.stem, self.notebook.stem.capitalize())

    @property
    def title(self) -> str:
        return report_title(self.report, self.naam, self.parameters["periode"])

    @property
    def label(self) -> str:
        return f"{self.notebook.stem} {self.code}"


@dataclass
class Result:
    """What became of a job: ``gepubliceerd``, or ``mislukt`` with its reasons (``fouten``)."""

    job: Job
    status: str
    fouten: list[str] = field(default_factory=list)
    duur_s: float = 0.0
    kerncijfers: list[dict[str, Any]] = field(default_factory=list)  # the summary's tiles (label, waarde, status, kop)
    waar: str = ""  # where it ran: the Dask worker's name, or the local process (name and pid)
    kernel_mb: float | None = None  # a warm kernel's resident memory after the report (None: a fresh kernel's)
    kernel: tuple[int, int] | None = None  # a warm worker's kernel (1, 2, ...) and the report's number in it

    @property
    def kop(self) -> dict[str, Any] | None:
        """The report's headline figure for the front page (the tile marked ``kop``), if any."""
        return next((k for k in self.kerncijfers if k.get("kop")), None)

    @property
    def ok(self) -> bool:
        return self.status == GEPUBLICEERD
