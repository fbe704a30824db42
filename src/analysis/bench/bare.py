"""The floor for parsing: a bare lxml ``iterparse`` pass that only extracts the fields of every
``Prestatie`` of the iStandaard messages, and does nothing else with them.

The build does everything this does (read each file, parse it, take the fields of each line) plus
the work the product is for: checks, pseudonyms, a load log, staging in DuckDB. Its time divided
by this pass's time says what that work costs.
"""

from __future__ import annotations

import io
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree


@dataclass(frozen=True)
class BarePass:
    """What the bare pass read: files, bytes, Prestatie elements, and its wall time."""

    files: int
    bytes: int
    prestaties: int
    seconds: float


def message_files(raw: Path) -> list[str]:
    """The iStandaard messages below ``raw`` (``istandaard/**/*.xml``), sorted, as paths."""
    return sorted(str(p) for p in (raw / "istandaard").rglob("*.xml"))


def parse_files(paths: list[str]) -> tuple[int, int]:
    """(bytes read, Prestatie elements) of ``paths``: each Prestatie's leaf texts into a dict."""
    size = lines = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        size += len(data)
        for _, element in etree.iterparse(io.BytesIO(data), events=("end",), tag="{*}Prestatie"):
            fields = {}
            for leaf in element.iter():
                if len(leaf) == 0:
                    fields[etree.QName(leaf).localname] = leaf.text
            lines += 1
            element.clear()
    return size, lines


def bare_pass(paths: list[str], *, workers: int = 1, chunk: int = 2_000) -> BarePass:
    """Parse ``paths`` in one process, or split over ``workers`` processes."""
    start = time.perf_counter()
    if workers <= 1:
        size, lines = parse_files(paths)
    else:
        chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(parse_files, chunks))
        size, lines = sum(r[0] for r in results), sum(r[1] for r in results)
    return BarePass(len(paths), size, lines, time.perf_counter() - start)


def warm(paths: list[str]) -> int:
    """Read every file once (untimed), so the timed passes that follow all find them in the page
    cache and none of them pays for the disk alone; the bytes read."""
    size = 0
    for path in paths:
        with open(path, "rb") as handle:
            size += len(handle.read())
    return size
