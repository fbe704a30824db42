"""``DemoSummary``: what :func:`analysis.demo.generate` wrote, counted from the data it wrote."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.demo.tables import approved


@dataclass
class DemoSummary:
    """Counts of a demo run. Spend is approved (toegekend) spend: lines of answered 323s that the
    325 did not reject, debit minus credit, by year of the ProductPeriode begin. Clients are distinct
    BSNs with an approved debit line in that year. Pending lines (no 325 yet) are not approved."""

    out: str
    seed: int
    scale: float
    files: dict[str, int] = field(default_factory=dict)  # kind -> files written (duplicate included)
    bytes_written: int = 0
    declaration_lines: int = 0  # Prestaties in distinct 323 messages (the duplicate copy not counted)
    rejected_lines: int = 0
    credit_lines: int = 0
    pending_lines: int = 0
    clients: dict[str, dict[int, int]] = field(default_factory=dict)  # region -> year -> clients
    approved_cents: dict[str, dict[int, int]] = field(default_factory=dict)  # region -> year -> cents
    scan_respondents: dict[str, int] = field(default_factory=dict)  # region -> maturity-scan respondents
    duplicate: list[str] = field(default_factory=list)  # relative path of the copy and its original
    notes: list[str] = field(default_factory=list)  # where to find the imperfections

    @property
    def approved_eur(self) -> dict[str, dict[int, float]]:
        """Approved spend in EUR per region and year."""
        return {r: {y: c / 100 for y, c in years.items()} for r, years in self.approved_cents.items()}

    def add_region(self, region: str, lines: pd.DataFrame) -> None:
        """Add the line counts, clients and approved spend of one region."""
        self.declaration_lines += len(lines)
        self.rejected_lines += int(lines["afgewezen"].sum())
        self.credit_lines += int(lines["credit"].sum())
        self.pending_lines += int(lines["pending"].sum())
        ok = approved(lines)
        self.approved_cents[region] = {int(y): int(c) for y, c in ok.groupby("jaar")["cents"].sum().items()}
        debit = ok[~ok["credit"]]
        self.clients[region] = {int(y): int(n) for y, n in debit.groupby("jaar")["bsn"].nunique().items()}

    def __str__(self) -> str:
        lines = [f"Demo in {self.out} (seed {self.seed}, scale {self.scale}): "
                 f"{sum(self.files.values())} files, {self.bytes_written / 1e6:.1f} MB"]
        lines += [f"  {kind:<14} {n:>9,}" for kind, n in sorted(self.files.items())]
        lines.append(f"  declaration lines {self.declaration_lines:,} (rejected {self.rejected_lines:,}, "
                     f"credit {self.credit_lines:,}, pending {self.pending_lines:,})")
        for region, years in self.approved_cents.items():
            for year, cents in sorted(years.items()):
                lines.append(f"  {region:<20} {year}  clients {self.clients[region].get(year, 0):>7,}  "
                             f"approved EUR {cents / 100:>16,.2f}")
        lines += [f"  {region:<20} maturity scan: {n:,} respondents" for region, n in self.scan_respondents.items()]
        lines += [f"  duplicate: {d}" for d in self.duplicate] + [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)
