"""Spend on hand-made declaration lines; every expected figure is worked out next to its assertion."""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.spend import monthly_spend

MARCH, APRIL = dict(periode_begin=date(2024, 3, 1), periode_eind=date(2024, 3, 31)), dict(
    periode_begin=date(2024, 4, 1), periode_eind=date(2024, 4, 30), declaratie_begin=date(2024, 4, 1),
    declaratie_eind=date(2024, 4, 30))


@pytest.fixture(scope="module")
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


# --- yearly spend, year on year, clients, per inhabitant ----------------------------------------

from analysis.spend import (  # noqa: E402
    add_benchmark, add_cost_per_client, add_per_inhabitant, add_year_on_year, benchmark, decompose_change,
    driver_cells, driver_groups, region_figures, round_cents, spend_drivers, spend_per_inhabitant, yearly_inwoners,
    yearly_spend)


def _period(year: int, month: int = 3) -> dict:
    start = date(year, month, 1)
    end = date(year, month, 28)
    return dict(periode_begin=start, periode_eind=end, declaratie_begin=start, declaratie_eind=end)


def _line(ref: str, cents: int, client: str, year: int, **kw) -> dict:
    return dict(referentienummer=ref, ingediend_cent=cents, client_id=client, **_period(year)) | kw


@pytest.fixture(scope="module")
def years():
    """Two years of Jeugd (45A03, eenheid 04) for Alkmaar and Dijk en Waard (GM0398 before the merger)."""
    return fixture_warehouse({
        "declaratie": [
            _line("A1", 100000, "a", 2023, volume=10, tarief_cent=10000),
            _line("A2", 100000, "b", 2023, volume=10, tarief_cent=10000),
            _line("A3", 300000, "a", 2024, volume=25, tarief_cent=12000),
            _line("A4", 300000, "b", 2024, volume=25, tarief_cent=12000),
            _line("A5", 300000, "c", 2024, volume=25, tarief_cent=12000),
            _line("A6", -120000, "c", 2024, volume=10, tarief_cent=12000, vorig_referentienummer="A5"),
            _line("A7", 50000, "d", 2024, volume=5, tarief_cent=10000, productcategorie="02",
                  productcode="02A01", standaard="iWmo"),
            _line("H1", 80000, "h", 2021, gemeente_code="GM0398", declaratienummer="D2", bericht_id="B2"),
            _line("H2", 60000, "h", 2022, gemeente_code="GM1980", declaratienummer="D3", bericht_id="B3"),
        ],
        "antwoord": [dict(), dict(declaratienummer="D2", declaratie_id="B2", bericht_id="A2"),
                     dict(declaratienummer="D3", declaratie_id="B3", bericht_id="A3")],
        "inwoners": [
            dict(gemeente_code="GM0361", jaar=2024, leeftijdsklasse="0-17", inwoners=20000),
            dict(gemeente_code="GM0361", jaar=2024, leeftijdsklasse="18+", inwoners=80000),
            dict(gemeente_code="GM0398", jaar=2021, leeftijdsklasse="0-17", inwoners=5000),
            dict(gemeente_code="GM0416", jaar=2021, leeftijdsklasse="0-17", inwoners=3000),
            dict(gemeente_code="GM0014", jaar=2024, leeftijdsklasse="0-17", inwoners=99999),  # no declaraties
        ],
    })


def test_yearly_spend_per_year_net_of_credits(years):
    frame = yearly_spend(years, gemeente="GM0361").set_index(["jaar", "domein"])
    # 2023 Jeugd: 100000 + 100000 = 200000, clients a, b
    assert frame.loc[(2023, "Jeugd"), ["toegekend_cent", "clienten"]].tolist() == [200000, 2]
    # 2024 Jeugd: 300000 * 3 - 120000 = 780000, clients a, b, c
    assert frame.loc[(2024, "Jeugd"), ["toegekend_cent", "clienten"]].tolist() == [780000, 3]
    assert frame.loc[(2024, "Wmo"), "toegekend_cent"] == 50000


def test_yearly_spend_rebases_merged_gemeenten_and_filters_years(years):
    # GM0398 in 2021 and GM1980 in 2022 are both Dijk en Waard
    frame = yearly_spend(years, gemeente="GM1980", by=())
    assert frame[["jaar", "toegekend_cent"]].values.tolist() == [[2021, 80000], [2022, 60000]]
    # whole warehouse, 2022-2023 only: 60000 + 200000
    assert yearly_spend(years, by=(), van=2022, tot=2023)["toegekend_cent"].sum() == 260000


def test_yearly_spend_rejects_bad_arguments(years):
    with pytest.raises(ValueError, match="by: cannot group"):
        yearly_spend(years, by=("client_id",))
    with pytest.raises(ValueError, match=r"van \(2024\) is after tot"):
        yearly_spend(years, van=2024, tot=2023)


def test_add_year_on_year_absolute_and_pct():
    frame = pd.DataFrame({"jaar": [2022, 2023, 2024, 2024], "domein": ["Jeugd", "Jeugd", "Jeugd", "Wmo"],
                          "toegekend_cent": [0, 200000, 780000, 50000], "clienten": [0, 2, 3, 1]})
    out = add_year_on_year(frame).set_index(["jaar", "domein"])
    # 2024 Jeugd: 780000 - 200000 = 580000; 580000 / 200000 = 290%
    assert out.loc[(2024, "Jeugd"), "toegekend_verschil_cent"] == 580000
    assert out.loc[(2024, "Jeugd"), "toegekend_verschil_pct"] == pytest.approx(290.0)
    # 2023 over a 0 year: change 200000, % undefined; Wmo 2024 has no 2023 row
    assert out.loc[(2023, "Jeugd"), "toegekend_verschil_cent"] == 200000
    assert pd.isna(out.loc[(2023, "Jeugd"), "toegekend_verschil_pct"])
    assert pd.isna(out.loc[(2024, "Wmo"), "toegekend_vorig_jaar_cent"])
    # clients: 3 - 2 = 1, +50%
    clients = add_year_on_year(frame, value="clienten").set_index(["jaar", "domein"]).loc[(2024, "Jeugd")]
    assert clients[["clienten_verschil", "clienten_verschil_pct"]].tolist() == [1, 50.0]
    assert "toegekend_verschil_cent" not in add_year_on_year(frame, value="clienten")


def test_add_year_on_year_needs_its_columns():
    with pytest.raises(KeyError, match=r"frame: missing column\(s\) \['domein'\]"):
        add_year_on_year(pd.DataFrame({"jaar": [2024], "toegekend_cent": [1]}))


def test_add_cost_per_client_rounds_to_whole_cents():
    frame = pd.DataFrame({"toegekend_cent": [780000, 100, 5], "clienten": [3, 0, 2]})
    # 780000 / 3 = 260000; no clients -> NA; 5 / 2 = 2.5 -> 3 (half away from zero)
    out = add_cost_per_client(frame)["kosten_per_client_cent"]
    assert out[0] == 260000 and pd.isna(out[1]) and out[2] == 3
    with pytest.raises(KeyError, match="clienten"):
        add_cost_per_client(frame.drop(columns="clienten"))


def test_round_cents_half_away_from_zero():
    assert round_cents(pd.Series([2.5, -2.5, 1.49, None])).tolist()[:3] == [3, -3, 1]
    with pytest.raises(TypeError, match="values: expected numbers"):
        round_cents(pd.Series(["x"]))


def test_yearly_inwoners_by_domein_age_band_and_rebased(years):
    # Dijk en Waard 2021 Jeugd: GM0398 5000 + GM0416 3000 = 8000 aged 0-17
    dw = yearly_inwoners(years, gemeente="GM1980")
    assert dw[["jaar", "domein", "inwoners"]].values.tolist() == [[2021, "Jeugd", 8000]]
    # Alkmaar 2024: Jeugd 0-17 = 20000; Wmo and Beschermd Wonen 18+ = 80000
    alk = yearly_inwoners(years, gemeente="GM0361").set_index("domein")["inwoners"]
    assert alk.to_dict() == {"Beschermd Wonen": 80000, "Jeugd": 20000, "Wmo": 80000}
    # whole warehouse leaves out GM0014 (no declaraties): Jeugd 2024 = 20000 only
    everyone = yearly_inwoners(years, tot=2024).set_index(["jaar", "domein"])["inwoners"]
    assert everyone[(2024, "Jeugd")] == 20000
    with pytest.raises(ValueError, match="tot: year must be an int"):
        yearly_inwoners(years, tot="2024")


def test_add_per_inhabitant_per_1000():
    frame = pd.DataFrame({"toegekend_cent": [780000, 5], "clienten": [3, 1], "inwoners": [20000, 0]})
    out = add_per_inhabitant(frame)
    # 780000 * 1000 / 20000 = 39000 cents per 1,000; 3 * 1000 / 20000 = 0.15 clients per 1,000
    assert out.loc[0, "toegekend_per_1000_cent"] == 39000
    assert out.loc[0, "clienten_per_1000"] == pytest.approx(0.15)
    assert pd.isna(out.loc[1, "toegekend_per_1000_cent"])   # no inhabitants
    with pytest.raises(KeyError, match="inwoners"):
        add_per_inhabitant(frame.drop(columns="inwoners"))


def test_spend_per_inhabitant(years):
    frame = spend_per_inhabitant(years, gemeente="GM0361", van=2024).set_index("domein")
    # Jeugd 2024: 780000 / 3 clients = 260000 per client; 780000 * 1000 / 20000 = 39000 per 1,000
    assert frame.loc["Jeugd", ["kosten_per_client_cent", "toegekend_per_1000_cent"]].tolist() == [260000, 39000]
    # Wmo: 50000 * 1000 / 80000 = 625 cents; 1 * 1000 / 80000 = 0.0125 clients per 1,000
    assert frame.loc["Wmo", "toegekend_per_1000_cent"] == 625
    assert frame.loc["Wmo", "clienten_per_1000"] == pytest.approx(0.0125)
    with pytest.raises(ValueError, match="van: year"):
        spend_per_inhabitant(years, van=1999)


# --- why spend grows ---------------------------------------------------------------------------

def _cells(rows: list[tuple]) -> pd.DataFrame:
    columns = ["jaar", "domein", "productcategorie", "productcode", "eenheid", "toegekend_cent", "volume",
               "clienten", "zorgdagen"]
    return pd.DataFrame([r if len(r) == len(columns) else (*r, None) for r in rows], columns=columns)


def test_decompose_change_adds_up_per_factor():
    cells = _cells([
        # clients x2, units per client x2 (10 -> 20), price 1000 -> 1000: V x4, split 1/2 : 1/2 : 0
        (2023, "Jeugd", "45", "45A03", "04", 100000, 100, 10),
        (2024, "Jeugd", "45", "45A03", "04", 400000, 400, 20),
        # clients x2, units per client 10 -> 10, price 1000 -> 4000: V x8, ln-shares 1/3 : 0 : 2/3
        (2023, "Jeugd", "43", "43A01", "01", 30000, 30, 3),
        (2024, "Jeugd", "43", "43A01", "01", 240000, 60, 6),
        # a new product: its whole change counts as clients
        (2024, "Wmo", "02", "02A01", "04", 50000, 5, 1),
    ]).drop(columns="zorgdagen")
    out = decompose_change(cells, jaar=2024, by=("domein",)).set_index("domein")
    jeugd = out.loc["Jeugd"]
    # change 300000 + 210000 = 510000; clients 150000 + 70000; intensity 150000; price 140000
    assert jeugd["toegekend_verschil_cent"] == 510000
    assert jeugd[["effect_clienten_cent", "effect_intensiteit_cent", "effect_prijs_cent"]].tolist() == [
        220000, 150000, 140000]
    assert jeugd["nieuw_gestopt_cent"] == 0
    wmo = out.loc["Wmo"]
    assert wmo[["toegekend_vorig_jaar_cent", "effect_clienten_cent", "nieuw_gestopt_cent"]].tolist() == [
        0, 50000, 50000]
    assert "effect_duur_cent" not in out


def test_decompose_change_takes_clients_to_the_group_and_the_shift_between_products_to_mix():
    cells = _cells([
        # P1 (1000 a unit, 10 units a client) loses 5 of its 10 clients; P2 (100 a unit) goes from 5 to 15
        (2023, "Jeugd", "45", "P1", "04", 100000, 100, 10), (2024, "Jeugd", "45", "P1", "04", 50000, 50, 5),
        (2023, "Jeugd", "45", "P2", "04", 5000, 50, 5), (2024, "Jeugd", "45", "P2", "04", 15000, 150, 15),
    ]).drop(columns="zorgdagen")
    # per product the clients fell by 50000 and rose by 10000: -40000, although the domain has more clients
    assert decompose_change(cells, jaar=2024, by=("domein",)).loc[0, "effect_clienten_cent"] == -40000
    # distinct clients of the domain 15 -> 20 (5 moved from P1 to P2, 5 are new): spend 105000 -> 65000,
    # L = -40000 / ln(65000 / 105000) = 83407.52; clients L ln(20 / 15) = 23994.85 -> 23995;
    # no change of units per client or price within a product; the mix takes the rest: -40000 - 23995 = -63995
    groepen = pd.DataFrame({"jaar": [2023, 2024], "domein": ["Jeugd", "Jeugd"], "clienten": [15, 20]})
    row = decompose_change(cells, jaar=2024, by=("domein",), groepen=groepen).iloc[0]
    assert row[["toegekend_verschil_cent", "effect_clienten_cent", "effect_intensiteit_cent", "effect_prijs_cent",
                "effect_mix_cent"]].tolist() == [-40000, 23995, 0, 0, -63995]
    # a domain new this year: its whole change is clients, nothing is mix
    new = _cells([(2024, "Wmo", "02", "02A01", "04", 50000, 5, 1)]).drop(columns="zorgdagen")
    row = decompose_change(new, jaar=2024, by=("domein",), groepen=groepen.assign(domein="Wmo").iloc[[1]]).iloc[0]
    assert row[["effect_clienten_cent", "effect_mix_cent"]].tolist() == [50000, 0]
    with pytest.raises(KeyError, match=r"groepen: missing column\(s\) \['clienten'\]"):
        decompose_change(cells, jaar=2024, by=("domein",), groepen=groepen.drop(columns="clienten"))


def test_driver_groups_count_a_client_of_two_products_once():
    con = fixture_warehouse({
        "declaratie": [_line("A1", 100000, "a", 2024, volume=10, tarief_cent=10000),
                       _line("A2", 50000, "a", 2024, volume=5, tarief_cent=10000, productcode="45A04"),
                       _line("A3", 50000, "b", 2024, volume=5, tarief_cent=10000, productcode="45A04"),
                       _line("A4", 40000, "a", 2023, volume=4, tarief_cent=10000)],
        "antwoord": [dict()],
    })
    groups = driver_groups(con, gemeente="GM0361", jaar=2024, by=("domein",))
    # 2024: a (two products) and b: 2 clients; the cells count 1 + 2 = 3
    assert groups[["jaar", "domein", "clienten"]].values.tolist() == [[2023, "Jeugd", 1], [2024, "Jeugd", 2]]
    assert driver_cells(con, gemeente="GM0361", jaar=2024).query("jaar == 2024")["clienten"].sum() == 3
    with pytest.raises(ValueError, match="by: split spend drivers by"):
        driver_groups(con, gemeente="GM0361", jaar=2024, by=("aanbieder_agb",))


def test_decompose_change_duration_view_rounds_to_an_exact_sum():
    # clients x2 (10 -> 20), care days per client x2 (100 -> 200), units per care day x2 (0.1 -> 0.2),
    # price 1000 -> 1000: V 100000 -> 800000, each of three factors 700000 / 3 = 233333.33
    cells = _cells([(2023, "Jeugd", "45", "45A03", "04", 100000, 100, 10, 1000),
                    (2024, "Jeugd", "45", "45A03", "04", 800000, 800, 20, 4000)])
    row = decompose_change(cells, jaar=2024).iloc[0]
    # intensity round(466666.67) = 466667, duration round(233333.33) = 233333,
    # density 466667 - 233333 = 233334, clients 700000 - 466667 - 0 = 233333
    assert row[["effect_clienten_cent", "effect_intensiteit_cent", "effect_duur_cent", "effect_dichtheid_cent",
                "effect_prijs_cent"]].tolist() == [233333, 466667, 233333, 233334, 0]


def test_decompose_change_needs_product_cells():
    with pytest.raises(KeyError, match=r"cells: missing column\(s\) \['eenheid'\]"):
        decompose_change(_cells([]).drop(columns="eenheid"), jaar=2024)


def test_driver_cells_net_volume_and_care_days():
    con = fixture_warehouse({
        "declaratie": [_line("A1", 100000, "a", 2023, volume=10, tarief_cent=10000),
                       _line("A5", 300000, "c", 2024, volume=25, tarief_cent=12000),
                       _line("A6", -120000, "c", 2024, volume=10, tarief_cent=12000, vorig_referentienummer="A5")],
        "antwoord": [dict()],
        "start": [dict(client_id="a", begindatum=date(2023, 7, 1)),
                  dict(client_id="b", begindatum=date(2024, 1, 1), bericht_id="S2")],
        "stop": [dict(client_id="b", begindatum=date(2024, 1, 1), einddatum=date(2024, 1, 31))],
    })
    cells = driver_cells(con, gemeente="GM0361", jaar=2024, duur=True).set_index("jaar")
    # 2024: 300000 - 120000 = 180000 cents, 25 - 10 = 15 units (credit subtracts), client c
    assert cells.loc[2024, ["toegekend_cent", "volume", "clienten"]].tolist() == [180000, 15, 1]
    # care days: a open from 2023-07-01: 184 days in 2023, 366 in 2024; b 2024-01-01..31: 31 days
    assert cells["zorgdagen"].to_dict() == {2023: 184, 2024: 366 + 31}
    with pytest.raises(ValueError, match="jaar: year must be"):
        driver_cells(con, gemeente="GM0361", jaar=24)


def test_spend_drivers_on_declaration_lines(years):
    out = spend_drivers(years, gemeente="GM0361", jaar=2024, by=("domein",)).set_index("domein")
    jeugd = out.loc["Jeugd"]
    # 45A03: V 200000 -> 780000 (change 580000), clients 2 -> 3, units 20 -> 65, L = 580000 / ln 3.9:
    # intensity L ln((65/3)/10) = 329506.1, price L ln((780000/65)/10000) = L ln 1.2 = 77699.0,
    # clients 580000 - 329506 - 77699 = 172795 (L ln 1.5 = 172794.9)
    assert jeugd[["toegekend_verschil_cent", "effect_clienten_cent", "effect_intensiteit_cent",
                  "effect_prijs_cent"]].tolist() == [580000, 172795, 329506, 77699]
    assert jeugd["effect_mix_cent"] == 0  # one product: the domain's clients are the product's
    assert out.loc["Wmo", "effect_clienten_cent"] == 50000  # new product in 2024
    with pytest.raises(ValueError, match="by: split spend drivers by"):
        spend_drivers(years, gemeente="GM0361", jaar=2024, by=("aanbieder_agb",))


def test_spend_drivers_with_duration(years):
    con = fixture_warehouse({
        "declaratie": [_line("A1", 100000, "a", 2023, volume=10, tarief_cent=10000),
                       _line("A2", 100000, "b", 2023, volume=10, tarief_cent=10000),
                       _line("A3", 300000, "a", 2024, volume=25, tarief_cent=12000),
                       _line("A4", 300000, "b", 2024, volume=25, tarief_cent=12000),
                       _line("A5", 300000, "c", 2024, volume=25, tarief_cent=12000),
                       _line("A6", -120000, "c", 2024, volume=10, tarief_cent=12000, vorig_referentienummer="A5")],
        "antwoord": [dict()],
        "start": [dict(client_id="a", begindatum=date(2023, 7, 1)),
                  dict(client_id="b", begindatum=date(2024, 1, 1), bericht_id="S2")],
        "stop": [dict(client_id="b", begindatum=date(2024, 1, 1), einddatum=date(2024, 1, 31))],
    })
    row = spend_drivers(con, gemeente="GM0361", jaar=2024, duur=True).iloc[0]
    # care days 184 -> 397: duration L ln((397/3)/(184/2)) = 154925.9 -> 154926;
    # density = intensity 329506 - 154926 = 174580 (L ln((65/397)/(20/184)) = 174580.2)
    assert row[["effect_intensiteit_cent", "effect_duur_cent", "effect_dichtheid_cent"]].tolist() == [
        329506, 154926, 174580]


# --- benchmark --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def region():
    def decl(ref, gemeente, cents, client, nr):
        return _line(ref, cents, client, 2024, gemeente_code=gemeente, declaratienummer=nr, bericht_id=f"B{nr}")
    return fixture_warehouse({
        "declaratie": [decl("R1", "GM0361", 300000, "a", "D1"), decl("R2", "GM0361", 100000, "b", "D1"),
                       decl("R3", "GM0361", 70000, "b", "D1") | dict(productcategorie="02", productcode="02A01",
                                                                     standaard="iWmo"),
                       decl("R4", "GM0373", 100000, "x", "D4"), decl("R5", "GM0889", 999999, "y", "D5")],
        "antwoord": [dict(declaratienummer=n, declaratie_id=f"B{n}", bericht_id=f"A{n}") for n in ("D1", "D4", "D5")],
        "inwoners": [dict(gemeente_code="GM0361", jaar=2024, leeftijdsklasse="0-17", inwoners=20000),
                     dict(gemeente_code="GM0373", jaar=2024, leeftijdsklasse="0-17", inwoners=5000),
                     dict(gemeente_code="GM0889", jaar=2024, leeftijdsklasse="0-17", inwoners=1000)],
    })


def test_region_figures_are_the_gemeenten_of_the_jeugdzorgregio(region):
    frame = region_figures(region, gemeente="GM0361", jaar=2024)
    # Noord-Kennemerland: Alkmaar and Bergen NH with data; Beesel (Noord Limburg) left out
    assert frame[["gemeente_code_huidig", "domein", "toegekend_cent", "clienten"]].values.tolist() == [
        ["GM0361", "Jeugd", 400000, 2], ["GM0373", "Jeugd", 100000, 1], ["GM0361", "Wmo", 70000, 1]]
    assert pd.isna(frame.loc[2, "inwoners"])   # no 18+ inhabitants delivered
    with pytest.raises(ValueError, match="gemeente: 'GM0398' is not a current gemeente"):
        region_figures(region, gemeente="GM0398", jaar=2024)


def test_add_benchmark_index_against_the_inhabitant_weighted_region():
    frame = pd.DataFrame({"gemeente_code_huidig": ["GM0361", "GM0373", "GM0361"],
                          "domein": ["Jeugd", "Jeugd", "Wmo"], "toegekend_cent": [400000, 100000, 70000],
                          "clienten": [2, 1, 1], "inwoners": pd.array([20000, 5000, None], dtype="Int64")})
    out = add_benchmark(frame)
    # Alkmaar 400000 * 1000 / 20000 = 20000 per 1,000; Bergen 100000 * 1000 / 5000 = 20000;
    # region 500000 * 1000 / 25000 = 20000 -> both index 100
    assert out["regio_toegekend_per_1000_cent"].tolist()[:2] == [20000, 20000]
    assert out["index_toegekend"].tolist()[:2] == [100.0, 100.0]
    # clients per 1,000: 0.1 and 0.2; region 3 * 1000 / 25000 = 0.12 -> index 83.3 and 166.7
    assert out["index_clienten"].tolist()[:2] == pytest.approx([100 * 0.1 / 0.12, 100 * 0.2 / 0.12])
    assert pd.isna(out.loc[2, "index_toegekend"])   # Wmo: no inhabitants anywhere
    with pytest.raises(KeyError, match="inwoners"):
        add_benchmark(frame.drop(columns="inwoners"))


def test_benchmark_marks_the_gemeente(region):
    frame = benchmark(region, gemeente="GM0373", jaar=2024)
    bergen = frame[frame["is_gemeente"]]
    assert bergen["gemeente_code_huidig"].tolist() == ["GM0373"]
    assert bergen["index_clienten"].iloc[0] == pytest.approx(100 * 0.2 / 0.12)
    with pytest.raises(ValueError, match="jaar: year must be"):
        benchmark(region, gemeente="GM0373", jaar=1800)
