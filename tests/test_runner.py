"""The report runner: planning, failure isolation, the content checks, and a real run of the notebooks.

Fast tests use stand-in notebooks written into tmp (they follow the contract but import nothing
heavy, so a kernel run takes well under a second). ``board_run`` runs the repository's real
notebooks once per session for two gemeenten of one region on the fixture warehouse, with a
``<script>alert(1)</script>`` aanbieder name injected; test_publish and test_browser use it too.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from board import GEMEENTEN, INJECTED, PNG

from analysis import cli, runner
from analysis.forecast.model import FIT_CACHE
from analysis.jobs import GEMEENTE_NOTEBOOKS, REGIO_NOTEBOOKS, Job
from analysis.runner import (RunError, check_figures, check_no_errors, check_notebook, check_parameters, check_summary, parameter_problems)

REPO = Path(__file__).resolve().parents[1]


def stand_in(folder: Path, stem: str, *, body: str = "", tags: tuple[str, ...] = ("parameters",)) -> Path:
    """A contract-shaped notebook without heavy imports: parameters, summary, a figure (a tiny PNG)."""
    key, default = ("regio", "Noord-Kennemerland") if stem in REGIO_NOTEBOOKS else ("gemeente", "GM0361")
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_markdown_cell(f"# {stem}"),
        new_code_cell(f'{key}: str = "{default}"  # doel\nperiode: str = "2025-12"  # YYYY-MM\n'
                      f'warehouse: str = "w.duckdb"  # pad', metadata={"tags": list(tags)}),
        new_code_cell("import base64, html\nfrom IPython.display import HTML, Image\n" + body),
        new_code_cell(f'HTML(f"<section class=\\"samenvatting\\">{{html.escape({key})}}</section>")',
                      metadata={"tags": ["samenvatting"]}),
        new_code_cell(f'Image(data=base64.b64decode("{PNG}"), format="png")', metadata={"tags": ["figuur"]}),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{stem}.ipynb")
    return folder / f"{stem}.ipynb"


@pytest.fixture
def stand_ins(tmp_path: Path) -> Path:
    for stem in GEMEENTE_NOTEBOOKS + REGIO_NOTEBOOKS:
        stand_in(tmp_path / "notebooks", stem)
    return tmp_path / "notebooks"


# --- the real run -----------------------------------------------------------------------------------------

def test_real_run_publishes_every_report_with_its_parameters(board_run: tuple[Path, int],
                                                             injected_warehouse: Path) -> None:
    out, code = board_run
    record = json.loads((out / "run.json").read_text())
    failed = {f"{r['notebook']} {r['code']}": r["fouten"] for r in record["rapporten"] if r["status"] != "gepubliceerd"}
    assert failed == {} and code == 0
    assert record["periode"] == "2025-12" and record["datadatum"] == "2026-01-08"
    assert sorted({r["code"] for r in record["rapporten"]}) == [*GEMEENTEN, "Noord-Kennemerland"]
    assert len(record["rapporten"]) == 9 and all(r["duur_s"] > 0 for r in record["rapporten"])
    for r in record["rapporten"]:
        audit = nbformat.read(out / r["ipynb"], as_version=4)
        key = "regio" if r["soort"] == "regio" else "gemeente"
        assert audit.metadata.papermill.parameters == {key: r["code"], "periode": "2025-12",
                                                       "warehouse": str(injected_warehouse.resolve())}
        assert (out / r["html"]).is_file() and Path(r["html"]).parent == Path(r["ipynb"]).parent
    assert (out / "2025-12" / "noord-kennemerland" / "regio.html").is_file()
    assert (out / "2025-12" / "noord-kennemerland" / "volwassenheid.html").is_file()
    assert (out / "2025-12" / "noord-kennemerland" / "datakwaliteit.html").is_file()
    log = (out / "run.log").read_text()
    assert "KLAAR: 9 van 9 rapporten gepubliceerd, 0 mislukt" in log.splitlines()[-1]


# --- failures, with stand-in notebooks ------------------------------------------------------------------

def test_a_broken_notebook_fails_alone_and_the_exit_code_says_so(stand_ins: Path, injected_warehouse: Path,
                                                                 tmp_path: Path) -> None:
    stand_in(stand_ins, "prognose", body="raise RuntimeError('prognose kapot')")
    out = tmp_path / "out"
    stale = out / "2025-11" / "GM0361" / "prognose.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an old page from an earlier run")
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "--notebooks", str(stand_ins), "--period", "2025-11", "--workers", "2"])
    record = json.loads((out / "run.json").read_text())
    status = {r["notebook"]: r["status"] for r in record["rapporten"]}
    assert code == 1
    assert status == {"uitgaven": "gepubliceerd", "prognose": "mislukt", "aanbieders": "gepubliceerd",
                      "regio": "gepubliceerd", "volwassenheid": "gepubliceerd", "datakwaliteit": "gepubliceerd"}
    broken = next(r for r in record["rapporten"] if r["notebook"] == "prognose")
    assert broken["fouten"] == ["cel 4: fout RuntimeError: prognose kapot"] and broken["html"] is None
    assert not stale.exists()  # the old page is gone: nothing looks published that is not
    assert (out / broken["ipynb"]).is_file()  # the audit copy shows where it broke
    index = (out / "index.html").read_text()
    assert "mislukt" in index and "prognose kapot" in index and 'href="2025-11/GM0361/uitgaven.html"' in index
    assert "MISLUKT: 5 van 6 rapporten gepubliceerd, 1 mislukt" in (out / "run.log").read_text()


def test_kernels_run_with_one_blas_and_one_duckdb_thread_unless_told_otherwise(
        stand_ins: Path, injected_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("INKOOPMONITOR_DUCKDB_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own setting wins
    stand_in(stand_ins, "uitgaven", body="import os, pathlib\nassert (os.environ.get('OPENBLAS_NUM_THREADS'), "
             "os.environ.get('OMP_NUM_THREADS')) == ('1', '3'), dict(os.environ)\n"
             "from analysis.warehouse import connect\n"
             f"con = connect(pathlib.Path({str(injected_warehouse)!r}))\n"
             "assert con.sql(\"SELECT current_setting('threads')\").fetchall() == [(1,)]")
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(tmp_path / "out"), "--gemeente",
                     "GM0361", "--notebooks", str(stand_ins), "--report", "uitgaven", "--workers", "1"])
    record = json.loads((tmp_path / "out" / "run.json").read_text())
    assert code == 0, record
    assert [r["status"] for r in record["rapporten"]] == ["gepubliceerd"]


def test_the_run_gives_its_kernels_one_fit_cache_and_removes_it_after(stand_ins: Path, injected_warehouse: Path,
                                                                       tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FIT_CACHE, raising=False)
    seen = tmp_path / "seen.txt"
    for stem in ("uitgaven", "prognose"):
        stand_in(stand_ins, stem, body=f"import os, pathlib\nfolder = os.environ[{FIT_CACHE!r}]\n"
                 f"assert pathlib.Path(folder).is_dir()\nopen({str(seen)!r}, 'a').write(folder + '\\n')")
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(tmp_path / "out"), "--gemeente",
                     "GM0361", "--notebooks", str(stand_ins), "--report", "uitgaven", "prognose", "--workers", "2"])
    assert code == 0, (tmp_path / "out" / "run.json").read_text()
    folders = seen.read_text().split()
    assert len(folders) == 2 and len(set(folders)) == 1  # both workers' kernels share one folder
    assert not Path(folders[0]).exists() and FIT_CACHE not in os.environ  # gone with the run
    monkeypatch.setenv(FIT_CACHE, str(tmp_path / "shared"))  # a folder the user names is used and kept
    (tmp_path / "shared").mkdir()
    assert cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(tmp_path / "out"), "--gemeente",
                     "GM0361", "--notebooks", str(stand_ins), "--report", "uitgaven", "--workers", "1"]) == 0
    assert seen.read_text().split()[-1] == str(tmp_path / "shared") and (tmp_path / "shared").is_dir()


def test_region_notebooks_run_first_and_results_keep_the_plan_order(stand_ins: Path, injected_warehouse: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "--notebooks", str(stand_ins), "--workers", "1"])
    record = json.loads((out / "run.json").read_text())
    assert code == 0 and [r["notebook"] for r in record["rapporten"]] == [*GEMEENTE_NOTEBOOKS, *REGIO_NOTEBOOKS]
    published = [line.split()[3] for line in (out / "run.log").read_text().splitlines() if "gepubliceerd in" in line]
    assert published == [*REGIO_NOTEBOOKS, *GEMEENTE_NOTEBOOKS]  # one worker: the order they ran in


def test_an_unknown_parameter_is_rejected_before_anything_runs(stand_ins: Path, injected_warehouse: Path,
                                                               tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--gemeente", "GM0361",
                     "--notebooks", str(stand_ins), "-p", "drempel_bestaat_niet=3"])
    assert code == 2
    assert "unknown parameter(s) drempel_bestaat_niet: no report notebook declares them" in caplog.text
    assert not list(out.glob("*/*/*.ipynb"))
    with pytest.raises(RunError, match="periode are set by the runner"):  # would relabel every report
        runner.check_extra([stand_ins / "uitgaven.ipynb"], {"periode": "2024-01"})


def test_report_runs_only_the_named_reports(stand_ins: Path, injected_warehouse: Path, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    summary = runner.run_reports(injected_warehouse, tmp_path / "out", notebooks=stand_ins, gemeenten=["GM0373"],
                                 workers=1, reports=["prognose"])
    assert [(r.job.notebook.stem, r.job.code, r.status) for r in summary.results] == [("prognose", "GM0373", "gepubliceerd")]
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(tmp_path / "o2"), "--gemeente",
                     "GM0373", "--notebooks", str(stand_ins), "--report", "prognoze"])
    assert code == 2 and "unknown report(s) prognoze (reports: uitgaven, prognose" in caplog.text


def test_parameter_problems_names_the_unknown_parameter(stand_ins: Path, tmp_path: Path) -> None:
    nb = stand_ins / "uitgaven.ipynb"
    assert parameter_problems(nb, {"gemeente": "GM0361", "periode": "2025-12", "warehouse": "w"}) == []
    [problem] = parameter_problems(nb, {"gemeente": "GM0361", "gemeentee": "GM0373"})
    assert "unknown parameter(s) gemeentee" in problem and "declares: gemeente, periode, warehouse" in problem
    untagged = stand_in(tmp_path / "x", "uitgaven", tags=())
    assert parameter_problems(untagged, {"gemeente": "GM0361"}) == ["uitgaven.ipynb: no cell tagged 'parameters'"]


def test_a_notebook_without_parameters_cell_fails_without_running(stand_ins: Path, injected_warehouse: Path,
                                                                   tmp_path: Path) -> None:
    stand_in(stand_ins, "aanbieders", tags=())
    summary = runner.run_reports(injected_warehouse, tmp_path / "out", notebooks=stand_ins, gemeenten=["GM0373"],
                                 workers=1)
    [failed] = summary.failed
    assert failed.job.notebook.stem == "aanbieders" and failed.fouten == ["aanbieders.ipynb: no cell tagged 'parameters'"]
    assert not failed.job.ipynb.exists() and len(summary.results) == 6


def test_plan_defaults_and_refusals(injected_warehouse: Path, tmp_path: Path) -> None:
    facts = runner.warehouse_facts(injected_warehouse)
    assert runner.default_periode(facts) == "2025-12"  # not 2026-01, the month of the data date
    assert len(facts.gemeenten) == 13 and "GM1980" in facts.gemeenten and "GM0398" not in facts.gemeenten
    regios = {g["regio"] for g in runner.select_gemeenten(facts)}
    assert regios == {"Noord-Kennemerland", "Noord Limburg"}
    assert facts.scans == {"Noord-Kennemerland": date(2025, 9, 2), "Noord Limburg": date(2025, 9, 2)}
    assert runner.regio_slug("Noord Limburg") == "noord-limburg"
    with pytest.raises(RunError, match="no declaration data in the warehouse for: GM0014"):
        runner.select_gemeenten(facts, ["GM0014"])
    with pytest.raises(RunError, match="unknown gemeente code"):
        runner.select_gemeenten(facts, ["GM9999"])
    with pytest.raises(RunError, match="after the last month with data"):
        runner.run_reports(injected_warehouse, tmp_path, notebooks=tmp_path, periode="2026-02")


def test_the_maturity_report_only_for_a_region_with_scan_answers(injected_warehouse: Path, tmp_path: Path) -> None:
    facts = runner.warehouse_facts(injected_warehouse)
    both = runner.select_gemeenten(facts, ["GM0361", "GM0983"])  # Alkmaar (Noord-Kennemerland), Venlo (Noord Limburg)

    def region_reports(periode: str, scans) -> list[tuple[str, str]]:
        jobs = runner.plan(injected_warehouse, tmp_path, notebooks=REPO / "notebooks", periode=periode, gemeenten=both,
                           scans=scans)
        return [(j.notebook.stem, j.code) for j in jobs if j.soort == "regio"]

    assert region_reports("2025-12", {"Noord Limburg": date(2025, 9, 2)}) == [
        ("regio", "Noord Limburg"), ("volwassenheid", "Noord Limburg"), ("datakwaliteit", "Noord Limburg"),
        ("regio", "Noord-Kennemerland"), ("datakwaliteit", "Noord-Kennemerland")]
    assert region_reports("2025-08", facts.scans) == [("regio", "Noord Limburg"), ("datakwaliteit", "Noord Limburg"),
                                                      ("regio", "Noord-Kennemerland"),
                                                      ("datakwaliteit", "Noord-Kennemerland")]
    assert region_reports("2025-09", facts.scans)[1] == ("volwassenheid", "Noord Limburg")  # from 2 September
    assert len(region_reports("2025-08", None)) == 6  # without facts: every region notebook
    job = next(j for j in runner.plan(injected_warehouse, tmp_path, notebooks=REPO / "notebooks", periode="2025-12",
                                      gemeenten=both) if j.notebook.stem == "volwassenheid")
    assert job.title == "Volwassenheidsscan – Noord Limburg – december 2025"
    assert job.html == tmp_path / "2025-12" / "noord-limburg" / "volwassenheid.html"


# --- the content checks, as pure functions --------------------------------------------------------------

PARAMS = {"gemeente": "GM0361", "periode": "2025-12", "warehouse": "/w.duckdb"}


def executed(*, outputs: dict[str, list] | None = None, params: dict | None = PARAMS) -> nbformat.NotebookNode:
    """A tiny 'executed' notebook: a summary cell, a figure cell and a plain cell, outputs as given."""
    outputs = {"samenvatting": [new_output("display_data", data={"text/html": '<section class="samenvatting">x</section>'})],
               "figuur": [new_output("display_data", data={"image/png": PNG})], "plain": []} | (outputs or {})
    nb = new_notebook()
    for tag, outs in outputs.items():
        nb.cells.append(new_code_cell("x", metadata={"tags": [tag]}, outputs=outs))
    if params is not None:
        nb.metadata["papermill"] = {"parameters": params}
    return nb


def test_a_clean_notebook_passes_every_check() -> None:
    assert check_notebook(executed(), PARAMS) == []


def test_check_no_errors_rejects_errors_and_stderr() -> None:
    error = new_output("error", ename="ValueError", evalue="gemeente onbekend", traceback=[])
    warning = new_output("stream", name="stderr", text="/x.py:3: FutureWarning: palette\n  sns.barplot(...)\n")
    assert check_no_errors(executed(outputs={"plain": [error]})) == ["cel 3: fout ValueError: gemeente onbekend"]
    assert check_no_errors(executed(outputs={"plain": [warning]})) == [
        "cel 3: uitvoer op stderr: /x.py:3: FutureWarning: palette"]
    assert check_no_errors(executed(outputs={"plain": [new_output("stream", name="stdout", text="ok")]})) == []


def test_check_summary_wants_the_samenvatting_section() -> None:
    other = [new_output("display_data", data={"text/html": "<section>x</section>"})]
    assert check_summary(executed(outputs={"samenvatting": other}))[0].startswith("geen samenvatting")
    assert check_summary(executed(outputs={"samenvatting": []})) != []


def test_check_figures_wants_a_png_in_every_figuur_cell() -> None:
    text_only = [new_output("display_data", data={"text/plain": "<Figure size 640x480 with 1 Axes>"})]
    assert check_figures(executed(outputs={"figuur": text_only})) == ["cel 2: figuur zonder afbeelding (geen image/png)"]
    assert check_figures(executed(outputs={"figuur": []})) != []


def test_check_parameters_wants_the_parameters_asked_for() -> None:
    assert check_parameters(executed(params=None), PARAMS) == [
        "geen parameters vastgelegd (metadata.papermill.parameters ontbreekt)"]
    other = executed(params=PARAMS | {"gemeente": "GM0373"})  # another gemeente's report
    assert check_parameters(other, PARAMS) == [
        "parameters wijken af van de opdracht: gemeente='GM0373' (gevraagd 'GM0361')"]
    assert check_parameters(executed(params=PARAMS | {"extra": 1}), PARAMS) != []


def test_job_title_is_report_name_place_and_month(tmp_path: Path) -> None:
    job = Job(tmp_path / "aanbieders.ipynb", "gemeente", "GM0373", "Bergen (NH.)", "Noord-Kennemerland",
              PARAMS, tmp_path / "a.ipynb", tmp_path / "a.html")
    assert job.title == "Prestaties aanbieders – Bergen (NH.) – december 2025"
