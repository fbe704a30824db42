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


def test_the_cli_starts_without_jsonschemas_iri_grammar_and_notebooks_still_validate() -> None:
    """``cli.main`` keeps rfc3987_syntax (0.9 s of Lark grammar at import) out of the process before nbformat is
    imported; nbformat still reads and validates a notebook, and rejects an invalid one."""
    code = ("import sys\nfrom analysis import cli\ntry:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "import nbformat\nnb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
            "nbformat.validate(nb)\nnb.cells[0]['cell_type'] = 'nonsense'\n"
            "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('invalid refused')\n"
            "print(sys.modules['rfc3987_syntax'], 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[-3:-1] == ["invalid refused", "None True"]


def test_skipping_the_iri_check_keeps_a_module_already_imported() -> None:
    import types

    from analysis import startup

    saved = sys.modules.get(startup.IRI_SYNTAX, "absent")
    sys.modules[startup.IRI_SYNTAX] = kept = types.ModuleType(startup.IRI_SYNTAX)
    try:
        startup.skip_iri_syntax_check()
        assert sys.modules[startup.IRI_SYNTAX] is kept
    finally:
        if saved == "absent":
            del sys.modules[startup.IRI_SYNTAX]
        else:
            sys.modules[startup.IRI_SYNTAX] = saved
