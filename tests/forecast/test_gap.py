"""The gap table: open months, year totals, income projection and saldo, worked out by hand."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.forecast import (GeenVolledigJaar, Scenario, compute_gap, forecast_gap, forecast_spend, last_closed_month,
                               project_income, region_forecasts, region_gap)
from analysis.forecast.backtest import report_backtest
from analysis.forecast.gap import complete_months, forecast_spend_paths
from analysis.forecast.model import deviations, onzekerheid, predict_paths, total_uncertainty

# d such that (1 + d) ** (1/12) = 1.01: the scenario multiplies month h after the history by 1.01 ** h
ONE_PCT_A_MONTH = 1.01 ** 12 - 1


def flat(levels: dict[str, int], start: str = "2022-01-01", end: str = "2024-10-01") -> pd.DataFrame:
    index = pd.date_range(start, end, freq="MS")
    return pd.concat([pd.DataFrame({"maand": index, "domein": d, "toegekend_cent": v}) for d, v in levels.items()],
                     ignore_index=True).astype({"toegekend_cent": "int64"})


def test_last_closed_month_counts_back_from_the_peildatum():
    # peildatum 8 Jan 2026: product months up to Dec 2025 can be declared; Nov and Dec are open -> Oct 2025
    assert last_closed_month(date(2026, 1, 8), open_maanden=2) == pd.Timestamp("2025-10-01")
    assert last_closed_month(date(2026, 1, 31), open_maanden=0) == pd.Timestamp("2025-12-01")
    with pytest.raises(ValueError, match="open_maanden"):
        last_closed_month(date(2026, 1, 8), open_maanden=-1)


def test_complete_months_fills_missing_months_and_domains_with_zero():
    frame = pd.DataFrame({"maand": pd.to_datetime(["2024-01-01", "2024-03-01"]), "domein": ["Jeugd", "Jeugd"],
                          "toegekend_cent": [5, 7]})
    full = complete_months(frame, laatste_maand=pd.Timestamp("2024-04-01"))
    # 4 months x 3 domains = 12 rows; Jeugd: 5, 0 (Feb missing), 7, 0 (Apr); Wmo all 0
    assert len(full) == 12
    assert full[full["domein"] == "Jeugd"]["toegekend_cent"].tolist() == [5, 0, 7, 0]
    assert full[full["domein"] == "Wmo"]["toegekend_cent"].sum() == 0


def test_year_totals_add_realised_months_and_the_scenario_forecast():
    # Jeugd 100 and BW 50 cents every month 2022-01..2024-10 (flat: the forecast is the level itself).
    monthly = flat({"Jeugd": 100, "Wmo": 0, "Beschermd Wonen": 50})
    frame = forecast_spend(monthly, horizon=1, scenario=Scenario(vraaggroei=ONE_PCT_A_MONTH), herhalingen=10)
    rows = frame.set_index(["jaar", "domein"])
    # base year 2023 (last full year): 12 x 100 = 1200, all realised
    assert rows.loc[(2023, "Jeugd"), "uitgaven_cent"] == 1200 and rows.loc[(2023, "Jeugd"), "realisatie_maanden"] == 12
    # 2024: 10 realised x 100 = 1000, Nov 100 x 1.01 = 101, Dec 100 x 1.0201 = 102.01 -> 1203.01 -> 1203
    assert rows.loc[(2024, "Jeugd"), "uitgaven_cent"] == 1203 and rows.loc[(2024, "Jeugd"), "realisatie_maanden"] == 10
    # Totaal 2024: 1203.01 + BW (500 + 50.5 + 51.005 = 601.505) + Wmo 0 = 1804.515 -> 1805
    assert rows.loc[(2024, "Totaal"), "uitgaven_cent"] == 1805
    # flat series: no uncertainty, every bound equals the figure
    assert rows.loc[(2024, "Totaal"), "uitgaven_95_hoog_cent"] == rows.loc[(2024, "Totaal"), "uitgaven_95_laag_cent"]


def test_income_projection_uses_known_years_then_grows():
    known = pd.DataFrame({"jaar": [2023, 2024, 2024], "domein": ["Jeugd", "Jeugd", "Wmo"],
                          "inkomsten_cent": [1000, 1100, 500]})
    frame = project_income(known, jaren=range(2024, 2027), scenario=Scenario(inkomsten_groei=0.10))
    rows = frame.set_index(["jaar", "domein"])["inkomsten_cent"]
    # Jeugd: 2024 known 1100; 2025 1100 x 1.1 = 1210; 2026 1100 x 1.21 = 1331
    assert [rows[(y, "Jeugd")] for y in (2024, 2025, 2026)] == [1100, 1210, 1331]
    # Wmo: 500, 550, 605; Beschermd Wonen has no income at all: 0
    assert [rows[(y, "Wmo")] for y in (2024, 2025, 2026)] == [500, 550, 605]
    assert rows[(2025, "Beschermd Wonen")] == 0
    # Totaal 2025: 1210 + 550 + 0 = 1760
    assert rows[(2025, "Totaal")] == 1760
    assert frame.set_index(["jaar", "domein"]).loc[(2024, "Jeugd"), "inkomsten_bekend"]
    assert not frame.set_index(["jaar", "domein"]).loc[(2025, "Jeugd"), "inkomsten_bekend"]


def test_gap_is_income_minus_expenditure_in_cents_and_percent():
    uitgaven = pd.DataFrame({"jaar": [2024, 2025, 2025], "domein": ["Jeugd", "Jeugd", "Beschermd Wonen"],
                             "uitgaven_cent": [1200, 1000, 10]})
    inkomsten = pd.DataFrame({"jaar": [2024, 2025, 2025], "domein": ["Jeugd", "Jeugd", "Beschermd Wonen"],
                              "inkomsten_cent": [1100, 1210, 0]})
    gap = compute_gap(uitgaven, inkomsten).set_index(["jaar", "domein"])
    # 2024 Jeugd: 1100 - 1200 = -100 (deficit); -100 / 1100 = -9.0909%; the first year is the realisation
    assert gap.loc[(2024, "Jeugd"), "saldo_cent"] == -100
    assert gap.loc[(2024, "Jeugd"), "saldo_pct"] == pytest.approx(-9.090909)
    assert gap.loc[(2024, "Jeugd"), "soort"] == "realisatie" and gap.loc[(2025, "Jeugd"), "soort"] == "prognose"
    # 2025 Jeugd: 1210 - 1000 = 210; 210 / 1210 = 17.3554%
    assert gap.loc[(2025, "Jeugd"), "saldo_pct"] == pytest.approx(17.355372)
    # no income: saldo -10, percentage undefined
    assert gap.loc[(2025, "Beschermd Wonen"), "saldo_cent"] == -10 and np.isnan(gap.loc[(2025, "Beschermd Wonen"),
                                                                                          "saldo_pct"])
    with pytest.raises(ValueError, match="inkomsten"):
        compute_gap(uitgaven, inkomsten.iloc[:1])


def test_intervals_nest_and_widen_with_the_horizon(monthly):
    # history to Oct 2024: base year 2023; horizon 3 -> 2024 (2 months forecast), 2025, 2026
    frame = forecast_spend(monthly, horizon=3, herhalingen=500)
    forecast = frame[frame["realisatie_maanden"] < 12]
    assert len(forecast) == 3 * 4  # 2024, 2025, 2026 x 4 domains
    cols = ["uitgaven_95_laag_cent", "uitgaven_80_laag_cent", "uitgaven_cent", "uitgaven_80_hoog_cent",
            "uitgaven_95_hoog_cent"]
    assert (forecast[cols].diff(axis=1).iloc[:, 1:] >= 0).all().all()  # 95 low <= 80 low <= point <= 80 high <= 95 high
    jeugd = forecast[forecast["domein"] == "Jeugd"].set_index("jaar")
    width = jeugd["uitgaven_95_hoog_cent"] - jeugd["uitgaven_95_laag_cent"]
    assert width[2024] < width[2025] < width[2026]  # 2 months, then 14, then 26 months ahead
    assert (jeugd["uitgaven_80_hoog_cent"] - jeugd["uitgaven_80_laag_cent"] < width).all()


def test_domains_are_drawn_independently_and_the_total_has_its_own_band(monthly):
    # each domain of one gemeente has a seed of its own: the Jeugd and Wmo year totals of the same path are
    # unrelated (rank correlation within 3 standard errors, 3 / sqrt(400) = 0.15, of 0; one shared seed would
    # give about 1, as Wmo is half of Jeugd).
    frame, paths = forecast_spend_paths(monthly, horizon=2, herhalingen=400)
    for jaar in (2024, 2025):
        jeugd, wmo = paths["Jeugd"].loc[jaar], paths["Wmo"].loc[jaar]
        assert abs(jeugd.rank().corr(wmo.rank())) < 0.15
    # Totaal's band is measured on the total's own history, drawn with the seed after the domains' (3):
    # its paths are the domains' summed point forecast plus those deviations, clipped at 0, per year
    total = monthly.groupby("maand")["toegekend_cent"].sum().astype(float)
    ruis = [predict_paths(monthly[monthly["domein"] == d].set_index("maand")["toegekend_cent"].astype(float), 14,
                          herhalingen=2)[0].attrs["ruis"] for d in ("Jeugd", "Wmo", "Beschermd Wonen")]
    onz = total_uncertainty(total.to_numpy(), ruis)
    assert onz.ruis == pytest.approx(np.sqrt(ruis[0] ** 2 + ruis[1] ** 2 + ruis[2] ** 2))
    # Jeugd + Wmo is 1.5 x Jeugd (to rounding): the total swings as much, relatively, as Jeugd
    jeugd = onzekerheid(monthly[monthly["domein"] == "Jeugd"]["toegekend_cent"].to_numpy(dtype=float), ruis=0.0)
    assert onz.sigma == pytest.approx(jeugd.sigma, rel=0.02)  # Wmo rounded to cents moves sigma by 1%
    assert onz.niveau == pytest.approx(1.5 * jeugd.niveau, rel=1e-3)
    point = sum(frame.set_index(["jaar", "domein"])["uitgaven_cent"].loc[(2025, d)]
                for d in ("Jeugd", "Wmo", "Beschermd Wonen"))
    spread = deviations(onz, 14, herhalingen=400, seed=3)[2:].sum(axis=0)  # Nov, Dec 2024, then 2025
    assert np.median(paths["Totaal"].loc[2025]) == pytest.approx(point + np.median(spread), rel=1e-3)
    # its point is the domains' sum (in cents, to rounding)
    by = frame.set_index(["jaar", "domein"])["uitgaven_cent"]
    assert abs(by[(2025, "Totaal")] - by[(2025, "Jeugd")] - by[(2025, "Wmo")] - by[(2025, "Beschermd Wonen")]) <= 2


def test_region_sums_the_paths_of_gemeenten_that_share_their_seeds(monthly):
    # gemeente B spends exactly twice what A does, every month and domain. Doubling is exact in floating point
    # (2 v / (2 x scale) is exactly v / scale), so with the same seeds B's paths are exactly twice A's: a bad
    # year for A is one for B. The region's paths are then 3 x A's, and so are its band's bounds. (For paths
    # this comonotone, the percentiles of the sum and the sum of the percentiles agree.)
    double = monthly.assign(toegekend_cent=monthly["toegekend_cent"] * 2)
    (a, paths_a), (b, paths_b) = (forecast_spend_paths(m, horizon=2, herhalingen=400) for m in (monthly, double))
    np.testing.assert_array_equal(paths_b["Jeugd"].to_numpy(), 2 * paths_a["Jeugd"].to_numpy())
    income = project_income(pd.DataFrame({"jaar": [2023], "domein": ["Jeugd"], "inkomsten_cent": [20000]}),
                            jaren=range(2023, 2026))
    region = region_gap({"A": (compute_gap(a, income), paths_a), "B": (compute_gap(b, income), paths_b)})
    region = region.set_index("jaar")
    a_totaal, b_totaal = (f[f["domein"] == "Totaal"].set_index("jaar") for f in (a, b))
    # income and expenditure are the gemeenten's sums: 2 x 20000 a year; saldo = income - expenditure
    assert region["inkomsten_cent"].tolist() == [40000, 40000, 40000]
    assert region["uitgaven_cent"].tolist() == (a_totaal["uitgaven_cent"] + b_totaal["uitgaven_cent"]).tolist()
    assert (region["saldo_cent"] == region["inkomsten_cent"] - region["uitgaven_cent"]).all()
    # 2023 is realised: no band; 2025: the percentiles of 3 x A's Totaal paths
    assert region.loc[2023, "uitgaven_95_laag_cent"] == region.loc[2023, "uitgaven_95_hoog_cent"]
    lo, hi = 3 * np.percentile(paths_a["Totaal"].loc[2025], [2.5, 97.5])
    assert region.loc[2025, ["uitgaven_95_laag_cent", "uitgaven_95_hoog_cent"]].tolist() == pytest.approx([lo, hi],
                                                                                                        abs=1)
    with pytest.raises(ValueError, match="results: no gemeente"):
        region_gap({})


def test_scenario_moves_the_forecast_monotonically(monthly):
    def totals(scenario):
        frame = forecast_spend(monthly, horizon=3, scenario=scenario, herhalingen=50)
        return frame[frame["domein"] == "Totaal"].set_index("jaar")["uitgaven_cent"]

    base, dearer, more = totals(Scenario()), totals(Scenario(ova=0.08)), totals(Scenario(vraaggroei=0.03))
    # the base year is realised and does not move; every forecast year rises
    assert base[2023] == dearer[2023] == more[2023]
    assert (dearer.loc[2024:] > base.loc[2024:]).all() and (more.loc[2024:] > base.loc[2024:]).all()
    # OVA 8% -> index 0.9 x 8% + 0.1 x 1.82% = 7.382% against 3.944% in the trend: 1.07382 / 1.03944 = 1.033076
    # a year. 2026 is 15 (Jan) to 26 (Dec) months after Oct 2024: the month factors run from
    # 1.033076 ** (15/12) = 1.0415 to 1.033076 ** (26/12) = 1.0730, so the year's ratio lies between them
    # (about 1.033076 ** (20.5/12) = 1.057 for an even year)
    assert 1.0415 < dearer[2026] / base[2026] < 1.0730


def _monthly_declaraties(gemeente: str, start: str, *, prefix: str = "") -> tuple[list[dict], list[dict]]:
    """Answered Jeugd declaraties of ``gemeente``, one a month from ``start`` to Nov 2024: 1000 cents, and
    10 cents in Oct and Nov 2024 (open months that look low)."""
    declaraties, antwoorden = [], []
    for i, maand in enumerate(pd.date_range(start, "2024-11-01", freq="MS")):
        eind = (maand + pd.offsets.MonthEnd(0)).date()
        amount = 10 if maand >= pd.Timestamp("2024-10-01") else 1000
        declaraties.append(dict(referentienummer=f"{prefix}R{i}", declaratienummer=f"{prefix}D{i}",
                                bericht_id=f"{prefix}B{i}", gemeente_code=gemeente, ingediend_cent=amount,
                                periode_begin=maand.date(), periode_eind=eind, declaratie_begin=maand.date(),
                                declaratie_eind=eind))
        antwoorden.append(dict(gemeente_code=gemeente, declaratienummer=f"{prefix}D{i}",
                               declaratie_id=f"{prefix}B{i}", bericht_id=f"{prefix}A{i}"))
    return declaraties, antwoorden


@pytest.fixture
def con():
    """GM0398 (Heerhugowaard, part of Dijk en Waard GM1980) declares 1000 cents of Jeugd a month from
    Jan 2022 to Sep 2024, answered; Oct and Nov 2024 come in at 10 cents (open months that look low)."""
    declaraties, antwoorden = _monthly_declaraties("GM0398", "2022-01-01")
    inkomsten = [dict(gemeente_code=g, jaar=2023, domein="Jeugd", bedrag_cent=v)
                 for g, v in (("GM0398", 8000), ("GM0416", 5000))]
    return fixture_warehouse({"declaratie": declaraties, "antwoord": antwoorden, "inkomsten": inkomsten})


def test_region_forecasts_leave_out_a_gemeente_without_a_full_calendar_year():
    # GM1980 (via GM0398) from Jan 2022; Alkmaar (GM0361) only from Mar 2024
    d1, a1 = _monthly_declaraties("GM0398", "2022-01-01")
    d2, a2 = _monthly_declaraties("GM0361", "2024-03-01", prefix="K")
    con = fixture_warehouse({"declaratie": d1 + d2, "antwoord": a1 + a2})
    # peildatum Dec 2024: history up to Sep 2024, base year 2023, which Alkmaar's data do not cover
    results, buiten = region_forecasts(con, ["GM1980", "GM0361"], horizon=1, peildatum=date(2024, 12, 5),
                                       herhalingen=20)
    assert list(results) == ["GM1980"] and buiten == {"GM0361": pd.Timestamp("2024-03-01")}
    gap, _ = results["GM1980"]
    assert gap.set_index(["jaar", "domein"]).loc[(2023, "Jeugd"), "uitgaven_cent"] == 12000
    with pytest.raises(ValueError, match=r"gemeenten: none of \['GM0361'\] holds a full calendar year"):
        region_forecasts(con, ["GM0361"], horizon=1, peildatum=date(2024, 12, 5))
    with pytest.raises(ValueError, match="gemeente: 'GM9999'"):  # any other error is raised
        region_forecasts(con, ["GM1980", "GM9999"], horizon=1, peildatum=date(2024, 12, 5))
    with pytest.raises(GeenVolledigJaar) as raised:
        forecast_gap(con, gemeente="GM0361", peildatum=date(2024, 12, 5))
    assert (raised.value.eerste, raised.value.laatste) == (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-09-01"))


def test_forecast_gap_on_a_merged_gemeente_leaves_open_months_out(con):
    gap = forecast_gap(con, gemeente="GM1980", horizon=2, peildatum=date(2024, 12, 5), open_maanden=2,
                       scenario=Scenario(inkomsten_groei=0.10), herhalingen=20)
    jeugd = gap[gap["domein"] == "Jeugd"].set_index("jaar")
    # peildatum Dec 2024 -> months up to Nov; Oct and Nov open -> history ends Sep 2024; base year 2023
    # 2023: spend 12 x 1000 = 12000; income GM0398 8000 + GM0416 5000 = 13000; saldo 1000 = 7.6923%
    assert jeugd.loc[2023, ["uitgaven_cent", "inkomsten_cent", "saldo_cent"]].tolist() == [12000, 13000, 1000]
    assert jeugd.loc[2023, "saldo_pct"] == pytest.approx(7.692308)
    # 2024: 9 realised months x 1000 + 3 forecast x 1000 (the low Oct/Nov lines do not count) = 12000
    assert jeugd.loc[2024, "uitgaven_cent"] == 12000 and jeugd.loc[2024, "realisatie_maanden"] == 9
    # income 2024 and 2025 extrapolated: 13000 x 1.1 = 14300, x 1.21 = 15730
    assert jeugd.loc[[2024, 2025], "inkomsten_cent"].tolist() == [14300, 15730]
    assert any("realisatie tot en met 09-2024" in s for s in gap.attrs["aannames"])


def test_forecast_gap_failure_modes(con):
    with pytest.raises(ValueError, match="gemeente: 'GM9999'"):
        forecast_gap(con, gemeente="GM9999", peildatum=date(2024, 12, 5))
    with pytest.raises(ValueError, match="horizon"):
        forecast_gap(con, gemeente="GM1980", horizon=-1, peildatum=date(2024, 12, 5))
    with pytest.raises(ValueError, match="gemeente GM1980: approved spend from 2022-01 to 2022-09 holds no full"):
        forecast_gap(con, gemeente="GM1980", peildatum=date(2022, 12, 5))  # Jan..Sep 2022 closed: 9 months
    with pytest.raises(ValueError, match="no full calendar year"):  # Jan..Nov 2022: base year 2021 has no data
        forecast_gap(con, gemeente="GM1980", peildatum=date(2023, 2, 5))
    with pytest.raises(ValueError, match="peildatum"):  # the fixture has no bouw table
        forecast_gap(con, gemeente="GM1980")
    with pytest.raises(ValueError, match="gemeente: no approved spend"):
        forecast_gap(con, gemeente="GM0361", peildatum=date(2024, 12, 5))


def test_a_short_history_gets_last_year_repeated_and_says_so(con):
    # peildatum Oct 2023 -> Aug and Sep open -> 19 closed months, Jan 2022 .. Jul 2023: too short to fit
    gap = forecast_gap(con, gemeente="GM1980", horizon=2, peildatum=date(2023, 10, 5), herhalingen=50)
    jeugd = gap[gap["domein"] == "Jeugd"].set_index("jaar")
    # 2022 realised 12 x 1000; 2023: 7 realised + 5 x the same month a year before (1000); 2024: 12 x 1000
    assert jeugd["uitgaven_cent"].tolist() == [12000, 12000, 12000]
    assert jeugd.loc[2023, "realisatie_maanden"] == 7
    # a constant history: every month the same, so no spread to draw from and the band has width 0
    assert jeugd.loc[2024, ["uitgaven_80_laag_cent", "uitgaven_95_hoog_cent"]].tolist() == [12000, 12000]
    assert any("korte reeks" in s and "19 maanden" in s for s in gap.attrs["aannames"])
    assert gap.attrs["maanden"] == 19


def test_report_backtest_is_empty_without_three_years(con):
    # Jan 2022 .. Sep 2024 closed: 33 months, an origin needs 24 before it and 12 after it
    summary = report_backtest(con, gemeente="GM1980", peildatum=date(2024, 12, 5))
    assert summary.empty and {"domein", "methode", "ape_pct"} <= set(summary.columns)
    assert len(report_backtest(con, gemeente="GM1980", peildatum=date(2025, 12, 5)))  # 36 months: one origin
