"""A larger region made from a demo: its iStandaard messages copied ``copies`` times, each copy in
other gemeenten.

Copy 1 is the demo itself (hard links, every source). Every further copy holds the demo's
messages again, with the demo's gemeente codes replaced by other existing gemeenten (different for
each copy) and the message and declaratie identifiers made unique for the copy by one leading
character (the demo's have 11, the XSD allows 12), so the build loads them as new data, not as
duplicates or repeats. Contracts, budgets and surveys are not copied: the
copies' aanbieders are the demo's, whose contracts are there.

The copies' gemeenten get declarations, allocations and answers; a report on one of the demo's own
gemeenten sees exactly the demo's data in a warehouse ``copies`` times as large.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis import reference
from analysis.demo.config import REGIONS
from analysis.warehouse.load import raw_files

_GEMEENTE = re.compile(rb"(<(?:\w+:)?(?:Afzender|Ontvanger)>)(\d{4})(</)")
_IDENTIFIER = re.compile(rb"(<(?:\w+:)?(?:Identificatie|DeclaratieNummer)>)")


def demo_codes() -> list[str]:
    """The four-digit codes the demo's messages use (merged-away gemeenten included)."""
    return sorted({g.code for region in REGIONS for g in region.gemeenten})


def gemeente_maps(copies: int) -> list[dict[bytes, bytes]]:
    """For copy 2..``copies``: demo code -> a current gemeente outside the demo regions.

    Codes are taken in order from the current gemeenten that were never merged and lie outside
    the demo's regions, so no two copies share a gemeente.
    """
    own = set(demo_codes())
    rebase = reference.rebase_tabel()
    merged = set(rebase.loc[rebase.gemeente_code != rebase.gemeente_code_huidig, "gemeente_code_huidig"])
    pool = [c[2:] for c in sorted(reference.gemeenten().gemeente_code) if c[2:] not in own and c not in merged]
    codes = demo_codes()
    need = len(codes) * (copies - 1)
    if need > len(pool):
        raise ValueError(f"{copies} copies need {need} other gemeenten; there are {len(pool)}")
    return [{old.encode(): pool[(k * len(codes)) + i].encode() for i, old in enumerate(codes)}
            for k in range(copies - 1)]


def rewrite(data: bytes, codes: dict[bytes, bytes], tag: bytes) -> bytes:
    """One message as it reads in a copy: gemeente codes mapped, identifiers prefixed with ``tag``."""
    data = _GEMEENTE.sub(lambda m: m.group(1) + codes.get(m.group(2), m.group(2)) + m.group(3), data)
    return _IDENTIFIER.sub(lambda m: m.group(1) + tag, data)


_TAGS = "BCDEFGHJKLMNPQRSUVWXYZ"


def copy_tag(k: int) -> bytes:
    """The character that leads the identifiers of copy ``k`` (2, 3, ...): one, so that they stay
    within the 12 characters of LDT_IdentificatieBericht; the demo's own start with A, B, D, E, S or T
    followed by a digit, so a copy's (two letters) never meet them."""
    return _TAGS[k - 2].encode()


def _write_copy(job: tuple[str, str, list[str], dict[bytes, bytes], str, bytes]) -> int:
    raw, out, rels, codes, name, tag = job
    made = set()
    for rel in rels:
        target = os.path.join(out, "istandaard", name, rel.partition("/")[2])
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(os.path.join(raw, rel), "rb") as src, open(target, "wb") as dst:
            dst.write(rewrite(src.read(), codes, tag))
    return len(rels)


def replicate(raw: Path, out: Path, copies: int, *, workers: int = 1,
              progress: Callable[[str], None] = lambda _: None) -> int:
    """Write ``copies`` copies of the demo in ``raw`` into ``out`` (which must not exist); files written."""
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    if out.exists():
        raise FileExistsError(f"{out}: exists; remove it first")
    files = list(raw_files(raw))
    for rel in files:  # copy 1: the demo itself
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(raw / rel, target)
    messages = [rel for rel in files if rel.startswith("istandaard/")]
    jobs = []
    for k, codes in enumerate(gemeente_maps(copies), start=2):
        name = f"K{k:02d}"
        jobs += [(str(raw), str(out), messages[i:i + 20_000], codes, name, copy_tag(k))
                 for i in range(0, len(messages), 20_000)]
    written = len(files)
    if workers <= 1:
        for job in jobs:
            written += _write_copy(job)
            progress(f"{written:,} files")
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for n in pool.map(_write_copy, jobs):
                written += n
                progress(f"{written:,} files")
    return written
