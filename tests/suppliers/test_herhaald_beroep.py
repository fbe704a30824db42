"""Herhaald beroep on a hand-made warehouse; every figure is worked out in the comments.

Trajectories (aanbieder A 11111111 unless said, GM0361, Jeugd productcategorie 45) and new toewijzingen:

  client  trajectory               reden  new toewijzing (first 301)          unit?
  a       2023-01-01..2024-03-31   31     A, 2024-09-01                       volgens plan, back at A
  b       2023-01-01..2024-02-29   32     B, 2024-05-01                       voortijdig, back at another aanbieder
  c       2023-01-01..2024-06-30   31     A, 2025-08-01 (13 months on)        volgens plan, no return
  d       2023-01-01..2024-04-30   31     -                                   no end: B's trajectory (from
                                                                              2024-03-01) runs on
  e       2023-01-01..2024-05-31   02     -                                   death: left out
  f       2023-01-01..2024-01-31   34     A, 2024-01-15 (before the end)      voortijdig, no return
  k       2023-01-01..2024-08-31   31     -                                   one unit, voortijdig: a second
          2023-06-01..2024-08-31   33                                         trajectory ends the same day with 33
  m       2024-01-01..2024-02-15   31     A, 2024-03-01, trajectory           first end counts (back at A);
          2024-03-10..2024-10-31   31                                         the second end is the same unit
  g       2023-01-01..2025-03-31   31     -                                   2025: 12 months not over on 2025-12-31
  h       GM0398 2023..2024-07-31  31     B in Venlo (GM0983), 2024-10-01    Dijk en Waard, back elsewhere
  w       iWmo 02 2023..2024-04-30 19     Jeugd, 2024-06-01                   Wmo volgens plan, no return (other domein)
  n       2023-01-01..2024-05-31   none   -                                   no reden: overig
"""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.suppliers.herhaald_beroep import herhaald_beroep

A, B = "11111111", "22222222"
D = date
MEET = D(2025, 12, 31)


def _traject(client, begin, end, reden, agb=A, gemeente="GM0361", **extra):
    start = dict(client_id=client, begindatum=begin, aanbieder_agb=agb, gemeente_code=gemeente, **extra)
    return start, None if end is None else start | dict(einddatum=end, reden_beeindiging=reden)


def _tw(nr, client, tw, agb=A, gemeente="GM0361", **extra):
    return dict(toewijzingnummer=nr, client_id=client, toewijzingsdatum=tw, aanbieder_agb=agb, gemeente_code=gemeente,
                bericht_id=f"T{nr}", **extra)


Y23 = D(2023, 1, 1)
TRAJECTEN = [
    _traject("a", Y23, D(2024, 3, 31), "31"), _traject("b", Y23, D(2024, 2, 29), "32"),
    _traject("c", Y23, D(2024, 6, 30), "31"), _traject("d", Y23, D(2024, 4, 30), "31"),
    _traject("d", D(2024, 3, 1), None, None, agb=B), _traject("e", Y23, D(2024, 5, 31), "02"),
    _traject("f", Y23, D(2024, 1, 31), "34"), _traject("k", Y23, D(2024, 8, 31), "31"),
    _traject("k", D(2023, 6, 1), D(2024, 8, 31), "33"), _traject("m", D(2024, 1, 1), D(2024, 2, 15), "31"),
    _traject("m", D(2024, 3, 10), D(2024, 10, 31), "31"), _traject("g", Y23, D(2025, 3, 31), "31"),
    _traject("h", Y23, D(2024, 7, 31), "31", gemeente="GM0398"),
    _traject("w", Y23, D(2024, 4, 30), "19", standaard="iWmo", productcategorie="02", productcode="02A01"),
    _traject("n", Y23, D(2024, 5, 31), None),
]
TABLES = {
    "start": [s for s, _ in TRAJECTEN],
    "stop": [e for _, e in TRAJECTEN if e is not None],
    "toewijzing": [
        _tw(101, "a", D(2024, 9, 1)), _tw(102, "b", D(2024, 5, 1), agb=B), _tw(103, "c", D(2025, 8, 1)),
        _tw(104, "f", D(2024, 1, 15)), _tw(105, "m", D(2024, 3, 1)),
        _tw(106, "h", D(2024, 10, 1), agb=B, gemeente="GM0983"), _tw(107, "w", D(2024, 6, 1)),
    ],
    "contract": [dict(contract_id="K1", aanbieder_agb=A, aanbieder_naam="Alfa Zorg", regio="Noord-Kennemerland",
                      domein="Jeugd", begindatum=D(2022, 1, 1))],
}
COLS = ["gemeente_code_huidig", "domein", "uitkomst", "beeindigd", "nog_niet_gevolgd", "clienten", "terug",
        "terug_zelfde_aanbieder", "terug_andere_aanbieder"]


@pytest.fixture(scope="module")
def con():
    return fixture_warehouse(TABLES)


def test_herhaald_beroep_per_aanbieder_gemeente_and_uitkomst(con):
    frame = herhaald_beroep(con, jaar=2024, meetdatum=MEET)
    assert set(frame["aanbieder_agb"]) == {A} and set(frame["aanbieder_naam"]) == {"Alfa Zorg"}
    assert frame[COLS].values.tolist() == [
        # h: back at B in Venlo, counted to A in Dijk en Waard (GM0398 re-based): 1 of 1
        ["GM1980", "Jeugd", "volgens_plan", 1, 0, 1, 1, 0, 1],
        # a (back at A), c (13 months: no), m (first end, back at A): 2 of 3;
        # d (care runs on at B) and e (death) left out
        ["GM0361", "Jeugd", "volgens_plan", 3, 0, 3, 2, 2, 0],
        # b (back at another aanbieder), f (toewijzing decided before the end: no return), k (31 and 33 the same
        # day: voortijdig): 1 of 3
        ["GM0361", "Jeugd", "voortijdig", 3, 0, 3, 1, 0, 1],
        # n: an end without a reden is overig
        ["GM0361", "Jeugd", "overig", 1, 0, 1, 0, 0, 0],
        # w: the new toewijzing is Jeugd, not Wmo
        ["GM0361", "Wmo", "volgens_plan", 1, 0, 1, 0, 0, 0],
    ]
    assert frame["aandeel_terug_pct"].tolist() == [100.0, pytest.approx(200 / 3), pytest.approx(100 / 3), 0.0, 0.0]


def test_herhaald_beroep_per_gemeente_and_scope(con):
    frame = herhaald_beroep(con, gemeente="GM0361", jaar=2024, meetdatum=MEET, by=("uitkomst",))
    # volgens plan a, c, m, w: 2 back of 4; voortijdig b, f, k: 1 of 3
    assert frame[["uitkomst", "beeindigd", "terug", "aandeel_terug_pct"]].values.tolist() == [
        ["volgens_plan", 4, 2, 50.0], ["voortijdig", 3, 1, pytest.approx(100 / 3)], ["overig", 1, 0, 0.0]]
    # Noord Limburg: no trajectory ended there (h's return in Venlo counts to Dijk en Waard)
    assert herhaald_beroep(con, regio="Noord Limburg", jaar=2024, meetdatum=MEET).empty


def test_herhaald_beroep_counts_only_followed_units(con):
    # on 2025-03-31 only ends up to 2024-03-31 have had their 12 months: a, m (volgens plan), b, f (voortijdig)
    frame = herhaald_beroep(con, jaar=2024, meetdatum=D(2025, 3, 31), by=("uitkomst",))
    cols = ["uitkomst", "beeindigd", "nog_niet_gevolgd", "clienten", "terug"]
    # n (overig, 31 May) not followed yet: no share, sorted last
    assert frame[cols].values.tolist() == [["volgens_plan", 5, 3, 2, 2], ["voortijdig", 3, 1, 2, 1],
                                           ["overig", 1, 1, 0, 0]]
    assert frame["aandeel_terug_pct"].iloc[:2].tolist() == [100.0, 50.0] and pd.isna(frame["aandeel_terug_pct"].iloc[2])
    # 2025: g ended 2025-03-31, not followed for 12 months yet on 2025-12-31: no share
    g = herhaald_beroep(con, jaar=2025, meetdatum=MEET, by=("uitkomst",))
    assert g[["beeindigd", "nog_niet_gevolgd", "clienten"]].values.tolist() == [[1, 1, 0]]
    assert g["aandeel_terug_pct"].isna().all()


def test_herhaald_beroep_meetdatum_from_the_build(con):
    with pytest.raises(ValueError, match="meetdatum"):
        herhaald_beroep(con, jaar=2024)
    built = fixture_warehouse(TABLES)
    built.execute("CREATE TABLE bouw AS SELECT DATE '2025-12-31' AS datadatum")
    assert herhaald_beroep(built, jaar=2024)["terug"].sum() == 4
    with pytest.raises(ValueError, match="by: cannot group by"):
        herhaald_beroep(con, jaar=2024, meetdatum=MEET, by=("client_id",))
