"""Hostile and broken raw folders: the build finishes, logs every entry with its reason, leaks no BSN.

The raw folder of ``raw`` below, every entry with what the build must do with it (figures by hand):
  README.md                          skipped: documentation of the raw folder
  istandaard/.d5.xml                 skipped: hidden file (a message of client D)
  istandaard/.oud/d6.xml             skipped: in a hidden folder (a message of client D)
  istandaard/2023 -> ../../buiten/2023   skipped: a year folder linked to a folder outside raw (client C)
  istandaard/2024/d1.xml             loaded: client A, R1 and R2                      read 2, loaded 2
  istandaard/README.md               loaded: a message named README.md (client B, R3) read 1, loaded 1
  istandaard/Thumbs.db               skipped: Windows' thumbnail cache
  istandaard/caf\\xe9.xml            loaded: a name with a byte that is not UTF-8 (client B, R7)  1, 1
  istandaard/kopie.xml -> 2024/d1.xml    skipped: a link inside raw
  istandaard/nieuwe\\nregel.xml      loaded: a newline in the name (client A, R8)    read 1, loaded 1
  istandaard/passwd.xml -> /etc/passwd   skipped: a link outside raw
  istandaard/pijp.xml                skipped: a named pipe (opening it would hang the build)
  istandaard/weg.xml -> nergens.xml  skipped: a dangling link
  istandaard/zero.xml -> /dev/zero   skipped: a link outside raw (reading it would never end)
  volwassenheid/noord-kennemerland/scan-\\xff.csv   loaded: Alkmaar's answer; Venlo's is quarantined
                                     (not in the region of the folder)                read 2, loaded 1, quarantined 1
Totals: 15 entries, 5 loaded, 10 skipped, 0 unreadable; rows read 2+1+1+1+2 = 7, loaded 6, quarantined 1.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import duckdb
import pytest
import xmlbuild as xb

from analysis import cli
from analysis.privacy import pseudonymise
from analysis.warehouse import connect

SECRET = "a hostile-input test secret of 32+ characters"
A, B, C, D = xb.VALID_BSN
SCAN = ("respondent,organisatie,organisatie_soort,organisatie_code,rol,model,pijler,vraag,huidig,ambitie,ingevuld\n"
        "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-07,2,3,2025-10-01\n"
        "r2,Venlo,gemeente,GM0983,,kmm,IT,K-07,2,3,2025-10-01\n")
CAFE = os.fsdecode(b"caf\xe9.xml")
SCAN_NAME = os.fsdecode(b"scan-\xff.csv")


def _message(bsn: str, ref: str, nummer: str) -> str:
    return xb.declaratie({bsn: [xb.prestatie(ref)]}, nummer=nummer, ident="B" + nummer)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    raw, ist = base / "raw", base / "raw" / "istandaard"
    _write(raw / "README.md", "# raw\n")
    _write(ist / ".d5.xml", _message(D, "R5", "D5"))
    _write(ist / ".oud" / "d6.xml", _message(D, "R6", "D6"))
    _write(base / "buiten" / "2023" / "d9.xml", _message(C, "R9", "D9"))
    (ist / "2023").symlink_to(base / "buiten" / "2023")
    _write(ist / "2024" / "d1.xml", xb.declaratie({A: [xb.prestatie("R1"), xb.prestatie("R2")]}, nummer="D1"))
    _write(ist / "README.md", _message(B, "R3", "D3"))
    _write(ist / "Thumbs.db", "\x00\x01thumbs")
    _write(ist / CAFE, _message(B, "R7", "D7"))
    (ist / "kopie.xml").symlink_to("2024/d1.xml")
    _write(ist / "nieuwe\nregel.xml", _message(A, "R8", "D8"))
    (ist / "passwd.xml").symlink_to("/etc/passwd")
    os.mkfifo(ist / "pijp.xml")
    (ist / "weg.xml").symlink_to("nergens.xml")
    (ist / "zero.xml").symlink_to("/dev/zero")
    _write(raw / "volwassenheid" / "noord-kennemerland" / SCAN_NAME, SCAN)
    return raw


@pytest.fixture(scope="module")
def built(raw: Path) -> tuple[int, dict, Path]:
    """(exit code, JSON report, warehouse) of ``inkoopmonitor build --json`` on ``raw``."""
    warehouse = raw.parent / "w.duckdb"
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        mp.setenv("INKOOPMONITOR_SECRET", SECRET)
        code = cli.main(["build", "--raw", str(raw), "--warehouse", str(warehouse), "--json", "--no-progress"])
    return code, json.loads(out.getvalue()), warehouse


def _files(report: dict) -> dict[str, dict]:
    return {f["path"]: f for f in report["files"]}


def _skipped(report: dict, path: str) -> list[str]:
    entry = _files(report)[path]
    assert entry["status"] == "overgeslagen" and entry["sha256"] is None and entry["rows_read"] == 0, entry
    return entry["notes"]


def test_the_build_finishes_with_every_entry_in_its_report(built):
    code, report, _ = built
    assert code == 0
    assert list(_files(report)) == [
        "README.md", "istandaard/.d5.xml", "istandaard/.oud/d6.xml", "istandaard/2023", "istandaard/2024/d1.xml",
        "istandaard/README.md", "istandaard/Thumbs.db", "istandaard/caf\\xe9.xml", "istandaard/kopie.xml",
        "istandaard/nieuwe\\x0aregel.xml", "istandaard/passwd.xml", "istandaard/pijp.xml", "istandaard/weg.xml",
        "istandaard/zero.xml", "volwassenheid/noord-kennemerland/scan-\\xff.csv"]
    assert report["totals"] == {"rows_read": 7, "rows_loaded": 6, "rows_quarantined": 1, "files": 15,
                                "files_geladen": 5, "files_duplicaat": 0, "files_onleesbaar": 0,
                                "files_overgeslagen": 10}


def test_read_is_loaded_plus_quarantined_per_file(built):
    _, report, _ = built
    counts = {p: (f["rows_read"], f["rows_loaded"], f["rows_quarantined"]) for p, f in _files(report).items()
              if f["status"] == "geladen"}
    assert counts == {"istandaard/2024/d1.xml": (2, 2, 0), "istandaard/README.md": (1, 1, 0),
                      "istandaard/caf\\xe9.xml": (1, 1, 0), "istandaard/nieuwe\\x0aregel.xml": (1, 1, 0),
                      "volwassenheid/noord-kennemerland/scan-\\xff.csv": (2, 1, 1)}


def test_a_year_folder_linked_outside_is_skipped_not_read(built, raw):
    _, report, warehouse = built
    target = raw.parent / "buiten" / "2023"
    assert _skipped(report, "istandaard/2023") == [f"symbolic link to {target}, outside the raw folder: not followed"]
    assert not any("d9" in path for path in _files(report))
    assert _clients(warehouse) == {pseudonymise(A, secret=SECRET), pseudonymise(B, secret=SECRET)}


def test_links_to_system_files_and_devices_are_never_opened(built):
    _, report, _ = built
    assert _skipped(report, "istandaard/passwd.xml") == ["symbolic link to /etc/passwd, outside the raw folder: not followed"]
    assert _skipped(report, "istandaard/zero.xml") == ["symbolic link to /dev/zero, outside the raw folder: not followed"]


def test_dangling_and_inner_links_are_skipped(built):
    _, report, _ = built
    assert _skipped(report, "istandaard/weg.xml") == ["symbolic link to nergens.xml, which does not exist: not followed"]
    assert _skipped(report, "istandaard/kopie.xml") == [
        "symbolic link to 2024/d1.xml, inside the raw folder: not followed (links are never read)"]


def test_a_named_pipe_is_skipped_without_opening_it(built):
    _, report, _ = built
    assert _skipped(report, "istandaard/pijp.xml") == ["not a regular file (named pipe): not read"]


def test_hidden_files_and_folders_are_logged_as_skipped(built, raw):
    _, report, warehouse = built
    assert _skipped(report, "istandaard/.d5.xml") == ["hidden file (name starts with '.'): not read"]
    assert _skipped(report, "istandaard/.oud/d6.xml") == ["in a hidden folder (istandaard/.oud/): not read"]
    assert _skipped(report, "istandaard/Thumbs.db") == ["thumbnail cache of Windows Explorer: not data"]
    assert pseudonymise(D, secret=SECRET) not in _clients(warehouse)


def test_only_the_raw_folders_own_readme_is_not_data(built):
    _, report, warehouse = built
    assert _skipped(report, "README.md") == ["documentation of the raw folder: not data"]
    readme = _files(report)["istandaard/README.md"]
    assert readme["status"] == "geladen" and readme["kind"] == "JW323"
    with connect(warehouse) as con:
        assert con.sql("SELECT referentienummer FROM bron_declaratie d JOIN laadlog l USING (file_id) "
                       "WHERE l.pad = 'istandaard/README.md'").fetchall() == [("R3",)]


def test_names_that_are_not_utf8_are_read_and_shown_escaped(built):
    _, report, warehouse = built
    with connect(warehouse) as con:
        refs = dict(con.sql("SELECT l.pad, d.referentienummer FROM bron_declaratie d JOIN laadlog l USING (file_id) "
                            "WHERE l.pad LIKE '%\\x%' ESCAPE '!'").fetchall())
        reden = con.sql("SELECT reden FROM quarantaine").fetchall()
    assert refs == {"istandaard/caf\\xe9.xml": "R7", "istandaard/nieuwe\\x0aregel.xml": "R8"}
    assert reden == [("gemeente GM0983 is not in jeugdzorgregio Noord-Kennemerland (the folder of the file)",)]


def test_no_bsn_anywhere_in_the_warehouse(built):
    _, _, warehouse = built
    data = warehouse.read_bytes()
    assert [bsn for bsn in (A, B, C, D) if bsn.encode() in data] == []
    assert _texts_holding(warehouse, (A, B, C, D)) == []


def _clients(warehouse: Path) -> set[str]:
    with connect(warehouse) as con:
        return {row[0] for row in con.sql("SELECT DISTINCT client_id FROM bron_declaratie").fetchall()}


def _texts_holding(warehouse: Path, needles: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, column) of every text column of every table whose values contain one of ``needles``."""
    hits = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.sql("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND "
                          "database_name = current_database() AND data_type NOT IN ('BIGINT', 'INTEGER', 'DATE', "
                          "'DOUBLE', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE')").fetchall()
        for table, column in columns:
            where = " OR ".join(f"CAST(\"{column}\" AS VARCHAR) LIKE '%{n}%'" for n in needles)
            if con.sql(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchall()[0][0]:
                hits.append((table, column))
    return hits


def test_a_folder_that_cannot_be_listed_and_a_file_that_cannot_be_opened_are_unreadable(raw, tmp_path, monkeypatch):
    """Tests run as root here, where permissions do not stop anything: the refusals are simulated."""
    import errno

    import analysis.warehouse.files as files
    from analysis.warehouse import build

    scandir, open_ = os.scandir, os.open
    refused = OSError(errno.EACCES, os.strerror(errno.EACCES))

    def listing(path):
        if str(path).endswith("/istandaard/2024"):
            raise refused
        return scandir(path)

    def opening(path, *args):
        if str(path).endswith("README.md") and "istandaard" in str(path):
            raise refused
        return open_(path, *args)

    monkeypatch.setattr(files.os, "scandir", listing)
    monkeypatch.setattr(files.os, "open", opening)
    report = build(raw, tmp_path / "w.duckdb", secret=SECRET, workers=1)
    assert [(e["path"], e["errors"]) for e in report.unreadable] == [
        ("istandaard/2024/", ["istandaard/2024/: folder could not be listed (Permission denied): its files were not read"]),
        ("istandaard/README.md", ["istandaard/README.md: could not be opened (Permission denied)"])]
    # the folder's one entry stands for d1.xml; d1.xml (2 rows) and README.md (1) not read: 7 - 3 = 4 rows
    assert (report.totals["files"], report.totals["rows_read"]) == (15, 4)


# --- the pseudonymisation key ------------------------------------------------------------------------


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A raw folder of real data (no demo marker): one message of client A."""
    _write(tmp_path / "raw" / "istandaard" / "d1.xml", _message(A, "R1", "D1"))
    return tmp_path / "raw"


def _bouw(warehouse: Path) -> list[tuple]:
    with connect(warehouse) as con:
        return con.sql("SELECT sleutel FROM bouw").fetchall()


def test_real_data_without_a_secret_exits_2_and_says_how_to_set_one(real, tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("INKOOPMONITOR_SECRET", raising=False)
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert (f"{real} is not the demo (inkoopmonitor-demo.txt is missing) and no pseudonymisation secret was given: "
            "set INKOOPMONITOR_SECRET to a random secret of at least 32 characters") in caplog.text
    assert "export INKOOPMONITOR_SECRET=$(python -c 'import secrets; print(secrets.token_hex(32))')" in caplog.text
    assert list(tmp_path.iterdir()) == [real]


@pytest.mark.parametrize("secret, problem", [
    ("", "INKOOPMONITOR_SECRET is empty"),
    ("x" * 31, "the secret has 31 characters, fewer than 32"),
    ("demo-secret-NOT-FOR-REAL-DATA", "the secret is the published demo key"),
])
def test_an_empty_short_or_published_secret_is_refused_for_real_data(real, tmp_path, monkeypatch, caplog,
                                                                     secret, problem):
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("INKOOPMONITOR_SECRET", SECRET)
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(warehouse)]) == 0
    before = warehouse.read_bytes()
    monkeypatch.setenv("INKOOPMONITOR_SECRET", secret)
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(warehouse)]) == 2
    assert f"(inkoopmonitor-demo.txt is missing) and {problem}: set INKOOPMONITOR_SECRET" in caplog.text
    assert warehouse.read_bytes() == before


def test_an_own_secret_of_32_characters_is_recorded_as_its_kind_only(real, tmp_path, monkeypatch):
    secret = "0123456789abcdef0123456789abcdef"
    monkeypatch.setenv("INKOOPMONITOR_SECRET", secret)
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    assert _bouw(tmp_path / "w.duckdb") == [("eigen geheim",)]
    assert _clients(tmp_path / "w.duckdb") == {pseudonymise(A, secret=secret)}
    assert secret.encode() not in (tmp_path / "w.duckdb").read_bytes()
    assert _texts_holding(tmp_path / "w.duckdb", (secret,)) == []


def test_only_a_folder_with_the_demo_marker_may_use_the_demo_key(real, tmp_path, monkeypatch):
    from analysis.privacy import DEMO_SECRET

    monkeypatch.delenv("INKOOPMONITOR_SECRET", raising=False)
    (tmp_path / "elders.txt").write_text("not a marker")
    (real / "inkoopmonitor-demo.txt").symlink_to(tmp_path / "elders.txt")
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(tmp_path / "w.duckdb")]) == 2  # a link is no marker
    (real / "inkoopmonitor-demo.txt").unlink()
    (real / "inkoopmonitor-demo.txt").write_text("demo\n")
    assert cli.main(["build", "--raw", str(real), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    assert _bouw(tmp_path / "w.duckdb") == [("demosleutel",)]
    assert _clients(tmp_path / "w.duckdb") == {pseudonymise(A, secret=DEMO_SECRET)}
    with connect(tmp_path / "w.duckdb") as con:
        assert con.sql("SELECT status, notities FROM laadlog WHERE pad = 'inkoopmonitor-demo.txt'").fetchall() == [
            ("overgeslagen", ["marker of the generated demo: not data"])]


def test_the_demo_writer_writes_the_marker(demo_warehouse):
    assert (demo_warehouse.parent / "raw" / "inkoopmonitor-demo.txt").is_file()
    assert _bouw(demo_warehouse) == [("eigen geheim",)]  # the session's demo is built with a test secret


# --- large files, rebuilds seen by a long-lived process, killed builds ---------------------------------


def test_a_file_is_hashed_in_blocks_not_read_whole(tmp_path):
    import hashlib
    import tracemalloc

    from analysis.warehouse.files import open_file

    path = tmp_path / "groot.csv"
    path.write_bytes(b"kolom\n" + b"rommel;" * (32 * 1024 * 1024 // 7))
    tracemalloc.start()
    sha256, size, data = open_file(str(path), keep=False, limit=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (sha256, size, data) == (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size, None)
    assert peak < 3 * 1024 * 1024  # two 1 MiB blocks at most, against 32 MiB for the whole file


def test_connect_after_a_rebuild_sees_the_new_warehouse(real, tmp_path):
    from analysis.warehouse import build

    warehouse = tmp_path / "w.duckdb"
    build(real, warehouse, secret=SECRET)
    first = connect(warehouse)  # a kernel that stays open across the rebuild
    assert first.sql("SELECT count(*) FROM declaratieregel").fetchall() == [(1,)]
    _write(real / "istandaard" / "d2.xml", _message(B, "R2", "D2"))
    build(real, warehouse, secret=SECRET)
    with connect(warehouse) as again:
        assert again.sql("SELECT count(*) FROM declaratieregel").fetchall() == [(2,)]
    assert first.sql("SELECT count(*) FROM declaratieregel").fetchall() == [(1,)]  # its own snapshot, unharmed
    first.close()


def test_a_build_removes_the_temporary_files_of_dead_builds_only(real, tmp_path):
    import subprocess
    import sys

    from analysis.warehouse import build

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, alive = int(done.stdout), os.getppid()
    names = [f".w.duckdb.bouw-{dead}", f".w.duckdb.bouw-{dead}.wal", f".w.duckdb.bouw-{alive}", ".w.duckdb.bouw-x"]
    (tmp_path / f".w.duckdb.bouw-{dead}.tmp").mkdir()  # DuckDB's spill folder
    (tmp_path / f".w.duckdb.bouw-{dead}.tmp" / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"spilled")
    for name in names:
        (tmp_path / name).write_bytes(b"half a warehouse")
    build(real, tmp_path / "w.duckdb", secret=SECRET)
    assert sorted(p.name for p in tmp_path.glob(".w.duckdb*")) == sorted(names[2:])


KILLED_BUILD = """
import os, sys
from pathlib import Path
import analysis.warehouse.load as load
load.SERIAL_BELOW, load.CHUNK_FILES = 0, 25     # the pool, and many chunks, for a few thousand files
from analysis.warehouse import build
build(Path(sys.argv[1]), Path(sys.argv[2]), secret=os.environ["INKOOPMONITOR_SECRET"], workers=2)
"""


def _workers(pid: int) -> list[int]:
    """The pool workers among the children of process ``pid``."""
    children = []
    with contextlib.suppress(OSError):  # the build may end while its tasks are listed
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(c) for c in _read(str(task / "children")).split()]
    return [c for c in children if b"spawn_main" in _read(f"/proc/{c}/cmdline")]


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def _gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (gone, or a zombie nobody reaped)."""
    stat = _read(f"/proc/{pid}/stat")
    return not stat or stat.rpartition(b")")[2].split()[0] == b"Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_kill_9_mid_load_keeps_the_old_warehouse_and_leaves_nothing_behind(tmp_path):
    import hashlib
    import signal
    import subprocess
    import sys
    import time

    from analysis.warehouse import build

    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    for n in range(3000):
        _write(raw / "istandaard" / f"{n // 1000}" / f"d{n}.xml", _message(A, "R1", f"D{n}"))
    build(raw, warehouse, secret=SECRET, workers=1)
    old = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    child = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(raw), str(warehouse)],
                             env={**os.environ, "INKOOPMONITOR_SECRET": SECRET})
    tmp = tmp_path / f".w.duckdb.bouw-{child.pid}"
    deadline, workers = time.monotonic() + 60, []
    while time.monotonic() < deadline and child.poll() is None and not (tmp.exists() and len(workers) == 2):
        workers = _workers(child.pid)
        time.sleep(0.02)
    assert child.poll() is None and len(workers) == 2, "the build ended before it could be killed mid-load"
    child.send_signal(signal.SIGKILL)
    child.wait()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not all(map(_gone, workers)):
            time.sleep(0.1)
        assert [w for w in workers if not _gone(w)] == []
    finally:
        for w in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(w, signal.SIGKILL)
    assert tmp.exists()  # what the killed build left
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == old
    with connect(warehouse) as con:
        assert con.sql("SELECT count(*), count(*) FILTER (status = 'geladen') FROM laadlog").fetchall() == [(3000, 3000)]
    build(raw, warehouse, secret=SECRET, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "w.duckdb"]
