"""Wachttijd on a hand-made warehouse; every figure is worked out in the comments.

Aanbieder A (11111111) in GM0361, productcategorie 45, toewijzingen (tw = first toewijzingsdatum):

  nr  client  tw          ingang      start       wait  note
  1   a       2024-01-10  2024-01-15  2024-01-20   10   5 days after the ingangsdatum
  2   b       2024-02-01  2024-02-01  2024-03-22   50   started after the 42-day norm
  3   c       2024-03-01  2024-02-20  2024-02-20    0   start before the toewijzing (terugwerkende kracht)
  4   d       2024-10-01  -           -                 no start, 91 days on 31 Dec: niet gestart na norm
  5   e       2024-12-15  -           -                 no start, 16 days: still within the norm
  6   f       2024-05-01  -           -                 no start, einddatum 2024-06-30: vervallen
  7   a       2024-04-01  2024-04-01  2024-04-21   20   re-sent on 2024-06-01 (a change): the wait counts from the first
  8   g       2023-11-01  -           -                 no start, issued in 2023: 426 days on 31 Dec 2024
  9   h       2024-12-01  -           2025-01-10        start after the period: not started on 31 Dec (30 days)

Aanbieder B (22222222): nr 20, client k, GM0398 (now GM1980, Noord-Kennemerland) tw 2024-01-01, start
2024-01-31: 30 days; nr 30, client m, GM0983 (Venlo, Noord Limburg) tw 2024-01-01, start 2024-01-02: 1 day.
"""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.suppliers.wachttijd import niet_gestart, niet_gestart_telling, wachttijd, wachttijd_trend

A, B = "11111111", "22222222"
D = date


def _tw(nr, client, tw, ingang=None, eind=None, agb=A, gemeente="GM0361", bericht=None):
    return dict(toewijzingnummer=nr, client_id=client, toewijzingsdatum=tw, ingangsdatum=ingang, einddatum=eind,
                aanbieder_agb=agb, gemeente_code=gemeente, bericht_datum=tw, bericht_id=bericht or f"T{nr}")


def _start(nr, client, begin, agb=A, gemeente="GM0361"):
    return dict(toewijzingnummer=nr, client_id=client, begindatum=begin, aanbieder_agb=agb, gemeente_code=gemeente)


TABLES = {
    "toewijzing": [
        _tw(1, "a", D(2024, 1, 10), D(2024, 1, 15)), _tw(2, "b", D(2024, 2, 1), D(2024, 2, 1)),
        _tw(3, "c", D(2024, 3, 1), D(2024, 2, 20)), _tw(4, "d", D(2024, 10, 1)), _tw(5, "e", D(2024, 12, 15)),
        _tw(6, "f", D(2024, 5, 1), eind=D(2024, 6, 30)), _tw(7, "a", D(2024, 4, 1), D(2024, 4, 1)),
        _tw(7, "a", D(2024, 6, 1), D(2024, 4, 1), bericht="T7b"), _tw(8, "g", D(2023, 11, 1)),
        _tw(9, "h", D(2024, 12, 1)),
        _tw(20, "k", D(2024, 1, 1), agb=B, gemeente="GM0398"), _tw(30, "m", D(2024, 1, 1), agb=B, gemeente="GM0983"),
    ],
    "start": [
        _start(1, "a", D(2024, 1, 20)), _start(2, "b", D(2024, 3, 22)), _start(3, "c", D(2024, 2, 20)),
        _start(7, "a", D(2024, 4, 21)), _start(9, "h", D(2025, 1, 10)),
        _start(20, "k", D(2024, 1, 31), agb=B, gemeente="GM0398"),
        _start(30, "m", D(2024, 1, 2), agb=B, gemeente="GM0983"),
    ],
    "contract": [dict(contract_id="K1", aanbieder_agb=A, aanbieder_naam="Alfa Zorg", regio="Noord-Kennemerland",
                      domein="Jeugd", begindatum=D(2022, 1, 1))],
}


@pytest.fixture(scope="module")
def con():
    return fixture_warehouse(TABLES)


def test_wachttijd_per_aanbieder_with_the_edges(con):
    frame = wachttijd(con, jaar=2024)
    # sorted on the share within the norm: A (60 %) before B (100 %, two gemeenten)
    assert frame[["aanbieder_agb", "gemeente_code_huidig"]].values.tolist() == [
        [A, "GM0361"], [B, "GM0983"], [B, "GM1980"]]
    a = frame.iloc[0]
    assert (a["aanbieder_naam"], a["productcategorie"]) == ("Alfa Zorg", "45")
    # issued in 2024: 1-7 and 9 (8 is of 2023): 8 toewijzingen of 7 clients (a twice)
    assert (a["toewijzingen"], a["clienten"]) == (8, 7)
    # started by 31 Dec: 1 (10), 2 (50), 3 (0: before the toewijzing), 7 (20 from the first 301, not the re-sent one)
    assert (a["gestart"], a["start_voor_toewijzing"]) == (4, 1)
    # median of 0, 10, 20, 50 = 15; p90 at position 3 * 0.9 = 2.7: 20 + 0.7 * 30 = 41
    assert (a["mediaan_dagen"], a["p90_dagen"]) == (15.0, pytest.approx(41.0))
    # after the ingangsdatum: 5, 50, 0, 20 -> median 12.5
    assert a["mediaan_na_ingang_dagen"] == 12.5
    # within 42 days: 1, 3, 7; after: 2; no start: 4 overdue (91 days), 5 and 9 waiting (16, 30), 6 vervallen
    assert (a["gestart_binnen_norm"], a["gestart_na_norm"], a["niet_gestart_na_norm"], a["wachtend_binnen_norm"],
            a["vervallen_zonder_start"]) == (3, 1, 1, 2, 1)
    # 3 within the norm of 4 started + 1 overdue = 60 %
    assert a["aandeel_binnen_norm_pct"] == 60.0
    # the distinct clients each figure rests on: started a (twice), b, c; judged those and d; overdue d
    assert (a["clienten_gestart"], a["clienten_beoordeeld"], a["clienten_niet_gestart"]) == (3, 4, 1)
    # B in Dijk en Waard (GM0398 re-based): 30 days
    assert frame.iloc[2][["mediaan_dagen", "aandeel_binnen_norm_pct"]].tolist() == [30.0, 100.0]


def test_wachttijd_norm_and_scope(con):
    # norm 60: toewijzing 2 (50 days) is within it too: 4 of 5; 4 (91 days) is still overdue
    a = wachttijd(con, gemeente="GM0361", jaar=2024, norm_dagen=60, by=("aanbieder_agb",)).iloc[0]
    assert (a["gestart_binnen_norm"], a["niet_gestart_na_norm"], a["aandeel_binnen_norm_pct"]) == (4, 1, 80.0)
    # Noord Limburg: only B's toewijzing 30 in Venlo, 1 day
    nl = wachttijd(con, regio="Noord Limburg", jaar=2024, by=("aanbieder_agb",))
    assert nl[["aanbieder_agb", "toewijzingen", "mediaan_dagen"]].values.tolist() == [[B, 1, 1.0]]
    # by peildatum 31 March: 1, 2 and 3 issued, all started by then
    q1 = wachttijd(con, gemeente="GM0361", peildatum=D(2024, 3, 31), by=()).iloc[0]
    assert (q1["toewijzingen"], q1["gestart"], q1["mediaan_dagen"]) == (3, 3, 10.0)


def test_wachttijd_refuses_bad_arguments(con):
    with pytest.raises(ValueError, match="not both"):
        wachttijd(con, gemeente="GM0361", regio="Noord Limburg", jaar=2024)
    with pytest.raises(ValueError, match="regio"):
        wachttijd(con, regio="Atlantis", jaar=2024)
    with pytest.raises(ValueError, match="norm_dagen"):
        wachttijd(con, jaar=2024, norm_dagen=-1)
    with pytest.raises(ValueError, match="by: cannot group by"):
        wachttijd(con, jaar=2024, by=("client_id",))


def test_wachttijd_trend_per_quarter(con):
    frame = wachttijd_trend(con, gemeente="GM0361", jaar=2024, kwartalen=4, by=())
    # Q1: 1, 2, 3 (10, 50, 0 days: median 10, 2 of 3 within); Q2: 7 (20) and 6 (vervallen); Q3: nothing;
    # Q4: 4 overdue, 5 and 9 waiting -> 0 of 1 judged
    assert frame["kwartaal"].tolist() == ["2024-Q1", "2024-Q2", "2024-Q4"]
    assert frame["toewijzingen"].tolist() == [3, 2, 3]
    assert frame["mediaan_dagen"].iloc[:2].tolist() == [10.0, 20.0] and pd.isna(frame["mediaan_dagen"].iloc[2])
    assert frame["aandeel_binnen_norm_pct"].tolist() == [pytest.approx(200 / 3), 100.0, 0.0]
    assert frame["vervallen_zonder_start"].tolist() == [0, 1, 0]
    assert frame["kwartaal_begin"].iloc[0] == pd.Timestamp(2024, 1, 1)
    # eight quarters back reach 2023-Q4: toewijzing 8
    assert wachttijd_trend(con, gemeente="GM0361", jaar=2024, by=())["kwartaal"].iloc[0] == "2023-Q4"


def test_niet_gestart_lists_the_longest_wait_first(con):
    frame = niet_gestart(con, gemeente="GM0361", jaar=2024)
    # 8: 2023-11-01 to 2024-12-31 = 366 + 60 = 426 days; 4: 91 days; 5 and 9 are within the norm, 6 vervallen
    assert frame[["toewijzingnummer", "dagen_wachtend", "clienten"]].values.tolist() == [[8, 426, 1], [4, 91, 1]]
    assert frame["aanbieder_naam"].tolist() == ["Alfa Zorg", "Alfa Zorg"]
    # on 30 June only toewijzing 8 was overdue (243 days); 6 ended that day
    assert niet_gestart(con, gemeente="GM0361", peildatum=D(2024, 6, 30))["toewijzingnummer"].tolist() == [8]


def test_niet_gestart_telling_counts_per_aanbieder(con):
    # A: toewijzingen 8 (g, 426 days) and 4 (d, 91 days): median 258.5; B has none
    frame = niet_gestart_telling(con, regio="Noord-Kennemerland", jaar=2024)
    assert frame[["aanbieder_naam", "toewijzingen", "clienten", "mediaan_dagen_wachtend", "max_dagen_wachtend"]
                 ].values.tolist() == [["Alfa Zorg", 2, 2, 258.5, 426]]
    # a norm of 10 days adds 5 (e, 16 days) and 9 (h, 30 days): 4 toewijzingen of 4 clients, median (30 + 91) / 2
    ten = niet_gestart_telling(con, gemeente="GM0361", jaar=2024, norm_dagen=10, by=()).iloc[0]
    assert (ten["toewijzingen"], ten["clienten"], ten["mediaan_dagen_wachtend"]) == (4, 4, 60.5)


def test_trend_and_list_refuse_bad_arguments(con):
    with pytest.raises(ValueError, match="kwartalen"):
        wachttijd_trend(con, jaar=2024, kwartalen=0)
    with pytest.raises(ValueError, match="norm_dagen"):
        niet_gestart(con, jaar=2024, norm_dagen=True)
    with pytest.raises(ValueError, match="not a current gemeente"):
        niet_gestart(con, gemeente="GM0398", jaar=2024)
    with pytest.raises(ValueError, match="by: cannot group by"):
        niet_gestart_telling(con, jaar=2024, by=("client_id",))
