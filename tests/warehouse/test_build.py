"""The warehouse built from a small hand-made raw folder; every expected figure is worked out here.

The raw folder (see ``raw`` below):
  d1     JW323 D1 of aanbieder 12345678 to Alkmaar (0361), March 2024:
         client A: R1 10 uur x 10000 = 100000, R2 5 x 8000 = 40000; client B: R3 3 etmaal x 25050 = 75150
  a1     JW325 answering D1: R2 rejected with 9346            -> R1, R3 goedgekeurd, R2 afgekeurd (0)
  d2     JW323 D2, March again, sent in May: R4 credits R1 (-100000), R5 8 x 10000 = 80000  (no answer: pending)
  kopie-van-d2  same bytes as d2                               -> logged as duplicate, not read
  d3     JW323 of 99999999, which has no contract               -> 1 row quarantined
  d4     JW323 to gemeente 9999                                  -> 1 row quarantined
  d5     JW323 D5 of 87654321 to Heerhugowaard (0398), June 2021: 20 x 5000 = 100000, answered (no rejects)
  d6     JW323 D6 of 87654321: a credit of a line nobody sent     -> 1 row quarantined
  d7     JW323 D1 again, other bytes, other file                 -> 1 row quarantined (already loaded)
  kapot  half a message                                          -> unreadable, exit code 1
Approved (toegekend) spend: R1 100000 + R3 75150 + D5 100000 = 275150 cents.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import xmlbuild as xb

from analysis import cli
from analysis.warehouse import build, connect

SECRET = "a test secret of at least thirty-two characters"
A, B = xb.VALID_BSN[:2]
CONTRACTEN = """contract_id,regio,aanbieder_agb,aanbieder_naam,domein,perceel,begindatum,einddatum,plafond_eur
C1,Noord-Holland Noord,12345678,Jeugd & Gezin <b>Noord</b>,Jeugd,Ambulant,2019-01-01,2026-12-31,1000000
C2,Noord-Holland Noord,87654321,Zorggroep Céleste,Jeugd,Verblijf,2019-01-01,,
"""


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw, ist = tmp_path / "raw", tmp_path / "raw" / "istandaard"
    _write(raw / "contracten", "contracten.csv", CONTRACTEN)
    p = xb.prestatie
    _write(ist, "d1.xml", xb.declaratie({A: [p("R1", volume=10, tarief=10000), p("R2", volume=5, tarief=8000)],
                                         B: [p("R3", volume=3, eenheid="14", tarief=25050)]}))
    _write(ist, "a1.xml", xb.antwoord({A: [(p("R2", volume=5, tarief=8000), ("9346",))]},
                                      ingediend=215150, toegekend=175150))
    d2 = xb.declaratie({A: [p("R4", vorig="R1", volume=10, tarief=10000, dc="C"), p("R5", volume=8, tarief=10000)]},
                       nummer="D2", ident="B2", datum="2024-05-10")
    _write(ist, "d2.xml", d2)
    _write(ist, "kopie-van-d2.xml", d2)
    _write(ist, "d3.xml", xb.declaratie({A: [p("X1")]}, agb="99999999", nummer="D3", ident="B3"))
    _write(ist, "d4.xml", xb.declaratie({A: [p("X2")]}, agb="87654321", gemeente="9999", nummer="D4", ident="B4"))
    june = dict(begin="2021-06-01", eind="2021-06-30")
    _write(ist, "d5.xml", xb.declaratie({B: [p("H1", volume=20, tarief=5000, **june)]}, agb="87654321",
                                        gemeente="0398", nummer="D5", ident="B5", periode=("2021-06-01", "2021-06-30")))
    _write(ist, "a5.xml", xb.antwoord({}, agb="87654321", gemeente="0398", nummer="D5", declaratie_ident="B5",
                                      ingediend=100000, toegekend=100000))
    _write(ist, "d6.xml", xb.declaratie({A: [p("X3", vorig="NOOIT", dc="C")]}, agb="87654321", nummer="D6", ident="B6"))
    _write(ist, "d7.xml", xb.declaratie({A: [p("X4")]}, nummer="D1", ident="B7"))
    _write(ist, "kapot.xml", xb.declaratie({A: [p("X5")]})[:300])
    return raw


@pytest.fixture
def warehouse(raw: Path, tmp_path: Path) -> Path:
    path = tmp_path / "processed" / "warehouse.duckdb"
    build(raw, path, secret=SECRET)
    return path


def _rows(path: Path, sql: str) -> list[tuple]:
    with connect(path) as con:
        return con.sql(sql).fetchall()


def test_declaratieregel_status_and_toegekend(warehouse):
    rows = _rows(warehouse, "SELECT referentienummer, status, toegekend_cent, ingediend_cent, retourcodes, "
                            "gecrediteerd FROM declaratieregel ORDER BY referentienummer")
    assert rows == [
        ("H1", "goedgekeurd", 100000, 100000, None, False),
        ("R1", "goedgekeurd", 100000, 100000, None, True),
        ("R2", "afgekeurd", 0, 40000, "9346", False),
        ("R3", "goedgekeurd", 75150, 75150, None, False),
        ("R4", "in_behandeling", None, -100000, None, False),
        ("R5", "in_behandeling", None, 80000, None, False),
    ]
    assert _rows(warehouse, "SELECT sum(toegekend_cent) FROM declaratieregel") == [(275150,)]


def test_merged_gemeente_is_rebased(warehouse):
    rows = _rows(warehouse, "SELECT gemeente_code, gemeente_code_huidig, domein FROM declaratieregel "
                            "WHERE referentienummer = 'H1'")
    assert rows == [("GM0398", "GM1980", "Jeugd")]


def test_quarantine_keeps_every_rejected_row_with_its_reason(warehouse):
    rows = dict(_rows(warehouse, "SELECT l.pad, q.reden FROM quarantaine q JOIN laadlog l USING (file_id)"))
    assert rows.keys() == {"istandaard/d3.xml", "istandaard/d4.xml", "istandaard/d6.xml", "istandaard/d7.xml"}
    assert "aanbieder AGB 99999999 has no contract" in rows["istandaard/d3.xml"]
    assert "gemeente GM9999 is not a CBS gemeente code" in rows["istandaard/d4.xml"]
    assert "credit refers to ReferentieNummer NOOIT" in rows["istandaard/d6.xml"]
    assert "declaratie D1 of aanbieder 12345678 was already loaded from istandaard/d1.xml" in rows["istandaard/d7.xml"]


def test_load_log_read_equals_loaded_plus_quarantined(warehouse):
    log = {pad: rest for pad, *rest in _rows(
        warehouse, "SELECT pad, status, rows_read, rows_loaded, rows_quarantined FROM laadlog")}
    assert log["istandaard/d1.xml"] == ["geladen", 3, 3, 0]
    assert log["istandaard/a1.xml"] == ["geladen", 2, 2, 0]      # the answer and its one rejected line
    assert log["istandaard/kopie-van-d2.xml"] == ["duplicaat", 0, 0, 0]
    assert log["istandaard/d3.xml"] == ["geladen", 1, 0, 1]
    assert log["istandaard/kapot.xml"] == ["onleesbaar", 0, 0, 0]
    assert log["contracten/contracten.csv"] == ["geladen", 2, 2, 0]
    assert all(read == loaded + quarantined for _, read, loaded, quarantined in log.values())


def test_no_bsn_in_the_warehouse(warehouse):
    data = warehouse.read_bytes()
    assert all(bsn.encode() not in data for bsn in (A, B))


def test_build_is_idempotent(raw, warehouse, tmp_path):
    again = tmp_path / "again.duckdb"
    build(raw, again, secret=SECRET)
    tables = ["declaratieregel", "quarantaine", "laadlog", "traject", "toewijzing", "contract"]
    for table in tables:
        first = _rows(warehouse, f"SELECT * FROM {table} ORDER BY ALL")
        assert first == _rows(again, f"SELECT * FROM {table} ORDER BY ALL"), table


def test_failed_build_leaves_the_previous_warehouse(raw, warehouse, monkeypatch):
    wh = importlib.import_module("analysis.warehouse.build")
    monkeypatch.setattr(wh, "run_checks", lambda con: (_ for _ in ()).throw(RuntimeError("interrupted")))
    with pytest.raises(RuntimeError, match="interrupted"):
        build(raw, warehouse, secret=SECRET)
    assert _rows(warehouse, "SELECT count(*) FROM declaratieregel") == [(6,)]
    assert [p.name for p in warehouse.parent.iterdir()] == ["warehouse.duckdb"]


def test_warehouse_opens_read_only(warehouse):
    with connect(warehouse) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM declaratieregel")


def test_warehouse_connection_threads_follow_the_environment(warehouse, monkeypatch):
    monkeypatch.setenv("INKOOPMONITOR_DUCKDB_THREADS", "1")
    with connect(warehouse) as con:
        assert con.sql("SELECT current_setting('threads')").fetchall() == [(1,)]
    monkeypatch.delenv("INKOOPMONITOR_DUCKDB_THREADS")
    with connect(warehouse) as con, duckdb.connect(":memory:") as plain:  # unset: DuckDB's own default
        assert con.sql("SELECT current_setting('threads')").fetchall() == plain.sql(
            "SELECT current_setting('threads')").fetchall()


def test_cli_build_json_report_and_exit_code(raw, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INKOOPMONITOR_SECRET", SECRET)
    code = cli.main(["build", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # kapot.xml could not be read at all
    assert report["totals"]["rows_read"] == report["totals"]["rows_loaded"] + report["totals"]["rows_quarantined"]
    assert report["totals"]["rows_quarantined"] == 4 and report["totals"]["files_duplicaat"] == 1
    kapot = next(f for f in report["files"] if f["path"] == "istandaard/kapot.xml")
    assert kapot["status"] == "onleesbaar" and "not well-formed XML" in kapot["errors"][0]
    assert set(report["files"][0]) >= {"path", "sha256", "kind", "rows_read", "rows_loaded", "rows_quarantined", "errors"}


def test_cli_build_exit_zero_when_all_files_read(raw, tmp_path, monkeypatch):
    monkeypatch.setenv("INKOOPMONITOR_SECRET", SECRET)
    (raw / "istandaard" / "kapot.xml").unlink()
    assert cli.main(["build", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]) == 0


def test_file_outside_the_source_folders_is_reported(raw, tmp_path):
    shutil.copy(raw / "istandaard" / "d1.xml", raw / "los.xml")
    report = build(raw, tmp_path / "w.duckdb", secret=SECRET)
    los = next(f for f in report.files if f["path"] == "los.xml")
    assert los["status"] == "onleesbaar" and "not in a known source folder" in los["errors"][0]


def test_parallel_read_gives_the_same_warehouse(raw, warehouse, tmp_path, monkeypatch):
    import analysis.warehouse.load as load

    monkeypatch.setattr(load, "SERIAL_BELOW", 0)   # use the pool even for a dozen files
    monkeypatch.setattr(load, "CHUNK_FILES", 3)    # and split them over several chunks
    monkeypatch.setattr(load, "BATCH_ROWS", 1)     # inserted chunk by chunk
    parallel = tmp_path / "parallel.duckdb"
    report = build(raw, parallel, secret=SECRET, workers=2)
    assert report.totals["files_duplicaat"] == 1 and report.totals["rows_quarantined"] == 4
    for table in ("declaratieregel", "quarantaine", "laadlog"):
        assert _rows(warehouse, f"SELECT * FROM {table} ORDER BY ALL") == _rows(parallel, f"SELECT * FROM {table} ORDER BY ALL")


def test_raw_entries_come_in_sorted_path_order_one_at_a_time(tmp_path):
    from analysis.warehouse.files import raw_entries

    names = ["a.txt", "a/x.xml", "a/b/y.xml", "a0", "a-b/z.xml", "B.csv", "README.md", "a/README.md",
             ".verborgen", "b/.git/config", "b/c.xml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    entries = raw_entries(tmp_path)
    assert iter(entries) is entries  # a generator: nothing per file is held
    skipped = {".verborgen": "hidden file (name starts with '.'): not read",
               "README.md": "documentation of the raw folder: not data",
               "b/.git/config": "in a hidden folder (b/.git/): not read"}
    assert [(e.rel, e.reason) for e in entries] == [(n, skipped.get(n)) for n in [
        ".verborgen", "B.csv", "README.md", "a-b/z.xml", "a.txt", "a/README.md", "a/b/y.xml", "a/x.xml", "a0",
        "b/.git/config", "b/c.xml"]]
