"""Deterministic demo data in the real formats for the two regions of the plan.

``generate(out, scale=0.1, seed=2026)`` writes ``out/`` in the layout of ``data/raw/README.md``:
iJw / iWmo 3.2 XML messages, contracts, Iv3 JSON, income, inhabitants and satisfaction CSVs, and
the answers of the maturity scans. Same seed and scale give byte-identical files. Modules:
``config`` (the demo's world), ``market`` (aanbieders, contracts, tariffs), ``population`` (clients,
trajectories, lines), ``declarations`` (lines grouped into 323s), ``messages`` (XML), ``tables``
(other files), ``volwassenheid`` (maturity scans), ``summary``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.demo import config, declarations, market, messages, population, tables, volwassenheid
from analysis.demo.config import Region
from analysis.demo.summary import DemoSummary

__all__ = ["DemoSummary", "generate"]

STREAMS = ("bsn", "market", "clients", "trajectories", "lines", "declarations", "messages", "tables",
           "volwassenheid")


def _rng(seed: int, region_no: int, stream: str) -> np.random.Generator:
    """An independent generator per (seed, region, purpose): one part never shifts another."""
    return np.random.default_rng(np.random.SeedSequence([seed, region_no, STREAMS.index(stream)]))


def generate(out: Path, *, scale: float = 0.1, seed: int = 2026) -> DemoSummary:
    """Write the demo under ``out`` and return what was written. ``scale`` 1 is a real region's size
    (about EUR 130 million a year, 800 contracts, 10,000+ clients for Noord-Kennemerland)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out = Path(out)
    summary = DemoSummary(out=str(out), seed=seed, scale=scale)
    bsns = population.bsn_pool(_rng(seed, 0, "bsn"), _bsn_need(scale))
    shared: dict[str, str] = {}
    for region_no, region in enumerate(config.REGIONS, start=1):
        bsns = _region(out, region, region_no, scale, seed, bsns, shared, summary)
    return summary


def _bsn_need(scale: float) -> int:
    """An upper bound on the number of clients of both regions (the pool is cheap)."""
    return int(600_000 * scale) + 2_000


def _region(out: Path, region: Region, region_no: int, scale: float, seed: int, bsns: np.ndarray,
            shared: dict[str, str], summary: DemoSummary) -> np.ndarray:
    """Generate and write one region; returns the BSNs not used yet."""
    rng_market = _rng(seed, region_no, "market")
    aanbieders = market.aanbieders(region, scale=scale, rng=rng_market, shared=shared)
    tarieven = market.tarieven(rng_market)
    cl = population.clients(region, _rng(seed, region_no, "clients"), scale, bsns)
    tr = population.trajectories(cl, aanbieders, _rng(seed, region_no, "trajectories"))
    lines = population.all_lines(tr, aanbieders, tarieven, _rng(seed, region_no, "lines"))
    dc = declarations.group(lines, tr, cl, aanbieders, region_no=region_no,
                            rng=_rng(seed, region_no, "declarations"))
    rng_msg = _rng(seed, region_no, "messages")
    summary.bytes_written += messages.client_messages(out, region, region_no, tr, cl, aanbieders, rng_msg,
                                                      summary.files)
    size, paths = messages.declaration_messages(out, region, dc, tr, aanbieders, summary.files)
    summary.bytes_written += size
    frame = tables.line_frame(dc, tr, aanbieders)
    summary.add_region(region.naam, frame)
    _tables(out, region, aanbieders, tarieven, frame, _rng(seed, region_no, "tables"), summary)
    _scan(out, region, aanbieders, _rng(seed, region_no, "volwassenheid"), summary)
    if region.prefix == "NK":
        _duplicate(out, paths, summary)
    _notes(region, aanbieders, summary)
    return bsns[len(cl.bsn):]


def _tables(out: Path, region: Region, aanbieders: list[market.Aanbieder], tarieven: dict,
            frame, rng: np.random.Generator, summary: DemoSummary) -> None:
    """Contracts, Iv3, income, inhabitants and satisfaction files of one region."""
    contracts = tables.with_plafond(market.contracts(region, aanbieders, rng=rng), frame, rng)
    rows = tables.contract_rows(contracts, tarieven)
    if region.prefix == "NK":
        path = out / "contracten" / region.slug / "contracten.xlsx"
        tables.write_xlsx(path, rows)
        written = [path]
    else:
        written = tables.write_contract_csvs(out / "contracten" / region.slug, rows)
    _count(summary, "contracten", written)
    _count(summary, "iv3", tables.write_iv3(out, region, frame, rng))
    _count(summary, "inkomsten", [tables.write_income(out, region, frame, rng)])
    _count(summary, "inwoners", [tables.write_inwoners(out, region)])
    _count(summary, "tevredenheid", [tables.write_satisfaction(out, region, frame, aanbieders, rng)])


def _scan(out: Path, region: Region, aanbieders: list[market.Aanbieder], rng: np.random.Generator,
          summary: DemoSummary) -> None:
    """The maturity-scan export of one region (not scaled: a questionnaire, not a volume)."""
    path, respondents, flaw = volwassenheid.write_scan(out, region, aanbieders, rng)
    _count(summary, "volwassenheid", [path])
    summary.scan_respondents[region.naam] = respondents
    summary.notes.append(f"{region.naam}: {flaw}")


def _count(summary: DemoSummary, kind: str, paths: list[Path]) -> None:
    """Add written files to the summary's file counts and byte total."""
    summary.files[kind] = summary.files.get(kind, 0) + len(paths)
    summary.bytes_written += sum(p.stat().st_size for p in paths)


def _duplicate(out: Path, paths: list[Path], summary: DemoSummary) -> None:
    """Deliver one 323 of the middle of the series twice (a byte-identical copy, another name)."""
    original = paths[len(paths) // 2]
    copy = messages.duplicate(original)
    kind = copy.parent.parent.name
    summary.files[kind] += 1
    summary.bytes_written += copy.stat().st_size
    summary.duplicate += [str(copy.relative_to(out)), str(original.relative_to(out))]


def _notes(region: Region, aanbieders: list[market.Aanbieder], summary: DemoSummary) -> None:
    """Where the deliberate imperfections of this region are."""
    for a in aanbieders:
        if a.stopt:
            summary.notes.append(f"{region.naam}: {a.naam} (AGB {a.agb}) stops on {a.stopt}; its "
                                 f"trajectories end with reden 38 and continue at other aanbieders")
        if a.tarief_opslag:
            summary.notes.append(f"{region.naam}: {a.naam} (AGB {a.agb}) declares {a.tarief_opslag:.0%} above "
                                 f"contract from {market.AFWIJKING_VANAF} (some lines rejected with 0611)")
