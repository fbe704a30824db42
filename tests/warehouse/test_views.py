"""The derived tables of a build, on hand-written staging rows (see ``warehouse_fixture``)."""

from datetime import date

from warehouse_fixture import fixture_warehouse

START = dict(aanbieder_agb="12345678", client_id="c1", toewijzingnummer=7, begindatum=date(2024, 1, 1))


def test_traject_keeps_two_gemeenten_with_the_same_toewijzingnummer_apart():
    # Alkmaar (GM0361) and Den Helder (GM0400) each issued toewijzingnummer 7 to the same aanbieder for
    # the same client. Alkmaar's trajectory stopped on 2024-03-31 (91 days); Den Helder's stop was
    # withdrawn (status 3, sent later), so that trajectory is still running.
    con = fixture_warehouse({
        "start": [START | dict(gemeente_code="GM0361", bericht_id="S1"),
                  START | dict(gemeente_code="GM0400", bericht_id="S2")],
        "stop": [START | dict(gemeente_code="GM0361", bericht_id="E1", einddatum=date(2024, 3, 31),
                              reden_beeindiging="02"),
                 START | dict(gemeente_code="GM0400", bericht_id="E2", einddatum=date(2024, 2, 29),
                              reden_beeindiging="02"),
                 START | dict(gemeente_code="GM0400", bericht_id="E3", einddatum=date(2024, 2, 29),
                              reden_beeindiging="02", status_aanlevering="3", bericht_datum=date(2024, 6, 2))],
    })
    rows = con.sql("SELECT gemeente_code, einddatum, duur_dagen, uitkomst = 'lopend' FROM traject "
                   "ORDER BY gemeente_code").fetchall()
    assert rows == [("GM0361", date(2024, 3, 31), 91, False), ("GM0400", None, None, True)]


def test_traject_withdrawn_start_counts_no_trajectory():
    con = fixture_warehouse({
        "start": [START | dict(bericht_id="S1"),
                  START | dict(bericht_id="S2", status_aanlevering="3", bericht_datum=date(2024, 2, 1))],
    })
    assert con.sql("SELECT count(*) FROM traject").fetchall() == [(0,)]


def test_traject_an_end_with_an_unknown_reden_is_overig_not_lopend():
    # reden "99" is in neither code list: the trajectory did end (2024-03-31), its outcome is unknown
    con = fixture_warehouse({
        "start": [START | dict(gemeente_code="GM0361", bericht_id="S1")],
        "stop": [START | dict(gemeente_code="GM0361", bericht_id="E1", einddatum=date(2024, 3, 31),
                              reden_beeindiging="99")],
    })
    assert con.sql("SELECT uitkomst, duur_dagen FROM traject").fetchall() == [("overig", 91)]
