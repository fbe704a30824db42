"""`demo --landelijk`: all 342 gemeenten in their 42 jeugdzorgregio's, the seed regions unchanged."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import openpyxl
import pytest
from lxml import etree

from analysis.demo import config, generate, landelijk
from analysis.reference.volwassenheid import regio_slug
from analysis.warehouse import build
from demo.conftest import REFERENCE
from demo.test_demo_messages import KINDS, schema

SCALE = 0.0002
SEEDS = [r.slug for r in config.REGIONS]
SOURCES = ("istandaard", "contracten", "iv3", "inkomsten", "inwoners", "tevredenheid", "volwassenheid")


def _official() -> dict[str, tuple[str, str]]:
    """gm_code -> (gemeentenaam, jeugdzorgregio) from the CBS list of 1-1-2026."""
    with (REFERENCE / "gemeenten" / "gemeenten_2026_jeugdzorgregio.csv").open(encoding="utf-8") as handle:
        return {r["gm_code"]: (r["gemeentenaam"], r["jeugdzorgregio"]) for r in csv.DictReader(handle)}


def _hashes(root: Path, paths: list[Path]) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _region_files(root: Path, slug: str) -> list[Path]:
    return sorted(p for source in SOURCES for p in (root / source / slug).rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def nl(tmp_path_factory):
    """(folder, summary) of the landelijk demo at a tiny scale."""
    out = tmp_path_factory.mktemp("landelijk")
    return out, generate(out, scale=SCALE, seed=2026, landelijk=True)


def test_inhabitants_file_has_the_342_gemeenten_of_the_reference():
    """The demo's own inhabitants file names the CBS list's gemeenten; the total is near the 17.9 million
    inhabitants of 1-1-2024 (CBS StatLine: 17,942,942), the sum of rounded magnitudes within 2 %."""
    table = landelijk._gemeenten()
    official = _official()
    assert len(table) == 342 and table["gemeente_code"].is_unique
    assert {c: (n, r) for c, n, r in table[["gemeente_code", "gemeentenaam", "jeugdzorgregio"]].itertuples(
        index=False)} == official
    assert abs(int(table["inwoners"].sum()) - 17_942_942) < 0.02 * 17_942_942
    assert table["inwoners"].min() >= 900  # Schiermonnikoog, the smallest
    assert table.set_index("gemeente_code").loc["GM0363", "inwoners"] > 900_000  # Amsterdam, the largest


def test_regions_are_the_42_jeugdzorgregios_with_their_gemeenten():
    regions = landelijk.regions()
    official = _official()
    assert len(regions) == 42 and len({r.naam for r in regions}) == 42
    assert regions[:2] == config.REGIONS  # the seed regions first and unchanged: their numbers seed them
    assert len({r.prefix for r in regions}) == 42 and all(len(r.prefix) == 2 and r.prefix.isalpha()
                                                          for r in regions)
    current = {f"GM{g.code}": r.naam for r in regions for g in r.gemeenten if g.opgeheven is None}
    assert current == {code: regio for code, (_, regio) in official.items()}
    assert {r.formaat for r in regions[2:]} == {"NK", "NL"}
    twente = next(r for r in regions if r.naam == "Twente")
    assert twente.centrumgemeente == "0153" and len(twente.gemeenten) == 14  # Enschede, 14 gemeenten


def test_every_gemeente_has_inhabitants_and_iv3_in_the_folder_of_its_region(nl):
    out, _ = nl
    official = _official()
    seen = {}
    for path in (out / "inwoners").glob("*/bevolking_1_januari.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                if row["Perioden"] == "2025JJ00":
                    seen[row["RegioS"]] = path.parent.name
    assert seen == {code: regio_slug(regio) for code, (_, regio) in official.items()}
    iv3 = {p.name.split("_")[1] for p in (out / "iv3").rglob("iv3_*_2024_realisatie.json")}
    assert iv3 == set(official)
    assert {p.parent.name for p in (out / "volwassenheid").rglob("*.csv")} == {regio_slug(r) for _, r in
                                                                           official.values()}


def test_inhabitants_of_a_gemeente_follow_the_file():
    """Ede (GM0228): 122,000 on 1-1-2024 in the file; the demo's 2019 figure grows 0.5 % a year back to it."""
    ede = next(g for r in landelijk.regions() for g in r.gemeenten if g.code == "0228")
    assert ede.inwoners_2019 == round(122_000 / 1.005**5) == 118_995


def test_seed_regions_get_the_same_files_as_the_two_region_demo(nl, tmp_path):
    out, summary = nl
    two = generate(tmp_path, scale=SCALE, seed=2026)
    for slug in SEEDS:
        mine, theirs = _region_files(out, slug), _region_files(tmp_path, slug)
        assert len(mine) > 100
        assert _hashes(out, mine) == _hashes(tmp_path, theirs)
    assert summary.duplicate == two.duplicate
    for region in config.REGIONS:
        assert summary.approved_cents[region.naam] == two.approved_cents[region.naam]
        assert summary.clients[region.naam] == two.clients[region.naam]


def test_the_story_stays_with_the_seed_regions(nl):
    """The stopping aanbieder, the tariff deviation and the scan flaws are the seed regions' alone."""
    _, summary = nl
    noted = {n.split(":")[0] for n in summary.notes}
    assert noted == {"Noord Limburg", "Noord-Kennemerland"}
    flaws = [n for n in summary.notes if "stops on" in n or "above contract" in n or "respondent" in n]
    assert sorted(n.split(":")[0] for n in flaws) == ["Noord Limburg", "Noord Limburg", "Noord-Kennemerland",
                                                      "Noord-Kennemerland"]
    assert len(summary.approved_cents) == 42
    assert summary.files["volwassenheid"] == 42 and summary.files["inwoners"] == 42
    assert summary.duplicate[0].startswith("istandaard/noord-kennemerland/")


def test_same_seed_same_bytes(nl, tmp_path):
    """A second run gives byte-identical files: every 20th file of all, and every file of Twente."""
    out, _ = nl
    again = tmp_path / "again"
    generate(again, scale=SCALE, seed=2026, landelijk=True)
    every = sorted(p for p in out.rglob("*") if p.is_file())
    sample = every[::20] + _region_files(out, "twente")
    assert len(sample) > 1000
    assert _hashes(out, sample) == _hashes(again, [again / p.relative_to(out) for p in sample])
    assert len(every) == sum(1 for p in again.rglob("*") if p.is_file())


def test_agb_codes_are_unique_across_regions_but_for_the_national_names(nl):
    out, _ = nl
    names: dict[str, set[str]] = {}
    regions: dict[str, set[str]] = {}
    for row in _contract_rows(out):
        names.setdefault(row["aanbieder_agb"], set()).add(row["aanbieder_naam"])
        regions.setdefault(row["aanbieder_agb"], set()).add(row["regio"])
    assert len(names) >= 42 * 12 - 42 - 1  # at least 12 aanbieders a region; two names shared
    assert all(len(n) == 1 for n in names.values())
    national = {agb for agb, r in regions.items() if len(r) > 1}
    assert {next(iter(names[agb])) for agb in national} == {"Zorggroep Céleste"}
    assert len(regions[national.pop()]) == 42


def _contract_rows(out: Path) -> list[dict]:
    """The contracten rows of every region, from the CSV or the workbook."""
    rows = []
    for path in sorted((out / "contracten").rglob("contracten.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    for path in sorted((out / "contracten").rglob("contracten.xlsx")):
        sheet = openpyxl.load_workbook(path, read_only=True)["contracten"]
        header, *body = sheet.iter_rows(values_only=True)
        rows += [dict(zip(header, r)) for r in body]
    return rows


def test_build_reads_every_file_and_quarantines_only_the_seed_regions_flaws(nl, tmp_path):
    out, summary = nl
    report = build(out, tmp_path / "wh.duckdb", secret=None, workers=2)
    assert report.unreadable == []
    assert report.totals["rows_read"] == report.totals["rows_loaded"] + report.totals["rows_quarantined"]
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        status = dict(con.sql("SELECT status, count(*) FROM laadlog GROUP BY status").fetchall())
        regions = {r[0] for r in con.sql(
            "SELECT DISTINCT split_part(l.pad, '/', 2) FROM quarantaine q JOIN laadlog l USING (file_id)").fetchall()}
        gemeenten = con.execute("SELECT count(DISTINCT gemeente_code) FROM inwoners").fetchone()[0]
    assert status["geladen"] == sum(summary.files.values()) - 1  # the duplicate 323 is logged, not loaded
    assert status["duplicaat"] == 1 and "onleesbaar" not in status
    assert regions == set(SEEDS)
    assert gemeenten == 342 + 2  # Heerhugowaard and Langedijk until their merger


@pytest.mark.parametrize("argv, scale, national", [(["--landelijk"], 0.01, True), ([], 0.1, False),
                                                   (["--landelijk", "--scale", "0.003"], 0.003, True)])
def test_cli_demo_landelijk_defaults_to_scale_001(monkeypatch, tmp_path, argv, scale, national):
    import analysis.demo
    from analysis import cli

    calls = []
    monkeypatch.setattr(analysis.demo, "generate", lambda out, **kw: calls.append(kw) or "summary")
    assert cli.main(["demo", "--out", str(tmp_path), *argv]) == 0
    assert calls == [{"scale": scale, "seed": 2026, "landelijk": national}]


def test_messages_of_the_last_region_validate_against_the_real_xsd(nl):
    """Region 42 has the longest identifiers (T42000000001: the 12 characters the XSD allows)."""
    out, _ = nl
    slug = landelijk.regions()[-1].slug
    folders = sorted((out / "istandaard" / slug).iterdir())
    assert [f.name for f in folders] == sorted(KINDS)
    for folder in folders:
        for path in sorted(folder.rglob("*.xml"))[:20]:
            xsd = schema(folder.name)
            assert xsd.validate(etree.parse(str(path))), f"{path.name}: {xsd.error_log.last_error}"
    first = min((out / "istandaard" / slug / "JW301").rglob("*.xml"))
    assert len(first.stem.split("_")[1]) == 12 and first.stem.split("_")[1].startswith("T42")
