"""Declaration lines grouped into monthly 323 messages (aanbieder x gemeente x period), with the
identifiers that link them: BerichtIdentificatie, DeclaratieNummer, ReferentieNummer, dates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.demo import config
from analysis.demo.market import Aanbieder
from analysis.demo.population import LAST, Clients, Lines, Trajectories

SUCCESSOR = {g.code: g.opvolger for r in config.REGIONS for g in r.gemeenten if g.opvolger}
MERGER = np.datetime64(config.MERGER_DATE)


def gemeente_op(codes: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """The gemeente code a message dated ``dates`` goes to: the successor after a merger."""
    out = codes.copy()
    for old, new in SUCCESSOR.items():
        out = np.where((codes == old) & (dates >= MERGER), new, out)
    return out


@dataclass
class Declaraties:
    """Lines sorted into messages; per message the slice ``start[i]:start[i+1]`` of the lines."""

    lines: Lines
    bsn: np.ndarray  # str per line
    referentie: np.ndarray  # str ReferentieNummer per line
    vorig_ref: np.ndarray  # str VorigReferentieNummer per line ('' for none)
    start: np.ndarray  # int, first line of each message (plus a final end marker)
    aanbieder: np.ndarray  # int per message
    gemeente: np.ndarray  # str Ontvanger of the 323 per message
    entity: np.ndarray  # str gemeente of residence (before a merger) per message
    periode: np.ndarray  # datetime64[M] DeclaratiePeriode per message
    dagtekening: np.ndarray  # datetime64[D] of the 323
    antwoord: np.ndarray  # datetime64[D] of the 325; NaT when pending
    bericht_id: np.ndarray  # str BerichtIdentificatie of the 323
    nummer: np.ndarray  # str DeclaratieNummer

    @property
    def n(self) -> int:
        """Number of 323 messages."""
        return len(self.aanbieder)


def _sort(lines: Lines, tr: Trajectories, cl: Clients) -> tuple[Lines, np.ndarray]:
    """Lines in message order (sent month, product month, aanbieder, gemeente, client, product period,
    credit first)."""
    bsn = cl.bsn[tr.client[lines.traj]]
    entity = cl.gemeente[tr.client[lines.traj]]
    order = np.lexsort((~lines.credit, tr.product[lines.traj], lines.begin, bsn, entity,
                        tr.aanbieder[lines.traj], lines.begin.astype("datetime64[M]"), lines.decl))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    sorted_lines = lines.take(order)
    sorted_lines.vorig = np.where(sorted_lines.vorig >= 0, inverse[np.maximum(sorted_lines.vorig, 0)], -1)
    return sorted_lines, bsn[order]


LAAT_DAGEN = 40
"""How much later than the others the late-declaring aanbieder sends its 323s, and the late-answering
gemeente its 325s (days; never past the latest date the others reach, so the data date stays)."""


def group(lines: Lines, tr: Trajectories, cl: Clients, aanbieders: list[Aanbieder], *,
          region_no: int, rng: np.random.Generator, laat_antwoordend: str | None = None) -> Declaraties:
    """Group lines into 323 messages and give every message and line its identifiers and dates.

    A message holds the lines of one aanbieder, gemeente and product month sent in one month: its
    DeclaratiePeriode is that product month (TR319: every ProductPeriode lies inside it), so a late
    line or a credit goes out later in a message of its own for the month it is about. The aanbieder
    marked ``laat_declarerend`` declares :data:`LAAT_DAGEN` later, and the gemeente
    ``laat_antwoordend`` (a code of the region) answers that much later.
    """
    lines, bsn = _sort(lines, tr, cl)
    aanb = tr.aanbieder[lines.traj]
    entity = cl.gemeente[tr.client[lines.traj]]
    month = lines.begin.astype("datetime64[M]")
    key_change = np.r_[True, (lines.decl[1:] != lines.decl[:-1]) | (aanb[1:] != aanb[:-1])
                       | (entity[1:] != entity[:-1]) | (month[1:] != month[:-1])]
    start = np.r_[np.flatnonzero(key_change), len(aanb)]
    first = start[:-1]
    n = len(first)
    dag = (lines.decl[first] + 1).astype("datetime64[D]") + rng.integers(1, 8, n)
    pending = lines.decl[first] > LAST - config.PENDING_MONTHS
    termijn = rng.integers(10, 26, n)
    laatste = (dag + termijn)[~pending].max() if (~pending).any() else None
    late = np.array([aanbieders[int(a)].laat_declarerend for a in aanb[first]], dtype=bool)
    answered_by = LAST.astype("datetime64[D]") - 1  # an answered 323 goes out before the last month
    dag = np.where(late, np.minimum(dag + LAAT_DAGEN, np.where(pending, dag.max(), answered_by)), dag)
    termijn = termijn + np.where(gemeente_op(entity[first], dag) == laat_antwoordend, LAAT_DAGEN, 0)
    antwoord = np.where(pending, np.datetime64("NaT", "D"),
                        dag + termijn if laatste is None else np.minimum(dag + termijn, laatste))
    ref = np.array([f"R{region_no}{i:010d}" for i in range(1, len(aanb) + 1)])
    vorig = np.where(lines.vorig >= 0, ref[np.maximum(lines.vorig, 0)], "")
    return Declaraties(
        lines=lines, bsn=bsn, referentie=ref, vorig_ref=vorig, start=start, aanbieder=aanb[first],
        gemeente=gemeente_op(entity[first], dag), entity=entity[first], periode=month[first],
        dagtekening=dag, antwoord=antwoord,
        bericht_id=np.array([f"B{region_no}{i:08d}" for i in range(1, n + 1)]),
        nummer=np.array([f"D{region_no}{i:08d}" for i in range(1, n + 1)]),
    )

