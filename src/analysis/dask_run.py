"""The reports on an existing Dask distributed cluster (``inkoopmonitor reports --scheduler tcp://HOST:PORT``).

Each Dask worker keeps one warm kernel (:class:`analysis.werker.Werker`, the same as a local worker), made
by :class:`WerkerPlugin` when the run registers it, or already when the worker starts with
``dask worker --preload analysis.dask_run`` (:func:`dask_setup`). A job is one task; it runs papermill,
the checks and the publishing on the worker, so the worker must see the warehouse, the notebooks and the
output folder at the paths of the run (a shared disk). The result names the worker (``waar``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from distributed import Client, WorkerPlugin, as_completed, get_worker

from analysis.jobs import MISLUKT, Job, Result
from analysis.werker import RECYCLE, Werker

log = logging.getLogger("inkoopmonitor.runner")

NAAM = "inkoopmonitor-werker"
_werkers: dict[str, Werker] = {}
"""This Dask worker process's warm worker, by the Dask worker's address (one per worker)."""


class WerkerPlugin(WorkerPlugin):
    """Gives a Dask worker its warm worker on setup (the kernel warms up in the background) and stops it on
    teardown. Registered by a run that finds a worker without one; a worker that has one (from an earlier
    run, or ``--preload``) keeps it."""

    name = NAAM

    def __init__(self, recycle: int = RECYCLE) -> None:
        self.recycle = recycle

    def setup(self, worker: Any) -> None:
        if worker.address not in _werkers:
            werker = Werker(recycle=self.recycle, naam=str(worker.name))
            werker.start()
            _werkers[worker.address] = werker

    def teardown(self, worker: Any) -> None:
        werker = _werkers.pop(worker.address, None)
        if werker is not None:
            werker.close()


def dask_setup(worker: Any) -> None:
    """``dask worker --preload analysis.dask_run``: the warm kernel starts with the worker, before any run."""
    WerkerPlugin().setup(worker)


def dask_teardown(worker: Any) -> None:
    """The preload's other half: the warm kernel stops when the worker closes (a run's plugin may have
    stopped it already)."""
    WerkerPlugin().teardown(worker)


def execute_on_worker(job: Job) -> Result:
    """The task: run ``job`` in this Dask worker's warm worker (made here if no plugin made one)."""
    worker = get_worker()
    if worker.address not in _werkers:
        WerkerPlugin().setup(worker)
    return _werkers[worker.address].execute(job)


def _has_werker(dask_worker: Any) -> bool:
    return dask_worker.address in _werkers


def run_on_cluster(jobs: Mapping[int, Job], scheduler: str, *, recycle: int = RECYCLE,
                   timeout: float = 30) -> Iterator[tuple[int, Result]]:
    """(index, result) of every job as it finishes on the cluster at ``scheduler``."""
    with Client(scheduler, timeout=timeout) as client:
        if not all(client.run(_has_werker).values()):  # a warm worker from an earlier run or --preload stays warm
            client.register_plugin(WerkerPlugin(recycle), name=NAAM)
        names = sorted(str(w.get("name")) for w in client.scheduler_info().get("workers", {}).values())
        log.info("Dask-cluster %s: %d worker(s): %s", scheduler, len(names), ", ".join(names))
        futures = {client.submit(execute_on_worker, job, key=f"rapport-{i}-{job.label.replace(' ', '-')}",
                                 pure=False): i for i, job in jobs.items()}
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker or a task error fails that job only
                yield i, Result(jobs[i], MISLUKT, [f"op het cluster mislukt: {type(exc).__name__}: {exc}"])
