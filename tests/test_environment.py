"""environment.yml stays a thin wrapper around pyproject.toml (conda cannot run here, so check its shape)."""

from __future__ import annotations

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
