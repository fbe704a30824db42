"""Every report notebook runs through papermill on the tiny demo and meets the runner's contract."""

from __future__ import annotations

import ast
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from analysis import datakwaliteit, spend, volwassenheid
from analysis.display import eur, number, pct
from analysis.forecast import forecast_gap
from analysis.report import check_parameters

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
COMMON = {"periode": "2025-12", "warehouse": "data/processed/warehouse.duckdb", "min_clienten": 10}
SCENARIO = {"horizon": 3, "ova": 0.0418, "ppc": 0.0182, "gewicht_ova": 0.9, "gewicht_ppc": 0.1, "vraaggroei": 0.0,
            "inkomsten_groei": 0.0}
RAG = {"juistheid_groen_pct": 98.0, "juistheid_rood_pct": 95.0, "tarief_boven_groen_pct": 1.0,
       "tarief_boven_rood_pct": 5.0, "plafond_groen_pct": 100.0, "plafond_rood_pct": 110.0, "kpi_niet_gehaald_rood": 2,
       "volgens_plan_groen_pct": 70.0, "volgens_plan_rood_pct": 60.0, "tevredenheid_groen": 7.5,
       "tevredenheid_rood": 7.0, "wachttijd_norm_dagen": 42, "wachttijd_groen_pct": 90.0, "wachttijd_rood_pct": 75.0,
       "herhaald_groen_pct": 10.0, "herhaald_rood_pct": 20.0}
DOCUMENTED = {  # the contract's defaults (/tmp/report_contract.md) and the thresholds of each notebook
    "regio": {"regio": "Noord-Kennemerland", **COMMON, "tekort_drempel_pct": 5.0, "index_drempel": 120.0, **SCENARIO},
    "uitgaven": {"gemeente": "GM0361", **COMMON, "overschrijding_drempel_pct": 2.0, "groei_drempel_pct": 10.0,
                 "index_drempel": 120.0},
    "prognose": {"gemeente": "GM0361", **COMMON, "tekort_drempel_pct": 5.0, **SCENARIO},
    "aanbieders": {"gemeente": "GM0361", **COMMON, **RAG},
    "volwassenheid": {"regio": "Noord-Kennemerland", "warehouse": COMMON["warehouse"], "periode": COMMON["periode"],
                      "niveaus_kmm": "pionier, proces, systeem, keten",
                      "niveaus_inkoop": "transactiegericht, commercieel, gecoördineerd, intern geïntegreerd, "
                                        "extern geïntegreerd, waardeketen",
                      "drempel_respondenten": 3, "gap_drempel": 1.0, "rwg_drempel": 0.7, "tussendoel_kmm": 0,
                      "tussendoel_inkoop": 0},
    "datakwaliteit": {"regio": "Noord-Kennemerland", **COMMON, "declaratie_norm_dagen": 30, "antwoord_norm_werkdagen": 10,
                      "afwijzing_drempel_pct": 5.0, "credit_drempel_pct": 5.0, "te_laat_drempel_pct": 10.0,
                      "antwoord_drempel_pct": 90.0},
}
RUNS = [("regio", {"regio": "Noord-Kennemerland"}), ("volwassenheid", {"regio": "Noord-Kennemerland"}),
        ("datakwaliteit", {"regio": "Noord-Kennemerland"}),
        *[(nb, {"gemeente": g}) for nb in ("uitgaven", "prognose", "aanbieders") for g in ("GM0361", "GM1980")]]


def _execute(name: str, parameters: dict, out: Path) -> str | None:
    """Run one notebook; the exception text if papermill raised."""
    import traitlets.config

    config = traitlets.config.Config()
    config.KernelManager.transport = "ipc"  # no "running over TCP" warning
    config.KernelManager.ip = tempfile.mkdtemp() + "/kernel"
    try:
        pm.execute_notebook(NOTEBOOKS / f"{name}.ipynb", out, parameters=parameters, progress_bar=False,
                            cwd=tempfile.gettempdir(), config=config)
    except Exception as exc:  # reported by the tests, not here
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def executed(demo_warehouse, tmp_path_factory):
    """Every run of RUNS (and two with an invalid parameter), executed once, two at a time."""
    out = tmp_path_factory.mktemp("executed")
    jobs = {f"{nb}-{list(p.values())[0]}": (nb, {**p, "warehouse": str(demo_warehouse)}) for nb, p in RUNS}
    jobs["ongeldig-gemeente"] = ("uitgaven", {"gemeente": "GM9999", "warehouse": str(demo_warehouse)})
    jobs["ongeldig-periode"] = ("uitgaven", {"gemeente": "GM0361", "periode": "2025-13",
                                             "warehouse": str(demo_warehouse)})
    jobs["ongeldig-niveaus"] = ("volwassenheid", {"regio": "Noord-Kennemerland", "niveaus_kmm": "pionier, keten",
                                                  "warehouse": str(demo_warehouse)})
    jobs["ongeldig-norm"] = ("datakwaliteit", {"regio": "Noord-Kennemerland", "declaratie_norm_dagen": -1,
                                               "warehouse": str(demo_warehouse)})
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_execute, nb, params, out / f"{key}.ipynb") for key, (nb, params) in jobs.items()}
        errors = {key: f.result() for key, f in futures.items()}
    return {key: (errors[key], nbformat.read(out / f"{key}.ipynb", as_version=4), jobs[key][1]) for key in jobs}


def _outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def _summary(nb) -> str:
    found = [o["data"]["text/html"] for o in _outputs(nb) if '<section class="samenvatting">' in
             o.get("data", {}).get("text/html", "")]
    assert len(found) == 1, "exactly one summary section"
    return found[0]


@pytest.mark.parametrize("key", [f"{nb}-{list(p.values())[0]}" for nb, p in RUNS])
def test_notebook_runs_clean_with_summary_and_figures(executed, key):
    error, nb, parameters = executed[key]
    assert error is None, error
    bad = [o for o in _outputs(nb) if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
    assert bad == []
    assert nb.metadata.papermill.parameters == parameters
    summary = _summary(nb)
    assert summary.count('<li class="tegel') >= 3 and summary.index('class="uitzondering"') < summary.index("<ul")
    subject = "regio Noord-Kennemerland" if "regio" in parameters else f"({parameters['gemeente']})"
    assert subject in summary
    summary_cells = [c for c in nb.cells if "samenvatting" in c.metadata.get("tags", [])]
    assert len(summary_cells) == 1 and summary_cells[0].outputs
    figures = [c for c in nb.cells if "figuur" in c.metadata.get("tags", [])]
    assert len(figures) >= 2
    for cell in figures:
        pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(pngs) == 1, f"figuur cell {cell.source[:40]!r} shows {len(pngs)} images"
    assert "client_id" not in str(_outputs(nb))


def test_uitgaven_summary_holds_the_computed_spend(executed, demo_warehouse):
    rapport = check_parameters(warehouse=demo_warehouse, periode="2025-12", gemeente="GM0361")
    yearly = spend.yearly_spend(rapport.con, gemeente="GM0361", van=rapport.basisjaar, tot=rapport.basisjaar)
    assert eur(int(yearly["toegekend_cent"].sum())) in _summary(executed["uitgaven-GM0361"][1])
    other = spend.yearly_spend(rapport.con, gemeente="GM1980", van=rapport.basisjaar, tot=rapport.basisjaar)
    assert eur(int(other["toegekend_cent"].sum())) not in _summary(executed["uitgaven-GM0361"][1])


def test_prognose_and_regio_agree_on_the_forecast_saldo(executed, demo_warehouse):
    rapport = check_parameters(warehouse=demo_warehouse, periode="2025-12", gemeente="GM1980")
    gap = forecast_gap(rapport.con, gemeente="GM1980", horizon=3, peildatum=rapport.peildatum)
    last = gap[(gap["domein"] == "Totaal") & (gap["jaar"] == gap["jaar"].max())].iloc[0]
    assert eur(int(last["saldo_cent"])) in _summary(executed["prognose-GM1980"][1])
    regio_tables = " ".join(o.get("data", {}).get("text/plain", "") for o in _outputs(executed["regio-Noord-Kennemerland"][1]))
    assert eur(int(last["saldo_cent"])) in regio_tables


def test_volwassenheid_summary_leads_with_the_computed_largest_gap(executed, demo_warehouse):
    rapport = check_parameters(warehouse=demo_warehouse, periode="2025-12", regio="Noord-Kennemerland")
    eigen = volwassenheid.answers(rapport.con, regio="Noord-Kennemerland", tot=rapport.einde,
                                  soorten=volwassenheid.EIGEN_ORGANISATIE)
    largest = volwassenheid.largest_gaps(volwassenheid.scores(eigen, by=())).iloc[0]
    summary = _summary(executed["volwassenheid-Noord-Kennemerland"][1])
    first = summary.split('<p class="uitzondering">')[1].split("</p>")[0]
    assert (f"{largest['pijler']} (" in first and f"van {number(largest['huidig_gem'], decimals=1)} naar "
            f"{number(largest['ambitie_gem'], decimals=1)})" in first)
    assert f"{number(eigen['respondent'].nunique())}</span> <span class=\"label\">respondenten van gemeenten en regio</span>" in summary


def test_datakwaliteit_summary_holds_the_computed_region_figures(executed, demo_warehouse):
    rapport = check_parameters(warehouse=demo_warehouse, periode="2025-12", regio="Noord-Kennemerland")
    waar = dict(regio="Noord-Kennemerland", peildatum=rapport.einde, by=(), tijdvak=None)
    regio = datakwaliteit.declaratiekwaliteit(rapport.con, **waar).iloc[0]
    binnen = datakwaliteit.antwoordtermijn(rapport.con, **waar).iloc[0]["aandeel_binnen_norm_pct"]
    summary = _summary(executed["datakwaliteit-Noord-Kennemerland"][1])
    assert f"beantwoordden de gemeenten {number(regio['regels_beantwoord'])} declaratieregels" in summary
    assert f'{pct(regio["afwijzing_regels_pct"])}</span> <span class="label">afgewezen declaratieregels' in summary
    assert f'{pct(binnen)}</span> <span class="label">declaraties binnen 10 werkdagen beantwoord' in summary
    assert "Bergen (NH.) (0,0%, mediaan" in summary  # the demo's gemeente that answers 40 days late


@pytest.mark.parametrize("key, name", [("ongeldig-gemeente", "gemeente"), ("ongeldig-periode", "periode"),
                                       ("ongeldig-niveaus", "niveaus_kmm"), ("ongeldig-norm", "declaratie_norm_dagen")])
def test_invalid_parameter_fails_in_the_validation_cell(executed, key, name):
    error, nb, _ = executed[key]
    assert error is not None and "ValueError" in error
    errors = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1
    index, output = errors[0]
    assert output.ename == "ValueError" and output.evalue.startswith(f"{name}:")
    assert "check_parameters" in nb.cells[index].source


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_parameters_cell_contract(name):
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert "analysis.setup()" in nb.cells[code_cells[0]].source
    assert "report.check_parameters(" in nb.cells[code_cells[code_cells.index(tagged[0]) + 1]].source
    inspected = pm.inspect_notebook(path)
    assert set(inspected) == set(DOCUMENTED[name])
    for param, info in inspected.items():
        assert info["inferred_type_name"] in ("str", "int", "float"), param
        assert info["help"], f"{param} has no comment"
        default = ast.literal_eval(info["default"])
        assert default == DOCUMENTED[name][param] and type(default) is type(DOCUMENTED[name][param]), param


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_notebook_stored_clean(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not any(line.lstrip().startswith(("def ", "class ")) for line in cell.source.splitlines())
            if "parameters" not in cell.metadata.get("tags", []):
                assert len(cell.source.splitlines()) <= 8
            assert "filterwarnings" not in cell.source
    assert sum("samenvatting" in c.metadata.get("tags", []) for c in nb.cells) == 1
