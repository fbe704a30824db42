"""Wall time and peak memory of a command, counted over its whole process tree.

Memory is the peak of the summed proportional set size (PSS) of the process and all its
descendants, sampled every ``interval`` seconds: worker processes count, and pages they share
with their parent are not counted twice. Where PSS cannot be read, RSS is used.

Reading PSS is not free: one sample of a report run's tree (the runner, two pool workers, two warm
kernels of 500-600 MB each) took 33 ms of CPU and 59 ms of wall time here, so sampling every 0.1 s took
a fifth of one of the two cores from the command it measured. The sampler therefore waits at least
:data:`COST_FACTOR` times as long as its last sample took (:func:`next_wait`): it takes at most about 5%
of one core, and a longer gap only where the tree is large, which is where memory changes slowly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
COST_FACTOR = 20
"""The sampler waits at least this many times the duration of its last sample (see the module's docstring)."""


def next_wait(interval: float, cost: float) -> float:
    """Seconds until the next sample: ``interval``, or ``COST_FACTOR`` times the last sample's ``cost``
    when that is longer."""
    return max(interval, COST_FACTOR * cost)


@dataclass(frozen=True)
class Measured:
    """What one command cost: wall seconds, peak MB over its process tree, and its exit code."""

    seconds: float
    peak_mb: float
    returncode: int


class CommandFailed(RuntimeError):
    """A measured command exited with an error; the message names it and its log."""


def tree_memory(process: psutil.Process) -> int:
    """Bytes in use by ``process`` and its descendants now (PSS, else RSS)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            info = member.memory_full_info()
            total += getattr(info, "pss", 0) or info.rss
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        except psutil.AccessDenied:
            try:
                total += member.memory_info().rss
            except psutil.Error:
                continue
    return total


class PeakSampler:
    """Samples a process tree's memory in a thread until stopped; ``peak`` in bytes."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.process, self.interval, self.peak = psutil.Process(pid), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.perf_counter()
            self.peak = max(self.peak, tree_memory(self.process))
            self._stop.wait(next_wait(self.interval, time.perf_counter() - start))


def run_measured(command: Sequence[str], *, log: Path, env: Mapping[str, str] | None = None,
                 cwd: Path | None = None, check: bool = True) -> Measured:
    """Run ``command`` with its output in ``log``; its wall time and peak memory.

    With ``check``, a non-zero exit raises CommandFailed naming the command and the log.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                env={**os.environ, **(env or {})})
        with PeakSampler(proc.pid) as sampler:
            returncode = proc.wait()
        seconds = time.perf_counter() - start
    if check and returncode != 0:
        raise CommandFailed(f"{' '.join(map(str, command))} exited with {returncode}; see {log}")
    return Measured(seconds, sampler.peak / MB, returncode)


def product(*args: str) -> list[str]:
    """The command line of the product's CLI in this interpreter: ``python -m analysis ARGS``."""
    return [sys.executable, "-m", "analysis", *args]


def logged(work: Path) -> Callable[[str, Sequence[str]], Measured]:
    """A ``measure(name, command)``: :func:`run_measured` with the command's output in ``work/logs/NAME.log``."""
    return lambda name, command: run_measured(command, log=work / "logs" / f"{name}.log")
