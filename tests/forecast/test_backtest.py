"""Rolling-origin backtest of year totals, on series whose errors are worked out by hand."""

import numpy as np
import pandas as pd
import pytest
from forecast.series import line, months, synthetic

from analysis.forecast import backtest_monthly, backtest_series, summarise_backtest
from analysis.forecast.backtest import KOLOMMEN, origins
from analysis.forecast.model import KANDIDATEN, METHODE

# y = 100 + 10 t, Jan 2019 (t = 0) .. Dec 2022 (t = 47); with stap 3 the origins are t = 23, 26, 29, 32, 35
LINE_ORIGINS = [23, 26, 29, 32, 35]


def test_origins_count_back_from_the_last_with_a_closed_year_after_it():
    index = months("2019-01-01", 48)
    # last origin: 48 - 12 - 1 = 35 (Dec 2021, followed by the 12 months of 2022); then every 3 months back
    # while 24 months lie before it, inclusive: 32, 29, 26, 23 (Dec 2020, the 24th month); oldest first
    assert origins(index, stap=3) == [index[i] for i in LINE_ORIGINS]
    assert origins(index, stap=3)[0] == pd.Timestamp("2020-12-01") and origins(index, stap=3)[-1] == pd.Timestamp(
        "2021-12-01")
    assert origins(index, stap=6) == [index[23], index[29], index[35]]
    # 36 months: only t = 23 (24 months before it, 12 after it); 35 months: none
    assert origins(months("2019-01-01", 36), stap=3) == [pd.Timestamp("2020-12-01")]
    assert origins(months("2019-01-01", 35), stap=3) == []
    with pytest.raises(ValueError, match="stap, maanden: must be at least 1"):
        origins(index, stap=0)


@pytest.fixture(scope="module")
def line_errors() -> pd.DataFrame:
    return backtest_series(line(48), stap=3, herhalingen=200)


def test_backtest_rows_and_columns(line_errors):
    assert line_errors.columns.tolist() == KOLOMMEN
    assert line_errors["oorsprong"].unique().tolist() == [months("2019-01-01", 48)[i] for i in LINE_ORIGINS]
    assert set(line_errors["methode"]) == {METHODE, *KANDIDATEN, "naief", "trend"}
    assert (line_errors["domein"] == "reeks").all()  # an unnamed series
    assert line_errors["binnen_80"].dtype == bool and line_errors["binnen_95"].dtype == bool


def test_year_total_errors_of_the_baselines_on_a_straight_line(line_errors):
    naief = line_errors[line_errors["methode"] == "naief"].reset_index(drop=True)
    trend = line_errors[line_errors["methode"] == "trend"].reset_index(drop=True)
    # after origin o the year holds t = o + 1 .. o + 12: 12 x 100 + 10 x (12 o + 78) = 1980 + 120 o
    # (o = 23: 4740, ..., o = 35: 6180)
    werkelijk = [1980 + 120 * o for o in LINE_ORIGINS]
    assert naief["werkelijk"].tolist() == pytest.approx(werkelijk) and werkelijk[0] == 4740
    # naive: every month is last year's, 12 x 10 = 120 too low: the year total 12 x 120 = 1440 too low
    assert naief["fout"].tolist() == pytest.approx([-1440.0] * 5)
    assert naief["jaartotaal"].tolist() == pytest.approx([w - 1440 for w in werkelijk])
    # ape: 1440 / 4740 = 30.3797% at the first origin, ..., 1440 / 6180 = 23.3010% at the last
    assert naief["ape_pct"].tolist() == pytest.approx([1440 / w * 100 for w in werkelijk])
    assert naief["ape_pct"].iloc[[0, -1]].tolist() == pytest.approx([30.3797, 23.3010], abs=1e-4)
    # smape: month a gets a - 120: 200 x 120 / (2a - 120); first month after Dec 2021 (t = 36): a = 460,
    # 24000 / 800 = 30%
    for o, smape in zip(LINE_ORIGINS, naief["smape_pct"], strict=True):
        a = 100 + 10 * np.arange(o + 1, o + 13)
        assert smape == pytest.approx(np.mean(24000 / (2 * a - 120)))
    assert 24000 / (2 * 460 - 120) == 30.0
    # mase: mean |f - a| = 120 over the history's mean |y_t - y_{t-12}| = 120
    assert naief["mase"].tolist() == pytest.approx([1.0] * 5)
    # trend: the OLS line is the series itself -> no error, inside any band
    assert trend["fout"].abs().max() < 1e-6 and trend["ape_pct"].max() < 1e-6 and trend["mase"].max() < 1e-6
    assert trend["binnen_80"].all() and trend["binnen_95"].all()


def test_the_total_is_the_sum_of_the_domains(monthly):
    # Jan 2021 .. Oct 2024 (46 months): origins 46 - 13 = 33, 30, 27, 24
    errors = backtest_monthly(monthly, stap=3, herhalingen=200)
    assert errors["oorsprong"].nunique() == 4
    assert sorted(errors["domein"].unique()) == ["Beschermd Wonen", "Jeugd", "Totaal", "Wmo"]
    by = errors.set_index(["domein", "oorsprong", "methode"])
    domains = by.drop("Totaal", level="domein")
    # linear: Totaal's naive and combined year totals are the sums of the domains'; so is what happened
    for methode in ("naief", "trend", METHODE):
        expected = domains.xs(methode, level="methode").groupby(level="oorsprong")["jaartotaal"].sum()
        assert by.xs(("Totaal", methode), level=["domein", "methode"])["jaartotaal"].to_numpy() == pytest.approx(
            expected.to_numpy())
    werkelijk = domains.xs("naief", level="methode").groupby(level="oorsprong")["werkelijk"].sum()
    assert by.xs(("Totaal", "naief"), level=["domein", "methode"])["werkelijk"].to_numpy() == pytest.approx(
        werkelijk.to_numpy())
    # Beschermd Wonen spends nothing: forecast and actual 0, no % error, sMAPE 0, no MASE (constant history)
    bw = errors[errors["domein"] == "Beschermd Wonen"]
    assert (bw["fout"] == 0).all() and bw["ape_pct"].isna().all() and (bw["smape_pct"] == 0).all()
    assert bw["mase"].isna().all()
    # Wmo is half of Jeugd, both rounded to cents: each Wmo month is within 0.5 + 0.25 cent of half a Jeugd
    # month, so the naive forecast and the actual year total each within 12 x 0.75 = 9 cents; on a Wmo year of
    # at least 12 x 500 cents the naive % errors agree to 18 / 6000 = 0.3 percentage points
    ape = by.xs("naief", level="methode")["ape_pct"]
    assert ape.loc["Wmo"].to_numpy() == pytest.approx(ape.loc["Jeugd"].to_numpy(), abs=0.3)
    assert (by.xs(("Wmo", "naief"), level=["domein", "methode"])["werkelijk"] > 12 * 500).all()


def test_backtest_needs_an_origin():
    # 35 months: the last with 12 months after it is t = 22, which has only 23 months before it
    with pytest.raises(ValueError, match="series: no origin with 24 months before it and 12 closed months"):
        backtest_series(synthetic(35), stap=3)


# --- summarise_backtest on a hand-made errors frame ---------------------------------------------------------

APE = {  # domein -> methode -> ape_pct at the two origins
    "Jeugd": {METHODE: [10.0, 20.0], "ets": [5.0, 15.0], "naief": [12.0, 14.0], "trend": [30.0, 10.0]},
    "Wmo": {METHODE: [8.0, 8.0], "ets": [9.0, 9.0], "naief": [10.0, 10.0], "trend": [9.0, 9.0]},
    "Beschermd Wonen": {m: [np.nan, np.nan] for m in (METHODE, "ets", "naief", "trend")},
}


def hand_errors() -> pd.DataFrame:
    rows = [{"domein": d, "oorsprong": pd.Timestamp(o), "methode": m, "jaartotaal": 0.0, "werkelijk": 0.0,
             "fout": f, "ape_pct": a, "smape_pct": s, "mase": q, "binnen_80": b80, "binnen_95": True}
            for d, methods in APE.items() for m, apes in methods.items()
            for o, a, f, s, q, b80 in zip(["2021-12-01", "2022-12-01"], apes, [-100.0, 200.0], [8.0, 12.0],
                                          [0.5, 1.5], [True, False], strict=True)]
    return pd.DataFrame(rows, columns=KOLOMMEN)


def test_summary_averages_over_the_origins():
    summary = summarise_backtest(hand_errors()).set_index(["domein", "methode"])
    row = summary.loc[("Jeugd", METHODE)]
    # ape (10 + 20) / 2 = 15; |fout| (100 + 200) / 2 = 150; smape (8 + 12) / 2 = 10; mase (0.5 + 1.5) / 2 = 1;
    # in the 80% band at 1 of 2 origins: 0.5; in the 95% band at both: 1.0
    assert row[["ape_pct", "fout_abs", "smape_pct", "mase", "dekking_80", "dekking_95", "oorsprongen"]].tolist() == [
        15.0, 150.0, 10.0, 1.0, 0.5, 1.0, 2]
    assert np.isnan(summary.loc[("Beschermd Wonen", METHODE), "ape_pct"])


def test_summary_says_which_methods_beat_both_baselines():
    summary = summarise_backtest(hand_errors()).set_index(["domein", "methode"])
    beter = summary["beter_dan_baselines"]
    assert beter.dtype == bool
    # Jeugd: naief 13, trend 20. combinatie 15 is not below 13; ets 10 is below both
    assert not beter[("Jeugd", METHODE)] and beter[("Jeugd", "ets")]
    # Wmo: naief 10, trend 9. combinatie 8 is below both; ets 9 ties trend: not strictly below
    assert beter[("Wmo", METHODE)] and not beter[("Wmo", "ets")]
    # a baseline never beats the baselines (Wmo's trend 9 is below naief's 10), nor does anything without spend
    assert not beter.xs("trend", level="methode").any() and not beter.xs("naief", level="methode").any()
    assert not beter.loc["Beschermd Wonen"].any()
    # the method the reports use is marked
    assert summary.index[summary["gebruikt"]].get_level_values("methode").unique().tolist() == [METHODE]
