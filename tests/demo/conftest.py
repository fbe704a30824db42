"""One small demo run shared by the demo tests (scale 0.004, a few thousand files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.demo import generate
from demo.demo_reader import read_declarations

SCALE = 0.004
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """(output folder, summary) of a small demo run with the default seed."""
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, scale=SCALE, seed=2026)


@pytest.fixture(scope="session")
def decls(demo):
    """The demo's 323s and 325s as read by the tests' own parser."""
    return read_declarations(demo[0])
