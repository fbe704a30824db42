"""``reports --scheduler``: a real Dask distributed cluster (a scheduler and two worker processes) started here
runs the reports; run.json names the worker of each report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from test_runner import stand_in, stand_ins  # noqa: F401 - stand_ins is a fixture

from analysis import cli

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      scheduler_port=0) as local:
        yield local


def test_reports_run_on_the_cluster_and_run_json_names_the_workers(cluster, stand_ins: Path, injected_warehouse: Path,
                                                                   tmp_path: Path, monkeypatch) -> None:
    shutil.copy(REPO / "notebooks" / "uitgaven.ipynb", stand_ins / "uitgaven.ipynb")  # one real report
    out = tmp_path / "out"
    monkeypatch.setenv("INKOOPMONITOR_SCHEDULER", cluster.scheduler_address)  # as a cron job would set it
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "GM0373", "--notebooks", str(stand_ins)])
    record = json.loads((out / "run.json").read_text())
    assert code == 0, [r["fouten"] for r in record["rapporten"]]
    assert record["uitvoering"] == f"dask {cluster.scheduler_address}"
    names = {str(w.name) for w in cluster.workers.values()}
    assert names == {"0", "1"}
    assert len(record["rapporten"]) == 3 * 2 + 3 and {r["waar"] for r in record["rapporten"]} <= names
    assert all(r["waar"] for r in record["rapporten"])
    real = [r for r in record["rapporten"] if r["notebook"] == "uitgaven"]
    for r in real:
        audit = nbformat.read(out / r["ipynb"], as_version=4)
        assert audit.metadata.papermill.parameters["gemeente"] == r["code"]
        assert len([c for c in audit.cells if c.cell_type == "code"]) > 10 and r["kerncijfers"]  # the real notebook
        assert (out / r["html"]).is_file()
    assert "Dask-cluster" in (out / "run.log").read_text()


def test_a_broken_report_fails_alone_on_the_cluster(cluster, stand_ins: Path, injected_warehouse: Path,
                                                    tmp_path: Path) -> None:
    stand_in(stand_ins, "prognose", body="raise RuntimeError('prognose kapot')")
    out = tmp_path / "out"
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "--notebooks", str(stand_ins), "--scheduler", cluster.scheduler_address])
    record = json.loads((out / "run.json").read_text())
    status = {r["notebook"]: (r["status"], r["fouten"]) for r in record["rapporten"]}
    assert code == 1
    assert status["prognose"] == ("mislukt", ["cel 4: fout RuntimeError: prognose kapot"])
    assert [s for s, _ in status.values()].count("gepubliceerd") == 5


def test_isolated_is_refused_with_a_scheduler(stand_ins: Path, injected_warehouse: Path, tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(tmp_path), "--notebooks",
                     str(stand_ins), "--scheduler", "tcp://127.0.0.1:1", "--isolated"])
    assert code == 2 and "--isolated is for the local pool" in caplog.text


def _kernels(dask_worker) -> tuple[int, bool]:
    """In a Dask worker: (kernels its warm worker started, whether a run registered the plugin)."""
    from analysis import dask_run

    werker = dask_run._werkers.get(dask_worker.address)
    return (werker.kernels if werker else -1), dask_run.NAAM in dask_worker.plugins


def test_a_worker_started_with_the_preload_is_warm_before_the_run_and_serves_it(
        stand_ins: Path, injected_warehouse: Path, tmp_path: Path) -> None:
    """``dask worker --preload analysis.dask_run``: the kernel starts with the worker; the run finds it and
    registers no plugin of its own, and the preloaded kernel runs every report."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_port=0,
                      preload=["analysis.dask_run"]) as local, Client(local) as client:
        assert list(client.run(_kernels).values()) in ([(0, False)], [(1, False)])  # warming up, or warm
        out = tmp_path / "out"
        code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                         "--notebooks", str(stand_ins), "--scheduler", local.scheduler_address])
        record = json.loads((out / "run.json").read_text())
        assert code == 0, [r["fouten"] for r in record["rapporten"]]
        # GM0361's three reports and its region's three (regio, datakwaliteit, volwassenheid)
        assert len(record["rapporten"]) == 3 + 3 and {r["waar"] for r in record["rapporten"]} == {"0"}
        assert list(client.run(_kernels).values()) == [(1, False)]
