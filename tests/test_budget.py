"""Budget monitoring on hand-made lines and Iv3 rows; every expected figure is worked out next to its assertion."""

from datetime import date

import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

from analysis.budget import (budget_by_domein, budget_monitor, monthly_profile, pending_by_domein, project_year_end,
                             use_forecast)

PROFILE_2023 = [5000] * 6 + [15000] * 6   # 120000 a year; 15000 (12.5%) by March, 30000 (25%) by June


def _month(year: int, month: int) -> dict:
    return dict(periode_begin=date(year, month, 1), periode_eind=date(year, month, 28))


def _jeugd_lines() -> list[dict]:
    lines = [dict(referentienummer=f"J22-{m}", ingediend_cent=10000, **_month(2022, m)) for m in range(1, 13)]
    lines += [dict(referentienummer=f"J23-{m}", ingediend_cent=c, **_month(2023, m))
              for m, c in enumerate(PROFILE_2023, start=1)]
    lines += [dict(referentienummer=f"J21-{m}", ingediend_cent=10000, **_month(2021, m)) for m in range(2, 13)]
    lines += [dict(referentienummer=f"J24-{m}", ingediend_cent=10000, **_month(2024, m)) for m in range(1, 5)]
    return lines


@pytest.fixture(scope="module")
def con():
    wmo = dict(standaard="iWmo", productcategorie="02", productcode="02A01")
    pending = dict(declaratienummer="D2", bericht_id="B2")
    return fixture_warehouse({
        "declaratie": [*_jeugd_lines(),
                       dict(referentienummer="W1", ingediend_cent=20000, **_month(2024, 2), **wmo),
                       dict(referentienummer="P1", ingediend_cent=7000, **_month(2024, 3), **pending),
                       dict(referentienummer="P2", ingediend_cent=3000, **_month(2023, 12), **pending)],
        "antwoord": [dict()],
        "begroting": [
            dict(gemeente_code="GM0361", jaar=2024, status="begroting", taakveld="6.72a", lasten_cent=100000),
            dict(gemeente_code="GM0361", jaar=2024, status="begroting", taakveld="6.73a", lasten_cent=50000),
            dict(gemeente_code="GM0361", jaar=2024, status="begroting", taakveld="6.72", lasten_cent=150000),
            dict(gemeente_code="GM0361", jaar=2024, status="begroting", taakveld="6.71a", lasten_cent=100000),
            dict(gemeente_code="GM0361", jaar=2024, status="begroting", taakveld="6.1", lasten_cent=999),
            dict(gemeente_code="GM0361", jaar=2024, status="realisatie", taakveld="6.72a", lasten_cent=777),
            dict(gemeente_code="GM0361", jaar=2023, status="begroting", taakveld="6.72a", lasten_cent=555),
            dict(gemeente_code="GM0373", jaar=2024, status="begroting", taakveld="6.72a", lasten_cent=333),
        ],
    })


def test_budget_by_domein_leaves_out_totals_other_years_and_non_care(con):
    frame = budget_by_domein(con, gemeente="GM0361", jaar=2024).set_index("domein")["begroting_cent"]
    # Jeugd 6.72a 100000 + 6.73a 50000 (6.72 is a total-only taakveld in 2023-2024); Wmo 6.71a 100000;
    # 6.1 has no domein; BW nothing budgeted -> 0
    assert frame.to_dict() == {"Jeugd": 150000, "Wmo": 100000, "Beschermd Wonen": 0}
    # the whole warehouse adds Bergen NH's 333
    assert budget_by_domein(con, gemeente=None, jaar=2024).set_index("domein").loc["Jeugd", "begroting_cent"] == 150333
    with pytest.raises(ValueError, match="jaar: must be an int"):
        budget_by_domein(con, gemeente="GM0361", jaar="2024")


def test_pending_by_domein_counts_this_year_up_to_the_month(con):
    frame = pending_by_domein(con, gemeente="GM0361", jaar=2024, maand=3).set_index("domein")
    # P1 (March 2024) 7000; P2 is 2023
    assert frame["in_behandeling_cent"].to_dict() == {"Jeugd": 7000, "Wmo": 0, "Beschermd Wonen": 0}
    assert pending_by_domein(con, gemeente="GM0361", jaar=2024, maand=2)["in_behandeling_cent"].sum() == 0
    with pytest.raises(ValueError, match="maand: must be an int from 1 to 12"):
        pending_by_domein(con, gemeente="GM0361", jaar=2024, maand=13)


def _monthly(rows: dict[int, list[int]], domein: str = "Jeugd") -> pd.DataFrame:
    return pd.DataFrame([{"maand": pd.Timestamp(year, m, 1), "domein": domein, "toegekend_cent": c}
                         for year, cents in rows.items() for m, c in enumerate(cents, start=1)])


def test_monthly_profile_averages_the_last_full_years():
    monthly = _monthly({2021: [10000] * 11, 2022: [10000] * 12, 2023: PROFILE_2023, 2024: [99999] * 3})
    profile = monthly_profile(monthly, jaar=2024).set_index(["domein", "maand"])
    # March: 2022 3/12 = 0.25, 2023 15000/120000 = 0.125 -> 0.1875 (2021 has 11 months: not full)
    assert profile.loc[("Jeugd", 3), "aandeel"] == pytest.approx(0.1875)
    assert profile.loc[("Jeugd", 3), "profiel_jaren"] == 2
    assert profile.loc[("Jeugd", 12), "aandeel"] == pytest.approx(1.0)
    # jaren=1 keeps 2023 only: 0.125; Wmo has no history: linear 3/12
    assert monthly_profile(monthly, jaar=2024, jaren=1).set_index(["domein", "maand"]).loc[
        ("Jeugd", 3), "aandeel"] == pytest.approx(0.125)
    wmo = profile.loc[("Wmo", 3)]
    assert wmo["aandeel"] == pytest.approx(0.25) and wmo["profiel_jaren"] == 0


def test_monthly_profile_rejects_bad_history():
    with pytest.raises(ValueError, match="jaren: must be a positive int"):
        monthly_profile(_monthly({2023: PROFILE_2023}), jaar=2024, jaren=0)


def test_project_year_end_against_the_budget():
    realised = pd.DataFrame({"domein": ["Jeugd", "Wmo", "Beschermd Wonen"], "realisatie_cent": [30000, 20000, 0],
                             "begroting_cent": [150000, 100000, 0]})
    profile = pd.DataFrame({"domein": ["Jeugd", "Wmo", "Beschermd Wonen"], "maand": [3, 3, 3],
                            "aandeel": [0.1875, 0.25, 0.25], "profiel_jaren": [2, 0, 0]})
    out = project_year_end(realised, profile, maand=3).set_index("domein")
    # Jeugd: 30000 / 0.1875 = 160000; 160000 - 150000 = +10000 = +6.67% of budget; burn 30000/150000 = 20%
    assert out.loc["Jeugd", ["prognose_cent", "afwijking_cent"]].tolist() == [160000, 10000]
    assert out.loc["Jeugd", "afwijking_pct"] == pytest.approx(10000 / 150000 * 100)
    assert out.loc["Jeugd", ["realisatie_pct", "profiel_pct"]].tolist() == pytest.approx([20.0, 18.75])
    # Wmo: 20000 / 0.25 = 80000; -20000 = -20%
    assert out.loc["Wmo", ["prognose_cent", "afwijking_cent", "afwijking_pct"]].tolist() == [80000, -20000, -20.0]
    assert pd.isna(out.loc["Beschermd Wonen", "afwijking_pct"])   # no budget: no %
    with pytest.raises(KeyError, match=r"profile: missing column\(s\) \['aandeel'\]"):
        project_year_end(realised, profile.drop(columns="aandeel"), maand=3)


def test_use_forecast_puts_the_forecasts_year_total_in_the_profiles_place():
    monitor = pd.DataFrame({"domein": ["Jeugd", "Wmo", "Beschermd Wonen"], "begroting_cent": [150000, 100000, 0],
                            "prognose_cent": pd.array([160000, 80000, pd.NA], dtype="Int64"),
                            "afwijking_cent": pd.array([10000, -20000, pd.NA], dtype="Int64")})
    forecast = pd.DataFrame({"domein": ["Jeugd", "Beschermd Wonen"], "prognose_cent": [165000, 4000]})
    out = use_forecast(monitor, forecast).set_index("domein")
    # Jeugd: 165000 - 150000 = +15000 = +10% of the budget; Wmo has no forecast and keeps the profile's 80000
    assert out.loc["Jeugd", ["prognose_cent", "afwijking_cent", "afwijking_pct", "prognose_bron"]].tolist() == [
        165000, 15000, 10.0, "prognose"]
    assert out.loc["Wmo", ["prognose_cent", "afwijking_cent", "afwijking_pct", "prognose_bron"]].tolist() == [
        80000, -20000, -20.0, "profiel"]
    # Beschermd Wonen: a forecast of 4000 against no budget: 4000 over, no %
    assert out.loc["Beschermd Wonen", ["prognose_cent", "afwijking_cent"]].tolist() == [4000, 4000]
    assert pd.isna(out.loc["Beschermd Wonen", "afwijking_pct"])
    with pytest.raises(KeyError, match=r"forecast: missing column\(s\) \['prognose_cent'\]"):
        use_forecast(monitor, forecast.drop(columns="prognose_cent"))


def test_the_uitgaven_report_projects_the_year_end_of_the_prognose_report(demo_warehouse):
    from notebook_cells import run_notebook

    params = {"gemeente": "GM0361", "warehouse": str(demo_warehouse), "periode": "2025-12"}
    uitgaven, prognose = run_notebook("uitgaven", params), run_notebook("prognose", params)
    gap = prognose.namespace["gap"]
    year = gap[(gap["jaar"] == 2025) & (gap["domein"] != "Totaal")].set_index("domein")["uitgaven_cent"]
    monitor = uitgaven.namespace["monitor"].set_index("domein")
    shown = monitor[~monitor["verborgen"]] if "verborgen" in monitor.columns else monitor
    assert len(shown) and (shown["prognose_bron"] == "prognose").all()
    assert shown["prognose_cent"].astype("int64").to_dict() == year[shown.index].astype("int64").to_dict()
    assert uitgaven.namespace["totaal"]["prognose"] == int(gap.query("jaar == 2025 and domein == 'Totaal'")[
        "uitgaven_cent"].iloc[0])


def test_budget_monitor_end_to_end(con):
    out = budget_monitor(con, gemeente="GM0361", jaar=2024, maand=3).set_index("domein")
    jeugd = out.loc["Jeugd"]
    # realised Jan-Mar 2024: 3 x 10000 = 30000 (April left out); profile 0.1875 -> 160000 against 150000
    assert jeugd[["begroting_cent", "realisatie_cent", "in_behandeling_cent", "prognose_cent",
                  "afwijking_cent", "profiel_jaren"]].tolist() == [150000, 30000, 7000, 160000, 10000, 2]
    # Wmo: 20000 in February, no history -> linear 3/12 -> 80000 against 100000
    assert out.loc["Wmo", ["realisatie_cent", "prognose_cent", "afwijking_cent"]].tolist() == [20000, 80000, -20000]
    assert out.loc["Beschermd Wonen", ["begroting_cent", "realisatie_cent", "prognose_cent"]].tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="maand: must be an int from 1 to 12"):
        budget_monitor(con, gemeente="GM0361", jaar=2024, maand=0)


def test_budget_monitor_projects_from_the_last_closed_month(con):
    # April 2024 asked, but only January and February are closed (March and April still being declared)
    out = budget_monitor(con, gemeente="GM0361", jaar=2024, maand=4, laatste_gesloten=date(2024, 2, 1))
    out = out.set_index("domein")
    # Wmo: realised to date 20000 (February); no history -> linear share by February 2/12;
    # projection 20000 / (2/12) = 120000 (from April it would read 20000 / (4/12) = 60000: a false underrun)
    assert out.loc["Wmo", ["realisatie_cent", "prognose_cent", "prognose_basis_maand"]].tolist() == [20000, 120000, 2]
    # Jeugd: realised Jan-Apr 40000, basis Jan-Feb 20000; share by February (2/12 + 10000/120000) / 2 = 0.125
    # -> 20000 / 0.125 = 160000 against a budget of 150000
    assert out.loc["Jeugd", ["realisatie_cent", "prognose_cent", "afwijking_cent"]].tolist() == [40000, 160000, 10000]


def test_budget_monitor_without_a_closed_month_this_year_gives_no_projection(con):
    out = budget_monitor(con, gemeente="GM0361", jaar=2024, maand=2, laatste_gesloten=date(2023, 12, 1))
    jeugd = out.set_index("domein").loc["Jeugd"]
    assert jeugd["realisatie_cent"] == 20000 and pd.isna(jeugd["prognose_cent"]) and jeugd["prognose_basis_maand"] == 0
