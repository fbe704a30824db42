"""The forecaster ``predict``: its contract, the combination, the baselines, the measured uncertainty and the
simulated deviations, on series whose answers are worked out by hand."""

import numpy as np
import pandas as pd
import pytest
from forecast.series import line, months, series, synthetic

from analysis.forecast import model
from analysis.forecast.model import (_Z80, KANDIDATEN, KOLOMMEN, LEDEN, METHODE, Onzekerheid, candidates, deviations,
                                     naive_forecast, onzekerheid, predict, predict_paths, trend_forecast)

# --- predict: what goes in, what comes out ------------------------------------------------------------------


def test_predict_on_exactly_24_months_returns_the_future_months_with_nested_bands():
    frame = predict(synthetic(24), 13)  # Jan 2019 .. Dec 2020 -> Jan 2021 .. Jan 2022
    assert frame.index.equals(months("2021-01-01", 13))
    assert frame.columns.tolist() == KOLOMMEN == ["verwacht", "laag_80", "hoog_80", "laag_95", "hoog_95"]
    assert (frame.dtypes == "float64").all() and np.isfinite(frame.to_numpy()).all()
    assert (frame["laag_95"] <= frame["laag_80"]).all() and (frame["laag_80"] <= frame["hoog_80"]).all()
    assert (frame["hoog_80"] <= frame["hoog_95"]).all()
    # the bands are not empty: the synthetic series has noise, so the paths spread
    assert (frame["hoog_95"] - frame["laag_95"] > 0).all()
    assert frame.attrs["methode"] == METHODE and frame.attrs["leden"] == list(LEDEN)


def test_the_bands_are_percentiles_of_the_paths():
    frame, paths = predict_paths(synthetic(36), 6, herhalingen=300, seed=4)
    assert paths.shape == (6, 300) and paths.index.equals(frame.index)
    # 80%: the 10th and 90th percentile of each month's paths; 95%: the 2.5th and 97.5th
    assert frame["laag_80"].to_numpy() == pytest.approx(np.percentile(paths, 10, axis=1))
    assert frame["hoog_95"].to_numpy() == pytest.approx(np.percentile(paths, 97.5, axis=1))
    # same seed, same paths; another seed, other paths
    assert paths.equals(predict_paths(synthetic(36), 6, herhalingen=300, seed=4)[1])
    assert not paths.equals(predict_paths(synthetic(36), 6, herhalingen=300, seed=5)[1])


@pytest.mark.parametrize("function", [predict, lambda s, m: naive_forecast(s, maanden=m),
                                      lambda s, m: trend_forecast(s, maanden=m)])
def test_23_months_is_too_short(function):
    with pytest.raises(ValueError, match="series: 23 months is too short; the forecast needs at least 24"):
        function(synthetic(23), 12)


def test_bad_series_and_arguments_are_named():
    good = synthetic(25)
    month_ends = pd.Series(good.to_numpy(), index=pd.date_range("2019-01-31", periods=25, freq="ME"))
    with pytest.raises(ValueError, match="series: months must be consecutive month starts"):
        predict(month_ends, 3)
    with pytest.raises(ValueError, match="series: months must be consecutive"):  # May 2019 missing: 24 left, a gap
        predict(good.drop(pd.Timestamp("2019-05-01")), 3)
    with pytest.raises(ValueError, match="series: every month needs a finite number"):
        predict(good.where(good.index != pd.Timestamp("2019-07-01")), 3)
    with pytest.raises(ValueError, match="series: needs a DatetimeIndex"):
        predict(good.reset_index(drop=True), 3)
    with pytest.raises(ValueError, match="maanden: must be at least 1, got 0"):
        predict(good, 0)
    with pytest.raises(ValueError, match="herhalingen: need at least 2 paths"):
        predict(good, 3, herhalingen=1)


@pytest.mark.parametrize("level", [5.0, 0.0])
def test_a_constant_series_forecasts_itself_with_bands_of_width_zero(level):
    frame = predict(series(np.full(24, level)), 4)
    # every member forecasts the constant; the year totals never changed (sigma 0) and there is no noise
    assert frame.to_numpy().tolist() == [[level] * 5] * 4
    assert frame.attrs["sigma"] == 0.0


def test_zeros_are_allowed_and_nothing_is_clipped():
    # a domain that starts from nothing: 12 months of 0, then 12 of 10. The one year-on-year change of the
    # 12-month total is 120 on 0, mean (120 + 0) / 2 = 60 -> 120 / 60 = 2.0 (the largest a symmetric change
    # can be); a Student-t with 1 degree of freedom that wide reaches far below 0, and the band is not clipped
    frame = predict(series(np.r_[np.zeros(12), np.full(12, 10.0)]), 12)
    assert frame.attrs["sigma"] == pytest.approx(2.0) and frame.attrs["vrijheidsgraden"] == 1
    assert np.isfinite(frame.to_numpy()).all() and (frame["laag_95"] < 0).all()


def test_negative_values_are_forecast_as_negative():
    # net credits every month: -(1000 + 10 t + season); a clip at 0 would forecast 0
    frame = predict(-synthetic(36), 12)
    assert (frame["verwacht"] < 0).all() and (frame["hoog_95"] < 0).all()
    # the level continues the series: months 36..47 of the truth lie between -1570 and -1260
    assert frame["verwacht"].between(-1600, -1230).all()


def test_a_step_ends_near_the_new_level_with_wider_bands():
    # 24 months of 100 then 24 of 200, with a season of amplitude 5 (it sums to 0 over any 12 months)
    season = 5 * np.sin(2 * np.pi * np.arange(48) / 12)
    levels = np.r_[np.full(24, 100.0), np.full(24, 200.0)]
    step, flat = series(levels + season), series(200 + season)
    frame, without = predict(step, 12), predict(flat, 12)
    # Tolerance: a quarter of the step. A forecast still anchored on the old level would be at most 150
    # (halfway); one that took the step for a trend would be the OLS line: on the levels, slope
    # sum((t - 23.5)(y - 150)) / sum((t - 23.5)^2) = 50 x (288 + 288) / (48 (48^2 - 1) / 12) = 28800 / 9212
    # = 3.13, month 48 at 150 + 3.13 x 24.5 = 226.6, and rising. Both lie outside 200 +- 25.
    assert (abs(frame["verwacht"] - 200) <= 25).all()
    assert trend_forecast(series(levels), maanden=1).iloc[0] == pytest.approx(150 + 28800 / 9212 * 24.5)
    # without the step the 12-month totals never change (sigma 0) and the members fit the repeated season
    # all but exactly: bands of width ~0. The step makes the totals jump by up to 2/3 (see below): wide bands.
    width, width_without = frame["hoog_80"] - frame["laag_80"], without["hoog_80"] - without["laag_80"]
    assert without.attrs["sigma"] == pytest.approx(0, abs=1e-12) and (width_without < 1e-6).all()
    assert (width > 50).all()
    # the 25 changes of the rolling totals (t = 0..36: 1200 + 100 x clip(t - 12, 0, 12)) a year apart:
    # j = 0: 1200 on 1200 -> 0; j = 1..12: (1200 + 100 j) on 1200 -> 100 j / (1200 + 50 j) (2/3 at j = 12);
    # j = 13..24, m = j - 12: 2400 on (1200 + 100 m) -> (1200 - 100 m) / (1800 + 50 m) (0 at m = 12)
    changes = [0.0] + [100 * j / (1200 + 50 * j) for j in range(1, 13)] + [
        (1200 - 100 * m) / (1800 + 50 * m) for m in range(1, 13)]
    assert frame.attrs["sigma"] == pytest.approx(np.std(changes, ddof=1))
    assert frame.attrs["vrijheidsgraden"] == 2  # 25 changes // 12


def test_the_forecast_scales_with_the_unit():
    # The members are fitted to the series scaled to mean 1, sigma is relative and the noise is in the
    # series' unit, so cents and euros give the same forecast. Not bit for bit: 1000 x values / (1000 x
    # scale) is not always exactly values / scale in floating point, and the optimisers start from there.
    # Measured differences are below 1e-8 relative; 1e-6 leaves room and still catches any unit mistake.
    cents = synthetic(36)
    assert predict(cents * 1000, 12).to_numpy() == pytest.approx(1000 * predict(cents, 12).to_numpy(), rel=1e-6)
    assert predict(cents * 1000, 12).attrs["sigma"] == pytest.approx(predict(cents, 12).attrs["sigma"], rel=1e-9)


# --- the combination and the baselines ----------------------------------------------------------------------


def test_the_forecast_is_the_mean_of_the_members():
    kand = candidates(synthetic(36).to_numpy(), 12)
    assert kand.leden == LEDEN and set(kand.punt) == {METHODE, *KANDIDATEN, "naief", "trend"}
    np.testing.assert_array_equal(kand.punt[METHODE], np.mean([kand.punt[k] for k in LEDEN], axis=0))
    assert kand.ruis > 0


class _Unfittable:
    def fit(self, y):
        raise RuntimeError("cannot fit")


class _Flat:
    """A stand-in model: every month ahead ``value``; its 80% band says a one-month error of ``sd``; its
    fit has the information criterion ``aicc``."""

    def __init__(self, value: float, sd: float = 1.0, aicc: float = 0.0) -> None:
        self.value, self.sd, self.model_ = value, sd, {"aicc": aicc}

    def fit(self, y):
        return self

    def predict(self, *, h, level=None):
        return {"mean": np.full(h, self.value), "hi-80": np.full(h, self.value + self.sd * _Z80)}


# 24 months alternating 5 and 15: mean absolute value 10, so the models see the series divided by 10 and
# their forecasts (and errors) come back multiplied by 10
ALTERNATING = np.tile([5.0, 15.0], 12)


def _stand_ins(monkeypatch, **makers):
    monkeypatch.setattr(model, "models", lambda: {"arima": _Unfittable, **makers})


def test_the_mean_of_flat_models_worked_by_hand(monkeypatch):
    # on the scaled series undamped ETS says 1 (AICc 3), damped ETS 1.3 (AICc 5), Theta 2 every month. ETS is
    # the half with the lower AICc, the undamped: x 10 -> 10, 13, 20; mean 43 / 3. Their one-month errors
    # 1, 2, 3 (scaled) -> 10, 20, 30 in the series' unit; the noise is their mean 20.
    _stand_ins(monkeypatch, ets_ongedempt=lambda: _Flat(1.0, 1.0, aicc=3), ets_gedempt=lambda: _Flat(1.3, 2.0, aicc=5),
               theta=lambda: _Flat(2.0, 3.0))
    kand = candidates(ALTERNATING, 3, kandidaten=LEDEN)
    assert kand.leden == LEDEN and "arima" not in kand.punt and list(kand.punt)[2:5] == list(LEDEN)
    assert kand.punt[METHODE] == pytest.approx([43 / 3] * 3)
    assert kand.ruis == pytest.approx(20.0)
    assert kand.punt["naief"].tolist() == [5.0, 15.0, 5.0]  # the baselines stay beside it


def test_ets_is_the_half_of_its_search_with_the_lower_aicc(monkeypatch):
    # damped now has the lower AICc (2 < 3): ETS is the damped form too, 13; mean (13 + 13 + 20) / 3 = 46 / 3
    _stand_ins(monkeypatch, ets_ongedempt=lambda: _Flat(1.0, 1.0, aicc=3), ets_gedempt=lambda: _Flat(1.3, 2.0, aicc=2),
               theta=lambda: _Flat(2.0, 3.0))
    kand = candidates(ALTERNATING, 3, kandidaten=LEDEN)
    assert kand.punt["ets"] == pytest.approx([13.0] * 3) and kand.punt[METHODE] == pytest.approx([46 / 3] * 3)
    # the undamped half cannot be fitted: ETS is the damped form; the damped cannot: ETS is the undamped one
    _stand_ins(monkeypatch, ets_ongedempt=_Unfittable, ets_gedempt=lambda: _Flat(1.3, 2.0), theta=lambda: _Flat(2.0))
    assert candidates(ALTERNATING, 1, kandidaten=LEDEN).punt["ets"] == pytest.approx([13.0])
    _stand_ins(monkeypatch, ets_ongedempt=lambda: _Flat(1.0), ets_gedempt=_Unfittable, theta=lambda: _Flat(2.0))
    kand = candidates(ALTERNATING, 1, kandidaten=LEDEN)
    assert kand.leden == ("ets", "theta") and kand.punt[METHODE] == pytest.approx([15.0])


def test_ets_is_the_model_a_full_autoets_search_picks():
    # the two halves and the AICc between them give the same forecast as one AutoETS over every form
    from statsforecast.models import AutoETS

    peak = 100 + np.r_[np.arange(30), 29 - np.arange(18)]
    for values in (synthetic(36).to_numpy(), ALTERNATING + np.arange(24), peak):
        scale = np.abs(values).mean()
        full = AutoETS(season_length=12).forecast(y=values / scale, h=12)["mean"] * scale
        np.testing.assert_allclose(candidates(values, 12).punt["ets"], full, rtol=1e-12)


def test_a_member_that_cannot_be_fitted_is_left_out(monkeypatch):
    # Theta cannot be fitted: the mean of ETS 1 (the undamped half, lower AICc) and damped ETS 1.3 (x 10) is
    # 11.5; the noise the mean of 10 and 20
    _stand_ins(monkeypatch, ets_ongedempt=lambda: _Flat(1.0, 1.0, aicc=0), ets_gedempt=lambda: _Flat(1.3, 2.0, aicc=1),
               theta=_Unfittable)
    kand = candidates(ALTERNATING, 2, kandidaten=LEDEN)
    assert kand.leden == ("ets", "ets_gedempt") and "theta" not in kand.punt
    assert kand.punt[METHODE] == pytest.approx([11.5, 11.5]) and kand.ruis == pytest.approx(15.0)
    # the real models: Theta left out, the mean of the other two
    makers = dict(model.models())
    makers["theta"] = _Unfittable
    monkeypatch.setattr(model, "models", lambda: makers)
    kand = candidates(synthetic(36).to_numpy(), 12)
    assert kand.leden == ("ets", "ets_gedempt") and "theta" not in kand.punt
    np.testing.assert_array_equal(kand.punt[METHODE], np.mean([kand.punt[k] for k in kand.leden], axis=0))


def test_a_member_forecasting_infinity_is_left_out(monkeypatch):
    class Exploding(_Flat):
        def predict(self, *, h, level=None):
            return {"mean": np.full(h, np.inf), "hi-80": np.full(h, np.inf)}

    _stand_ins(monkeypatch, ets_ongedempt=lambda: Exploding(0.0, aicc=0), ets_gedempt=lambda: Exploding(0.0, aicc=1),
               theta=lambda: _Flat(3.0, 1.0))
    kand = candidates(ALTERNATING, 2, kandidaten=LEDEN)
    assert kand.leden == ("theta",) and kand.punt[METHODE] == pytest.approx([30.0, 30.0])


def test_without_any_member_the_forecast_is_last_year(monkeypatch):
    every = dict.fromkeys(model.models(), _Unfittable)
    monkeypatch.setattr(model, "models", lambda: every)
    # year 1: 10 every month; year 2: 10, 14, 10, 14, ...: changes on a year earlier 0, 4, 0, 4, ... -> std 2
    values = np.r_[np.full(12, 10.0), np.tile([10.0, 14.0], 6)]
    kand = candidates(values, 3)
    assert kand.leden == () and kand.punt[METHODE].tolist() == [10.0, 14.0, 10.0] and kand.ruis == pytest.approx(2.0)


def test_naive_repeats_the_last_twelve_months():
    values = series(np.arange(24))  # 0 .. 23
    # the last 12 months are 12..23; months 13 and 14 start the cycle again: 12, 13
    assert candidates(values.to_numpy(), 14).punt["naief"].tolist() == [*range(12, 24), 12, 13]
    forecast = naive_forecast(values, maanden=14)
    assert forecast.tolist() == [*range(12, 24), 12, 13] and forecast.index[0] == pd.Timestamp("2021-01-01")


def test_trend_is_the_ols_line():
    # y = 100 + 10 t, t = 0..23: the OLS line is the series itself, so month t = 24, 25, 26 gets 340, 350, 360
    assert candidates(line(24).to_numpy(), 3).punt["trend"] == pytest.approx([340.0, 350.0, 360.0])
    # with +5 on even and -5 on odd months: sum(e) = 0, sum(t e) = 5 x (0 - 1 + 2 - 3 ... - 23) = -60 and
    # sum((t - 11.5)^2) = 24 (24^2 - 1) / 12 = 1150, so slope = 10 - 60 / 1150 = 9.947826; intercept
    # = mean(y) - slope x 11.5 = 215 - 114.4 = 100.6; month 24: 100.6 + 9.947826 x 24 = 339.347826
    t = np.arange(24)
    forecast = trend_forecast(series(100 + 10 * t + 5 * (-1.0) ** t), maanden=2)
    assert forecast.iloc[0] == pytest.approx(339.347826, abs=1e-6)
    assert forecast.iloc[1] - forecast.iloc[0] == pytest.approx(9.947826, abs=1e-6)


# --- onzekerheid: the year-total swings of the history ------------------------------------------------------


def test_uncertainty_of_two_years():
    # 12 x 10 then 12 x 12: one change of the 12-month total, 120 -> 144, on the mean 132: 24 / 132
    o = onzekerheid(np.r_[np.full(12, 10.0), np.full(12, 12.0)], ruis=3.0)
    assert o.sigma == pytest.approx(24 / 132) and o.vrijheidsgraden == 1
    assert o.niveau == 12.0 and o.ruis == 3.0  # niveau: mean |value| of the last 12 months


def test_uncertainty_of_three_years():
    # years of 10, 12, 10: the rolling totals rise 120, 122, ..., 144 (window 0..12) and fall back to 120
    # (window 24); the change a year apart, j = 0..12, is (144 - 2j) - (120 + 2j) = 24 - 4j on a mean of
    # exactly 132: 4k / 132 for k = 6, 5, ..., -6. std (ddof 1) of k: sqrt(2 (1+4+9+16+25+36) / 12)
    # = sqrt(182 / 12) = 3.894440, so sigma = 4 x 3.894440 / 132 = 0.118013; 13 changes // 12 = 1
    o = onzekerheid(np.r_[np.full(12, 10.0), np.full(12, 12.0), np.full(12, 10.0)], ruis=0.0)
    assert o.sigma == pytest.approx(np.sqrt(182 / 12) * 4 / 132) and o.sigma == pytest.approx(0.118013, abs=1e-6)
    assert o.vrijheidsgraden == 1 and o.niveau == 10.0


def test_uncertainty_of_four_years():
    # years of 10, 12, 10, 12: 25 changes 4k / 132 with k = 6, 5, ..., -6 then -5, ..., 6 (the mean of the
    # two totals is always 132). mean k = 6 / 25 = 0.24; sum k^2 = 182 + 146 = 328; sum (k - 0.24)^2
    # = 328 - 25 x 0.0576 = 326.56; / 24 = 13.606667; sqrt = 3.688722; sigma = 4 x 3.688722 / 132 = 0.111779;
    # 25 changes // 12 = 2 degrees of freedom
    o = onzekerheid(np.tile(np.r_[np.full(12, 10.0), np.full(12, 12.0)], 2), ruis=0.0)
    assert o.sigma == pytest.approx(np.sqrt(326.56 / 24) * 4 / 132) and o.sigma == pytest.approx(0.111779, abs=1e-6)
    assert o.vrijheidsgraden == 2 and o.niveau == 12.0


def test_uncertainty_of_nothing_is_zero():
    # all totals 0: no change can be measured (mean 0), not a division by zero
    o = onzekerheid(np.zeros(36), ruis=0.0)
    assert (o.sigma, o.niveau, o.vrijheidsgraden) == (0.0, 0.0, 1)


# --- deviations: the simulated paths ------------------------------------------------------------------------


def test_deviations_carry_one_level_shock_per_year_on_top_of_the_years_before():
    onz = Onzekerheid(niveau=100.0, sigma=0.1, vrijheidsgraden=3, ruis=0.0)
    dev = deviations(onz, 24, herhalingen=4, seed=5)
    t = np.random.default_rng(5).standard_t(3, size=(2, 4))  # one draw per 12-month block and path
    # niveau x sigma = 10: months 1..12 carry 10 t1, months 13..24 carry 10 (t1 + t2)
    assert dev.shape == (24, 4)
    np.testing.assert_allclose(dev[:12], np.broadcast_to(10 * t[0], (12, 4)))
    np.testing.assert_allclose(dev[12:], np.broadcast_to(10 * (t[0] + t[1]), (12, 4)))
    # so the second year's total exceeds the first by 12 x niveau x sigma x t2 = 120 t2
    np.testing.assert_allclose(dev[12:].sum(axis=0) - dev[:12].sum(axis=0), 120 * t[1])
    # 18 months: two blocks, the second cut off after 6 months
    np.testing.assert_allclose(deviations(onz, 18, herhalingen=4, seed=5), dev[:18])


def test_deviations_add_monthly_noise_after_the_level_shocks():
    onz = Onzekerheid(niveau=100.0, sigma=0.1, vrijheidsgraden=2, ruis=3.0)
    # 7 months: one block; from the same generator first the level shock per path, then the noise per month
    rng = np.random.default_rng(8)
    shock, noise = rng.standard_t(2, size=5), rng.standard_normal((7, 5))
    np.testing.assert_allclose(deviations(onz, 7, herhalingen=5, seed=8), 10 * shock + 3.0 * noise)


def test_the_same_seed_gives_every_series_the_same_shocks():
    # two series of different size and uncertainty (one domain of two gemeenten, say) drawn with one seed: their
    # deviations are the same draws times niveau x sigma, so a bad year for one is a bad year for the other
    small = deviations(Onzekerheid(niveau=50.0, sigma=0.2, vrijheidsgraden=1, ruis=0.0), 24, herhalingen=50, seed=0)
    large = deviations(Onzekerheid(niveau=1000.0, sigma=0.05, vrijheidsgraden=1, ruis=0.0), 24, herhalingen=50,
                       seed=0)
    np.testing.assert_allclose(small / 10, large / 50)  # 50 x 0.2 = 10, 1000 x 0.05 = 50
    other = deviations(Onzekerheid(niveau=50.0, sigma=0.2, vrijheidsgraden=1, ruis=0.0), 24, herhalingen=50, seed=1)
    assert not np.allclose(small, other)


def test_candidates_fit_only_what_is_asked_and_always_the_members():
    values = series_for_candidates()
    only = candidates(values, 6, kandidaten=LEDEN)
    assert "arima" not in only.punt and {"combinatie", *LEDEN, "naief", "trend"} == set(only.punt)
    assert np.allclose(only.punt["combinatie"], candidates(values, 6).punt["combinatie"])  # ARIMA is no member
    with pytest.raises(ValueError, match="kandidaten"):
        candidates(values, 6, kandidaten=("ets", "theta"))  # the forecast needs every member
    with pytest.raises(ValueError, match="kandidaten"):
        candidates(values, 6, kandidaten=("ets", "theta", "prophet"))


def test_a_fit_is_kept_by_content_and_read_back_without_fitting(tmp_path, monkeypatch):
    monkeypatch.setenv(model.FIT_CACHE, str(tmp_path))
    values, fitted = series_for_candidates(), []
    fit = model._fit
    monkeypatch.setattr(model, "_fit", lambda *a: fitted.append(a[1:]) or fit(*a))
    first = candidates(values, 6)
    again = candidates(values.copy(), 6)  # the same content, another array: read back
    assert fitted == [(6, KANDIDATEN)] and len(list(tmp_path.glob("*.npz"))) == 1
    assert list(again.punt) == list(first.punt) and again.leden == first.leden and again.ruis == first.ruis
    assert all(np.array_equal(again.punt[k], first.punt[k]) for k in first.punt)
    changed = values.copy()
    changed[-1] += 1
    candidates(changed, 6)  # one value differs
    candidates(values, 7)  # another horizon
    candidates(values, 6, kandidaten=LEDEN)  # other candidates
    assert fitted == [(6, KANDIDATEN), (6, KANDIDATEN), (7, KANDIDATEN), (6, LEDEN)]
    kept = sorted(tmp_path.glob("*.npz"))
    assert len(kept) == 4 and not list(tmp_path.glob("*.tmp"))
    for path in kept:
        path.write_bytes(b"not a fit")  # unreadable: fitted again, and kept again
    assert np.array_equal(candidates(values, 6).punt["combinatie"], first.punt["combinatie"])
    rewritten = tmp_path / f"{model._fit_key(values, 6, KANDIDATEN)}.npz"
    assert len(fitted) == 5 and np.load(rewritten).files


def test_without_a_cache_folder_every_call_fits(monkeypatch):
    monkeypatch.delenv(model.FIT_CACHE, raising=False)
    fitted = []
    fit = model._fit
    monkeypatch.setattr(model, "_fit", lambda *a: fitted.append(a[1]) or fit(*a))
    candidates(series_for_candidates(), 6)
    candidates(series_for_candidates(), 6)
    assert fitted == [6, 6]


def series_for_candidates() -> np.ndarray:
    t = np.arange(36, dtype=float)
    return 1000 + 10 * t + 100 * np.sin(2 * np.pi * t / 12)


def test_short_paths_repeat_the_last_year_with_bands_as_wide_as_the_months_differ():
    s = pd.Series([10.0, 30.0] * 9, index=months("2024-01-01", 18))
    frame, paths = model.short_paths(s, 14, herhalingen=400, seed=1)
    # months 7..18 are 10, 30, ... : repeated, the 13th and 14th month again 10 and 30
    assert frame["verwacht"].tolist() == [10.0, 30.0] * 7
    # 18 values of 10 and 30: mean 20, squares 9 x 100 x 2 = 1800, / 17 -> sd 10.290; on the level 20
    assert frame.attrs["methode"] == "korte reeks" and frame.attrs["vrijheidsgraden"] == 1
    assert frame.attrs["sigma"] == pytest.approx(np.sqrt(1800 / 17) / 20)
    assert frame.attrs["ruis"] == pytest.approx(np.sqrt(1800 / 17))
    assert ((frame["laag_95"] <= frame["laag_80"]) & (frame["laag_80"] <= frame["hoog_80"])
            & (frame["hoog_80"] <= frame["hoog_95"])).all()
    assert paths.shape == (14, 400)


def test_short_paths_take_12_to_23_months_only():
    with pytest.raises(ValueError, match="11 months is too short; a forecast needs at least 12"):
        model.short_paths(pd.Series(1.0, index=months("2024-01-01", 11)), 3)
    with pytest.raises(ValueError, match="long enough for predict_paths"):
        model.short_paths(pd.Series(1.0, index=months("2024-01-01", 24)), 3)
    assert model.short_paths(pd.Series(5.0, index=months("2024-01-01", 12)), 2)[0]["hoog_95"].tolist() == [5.0, 5.0]
