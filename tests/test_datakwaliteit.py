"""Datakwaliteit en tijdigheid on a hand-made warehouse; every figure is worked out in the comments.

Declaratie lines (iJw 45A03; A = 11111111 in GM0361, B = 22222222 in GM0983 Venlo, Noord Limburg):

  line  agb  client  period  cents    323 (sent)        answer (325)                      status
  R1    A    a       2024-03  100000  D1/B1 2024-04-05  A1 2024-04-19 (10 working days)   goedgekeurd
  R2    A    b       2024-03   50000  D1/B1             line rejected 0611,9346           afgekeurd
  R3    A    a       2024-03  -20000  D1/B1             credit of R1                      goedgekeurd
  R4    A    c       2024-03   30000  D2/B2 2024-06-10  A2 2024-06-25 whole message 9338  afgekeurd (11 working days)
  R5    A    a       2024-04   40000  D3/B3 2024-05-03  none                              in_behandeling
  R6    B    d       2024-03   10000  D4/B4 2024-04-02  A4 2024-04-04 (2 working days)    goedgekeurd
  R7    B    e       2024-01   10000  D5/B5 2024-04-15  A5 2024-04-16                     goedgekeurd
  R8    B    d       2024-03   10000  D6/B6 2024-05-20  A6 2024-05-22 (2 working days)    goedgekeurd (declared again)
  R9    B    e       2024-02   10000  D7/B7 2024-03-28  A7 2024-04-02 (Easter Monday off) goedgekeurd

Trajectories (Jeugd 45 unless said): A GM0361 a from 2024-03-01, b 2024-03-01..03-20, c 2024-02-10..04-30,
w iWmo 02 in March (A has no Wmo contract); B GM0983 d 2024-03-01..03-31, e 2024-01-01..01-31.
Contracts: A Noord-Kennemerland Jeugd, B Noord Limburg Jeugd, both from 2022.
"""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.datakwaliteit import (antwoordtermijn, bestanden_niet_geladen, declaratiekwaliteit,
                                    declaratievertraging, feestdagen, maanddeclaraties, maanddeclaraties_telling,
                                    open_na_herindeling,
                                    quarantaine_overzicht, retourcodes_per_maand)

A, B = "11111111", "22222222"
D = date
MAR = dict(periode_begin=D(2024, 3, 1), periode_eind=D(2024, 3, 31))


def _line(ref, agb, client, cents, period, nummer, bericht, sent, **extra):
    return dict(referentienummer=ref, aanbieder_agb=agb, client_id=client, ingediend_cent=cents, tarief_cent=abs(cents),
                declaratienummer=nummer, bericht_id=bericht, declaratie_datum=sent, bericht_datum=sent, **period,
                **extra)


def _traject(client, begin, end=None, agb=A, gemeente="GM0361", **extra):
    start = dict(client_id=client, begindatum=begin, aanbieder_agb=agb, gemeente_code=gemeente, **extra)
    return start, None if end is None else start | dict(einddatum=end, reden_beeindiging="31")


TRAJECTEN = [
    _traject("a", D(2024, 3, 1)), _traject("b", D(2024, 3, 1), D(2024, 3, 20)),
    _traject("c", D(2024, 2, 10), D(2024, 4, 30)),
    _traject("w", D(2024, 3, 1), D(2024, 3, 31), standaard="iWmo", productcategorie="02", productcode="02A01"),
    _traject("d", D(2024, 3, 1), D(2024, 3, 31), agb=B, gemeente="GM0983"),
    _traject("e", D(2024, 1, 1), D(2024, 1, 31), agb=B, gemeente="GM0983"),
]
TABLES = {
    "declaratie": [
        _line("R1", A, "a", 100000, MAR, "D1", "B1", D(2024, 4, 5)),
        _line("R2", A, "b", 50000, MAR, "D1", "B1", D(2024, 4, 5)),
        _line("R3", A, "a", -20000, MAR, "D1", "B1", D(2024, 4, 5), vorig_referentienummer="R1"),
        _line("R4", A, "c", 30000, MAR, "D2", "B2", D(2024, 6, 10)),
        _line("R5", A, "a", 40000, dict(periode_begin=D(2024, 4, 1), periode_eind=D(2024, 4, 30)), "D3", "B3",
              D(2024, 5, 3)),
        _line("R6", B, "d", 10000, MAR, "D4", "B4", D(2024, 4, 2), gemeente_code="GM0983"),
        _line("R7", B, "e", 10000, dict(periode_begin=D(2024, 1, 1), periode_eind=D(2024, 1, 31)), "D5", "B5",
              D(2024, 4, 15), gemeente_code="GM0983"),
        _line("R8", B, "d", 10000, MAR, "D6", "B6", D(2024, 5, 20), gemeente_code="GM0983"),
        _line("R9", B, "e", 10000, dict(periode_begin=D(2024, 2, 1), periode_eind=D(2024, 2, 29)), "D7", "B7",
              D(2024, 3, 28), gemeente_code="GM0983"),
    ],
    "antwoord": [
        dict(aanbieder_agb=A, declaratie_id="B1", declaratienummer="D1", bericht_id="A1", bericht_datum=D(2024, 4, 19)),
        dict(aanbieder_agb=A, declaratie_id="B2", declaratienummer=None, bericht_id="A2", bericht_datum=D(2024, 6, 25),
             kop_retourcodes="9338"),
        dict(aanbieder_agb=B, declaratie_id="B4", declaratienummer="D4", bericht_id="A4", bericht_datum=D(2024, 4, 4),
             gemeente_code="GM0983"),
        dict(aanbieder_agb=B, declaratie_id="B5", declaratienummer="D5", bericht_id="A5",
             bericht_datum=D(2024, 4, 16), gemeente_code="GM0983"),
        dict(aanbieder_agb=B, declaratie_id="B6", declaratienummer="D6", bericht_id="A6",
             bericht_datum=D(2024, 5, 22), gemeente_code="GM0983"),
        dict(aanbieder_agb=B, declaratie_id="B7", declaratienummer="D7", bericht_id="A7",
             bericht_datum=D(2024, 4, 2), gemeente_code="GM0983"),
    ],
    "antwoord_regel": [dict(aanbieder_agb=A, declaratienummer="D1", declaratie_id="B1", referentienummer="R2",
                            retourcodes="0611,9346")],
    "start": [s for s, _ in TRAJECTEN],
    "stop": [e for _, e in TRAJECTEN if e is not None],
    "contract": [
        dict(contract_id="K1", aanbieder_agb=A, aanbieder_naam="Alfa Zorg", regio="Noord-Kennemerland",
             domein="Jeugd", begindatum=D(2022, 1, 1)),
        dict(contract_id="K2", aanbieder_agb=B, aanbieder_naam="Beta Hulp", regio="Noord Limburg", domein="Jeugd",
             begindatum=D(2022, 1, 1)),
    ],
}


@pytest.fixture(scope="module")
def con():
    con = fixture_warehouse(TABLES)
    con.execute("""INSERT INTO quarantaine VALUES
        (7, 'declaratie', 'line 12', 'ProductCategorie 99 is not in the iJw code list',
         '{"gemeente_code": "GM0361", "bericht_datum": "2024-03-05", "client_id": "x", "aanbieder_agb": "11111111"}'),
        (7, 'declaratie', 'line 14', 'ProductCategorie 98 is not in the iJw code list',
         '{"gemeente_code": "GM0361", "bericht_datum": "2024-03-20", "client_id": "y", "aanbieder_agb": "11111111"}'),
        (8, 'toewijzing', 'line 3', 'gemeente GM9999 is not a CBS gemeente code', '{"gemeente_code": "GM9999"}'),
        (9, 'contract_tarief', 'line 2', 'contract ''K9'' is not in the contract register', '{}')""")
    con.execute("""INSERT INTO laadlog (file_id, pad, bron, soort, status, duplicaat_van, rows_read, rows_loaded,
                                        rows_quarantined, fouten, notities) VALUES
        (1, 'istandaard/nk/JW323/2024/a.xml', 'istandaard', 'JW323', 'geladen', NULL, 5, 5, 0, [], []),
        (7, 'istandaard/nk/JW323/2024/b.xml', 'istandaard', 'JW323', 'geladen', NULL, 4, 2, 2, [], []),
        (10, 'istandaard/nk/JW323/2024/b (1).xml', 'istandaard', NULL, 'duplicaat', 'istandaard/nk/JW323/2024/b.xml',
         0, 0, 0, [], []),
        (11, 'istandaard/nk/JW325/2024/c.xml', 'istandaard', NULL, 'onleesbaar', NULL, 0, 0, 0, ['c.xml: not XML'], []),
        (12, 'istandaard/nk/JW325/2024/d.xml', 'istandaard', NULL, 'onleesbaar', NULL, 0, 0, 0, ['d.xml: empty'],
         [])""")
    return con


def test_declaratiekwaliteit_rejections_and_credits(con):
    frame = declaratiekwaliteit(con, gemeente="GM0361", jaar=2024, by=())
    mar, apr = frame.iloc[0], frame.iloc[1]
    # March: answered debit lines R1 (goed), R2 (line rejected), R4 (whole message rejected): 2 of 3;
    # 80000 of 180000 cents = 44.4 %; credit R3 -20000 of 180000 declared = 11.1 %; clients a, b, c
    assert (mar["maand"], mar["regels_beantwoord"], mar["regels_afgekeurd"]) == (pd.Timestamp(2024, 3, 1), 3, 2)
    assert (mar["ingediend_beantwoord_cent"], mar["afgekeurd_cent"], mar["debet_cent"]) == (180000, 80000, 180000)
    assert (mar["credit_regels"], mar["credit_cent"], mar["clienten"]) == (1, -20000, 3)
    assert mar["afwijzing_regels_pct"] == pytest.approx(200 / 3)
    assert mar["afwijzing_bedrag_pct"] == pytest.approx(400 / 9)
    assert mar["credit_aandeel_pct"] == pytest.approx(100 / 9)
    # April: R5 pending only
    assert (apr["regels_beantwoord"], apr["regels_in_behandeling"], apr["debet_cent"], apr["credit_aandeel_pct"]) == (
        0, 1, 40000, 0.0)
    assert pd.isna(apr["afwijzing_regels_pct"])
    # per aanbieder in Noord Limburg: B, January (R7), February (R9) and March (R6, R8), nothing rejected
    nl = declaratiekwaliteit(con, regio="Noord Limburg", jaar=2024)
    assert nl[["aanbieder_agb", "aanbieder_naam", "regels_afgekeurd"]].values.tolist() == [[B, "Beta Hulp", 0]] * 3


def test_retourcodes_per_maand(con):
    frame = retourcodes_per_maand(con, gemeente="GM0361", jaar=2024, by=())
    # March: R2 carries 0611 and 9346, R4 the message's 9338: each on 1 of the 2 rejected lines
    assert frame[["retourcode", "regels", "afgewezen_cent", "clienten", "aandeel_regels_pct"]].values.tolist() == [
        ["0611", 1, 50000, 1, 50.0], ["9338", 1, 30000, 1, 50.0], ["9346", 1, 50000, 1, 50.0]]


def test_declaratievertraging(con):
    frame = declaratievertraging(con, gemeente="GM0361", jaar=2024, by=("aanbieder_agb",))
    mar, apr = frame.iloc[0], frame.iloc[1]
    # March: R1 and R2 5 days after 31 March, R4 71 (30 + 31 + 10); p90 at 1.8: 5 + 0.8 * 66 = 57.8
    assert (mar["regels"], mar["clienten"], mar["mediaan_dagen"], mar["max_dagen"]) == (3, 3, 5.0, 71)
    assert mar["p90_dagen"] == pytest.approx(57.8)
    assert (mar["regels_na_norm"], mar["aandeel_na_norm_pct"]) == (1, pytest.approx(100 / 3))
    # April: R5 3 days after 30 April
    assert (apr["regels"], apr["mediaan_dagen"], apr["regels_na_norm"]) == (1, 3.0, 0)
    # on 31 May R4 (declared 10 June) is not known yet
    assert declaratievertraging(con, gemeente="GM0361", peildatum=D(2024, 5, 31), by=())["regels"].tolist() == [2, 1]
    assert frame["herdeclaratie_regels"].tolist() == [0, 0]
    # a norm of 80 days: nothing late
    assert declaratievertraging(con, gemeente="GM0361", jaar=2024, norm_dagen=80, by=())["regels_na_norm"].sum() == 0
    # Venlo, March: R6 first, 2 days; R8 for the same client, product and period again on 20 May: a herdeclaratie
    # (50 days) counted apart, not as late
    venlo = declaratievertraging(con, gemeente="GM0983", jaar=2024, by=())
    assert venlo[["regels", "mediaan_dagen", "regels_na_norm", "herdeclaratie_regels",
                  "herdeclaratie_mediaan_dagen"]].values.tolist()[2] == [1, 2.0, 0, 1, 50.0]


def test_antwoordtermijn_in_working_days(con):
    frame = antwoordtermijn(con, gemeente="GM0361", jaar=2024)
    cols = ["maand", "declaraties", "clienten", "beantwoord", "mediaan_werkdagen", "binnen_norm", "na_norm",
            "onbeantwoord_na_norm"]
    rows = frame[cols].values.tolist()
    # B1 sent Fri 5 April, answered Fri 19 April: 8-12 and 15-19 April = 10 working days, within the norm
    assert rows[0] == [pd.Timestamp(2024, 4, 1), 1, 2, 1, 10.0, 1, 0, 0]
    # B3 sent 3 May, no answer by 31 December: overdue
    assert rows[1][1:4] == [1, 1, 0] and rows[1][5:] == [0, 0, 1]
    # B2 sent Mon 10 June, rejected Tue 25 June: 11-14, 17-21, 24-25 June = 11 working days
    assert rows[2][1:] == [1, 1, 1, 11.0, 0, 1, 0]
    assert frame["aandeel_binnen_norm_pct"].tolist() == [100.0, 0.0, 0.0]
    # norm 11: B2 in time; on 10 May B3 has waited 5 working days: not yet overdue
    assert antwoordtermijn(con, gemeente="GM0361", jaar=2024, norm_werkdagen=11)["binnen_norm"].tolist() == [1, 0, 1]
    may = antwoordtermijn(con, gemeente="GM0361", peildatum=D(2024, 5, 10)).iloc[1]
    assert (may["onbeantwoord_na_norm"], may["onbeantwoord_binnen_norm"]) == (0, 1)
    # Venlo: B7 sent Thu 28 March, answered Tue 2 April: Good Friday counts, Easter Monday does not: 2 working
    # days; B4 sent Tue 2 April, answered Thu 4 April: 2; B5 the next day: 1; B6 Mon 20 May, answered Wed 22: 2
    nl = antwoordtermijn(con, regio="Noord Limburg", jaar=2024, by=("aanbieder_agb",))
    assert nl[["aanbieder_agb", "declaraties", "mediaan_werkdagen", "p90_werkdagen"]].values.tolist() == [
        [B, 1, 2.0, 2.0], [B, 2, 1.5, pytest.approx(1.9)], [B, 1, 2.0, 2.0]]


def test_measures_per_quarter_and_for_the_whole_period(con):
    # GM0361 over 2024 in one row: answered R1, R2, R4 (2 rejected, 80000 of 180000 cents), R5 pending;
    # debit 180000 + 40000 = 220000 cents, credit R3 -20000: 9.09 %; clients a, b, c
    whole = declaratiekwaliteit(con, gemeente="GM0361", jaar=2024, by=(), tijdvak=None)
    assert "maand" not in whole.columns and len(whole) == 1
    row = whole.iloc[0]
    assert (row["regels_beantwoord"], row["regels_afgekeurd"], row["regels_in_behandeling"], row["debet_cent"],
            row["clienten"]) == (3, 2, 1, 220000, 3)
    assert row["credit_aandeel_pct"] == pytest.approx(100 / 11)
    # per quarter: March in Q1, April in Q2
    quarters = declaratiekwaliteit(con, gemeente="GM0361", jaar=2024, by=(), tijdvak="kwartaal")
    assert quarters["kwartaal"].tolist() == [pd.Timestamp(2024, 1, 1), pd.Timestamp(2024, 4, 1)]
    assert quarters["regels_beantwoord"].tolist() == [3, 0]
    # retourcodes of the whole period, per aanbieder: March's three codes
    codes = retourcodes_per_maand(con, gemeente="GM0361", jaar=2024, tijdvak=None)
    assert codes[["aanbieder_naam", "retourcode", "regels", "aandeel_regels_pct"]].values.tolist() == [
        ["Alfa Zorg", "0611", 1, 50.0], ["Alfa Zorg", "9338", 1, 50.0], ["Alfa Zorg", "9346", 1, 50.0]]
    assert retourcodes_per_maand(con, gemeente="GM0361", jaar=2024, by=(), tijdvak=None)["regels"].tolist() == [1, 1, 1]
    # first submissions R5 3 days, R1 and R2 5, R4 71: median 5, p90 at 2.7: 5 + 0.7 * 66 = 51.2; one late of 4
    lag = declaratievertraging(con, gemeente="GM0361", jaar=2024, by=(), tijdvak=None).iloc[0]
    assert (lag["regels"], lag["clienten"], lag["mediaan_dagen"], lag["max_dagen"], lag["regels_na_norm"]) == (
        4, 3, 5.0, 71, 1)
    assert lag["p90_dagen"] == pytest.approx(51.2) and lag["aandeel_na_norm_pct"] == 25.0
    # answers: B1 10 working days, B2 11, B3 none and overdue: median 10.5, 1 within the norm of 3 judged
    answers = antwoordtermijn(con, gemeente="GM0361", jaar=2024, tijdvak=None).iloc[0]
    assert (answers["declaraties"], answers["clienten"], answers["beantwoord"], answers["mediaan_werkdagen"],
            answers["binnen_norm"], answers["onbeantwoord_na_norm"]) == (3, 3, 2, 10.5, 1, 1)
    assert answers["aandeel_binnen_norm_pct"] == pytest.approx(100 / 3)
    # Venlo by quarter: B7 (28 March) in Q1; B4, B5 and B6 in Q2 (2, 1 and 2 working days)
    venlo = antwoordtermijn(con, gemeente="GM0983", jaar=2024, tijdvak="kwartaal")
    assert venlo[["kwartaal", "declaraties", "mediaan_werkdagen"]].values.tolist() == [
        [pd.Timestamp(2024, 1, 1), 1, 2.0], [pd.Timestamp(2024, 4, 1), 3, 2.0]]


def test_feestdagen_of_the_algemene_termijnenwet():
    # 2025: Easter 20 April; 27 April is a Sunday, so Koningsdag is the 26th; Hemelvaart 29 May, Pinksteren 8 June
    assert [d.isoformat() for d in feestdagen(2025)] == [
        "2025-01-01", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29", "2025-06-09", "2025-12-25", "2025-12-26"]


def test_quarantaine_overzicht(con):
    frame = quarantaine_overzicht(con)
    # the two declaratie rows share one kind of reason (the categorie code masked), file 7, GM0361, March
    first = frame.iloc[0]
    assert (first["tabel"], first["reden_soort"], first["gemeente_code_huidig"], first["maand"]) == (
        "declaratie", "ProductCategorie # is not in the iJw code list", "GM0361", pd.Timestamp(2024, 3, 1))
    assert (first["rijen"], first["bestanden"], first["clienten"]) == (2, 1, 2)
    assert first["aanbieder_agb"] == A
    # then one row each, by table; GM9999 is no gemeente, the contract row has none; quoted values masked
    assert frame[["tabel", "reden_soort", "rijen"]].values.tolist()[1:] == [
        ["contract_tarief", "contract … is not in the contract register", 1],
        ["toewijzing", "gemeente # is not a CBS gemeente code", 1]]
    assert frame["gemeente_code_huidig"].iloc[1:].isna().all()
    assert quarantaine_overzicht(con, gemeente="GM0361")["rijen"].tolist() == [2]
    assert quarantaine_overzicht(con, regio="Noord Limburg").empty


def test_bestanden_niet_geladen(con):
    frame = bestanden_niet_geladen(con)
    # not loaded first (two unreadable, one duplicate), then the loaded file with quarantined rows
    assert frame[["status", "bestanden", "map", "rijen_quarantaine"]].values.tolist() == [
        ["onleesbaar", 2, "nk", 0], ["duplicaat", 1, "nk", 0], ["geladen", 1, "nk", 2]]
    # the first path's error; a duplicate names its original; the loaded file has no error
    assert frame["reden"].iloc[:2].tolist() == ["c.xml: not XML", "istandaard/nk/JW323/2024/b.xml"]
    assert pd.isna(frame["reden"].iloc[2]) and frame["clienten"].tolist() == [0, 0, 0]


def test_quarantine_and_files_of_a_region():
    con = fixture_warehouse({})
    con.execute("""INSERT INTO quarantaine VALUES
        (1, 'contract', 'line 2', 'plafond_eur ''x'' is not an amount', '{"aanbieder_agb": "11111111"}'),
        (2, 'volwassenheid', 'line 5', 'huidig: level outside the kmm scale 1-4 (''5'')',
         '{"organisatie_code": "98501228", "regio": "Noord Limburg"}'),
        (3, 'declaratie', 'line 9', 'ProductCategorie 99 is not in the iJw code list',
         '{"gemeente_code": "GM0361", "client_id": "x"}'),
        (3, 'declaratie', 'line 12', 'ProductCategorie 98 is not in the iJw code list',
         '{"gemeente_code": "GM0983", "client_id": "y"}')""")
    con.execute("""INSERT INTO laadlog (file_id, pad, bron, soort, status, duplicaat_van, rows_read, rows_loaded,
                                        rows_quarantined, fouten, notities) VALUES
        (1, 'contracten/noord-limburg/c.csv', 'contracten', 'contract', 'geladen', NULL, 3, 2, 1, [], []),
        (2, 'volwassenheid/elders/s.csv', 'volwassenheid', 'volwassenheid', 'geladen', NULL, 5, 4, 1, [], []),
        (3, 'istandaard/noord-kennemerland/JW323/x.xml', 'istandaard', 'JW323', 'geladen', NULL, 4, 2, 2, [], []),
        (4, 'README.md', NULL, NULL, 'overgeslagen', NULL, 0, 0, 0, [], ['documentation of the raw folder']),
        (5, 'istandaard/noord-limburg/JW323/y.xml', 'istandaard', NULL, 'onleesbaar', NULL, 0, 0, 0,
         ['y.xml: not XML'], [])""")
    # Noord Limburg: the contract row (no gemeente, its file in the region's folder), the scan answer (its record
    # names the region) and Venlo's row (its gemeente wins over the folder of its file); not Alkmaar's
    nl = quarantaine_overzicht(con, regio="Noord Limburg", by=())
    assert nl[["tabel", "reden_soort", "rijen", "clienten"]].values.tolist() == [
        ["contract", "plafond_eur … is not an amount", 1, 0],
        ["declaratie", "ProductCategorie # is not in the iJw code list", 1, 1],
        ["volwassenheid", "huidig: level outside the kmm scale # (…)", 1, 0]]
    assert quarantaine_overzicht(con, regio="Noord-Kennemerland", by=())["tabel"].tolist() == ["declaratie"]
    # the whole warehouse: the two declaratie rows are one kind of reason, in one file, about two clients
    first = quarantaine_overzicht(con, by=()).iloc[0]
    assert (first["tabel"], first["rijen"], first["bestanden"], first["clienten"]) == ("declaratie", 2, 1, 2)
    # files: the region's folder, and a folder that is no region's; never another region's or the README
    files = bestanden_niet_geladen(con, regio="Noord Limburg")
    assert files[["status", "bron", "map"]].values.tolist() == [
        ["onleesbaar", "istandaard", "noord-limburg"], ["geladen", "contracten", "noord-limburg"],
        ["geladen", "volwassenheid", "elders"]]
    assert bestanden_niet_geladen(con, regio="Noord-Kennemerland")["map"].tolist() == ["noord-kennemerland", "elders"]
    assert bestanden_niet_geladen(con)["bestanden"].sum() == 5


def test_maanddeclaraties_on_time_late_and_missing(con):
    frame = maanddeclaraties(con, peildatum=D(2024, 5, 31))
    cols = ["maand", "aanbieder_agb", "status", "clienten", "clienten_gedeclareerd", "clienten_zonder_declaratie"]
    assert frame[cols].values.tolist() == [
        # A, February: c in care from 10 February, nothing declared, due 30 March
        [pd.Timestamp(2024, 2, 1), A, "ontbreekt", 1, 0, 1],
        # B, January: e declared on 15 April, due 1 March
        [pd.Timestamp(2024, 1, 1), B, "te_laat", 1, 1, 0],
        # A, May: a in care, due 30 June: after the peildatum
        [pd.Timestamp(2024, 5, 1), A, "nog_niet_verwacht", 1, 0, 1],
        # A, March: a, b, c in care; R1, R2 by 5 April; R4 (c) only on 10 June, after the peildatum
        [pd.Timestamp(2024, 3, 1), A, "tijdig", 3, 2, 1],
        [pd.Timestamp(2024, 3, 1), B, "tijdig", 1, 1, 0],
        # A, April: a and c in care, R5 for a on 3 May
        [pd.Timestamp(2024, 4, 1), A, "tijdig", 2, 1, 1],
    ]
    # w's Wmo care is not expected: A has no Wmo contract
    assert set(frame["domein"]) == {"Jeugd"}
    assert frame["uiterlijk"].iloc[0] == pd.Timestamp(2024, 3, 30)
    venlo = maanddeclaraties(con, gemeente="GM0983", peildatum=D(2024, 5, 31))
    assert venlo["status"].tolist() == ["te_laat", "tijdig"]


def test_maanddeclaraties_telling_counts_months_and_distinct_clients(con):
    frame = maanddeclaraties_telling(con, peildatum=D(2024, 5, 31), by=("aanbieder_agb",))
    cols = ["aanbieder_naam", "maanden", "tijdig", "te_laat", "ontbreekt", "nog_niet_verwacht", "clienten",
            "clienten_te_laat", "clienten_ontbreekt"]
    # A: February missing (c), March and April on time (a, b, c; a, c), May not due yet (a): 2 of 3 judged on time
    # B: January late (e), March on time (d): 1 of 2
    assert frame[cols].values.tolist() == [["Alfa Zorg", 4, 2, 0, 1, 1, 3, 0, 1], ["Beta Hulp", 2, 1, 1, 0, 0, 2, 1, 0]]
    assert frame["aandeel_tijdig_pct"].tolist() == [pytest.approx(200 / 3), 50.0]
    # the whole warehouse: 6 months, clients a to e once each, 3 of 5 judged months on time
    total = maanddeclaraties_telling(con, peildatum=D(2024, 5, 31), by=()).iloc[0]
    assert (total["maanden"], total["clienten"], total["aandeel_tijdig_pct"]) == (6, 5, 60.0)


def test_open_na_herindeling():
    # Heerhugowaard (GM0398) merged into Dijk en Waard on 2022-01-01: p's 305 of 2021 was never stopped (declared
    # last for November 2021); q's was stopped on 31 December 2021; r is of Alkmaar, a current code
    tables = {
        "start": [dict(client_id="p", begindatum=D(2021, 6, 1), gemeente_code="GM0398"),
                  dict(client_id="q", begindatum=D(2021, 3, 1), gemeente_code="GM0398"),
                  dict(client_id="r", begindatum=D(2021, 3, 1))],
        "stop": [dict(client_id="q", begindatum=D(2021, 3, 1), gemeente_code="GM0398", einddatum=D(2021, 12, 31),
                      reden_beeindiging="31")],
        "declaratie": [_line("R1", "12345678", "p", 1000,
                             dict(periode_begin=D(2021, 11, 1), periode_eind=D(2021, 11, 30)), "D1", "B1",
                             D(2021, 12, 5), gemeente_code="GM0398")],
    }
    con = fixture_warehouse(tables)
    frame = open_na_herindeling(con, regio="Noord-Kennemerland", jaar=2024)
    assert frame[["gemeente_code", "opgeheven", "gemeente_code_huidig", "trajecten", "clienten", "eerste_begindatum",
                  "laatste_declaratie_maand"]].values.tolist() == [
        ["GM0398", pd.Timestamp(2022, 1, 1), "GM1980", 1, 1, pd.Timestamp(2021, 6, 1), pd.Timestamp(2021, 11, 1)]]
    # before the merger nothing is wrong yet
    assert open_na_herindeling(con, peildatum=D(2021, 12, 31)).empty


@pytest.mark.parametrize("call, match", [
    (lambda con: declaratiekwaliteit(con, gemeente="GM0398", jaar=2024), "not a current gemeente"),
    (lambda con: retourcodes_per_maand(con, jaar=2024, by=("client_id",)), "by: cannot group by"),
    (lambda con: declaratievertraging(con, jaar=2024, norm_dagen=-5), "norm_dagen"),
    (lambda con: antwoordtermijn(con, jaar=2024, by=("productcategorie",)), "by: cannot group by"),
    (lambda con: antwoordtermijn(con, jaar=2024, norm_werkdagen=1.5), "norm_werkdagen"),
    (lambda con: quarantaine_overzicht(con, gemeente="GM0361", regio="Noord Limburg"), "not both"),
    (lambda con: declaratiekwaliteit(con, jaar=2024, tijdvak="week"), "tijdvak"),
    (lambda con: quarantaine_overzicht(con, by=("client_id",)), "by: cannot group by"),
    (lambda con: bestanden_niet_geladen(con, regio="Atlantis"), "regio"),
    (lambda con: maanddeclaraties(con, regio="Atlantis", jaar=2024), "regio"),
    (lambda con: maanddeclaraties(con), "jaar / peildatum"),
    (lambda con: maanddeclaraties_telling(con, jaar=2024, by=("productcategorie",)), "by: cannot group by"),
    (lambda con: open_na_herindeling(con, gemeente="GM0398", jaar=2024), "not a current gemeente"),
])
def test_datakwaliteit_refuses_bad_arguments(con, call, match):
    with pytest.raises(ValueError, match=match):
        call(con)
