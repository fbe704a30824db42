"""The command line: every subcommand has help, and bad input gives a clear exit code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import cli


@pytest.mark.parametrize("command, option", [("demo", "--scale"), ("build", "--parquet"), ("reports", "--period")])
def test_every_subcommand_has_help(command, option, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    assert info.value.code == 0 and option in capsys.readouterr().out


def test_the_help_gives_the_recycle_default_the_workers_use(capsys):
    from analysis.werker import RECYCLE

    with pytest.raises(SystemExit):
        cli.main(["reports", "--help"])
    assert f"(default {RECYCLE})" in " ".join(capsys.readouterr().out.split())


def test_python_dash_m_analysis_is_the_same_command():
    done = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "demo" in done.stdout and "build" in done.stdout and "reports" in done.stdout


def test_build_of_a_missing_folder_names_it(tmp_path, caplog):
    code = cli.main(["build", "--raw", str(tmp_path / "nergens"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert code == 2 and "nergens: raw data folder does not exist" in caplog.text


def test_build_with_parquet_export(tmp_path, monkeypatch):
    import xmlbuild as xb

    raw = tmp_path / "raw" / "istandaard"
    raw.mkdir(parents=True)
    (raw / "d.xml").write_text(xb.declaratie({xb.VALID_BSN[0]: [xb.prestatie("R1")]}), encoding="utf-8")
    monkeypatch.setenv("INKOOPMONITOR_SECRET", "a test secret of at least thirty-two characters")
    code = cli.main(["build", "--raw", str(tmp_path / "raw"), "--warehouse", str(tmp_path / "w.duckdb"),
                     "--parquet", str(tmp_path / "parquet")])
    assert code == 0
    assert list((tmp_path / "parquet" / "declaratieregel").glob("gemeente_code_huidig=GM0361/jaar=2024/*.parquet"))
