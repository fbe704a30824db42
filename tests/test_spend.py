"""Spend on hand-made declaration lines; every expected figure is worked out next to its assertion."""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.spend import monthly_spend

MARCH, APRIL = dict(periode_begin=date(2024, 3, 1), periode_eind=date(2024, 3, 31)), dict(
    periode_begin=date(2024, 4, 1), periode_eind=date(2024, 4, 30), declaratie_begin=date(2024, 4, 1),
    declaratie_eind=date(2024, 4, 30))


@pytest.fixture
def con():
    return fixture_warehouse({
        "declaratie": [
            dict(referentienummer="R1", ingediend_cent=100000, client_id="a", **MARCH),
            dict(referentienummer="R2", ingediend_cent=40000, client_id="b", **MARCH),       # rejected below
            dict(referentienummer="R3", ingediend_cent=20000, client_id="b", productcategorie="02",
                 productcode="02A01", standaard="iWmo", **MARCH),
            dict(referentienummer="R4", ingediend_cent=-100000, vorig_referentienummer="R1", client_id="a", **MARCH),
            dict(referentienummer="R5", ingediend_cent=90000, client_id="a", **MARCH),
            dict(referentienummer="R6", ingediend_cent=30000, client_id="c", gemeente_code="GM0398",
                 declaratienummer="D2", bericht_id="B2", **APRIL),                            # pending: no answer
            dict(referentienummer="R7", ingediend_cent=50000, client_id="d", gemeente_code="GM0398",
                 declaratienummer="D3", bericht_id="B3", **APRIL),
        ],
        "antwoord": [dict(), dict(declaratienummer="D3", declaratie_id="B3", bericht_id="A3")],
        "antwoord_regel": [dict(referentienummer="R2", retourcodes="9346")],
    })


def test_monthly_spend_is_net_of_credits_and_leaves_out_rejected_and_pending(con):
    frame = monthly_spend(con)
    march = frame[frame["maand"] == pd.Timestamp("2024-03-01")].set_index("domein")
    # Jeugd in March: R1 100000 - R4 100000 + R5 90000 = 90000 (R2 rejected); clients with a debit: a
    assert march.loc["Jeugd", "toegekend_cent"] == 90000 and march.loc["Jeugd", "clienten"] == 1
    # Wmo in March: R3 20000, client b
    assert march.loc["Wmo", "toegekend_cent"] == 20000 and march.loc["Wmo", "clienten"] == 1
    # April: only R7 (R6 is pending)
    april = frame[frame["maand"] == pd.Timestamp("2024-04-01")]
    assert april["toegekend_cent"].tolist() == [50000]


def test_monthly_spend_for_one_rebased_gemeente(con):
    # GM0398 Heerhugowaard is part of GM1980 Dijk en Waard: only R7 (50000)
    frame = monthly_spend(con, gemeente="GM1980", by=())
    assert frame["toegekend_cent"].tolist() == [50000]
    assert monthly_spend(con, gemeente="GM0361", by=(), tot=date(2024, 3, 31))["toegekend_cent"].tolist() == [110000]


def test_monthly_spend_rejects_unknown_grouping(con):
    with pytest.raises(ValueError, match="by: cannot group spend by"):
        monthly_spend(con, by=("bsn",))
