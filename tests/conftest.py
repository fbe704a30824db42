"""Shared fixtures: a tiny demo warehouse built once per test session, and one real report run on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from board import GEMEENTEN, INJECTED

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Path of a tiny demo warehouse (scale 0.01, seed 7), generated and built once per session."""
    from analysis import demo
    from analysis.warehouse import build

    tmp = tmp_path_factory.mktemp("demo")
    demo.generate(tmp / "raw", scale=0.01, seed=7)
    build(tmp / "raw", tmp / "warehouse.duckdb", secret="test", workers=1)
    return tmp / "warehouse.duckdb"


@pytest.fixture(scope="session")
def injected_warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tiny demo warehouse where GM0361's largest aanbieder, and an aanbieder answering the maturity
    scan of Noord-Kennemerland, are called ``<script>alert(1)</script>``."""
    target = tmp_path_factory.mktemp("injected") / "warehouse.duckdb"
    shutil.copy(demo_warehouse, target)
    with duckdb.connect(str(target)) as con:
        con.execute("""
            UPDATE bron_contract SET aanbieder_naam = ? WHERE aanbieder_agb = (
                SELECT aanbieder_agb FROM declaratieregel WHERE gemeente_code_huidig = 'GM0361'
                GROUP BY ALL ORDER BY sum(toegekend_cent) DESC NULLS LAST LIMIT 1)""", [INJECTED])
        assert con.sql("SELECT count(*) FROM contract WHERE aanbieder_naam = ?", params=[INJECTED]).fetchall()[0][0] > 0
        con.execute("""
            UPDATE bron_volwassenheid SET organisatie = ? WHERE organisatie_code = (
                SELECT min(organisatie_code) FROM bron_volwassenheid
                WHERE regio = 'Noord-Kennemerland' AND organisatie_soort = 'aanbieder')""", [INJECTED])
        assert con.sql("SELECT count(*) FROM volwassenheid WHERE organisatie = ?", params=[INJECTED]).fetchall()[0][0] > 0
    return target


@pytest.fixture(scope="session")
def board_run(injected_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The real notebooks for two gemeenten and their region, through the CLI: (OUT, exit code)."""
    from analysis import cli

    out = tmp_path_factory.mktemp("board-run")
    code = cli.main(["reports", "--warehouse", str(injected_warehouse), "--out", str(out), "--workers", "2",
                     "--gemeente", *GEMEENTEN])
    return out, code
