"""The report context: a notebook's checked parameters, its warehouse connection and dates.

The cell after a notebook's ``parameters`` cell calls :func:`check_parameters`, which refuses an
invalid value with a ``ValueError`` naming the parameter and returns a :class:`Rapport`: the read-only
connection, the derived dates every section uses and the small-cell threshold ``min_clienten``, which
:meth:`Rapport.verberg` applies to a section's frame before any table, chart or sentence sees it.

Dates: ``periode`` ("YYYY-MM") is the last month a report covers. The data date (``peildatum``) is
the warehouse's ``bouw.datadatum``, but never after the day following ``periode``; the last
``OPEN_MAANDEN`` product months before it are still being declared, so the *basisjaar* (the last
year whose months are all closed) is the latest year trends and realisations are reported on.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import analysis
from analysis.forecast import Scenario, last_closed_month
from analysis.forecast.gap import base_year
from analysis.gemeente import check_gemeente
from analysis.periode import Periode
from analysis.report.kleine_cellen import (VERBORGEN, check_min_clienten, kleine_domeinen, verberg, verberg_kruis,
                                           verberg_rijen)
from analysis.suppliers import Thresholds
from analysis.warehouse import connect

OPEN_MAANDEN = 2
"""Product months before the data date whose declarations are still coming in (as the forecast)."""


def repo_root() -> Path:
    """The repository root: the folder above ``src/analysis`` of the installed package, else the cwd."""
    here = Path(analysis.__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def resolve_warehouse(warehouse: str | Path) -> Path:
    """An absolute path as is; a relative one against the repository root (papermill runs in any cwd)."""
    if not isinstance(warehouse, (str, Path)) or not str(warehouse).strip():
        raise ValueError(f"warehouse: expected a path to a warehouse.duckdb, got {warehouse!r}")
    path = Path(warehouse).expanduser()
    return path if path.is_absolute() else repo_root() / path


def parse_periode(periode: str) -> tuple[int, int]:
    """``"2025-06"`` -> ``(2025, 6)``; a ``ValueError`` naming ``periode`` for anything else."""
    p = Periode.parse(periode)
    return p.jaar, p.maand


def check_drempels(drempels: dict[str, float]) -> dict[str, float]:
    """Every threshold a finite number >= 0 (not a bool); returns them as given."""
    for name, value in drempels.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    return dict(drempels)


@dataclass(frozen=True)
class Rapport:
    """The checked parameters of one report and what follows from them."""

    con: duckdb.DuckDBPyConnection
    warehouse: Path
    periode: str
    jaar: int
    maand: int
    einde: date  # last day of periode
    peildatum: date  # data date used for open months and the forecast
    laatste_maand: pd.Timestamp  # last closed product month
    basisjaar: int  # last year with all months closed
    regio: str
    gemeenten: pd.DataFrame  # gemeente_code, gemeentenaam of the region
    gemeente: str | None = None
    naam: str = ""
    drempels: dict[str, float] = field(default_factory=dict)
    scenario: Scenario | None = None
    horizon: int | None = None
    thresholds: Thresholds | None = None
    min_clienten: int = 10

    @property
    def onderwerp(self) -> str:
        """'Alkmaar (GM0361)' or 'regio Noord-Kennemerland', for titles."""
        return f"{self.naam} ({self.gemeente})" if self.gemeente else f"regio {self.regio}"

    @property
    def periode_tekst(self) -> str:
        """'december 2025'."""
        return Periode(self.jaar, self.maand).tekst

    def verberg(self, frame: pd.DataFrame, *, aantal: str = "clienten", groep: Sequence[str] = (),
                totaal: bool = True, waarden: Sequence[str] | None = None,
                samenvoegen: Mapping[str, object] | None = None, optellen: Sequence[str] = ()) -> pd.DataFrame:
        """:func:`analysis.report.kleine_cellen.verberg` with this report's ``min_clienten``."""
        return verberg(frame, min_clienten=self.min_clienten, aantal=aantal, groep=groep, totaal=totaal,
                       waarden=waarden, samenvoegen=samenvoegen, optellen=optellen)

    def kleine_domeinen(self, per_jaar: pd.DataFrame, *, jaren: Sequence[int]) -> list[str]:
        """:func:`analysis.report.kleine_cellen.kleine_domeinen` with this report's ``min_clienten``; in a
        gemeente's report the domains the region's table hides for it in the basisjaar
        (:attr:`regio_verborgen`) count as small cells of that year."""
        vooraf = {self.basisjaar: self.regio_verborgen} if self.gemeente and self.basisjaar in jaren else None
        return kleine_domeinen(per_jaar, jaren=jaren, min_clienten=self.min_clienten, vooraf=vooraf)

    def verberg_regio(self, bench: pd.DataFrame, *, waarden: Sequence[str]) -> pd.DataFrame:
        """``bench`` (:func:`analysis.spend.benchmark`: the region's gemeenten x domeinen in one year) with
        the cells hidden that the region's table hides (:func:`~analysis.report.kleine_cellen.verberg_kruis`:
        the regio report shows each domein's total, a gemeente's reports its total over the domeinen), so
        every report of the run hides the same cells of that year. ``waarden`` are the columns to hide."""
        return self._zonder(bench, self._regio_cellen(bench), groep="domein", waarden=waarden)

    @functools.cached_property
    def regio_verborgen(self) -> tuple[str, ...]:
        """This gemeente's domains that the region's table of the basisjaar hides (:meth:`verberg_regio`);
        worked out once per report."""
        from analysis.spend import benchmark

        if not self.gemeente:
            raise ValueError("regio_verborgen: a report of one gemeente only")
        if not self.regio:  # a gemeente outside any jeugdzorgregio: no region table shows it
            return ()
        bench = benchmark(self.con, gemeente=self.gemeente, jaar=self.basisjaar)
        mine = self._regio_cellen(bench) & (bench["gemeente_code_huidig"] == self.gemeente).to_numpy()
        return tuple(sorted(set(bench.loc[mine, "domein"])))

    def verberg_per_tijdvak(self, per_tijdvak: pd.DataFrame, *, rij: str, jaar: pd.DataFrame,
                            tijdvak: str = "kwartaal") -> pd.DataFrame:
        """Figures by ``rij`` (an aanbieder, a retourcode) and ``tijdvak`` whose whole period another table
        of the report shows (``jaar``, after :meth:`verberg`). A row that table hides is hidden in every
        tijdvak (its quarters would add up to it), and the rest by row and by column
        (:func:`~analysis.report.kleine_cellen.verberg_kruis`: that table gives each row's total, the
        region's chart each tijdvak's), so no hidden quarter is its row's total minus the others."""
        verborgen = set(jaar.loc[jaar[VERBORGEN].to_numpy(dtype=bool), rij]) if VERBORGEN in jaar.columns else set()
        frame = per_tijdvak.assign(**{VERBORGEN: per_tijdvak[rij].isin(verborgen).to_numpy(dtype=bool)})
        hidden = verberg_kruis(frame, rij=rij, kolom=tijdvak, min_clienten=self.min_clienten)
        return self._zonder(frame, hidden, groep=tijdvak)

    def _regio_cellen(self, bench: pd.DataFrame) -> np.ndarray:
        """The cells of the region's gemeenten x domeinen table (``bench``) that every report hides."""
        return verberg_kruis(bench, rij="gemeente_code_huidig", kolom="domein", min_clienten=self.min_clienten)

    def _zonder(self, frame: pd.DataFrame, hidden: np.ndarray, *, groep: str,
                waarden: Sequence[str] | None = None) -> pd.DataFrame:
        """``frame`` with exactly the ``hidden`` cells hidden (a pattern worked out already: no more suppression)."""
        return verberg(frame.assign(**{VERBORGEN: hidden}), min_clienten=self.min_clienten, groep=[groep],
                       totaal=False, waarden=waarden)

    def verberg_per_jaar(self, per_jaar: pd.DataFrame) -> pd.DataFrame:
        """A gemeente's figures by ``jaar`` and ``domein`` with :meth:`verberg` per year, the basisjaar's
        domains hidden in the region's table (:attr:`regio_verborgen`) hidden here as well."""
        if self.gemeente:
            vooraf = per_jaar["domein"].isin(self.regio_verborgen) & (per_jaar["jaar"] == self.basisjaar)
            if VERBORGEN in per_jaar.columns:
                vooraf |= per_jaar[VERBORGEN].fillna(True).astype(bool)
            per_jaar = per_jaar.assign(**{VERBORGEN: vooraf.to_numpy(dtype=bool)})
        return self.verberg(per_jaar, groep=["jaar"])

    def verberg_domeinen(self, frame: pd.DataFrame, domeinen: Sequence[str], *, jaren: Sequence[int] | None = None,
                         waarden: Sequence[str] | None = None) -> pd.DataFrame:
        """``frame`` with the rows of ``domeinen`` (of ``jaren``, when given) hidden: a section that must
        follow the domains this report hides (:func:`analysis.report.kleine_cellen.kleine_domeinen`)."""
        rows = frame["domein"].isin(list(domeinen))
        if jaren is not None:
            rows &= frame["jaar"].isin(list(jaren))
        return verberg_rijen(frame, rows.to_numpy(dtype=bool), min_clienten=self.min_clienten, waarden=waarden,
                             keep=[c for c in ("jaar",) if c in frame.columns])


def check_parameters(*, warehouse: str | Path, periode: str, gemeente: str | None = None,
                     regio: str | None = None, drempels: dict[str, float] | None = None,
                     scenario: dict[str, float] | None = None, horizon: int | None = None,
                     rag: dict[str, float] | None = None, min_clienten: int = 10) -> Rapport:
    """Check a notebook's parameters at once and open the warehouse read-only.

    Give exactly one of ``gemeente`` (a current CBS code with declaraties) and ``regio`` (a
    jeugdzorgregio with declaraties). ``periode`` must be a month from the gemeente's (or region's) first
    product month with declaraties to the warehouse's last; its own declaraties may end earlier, but not
    before the report's last closed month (:func:`_peildatum`). ``drempels`` are numbers >= 0;
    ``scenario`` are :class:`Scenario`'s fields; ``rag`` are :class:`Thresholds`' fields (``min_basis`` is
    ``min_clienten``).
    Raises ``ValueError`` naming the parameter.
    """
    jaar, maand = parse_periode(periode)
    checked = check_drempels(drempels or {})
    min_clienten = check_min_clienten(min_clienten)
    if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 10):
        raise ValueError(f"horizon: expected a whole number of years from 1 to 10, got {horizon!r}")
    scen = _build(Scenario, scenario)
    thresholds = _build(Thresholds, None if rag is None else {**rag, "min_basis": min_clienten})
    if (gemeente is None) == (regio is None):
        raise ValueError("gemeente / regio: give exactly one of them")
    path = resolve_warehouse(warehouse)
    if not path.is_file():
        raise ValueError(f"warehouse: {path} does not exist; run `make build` (or pass the path of a warehouse)")
    con = connect(path)
    naam, regio, gemeenten = _where(con, gemeente=gemeente, regio=regio)
    einde = Periode(jaar, maand).einde
    eigen = [gemeente] if gemeente is not None else gemeenten["gemeente_code"].tolist()  # whose data it reports
    peildatum, laatste = _peildatum(con, eigen, periode=periode, einde=einde)
    return Rapport(con=con, warehouse=path, periode=periode, jaar=jaar, maand=maand, einde=einde,
                   peildatum=peildatum, laatste_maand=laatste, basisjaar=base_year(laatste), regio=regio,
                   gemeenten=gemeenten, gemeente=gemeente, naam=naam, drempels=checked, scenario=scen,
                   horizon=horizon, thresholds=thresholds, min_clienten=min_clienten)


def _build(cls, values: dict | None):
    """``cls(**values)`` with unknown names and the class's own checks as ``ValueError``."""
    if values is None:
        return None
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from exc


def _where(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, regio: str | None
           ) -> tuple[str, str, pd.DataFrame]:
    """The gemeente's name and region, or the region's gemeenten (those with declaraties)."""
    if gemeente is not None:
        naam, regio = check_gemeente(con, gemeente)
    members = con.sql("""
        SELECT gemeente_code, gemeentenaam FROM ref_gemeente
        WHERE jeugdzorgregio = $r AND gemeente_code IN (SELECT DISTINCT gemeente_code_huidig FROM declaratieregel)
        ORDER BY gemeente_code""", params={"r": str(regio)}).df()
    if members.empty or (gemeente is not None and gemeente not in set(members["gemeente_code"])):
        name = "gemeente" if gemeente is not None else "regio"
        raise ValueError(f"{name}: {gemeente or regio!r} has no declaraties in this warehouse")
    return (naam if gemeente is not None else ""), regio, members


def _peildatum(con: duckdb.DuckDBPyConnection, codes: list[str], *, periode: str,
               einde: date) -> tuple[date, pd.Timestamp]:
    """The data date for ``periode`` and the report's last closed month.

    ``periode`` may run from the first product month with declaraties of these gemeenten to the last
    month of the warehouse (the run's default periode). Their own declaraties may end before that, in the
    open months (a region whose messages arrive later than the others'), but not before the report's last
    closed month: months without any declaration would then count as closed and read as a collapse."""
    first, last, last_all, datadatum = con.sql("""
        SELECT min(periode_begin), max(periode_begin), (SELECT max(periode_begin) FROM declaratieregel),
               (SELECT max(datadatum) FROM bouw)
        FROM declaratieregel WHERE gemeente_code_huidig IN (SELECT unnest($codes))""",
                                               params={"codes": codes}).fetchall()[0]
    if not (first.replace(day=1) <= einde.replace(day=1) <= last_all.replace(day=1)):
        raise ValueError(f"periode: {periode!r} is outside the data ({first:%Y-%m} to {last_all:%Y-%m})")
    peildatum = min(datadatum, einde + timedelta(days=1))
    closed = last_closed_month(peildatum, open_maanden=OPEN_MAANDEN)
    if pd.Timestamp(last.replace(day=1)) < closed:
        latest = pd.Timestamp(last.replace(day=1)) + pd.DateOffset(months=OPEN_MAANDEN)
        raise ValueError(f"periode: {periode!r} needs declaraties up to {closed:%Y-%m} (its last closed month), "
                         f"but those of {'this gemeente' if len(codes) == 1 else 'this regio'} end in "
                         f"{last:%Y-%m}; choose periode {latest:%Y-%m} or earlier")
    return peildatum, closed
