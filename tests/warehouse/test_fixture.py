"""The in-memory fixture warehouse gives the same views as a build: a check on the test tool itself."""

from datetime import date

import pytest
from warehouse_fixture import fixture_warehouse


def test_fixture_rows_reach_the_views():
    con = fixture_warehouse({
        "declaratie": [dict(referentienummer="R1", ingediend_cent=1000), dict(referentienummer="R2", ingediend_cent=500)],
        "antwoord": [dict()],
        "antwoord_regel": [dict(referentienummer="R2", retourcodes="9346")],
        "inwoners": [dict(gemeente_code="GM0398", jaar=2021, leeftijdsklasse="0-17", inwoners=12000)],
    })
    assert con.sql("SELECT referentienummer, status, toegekend_cent FROM declaratieregel ORDER BY 1").fetchall() == [
        ("R1", "goedgekeurd", 1000), ("R2", "afgekeurd", 0)]
    assert con.sql("SELECT gemeente_code_huidig, inwoners FROM inwoners").fetchall() == [("GM1980", 12000)]


def test_fixture_refuses_unknown_columns():
    with pytest.raises(KeyError, match="no column"):
        fixture_warehouse({"declaratie": [dict(bedrag=1)]})
