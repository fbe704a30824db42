"""Shared fixtures: a tiny demo warehouse built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Path of a tiny demo warehouse (scale 0.01, seed 7), generated and built once per session."""
    from analysis import demo
    from analysis.warehouse import build

    tmp = tmp_path_factory.mktemp("demo")
    demo.generate(tmp / "raw", scale=0.01, seed=7)
    build(tmp / "raw", tmp / "warehouse.duckdb", secret="test", workers=1)
    return tmp / "warehouse.duckdb"
