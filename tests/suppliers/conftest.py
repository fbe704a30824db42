"""One small warehouse for the supplier tests; every figure in the tests is worked out from these rows.

Aanbieder A (11111111, "Alfa Zorg") and B (22222222, "Beta Hulp"), productcode 45A03 (iJw, eenheid 04):

  line  aanbieder gemeente  period   client  ingediend  tarief  status
  R1    A         GM0361    2024-03  a       100000     100000  goedgekeurd
  R2    A         GM0361    2024-03  b        50000      50000  afgekeurd (0611,9346)
  R3    A         GM0361    2024-03  a      -100000     100000  goedgekeurd, credit of R1
  R4    A         GM0361    2024-03  a        98000      98000  goedgekeurd
  R11   A         GM0361    2024-03  h        40000      40000  afgekeurd (9346)
  R5    A         GM0398    2024-04  c        30000      30000  in_behandeling (no answer)
  R6    B         GM0398    2024-04  d       200000     100000  goedgekeurd (volume 2)
  R7    B         GM0398    2024-04  e       120000     120000  goedgekeurd
  R12   B         GM0398    2024-04  e        10000      10000  goedgekeurd, productcode 45A04 (no contract tariff)
  R10   B         GM0983    2024-05  g        70000      70000  goedgekeurd (Venlo, Noord Limburg)
  R8    A         GM0361    2023-03  a        60000      60000  goedgekeurd
  R9    A         GM0361    2023-03  f        20000      20000  goedgekeurd

Contracts (Jeugd, perceel P1): K1 A Noord-Kennemerland 2022-01-01..2024-06-30 plafond 400000 (tariff
2023: 60000, 2024: 95000); K2 A NK 2024-07-01..2026-12-31 no plafond (2024: 96000); K3 B NK
2023-01-01..open plafond 300000 (2024: 100000); K4 B Noord Limburg 2023-01-01..2025-03-31 plafond
100000 (2024: 60000). KPIs: K1 declaratie_juistheid min 0.95, K1 tevredenheid min 7.0, K3
aandeel_volgens_plan min 70 (a percentage).

Trajectories (productcategorie 45): A in GM0361: T1 a 2024-01-01..01-31 reden 31 (31 days), T2 b
2024-01-01..03-31 reden 32 (91 days), T3 c 2023-06-01..2024-06-30 reden 02 (396 days), T4 d from
2024-02-01 running, T5 e 2023-01-01..2025-01-31 reden 31, T6 f 2022-01-01..2023-05-31; B in GM0398:
T7 d 2024-03-01..04-30 reden 35 (61 days).

Satisfaction: A 2023 Jeugd 7.0 (10), A 2024 Jeugd 8.0 (20), A 2024 Wmo 6.5 (10), B 2024 Jeugd 6.0 (4).
"""

from datetime import date

import pytest
from warehouse_fixture import fixture_warehouse

A, B = "11111111", "22222222"
MAR24 = dict(periode_begin=date(2024, 3, 1), periode_eind=date(2024, 3, 31))
APR24 = dict(periode_begin=date(2024, 4, 1), periode_eind=date(2024, 4, 30), declaratie_begin=date(2024, 4, 1),
             declaratie_eind=date(2024, 4, 30))
MAY24 = dict(periode_begin=date(2024, 5, 1), periode_eind=date(2024, 5, 31), declaratie_begin=date(2024, 5, 1),
             declaratie_eind=date(2024, 5, 31))
MAR23 = dict(periode_begin=date(2023, 3, 1), periode_eind=date(2023, 3, 31), declaratie_begin=date(2023, 3, 1),
             declaratie_eind=date(2023, 3, 31))


def _line(ref, agb, client, cents, tarief, period, *, nummer, bericht, **extra):
    return dict(referentienummer=ref, aanbieder_agb=agb, client_id=client, ingediend_cent=cents, tarief_cent=tarief,
                declaratienummer=nummer, bericht_id=bericht, **period, **extra)


def _traject(agb, client, begin, end=None, reden=None, gemeente="GM0361"):
    start = dict(aanbieder_agb=agb, client_id=client, begindatum=begin, gemeente_code=gemeente)
    stop = None if end is None else start | dict(einddatum=end, reden_beeindiging=reden)
    return start, stop


def _contract(cid, agb, naam, regio, begin, end, plafond):
    return dict(contract_id=cid, regio=regio, aanbieder_agb=agb, aanbieder_naam=naam, domein="Jeugd", perceel="P1",
                begindatum=begin, einddatum=end, plafond_cent=plafond)


TRAJECTEN = [
    _traject(A, "a", date(2024, 1, 1), date(2024, 1, 31), "31"),
    _traject(A, "b", date(2024, 1, 1), date(2024, 3, 31), "32"),
    _traject(A, "c", date(2023, 6, 1), date(2024, 6, 30), "02"),
    _traject(A, "d", date(2024, 2, 1)),
    _traject(A, "e", date(2023, 1, 1), date(2025, 1, 31), "31"),
    _traject(A, "f", date(2022, 1, 1), date(2023, 5, 31), "31"),
    _traject(B, "d", date(2024, 3, 1), date(2024, 4, 30), "35", gemeente="GM0398"),
]

TABLES = {
    "declaratie": [
        _line("R1", A, "a", 100000, 100000, MAR24, nummer="D1", bericht="B1"),
        _line("R2", A, "b", 50000, 50000, MAR24, nummer="D1", bericht="B1"),
        _line("R3", A, "a", -100000, 100000, MAR24, nummer="D1", bericht="B1", vorig_referentienummer="R1"),
        _line("R4", A, "a", 98000, 98000, MAR24, nummer="D1", bericht="B1"),
        _line("R11", A, "h", 40000, 40000, MAR24, nummer="D1", bericht="B1"),
        _line("R5", A, "c", 30000, 30000, APR24, nummer="D2", bericht="B2", gemeente_code="GM0398"),
        _line("R6", B, "d", 200000, 100000, APR24, nummer="D3", bericht="B3", gemeente_code="GM0398", volume=2),
        _line("R7", B, "e", 120000, 120000, APR24, nummer="D3", bericht="B3", gemeente_code="GM0398"),
        _line("R12", B, "e", 10000, 10000, APR24, nummer="D3", bericht="B3", gemeente_code="GM0398",
              productcode="45A04"),
        _line("R10", B, "g", 70000, 70000, MAY24, nummer="D5", bericht="B5", gemeente_code="GM0983"),
        _line("R8", A, "a", 60000, 60000, MAR23, nummer="D4", bericht="B4"),
        _line("R9", A, "f", 20000, 20000, MAR23, nummer="D4", bericht="B4"),
    ],
    "antwoord": [
        dict(aanbieder_agb=A, declaratienummer="D1", declaratie_id="B1", bericht_id="A1"),
        dict(aanbieder_agb=B, declaratienummer="D3", declaratie_id="B3", bericht_id="A3"),
        dict(aanbieder_agb=A, declaratienummer="D4", declaratie_id="B4", bericht_id="A4"),
        dict(aanbieder_agb=B, declaratienummer="D5", declaratie_id="B5", bericht_id="A5", gemeente_code="GM0983"),
    ],
    "antwoord_regel": [
        dict(aanbieder_agb=A, declaratienummer="D1", declaratie_id="B1", referentienummer="R2", retourcodes="0611,9346"),
        dict(aanbieder_agb=A, declaratienummer="D1", declaratie_id="B1", referentienummer="R11", retourcodes="9346"),
    ],
    "contract": [
        _contract("K1", A, "Alfa Zorg", "Noord-Kennemerland", date(2022, 1, 1), date(2024, 6, 30), 400000),
        _contract("K2", A, "Alfa Zorg", "Noord-Kennemerland", date(2024, 7, 1), date(2026, 12, 31), None),
        _contract("K3", B, "Beta Hulp", "Noord-Kennemerland", date(2023, 1, 1), None, 300000),
        _contract("K4", B, "Beta Hulp", "Noord Limburg", date(2023, 1, 1), date(2025, 3, 31), 100000),
    ],
    "contract_tarief": [
        dict(contract_id=c, productcode="45A03", jaar=j, eenheid="04", tarief_cent=t)
        for c, j, t in (("K1", 2023, 60000), ("K1", 2024, 95000), ("K2", 2024, 96000), ("K3", 2024, 100000),
                        ("K4", 2024, 60000))
    ],
    "contract_kpi": [
        dict(contract_id="K1", kpi="declaratie_juistheid", norm="min", streefwaarde=0.95),
        dict(contract_id="K1", kpi="tevredenheid", norm="min", streefwaarde=7.0),
        dict(contract_id="K3", kpi="aandeel_volgens_plan", norm="min", streefwaarde=70.0),
    ],
    "tevredenheid": [
        dict(aanbieder_agb=A, jaar=2023, domein="Jeugd", score=7.0, respondenten=10),
        dict(aanbieder_agb=A, jaar=2024, domein="Jeugd", score=8.0, respondenten=20),
        dict(aanbieder_agb=A, jaar=2024, domein="Wmo", score=6.5, respondenten=10),
        dict(aanbieder_agb=B, jaar=2024, domein="Jeugd", score=6.0, respondenten=4),
    ],
    "start": [start for start, _ in TRAJECTEN],
    "stop": [stop for _, stop in TRAJECTEN if stop is not None],
}


@pytest.fixture(scope="session")
def con():
    """The warehouse above (read only in the tests)."""
    return fixture_warehouse(TABLES)
