"""Warm workers: a report run after another one in the same kernel gives what it gives in a fresh kernel.

Each test runs a notebook once in a fresh kernel (``werker.execute``, the ``--isolated`` path) and once
in a :class:`analysis.werker.Werker` after another notebook that changed what it could of the kernel,
then compares every code cell's execution count and outputs: text, HTML and the PNG bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from test_runner import stand_in, stand_ins  # noqa: F401 - stand_ins is a fixture

from analysis import cli, runner, werker
from analysis.jobs import Job
from analysis.werker import Werker

REPO = Path(__file__).resolve().parents[1]

POLLUTE = """
import os, sys, warnings
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
import pandas as pd
geheim = 42
sns.set_theme(style="darkgrid", font_scale=2)
plt.rcParams["lines.linewidth"] = 9
warnings.simplefilter("ignore")
sys.path.insert(0, "/nergens")
np.random.seed(1)
get_ipython().display_formatter.formatters["text/html"].for_type(pd.DataFrame, lambda df: "<b>gelekt</b>")
plt.figure()
os.chdir("/")
"""
PROBE = """
import os, sys, warnings
import numpy as np
import matplotlib.pyplot as plt
import pandas as pd
print("geheim" in globals(), plt.rcParams["lines.linewidth"], plt.rcParams["axes.facecolor"], plt.get_fignums())
print(os.path.basename(os.getcwd()), sys.path[0] == "/nergens",
      any(f[0] == "ignore" and f[1] is None and f[2] is Warning and f[3] is None for f in warnings.filters))
display(pd.DataFrame({"a": [1, 2]}))
fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
ax.plot([0, 1, 2], [0, 2, 1])
plt.show()
"""

FROZEN = "import gc\nprint(gc.get_freeze_count() > 100_000, len(gc.get_objects()) < 100_000)"
"""The warm-up's objects are out of the collector's sight (``gc.freeze``), so a collection walks only a report's."""


def _job(nb: Path, out: Path, gemeente: str = "GM0361") -> Job:
    params = {"gemeente": gemeente, "periode": "2025-12", "warehouse": "w.duckdb"}
    return Job(nb, "gemeente", gemeente, gemeente, "Noord-Kennemerland", params, out / f"{nb.stem}.ipynb",
               out / f"{nb.stem}.html")


def outputs(path: Path) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Every code cell's execution count and outputs (type, stream name, text, data), nothing else."""
    nb = nbformat.read(path, as_version=4)
    keep = ("output_type", "name", "text", "data", "ename", "evalue", "execution_count")
    return [(c.execution_count, [{k: o[k] for k in keep if k in o} for o in c.outputs])
            for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def warm_and_fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The probe in a fresh kernel, and in one warm worker after the polluter (twice, the second time after a
    fresh kernel took over: ``recycle=2``)."""
    tmp = tmp_path_factory.mktemp("werker")
    probe = stand_in(tmp / "probe", "uitgaven", body=PROBE)
    polluter = stand_in(tmp / "polluter", "prognose", body=POLLUTE)
    frozen = stand_in(tmp / "frozen", "aanbieders", body=FROZEN)
    fresh = werker.execute(_job(probe, tmp / "fresh"))
    w = Werker(recycle=2, naam="proef")
    try:
        results = [w.execute(_job(nb, tmp / f"warm{i}")) for i, nb in enumerate([polluter, probe, polluter, probe])]
        kernels = w.kernels
        gc_warm = w.execute(_job(frozen, tmp / "gc-warm"))
    finally:
        w.close()
    return {"fresh": fresh, "warm": results, "kernels": kernels, "gc_warm": gc_warm,
            "gc_fresh": werker.execute(_job(frozen, tmp / "gc-fresh"))}


def test_a_notebook_after_another_in_a_warm_kernel_gives_the_fresh_kernels_outputs(warm_and_fresh) -> None:
    fresh, warm = warm_and_fresh["fresh"], warm_and_fresh["warm"]
    assert fresh.ok and all(r.ok for r in warm), [r.fouten for r in [fresh, *warm]]
    expected = outputs(fresh.job.ipynb)
    lines = "".join(expected[2][1][0]["text"]).splitlines()  # parameters, injected parameters, then the probe
    assert lines[0] == "False 1.5 white []"  # matplotlib's own defaults: nothing set before
    assert lines[1] == "probe False False"
    assert any("image/png" in o.get("data", {}) for _, outs in expected for o in outs)
    assert [c[0] for c in expected] == list(range(1, len(expected) + 1))  # counted from 1, as in a fresh kernel
    assert outputs(warm[1].job.ipynb) == expected
    assert outputs(warm[3].job.ipynb) == expected


def test_the_polluter_really_changes_the_kernel(warm_and_fresh, tmp_path: Path) -> None:
    """Without putting the kernel back the probe would see the polluter's state: the comparison can fail."""
    polluter = warm_and_fresh["warm"][0].job.notebook
    leaky = stand_in(tmp_path / "leaky", "prognose", body=POLLUTE + "\n" + PROBE)
    result = werker.execute(_job(leaky, tmp_path / "out"))
    text = "".join(outputs(result.job.ipynb)[2][1][0]["text"])
    assert text.splitlines()[0] == "True 9.0 #EAEAF2 [1]" and text.splitlines()[1] == " True True"
    assert polluter.is_file()


def test_a_warm_worker_records_itself_and_takes_a_fresh_kernel_after_recycle_reports(warm_and_fresh) -> None:
    assert [r.waar for r in warm_and_fresh["warm"]] == ["proef"] * 4
    assert [r.kernel for r in warm_and_fresh["warm"]] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert warm_and_fresh["kernels"] == 2  # four reports, a fresh kernel after two
    assert warm_and_fresh["fresh"].waar.endswith(f"(pid {__import__('os').getpid()})")


def test_a_warm_kernel_keeps_its_warm_up_out_of_the_garbage_collectors_sight(warm_and_fresh) -> None:
    """``kernelstaat.bewaar`` freezes the imports' objects: each of the two full collections that putting the kernel
    back runs (``%reset``'s and its own) then walks only what a report made, not some 300,000 objects."""
    warm, fresh = warm_and_fresh["gc_warm"], warm_and_fresh["gc_fresh"]
    assert warm.ok and fresh.ok, [warm.fouten, fresh.fouten]
    assert "".join(outputs(warm.job.ipynb)[2][1][0]["text"]) == "True True\n"
    assert "".join(outputs(fresh.job.ipynb)[2][1][0]["text"]) == "False True\n"  # a fresh kernel freezes nothing


def test_a_report_that_kills_its_kernel_fails_alone_and_the_next_gets_a_fresh_kernel(tmp_path: Path) -> None:
    dies = stand_in(tmp_path / "dies", "prognose", body="import os\nos._exit(3)")
    fine = stand_in(tmp_path / "fine", "uitgaven")
    w = Werker(recycle=10)
    try:
        first, second = w.execute(_job(fine, tmp_path / "a")), w.execute(_job(dies, tmp_path / "b"))
        third = w.execute(_job(fine, tmp_path / "c"))
        kernels = w.kernels
    finally:
        w.close()
    assert first.ok and third.ok and not second.ok
    assert second.fouten[0].startswith("uitvoeren mislukt: DeadKernelError"), second.fouten
    assert kernels == 2


def test_a_real_report_after_another_in_a_warm_kernel_gives_the_same_figures_and_tables(
        injected_warehouse: Path, tmp_path: Path) -> None:
    facts = runner.warehouse_facts(injected_warehouse)
    jobs = runner.plan(injected_warehouse, tmp_path / "fresh", notebooks=REPO / "notebooks", periode="2025-12",
                       gemeenten=runner.select_gemeenten(facts, ["GM0361", "GM0373"]))
    by_label = {j.label: j for j in jobs}
    fresh = werker.execute(by_label["uitgaven GM0361"])
    warm_jobs = runner.plan(injected_warehouse, tmp_path / "warm", notebooks=REPO / "notebooks", periode="2025-12",
                            gemeenten=runner.select_gemeenten(facts, ["GM0361", "GM0373"]))
    warm_by_label = {j.label: j for j in warm_jobs}
    w = Werker()
    try:
        before = w.execute(warm_by_label["prognose GM0373"])
        after = w.execute(warm_by_label["uitgaven GM0361"])
    finally:
        w.close()
    assert fresh.ok and before.ok and after.ok, [fresh.fouten, before.fouten, after.fouten]
    expected, got = outputs(fresh.job.ipynb), outputs(after.job.ipynb)
    pngs = [o["data"]["image/png"] for _, outs in expected for o in outs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3
    assert got == expected
    assert after.kerncijfers == fresh.kerncijfers and after.kerncijfers


def test_reports_isolated_and_warm_publish_the_same_pages(stand_ins: Path, injected_warehouse: Path,
                                                           tmp_path: Path) -> None:
    records = {}
    for mode in ("--isolated", None):
        out = tmp_path / (mode or "warm").strip("-")
        code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                         "--notebooks", str(stand_ins), "--workers", "2", *([mode] if mode else [])])
        records[mode] = json.loads((out / "run.json").read_text())
        assert code == 0
    isolated, warm = records["--isolated"], records[None]
    assert isolated["uitvoering"] == "isolated" and warm["uitvoering"] == "warm"
    # two workers, each named with its pid
    assert len({r["waar"] for r in warm["rapporten"]}) <= 2
    assert all(r["waar"].startswith("ForkProcess-") and "(pid " in r["waar"] for r in warm["rapporten"])
    assert len({r["waar"] for r in isolated["rapporten"]}) <= 2  # the pool's processes; the kernels were fresh
    # a warm kernel's memory after each report (an IPython kernel holds at least some tens of MB); none for a
    # fresh kernel, which is gone by then
    assert all(30 < r["kernel_mb"] < 4000 for r in warm["rapporten"]), [r["kernel_mb"] for r in warm["rapporten"]]
    assert all(r["kernel_mb"] is None and r["kernel"] is None for r in isolated["rapporten"])
    places: dict[str, list[tuple[int, int]]] = {}  # per worker: one kernel, its reports counted 1, 2, ...
    for r in warm["rapporten"]:
        places.setdefault(r["waar"], []).append(tuple(r["kernel"]))
    assert all(sorted(p) == [(1, n) for n in range(1, len(p) + 1)] for p in places.values()), places
    for a, b in zip(isolated["rapporten"], warm["rapporten"]):
        assert (a["notebook"], a["status"], a["html"]) == (b["notebook"], b["status"], b["html"])
        assert outputs(tmp_path / "isolated" / a["ipynb"]) == outputs(tmp_path / "warm" / b["ipynb"])


def test_a_warm_kernel_imports_every_product_module_a_report_notebook_imports():
    """What a notebook imports from the product is paid once, at the warm-up, not by a worker's first report."""
    import re

    root = Path(__file__).resolve().parents[1] / "notebooks"
    imported = set()
    for path in sorted(root.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for names in re.findall(r"^from analysis import (.+)$", cell.source if cell.cell_type == "code" else "",
                                    flags=re.M):
                imported |= {f"analysis.{n.strip()}" for n in names.split(",")}
    assert "analysis.datakwaliteit" in imported and "analysis.report" in imported
    assert imported <= set(werker.WARM_IMPORTS)


class _Channel:
    """A kernel client's channel: hands out its messages in turn, ``None`` being a wait that got nothing
    (``queue.Empty``), and nothing once they are used up."""

    def __init__(self, *messages: dict | None) -> None:
        self.messages = list(messages)

    def get_msg(self, timeout: float) -> dict:
        from queue import Empty

        message = self.messages.pop(0) if self.messages else None
        if message is None:
            raise Empty
        return message


class _Client:
    def __init__(self, shell: list[dict | None], iopub: list[dict | None], *, alive: bool = True) -> None:
        self.shell_channel, self.iopub_channel, self.asked = _Channel(*shell), _Channel(*iopub), 0
        self.alive = alive

    def kernel_info(self) -> None:
        self.asked += 1

    def is_alive(self) -> bool:
        return self.alive


def test_a_new_client_is_ready_once_shell_and_iopub_answer_without_waiting_for_quiet() -> None:
    import asyncio

    from analysis.werker import WerkerError, _client_ready

    info, status = {"msg_type": "kernel_info_reply"}, {"msg_type": "status"}
    # no answer, then another request's reply, then the kernel_info reply while IOPub is not connected yet, then
    # both: asked four times; what else is on IOPub stays there for nbclient to pass by
    kc = _Client(shell=[None, {"msg_type": "execute_reply"}, info, info], iopub=[None, status, status])
    asyncio.run(_client_ready(kc, timeout=5))
    assert kc.asked == 4 and kc.shell_channel.messages == [] and kc.iopub_channel.messages == [status]
    silent = _Client(shell=[], iopub=[])  # a kernel that never answers: a clear error, not a hang
    with pytest.raises(WerkerError, match="did not answer a new client"):
        asyncio.run(_client_ready(silent, timeout=0.05))
    dead = _Client(shell=[], iopub=[], alive=False)  # a dead kernel: said at once, not after the timeout
    with pytest.raises(WerkerError, match="the kernel died"):
        asyncio.run(_client_ready(dead, timeout=60))
    assert dead.asked == 1
