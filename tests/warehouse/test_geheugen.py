"""A read-only warehouse connection answers a repeated question from memory; no other connection does."""

from __future__ import annotations

import gc
from pathlib import Path

import duckdb
import pytest

from analysis.warehouse import geheugen
from analysis.warehouse.build import connect

# random() gives a new number at every execution: the same number twice means the query ran once
RANDOM = "SELECT random() AS r, $n * 2 AS v"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1), (2)) v(x)")
    return path


def test_a_read_only_connection_runs_a_repeated_query_once(warehouse: Path) -> None:
    con = connect(warehouse)
    first, again = geheugen.frame(con, RANDOM, {"n": 1}), geheugen.frame(con, RANDOM, {"n": 1})
    assert first.loc[0, "r"] == again.loc[0, "r"] and again.loc[0, "v"] == 2
    other = geheugen.frame(con, RANDOM, {"n": 2})  # other parameters: asked again
    assert other.loc[0, "v"] == 4 and other.loc[0, "r"] != first.loc[0, "r"]
    assert geheugen.rows(con, "SELECT sum(x) FROM t", {}) == [(3,)]
    assert geheugen.rows(con, "SELECT random()", {}) == geheugen.rows(con, "SELECT random()", {})


def test_other_connections_are_asked_every_time() -> None:
    con = duckdb.connect()  # in memory and writable: its data may change between two questions
    assert geheugen.frame(con, RANDOM, {"n": 1}).loc[0, "r"] != geheugen.frame(con, RANDOM, {"n": 1}).loc[0, "r"]
    assert geheugen.rows(con, "SELECT random()", {}) != geheugen.rows(con, "SELECT random()", {})


def test_changing_an_answer_does_not_change_what_is_kept(warehouse: Path) -> None:
    con = connect(warehouse)
    first = geheugen.frame(con, "SELECT x FROM t ORDER BY x", {})
    first.loc[0, "x"] = 99
    first["extra"] = 1
    rows = geheugen.rows(con, "SELECT x FROM t ORDER BY x", {})
    rows.append((5,))
    assert geheugen.frame(con, "SELECT x FROM t ORDER BY x", {}).to_dict("list") == {"x": [1, 2]}
    assert geheugen.rows(con, "SELECT x FROM t ORDER BY x", {}) == [(1,), (2,)]


def test_the_answers_go_with_their_connection(warehouse: Path) -> None:
    before = len(geheugen._kept)
    con = connect(warehouse)
    geheugen.frame(con, RANDOM, {"n": 1})
    assert len(geheugen._kept) == before + 1
    con.close()
    del con
    gc.collect()
    assert len(geheugen._kept) == before
