"""The environment: environment.yml stays a thin wrapper around pyproject.toml (conda cannot run here, so check
its shape), the installed versions match, and a non-editable install works on its own."""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_only_brings_python_and_pip_and_installs_the_project():
    conda = [d for d in ENV["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in ENV["dependencies"] if isinstance(d, dict))
    assert sorted(name.split("=")[0] for name in conda) == ["pip", "python"]
    assert any(line.startswith("-e .") for line in pip)


def test_python_pin_is_inside_requires_python():
    pin = next(d for d in ENV["dependencies"] if isinstance(d, str) and d.startswith("python="))
    allowed = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert pin.split("=")[1] + ".0" in allowed


@pytest.mark.parametrize("spec", PYPROJECT["project"]["dependencies"]
                         + PYPROJECT["project"]["optional-dependencies"]["dev"])
def test_installed_versions_satisfy_pyproject(spec):
    requirement = Requirement(spec)
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is in pyproject.toml but not installed: run `make install`")
    assert requirement.specifier.contains(installed, prereleases=True), f"{requirement.name} {installed}"


def test_a_non_editable_install_carries_its_templates_and_publishes_a_report(demo_warehouse, tmp_path):
    """``pip install .`` (not editable): the templates come as package data, so ``reports`` works without
    the repository's source tree; the notebooks are found in the working folder."""
    import shutil
    import subprocess
    import sys

    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "notebooks", tmp_path / "work" / "notebooks")
    uv = Path(sys.executable).parent / "uv"  # make install brings it; it builds the wheel in isolation
    subprocess.run([uv, "pip", "install", "-q", "--no-deps", "--python", sys.executable, "--target",
                    tmp_path / "site", source], check=True)
    site = tmp_path / "site" / "analysis"
    assert (site / "templates" / "offline" / "index.html.j2").is_file()
    assert (site / "templates" / "index" / "index.html.j2").is_file()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}  # the installed copy comes before the editable one
    where = subprocess.run([sys.executable, "-c", "import analysis; print(analysis.__file__)"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(site / "__init__.py")
    done = subprocess.run([sys.executable, "-m", "analysis", "reports", "--warehouse", str(demo_warehouse), "--out",
                           "out", "--gemeente", "GM0361", "--report", "uitgaven", "--workers", "1"],
                          cwd=tmp_path / "work", env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "work" / "out" / "2025-12" / "GM0361" / "uitgaven.html").is_file()
    assert "Uitgaven en budget" in (tmp_path / "work" / "out" / "index.html").read_text()
