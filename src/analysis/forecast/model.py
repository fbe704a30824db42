"""The one forecaster: ``predict`` (and ``predict_paths``) for every report and the backtest.

Any gap-free monthly ``pd.Series`` (month-start ``DatetimeIndex``, at least 24 months; cents, counts or
thousands alike) goes in; the next ``maanden`` months come out with 80% and 95% bands.

**Point forecast: the mean of three compiled models of statsforecast** (``LEDEN``), each fitted to the
series scaled to mean 1:

- ``ets``: AutoETS, the exponential-smoothing model (error, trend, season) with the lowest AICc;
- ``ets_gedempt``: AutoETS restricted to a damped trend: a change goes on, but less every month;
- ``theta``: AutoTheta, the best of the four Theta variants (standard, optimised, dynamic).

ETS and damped ETS cost one AutoETS search together: the search is run in its two halves (damped forms,
undamped forms) and ``ets`` is the half with the lower AICc, the model one full search picks (``_fitted``).
A fourth model, ``arima`` (the seasonal "airline" ARIMA(0,1,1)(0,1,1)12), is fitted in the backtest and
shown there, but is not a member. A member that cannot be fitted (too short a series for it) is left
out and the mean is of the rest; without any, the forecast is the seasonal naive one.

Why this mean (:mod:`analysis.bench.echte_reeksen`, the product's backtest on the 2,411 monthly series of
the M1, M3 and Tourism competitions; README, "The forecast"): on the 1,206 series it was chosen on, its
mean year-total error was 9.45%, against 9.66% for the former mean of ETS and Theta, 9.71-12.02% for
each model alone, 9.51-9.73% for the other means tried, 10.92% for last year repeated and 15.72% for a
straight line; on the other 1,205, held apart until then, it was again the lowest (9.09%; ETS and Theta
9.30%, last year 11.45%), and on the demo at both scales it beat both baselines more often than the
former mean. A median with last year as a fourth member had a lower error still on the real series in an
earlier run of this kind, but it forecast steadily growing series lower (it lags every rise, so it
understates the gap the board reads) and beat both baselines less often on the demo at scale 1 (46%
against 56%); it was rejected.

**Bands: empirical, from how much the series' own year totals have surprised.** ``onzekerheid``
takes every rolling 12-month total of the history and its change on the total a year earlier
(symmetric: change / mean of the two); the standard deviation of those changes is the relative
uncertainty of a year ahead, Student-t with one degree of freedom per year of history (few years,
wide bands). Later years add an independent shock each (a random walk of the level), and every
month adds noise the size of the members' one-month-ahead error. ``deviations`` draws those paths,
so year totals and the region total come from summed paths; a sum of series (a gemeente's total)
gets a band measured on its own history (``total_uncertainty``). Paths drawn with the same seed share
their shocks, so summing them assumes a bad year for one is a bad year for all; paths with different
seeds are independent (``forecast_spend`` gives each domain its own seed).

Baselines for the backtest: ``naive_forecast`` (last 12 months repeated) and ``trend_forecast``
(straight OLS line). Negative values (a month of net credits) are allowed; nothing is clipped here
(``forecast_spend`` clips spend at 0). A constant series (all zeros, say) forecasts itself with
bands of width 0.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEIZOEN = 12
MIN_MAANDEN = 2 * SEIZOEN
"""Two full years: the fewest months from which a model can tell the season from the trend."""
MIN_MAANDEN_KORT = SEIZOEN
"""One full year: the fewest months ``short_paths`` forecasts from (its last year repeated)."""

KANDIDATEN = ("ets", "ets_gedempt", "theta", "arima")
"""The models fitted to every series (``models``); the backtest shows each."""
LEDEN = ("ets", "ets_gedempt", "theta")
"""The candidates whose mean is the forecast (``combinatie``); their mean one-month error is the monthly
noise of the bands."""


@functools.cache
def models() -> dict[str, Callable[[], object]]:
    """Model name -> a maker of a fresh statsforecast model: the candidates, except ``ets``, which is the
    better by AICc of ``ets_gedempt`` and ``ets_ongedempt`` (AutoETS searching only the undamped forms), so
    ETS and damped ETS together cost one full AutoETS search (:func:`_fitted`). Imported on first use:
    notebooks that never forecast do not pay for it, and statsforecast's ``tqdm.auto`` import warns in a
    kernel without ipywidgets (it draws no progress bar here, so that one warning is silenced)."""
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found", category=TqdmWarning)
        from statsforecast.models import ARIMA, AutoETS, AutoTheta
    return {"ets_ongedempt": lambda: AutoETS(season_length=SEIZOEN, damped=False),
            "ets_gedempt": lambda: AutoETS(season_length=SEIZOEN, damped=True),
            "theta": lambda: AutoTheta(season_length=SEIZOEN),
            "arima": lambda: ARIMA(order=(0, 1, 1), seasonal_order=(0, 1, 1), season_length=SEIZOEN)}


def _fitted(y: np.ndarray, kandidaten: tuple[str, ...]) -> dict[str, object]:
    """Candidate name -> its statsforecast model fitted to ``y``, for those that could be fitted. ``ets`` is
    whichever of the two halves of AutoETS's search has the lower AICc: the model one full search picks
    (it compares every form by AICc), found with the damped half that ``ets_gedempt`` needs anyway."""
    namen = [k for k in kandidaten if k != "ets"] + (["ets_ongedempt"] if "ets" in kandidaten else [])
    found = {}
    for name in namen:
        try:
            found[name] = models()[name]().fit(y)
        except Exception:  # noqa: BLE001 - statsforecast raises plain Exceptions for a series it cannot fit
            continue
    halves = [found[k] for k in ("ets_ongedempt", "ets_gedempt") if k in found]
    found.pop("ets_ongedempt", None)
    if "ets" in kandidaten and halves:
        found["ets"] = min(halves, key=lambda fit: fit.model_["aicc"])
    return found


METHODE = "combinatie"
METHODE_KORT = "korte reeks"
BASELINES = ("naief", "trend")
KOLOMMEN = ["verwacht", "laag_80", "hoog_80", "laag_95", "hoog_95"]
INTERVALLEN = {"80": (10.0, 90.0), "95": (2.5, 97.5)}
"""Band name -> (lower, upper) percentile of the simulated paths."""

_Z80 = 1.2815515655446004  # standard normal 90th percentile: one-month error from a member's 80% band


def check_series(series: pd.Series, *, min_maanden: int = MIN_MAANDEN) -> None:
    """Raise ``ValueError`` unless ``series`` is a gap-free monthly series of at least ``min_maanden`` (24)
    finite numbers."""
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("series: needs a DatetimeIndex of month starts")
    if len(series) < min_maanden:
        raise ValueError(f"series: {len(series)} months is too short; the forecast needs at least {min_maanden}")
    expected = pd.date_range(series.index[0], periods=len(series), freq="MS")
    if not series.index.equals(expected):
        raise ValueError("series: months must be consecutive month starts (first day of each month)")
    if not pd.api.types.is_numeric_dtype(series) or not np.isfinite(series.to_numpy(dtype=float)).all():
        raise ValueError("series: every month needs a finite number (no missing values)")


def _check_maanden(maanden: int) -> None:
    if maanden < 1:
        raise ValueError(f"maanden: must be at least 1, got {maanden}")


def future_index(series: pd.Series, maanden: int) -> pd.DatetimeIndex:
    """The ``maanden`` month starts after the series."""
    return pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=maanden, freq="MS")


def _naive(values: np.ndarray, maanden: int) -> np.ndarray:
    return np.resize(values[-SEIZOEN:], maanden).astype(float)


def _trend(values: np.ndarray, maanden: int) -> np.ndarray:
    t = np.arange(len(values), dtype=float)
    slope, intercept = np.polyfit(t, values, deg=1)
    return intercept + slope * np.arange(len(values), len(values) + maanden, dtype=float)


@dataclass(frozen=True)
class Kandidaten:
    """Every method's point forecast of one series (same unit as the series) and the members' noise."""

    punt: dict[str, np.ndarray]
    """Method name (``combinatie``, the ``KANDIDATEN``, ``naief``, ``trend``) -> forecast of each future month."""
    ruis: float
    """Mean one-month-ahead error (standard deviation) of the members, same unit."""
    leden: tuple[str, ...]
    """The members that could be fitted and make up ``combinatie``."""


def candidates(values: np.ndarray, maanden: int, *, kandidaten: tuple[str, ...] = KANDIDATEN) -> Kandidaten:
    """Fit the ``kandidaten`` models (at least the ``LEDEN``) on ``values`` (a checked series as floats) and
    forecast ``maanden`` months, with the combination and the baselines.

    Where :data:`FIT_CACHE` names a folder (a report run sets it for its kernels), a fit is kept there and a
    later call with the same values, months and candidates reads it back instead of fitting again: the
    regio report refits every gemeente the prognose reports of the same run fitted already."""
    if not set(LEDEN) <= set(kandidaten) <= set(KANDIDATEN):
        raise ValueError(f"kandidaten: must hold {LEDEN} and only names of {KANDIDATEN}, got {kandidaten}")
    folder = os.environ.get(FIT_CACHE)
    if not folder:
        return _fit(values, maanden, kandidaten)
    path = Path(folder) / f"{_fit_key(values, maanden, kandidaten)}.npz"
    found = _read_fit(path)
    if found is None:
        found = _fit(values, maanden, kandidaten)
        _write_fit(path, found)
    return found


FIT_CACHE = "INKOOPMONITOR_FIT_CACHE"
"""Environment variable: a folder where :func:`candidates` keeps its fits, by content (unset: no cache)."""
_FIT_VERSIE = 2
"""Part of every cache key: raise it when the fitting changes, so no older fit is read back."""


def _fit_key(values: np.ndarray, maanden: int, kandidaten: tuple[str, ...]) -> str:
    """The fit's content key: the values' exact bytes, the months ahead, the candidates, statsforecast's version."""
    digest = hashlib.sha256(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    digest.update(f"|{maanden}|{','.join(kandidaten)}|{_statsforecast_versie()}|{_FIT_VERSIE}".encode())
    return digest.hexdigest()


@functools.cache
def _statsforecast_versie() -> str:
    from importlib.metadata import version

    return version("statsforecast")


def _read_fit(path: Path) -> Kandidaten | None:
    """A kept fit, or None when there is none (or it cannot be read: it is then fitted again)."""
    try:
        with np.load(path, allow_pickle=False) as kept:
            punt = {k.removeprefix("punt_"): kept[k] for k in kept.files if k.startswith("punt_")}
            return Kandidaten(punt, float(kept["ruis"]), tuple(str(x) for x in kept["leden"]))
    except (OSError, ValueError, KeyError):
        return None


def _write_fit(path: Path, fit: Kandidaten) -> None:
    """Keep ``fit`` at ``path``, written whole or not at all (another kernel may read it at the same time);
    a folder that cannot be written to only costs the saving."""
    handle = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            np.savez(handle, ruis=np.float64(fit.ruis), leden=np.array(fit.leden, dtype=str),
                     **{f"punt_{k}": v for k, v in fit.punt.items()})
        os.replace(handle.name, path)
    except OSError:
        if handle is not None:
            Path(handle.name).unlink(missing_ok=True)


def _fit(values: np.ndarray, maanden: int, kandidaten: tuple[str, ...]) -> Kandidaten:
    punt = {"naief": _naive(values, maanden), "trend": _trend(values, maanden)}
    scale = float(np.abs(values).mean())
    if np.ptp(values) == 0:  # constant: nothing to fit, every member forecasts the constant
        flat = np.full(maanden, float(values[-1]))
        return Kandidaten({METHODE: flat, **{k: flat for k in kandidaten}, **punt}, 0.0, LEDEN)
    y, noise = values / scale, []
    fits = _fitted(y, kandidaten)
    for name in (k for k in kandidaten if k in fits):
        try:
            fc = fits[name].predict(h=maanden, level=[80])
        except Exception:  # noqa: BLE001 - as in _fitted
            continue
        if not np.isfinite(fc["mean"]).all():
            continue
        punt[name] = fc["mean"] * scale
        if name in LEDEN:
            noise.append((fc["hi-80"][0] - fc["mean"][0]) / _Z80 * scale)
    leden = tuple(k for k in LEDEN if k in punt)
    punt[METHODE] = np.mean([punt[k] for k in leden], axis=0) if leden else punt["naief"]
    ruis = float(np.mean(noise)) if noise else float(np.std(values[SEIZOEN:] - values[:-SEIZOEN]))
    return Kandidaten(punt, ruis if np.isfinite(ruis) else 0.0, leden)


@dataclass(frozen=True)
class Onzekerheid:
    """How uncertain a series' future is, measured on its own history."""

    niveau: float
    """Mean absolute value of the last 12 months (the unit of the level shocks)."""
    sigma: float
    """Standard deviation of the year-on-year change of rolling 12-month totals (fraction of the level)."""
    vrijheidsgraden: int
    """Years of history behind ``sigma`` (at least 1): the Student-t's degrees of freedom."""
    ruis: float
    """Standard deviation of one month's own noise (same unit as the series)."""


def onzekerheid(values: np.ndarray, *, ruis: float) -> Onzekerheid:
    """Measure the year-ahead uncertainty of ``values`` (at least 24 months).

    >>> o = onzekerheid(np.r_[np.full(12, 10.0), np.full(12, 12.0)], ruis=0.0)
    >>> round(o.sigma, 4), o.vrijheidsgraden   # one change: 120 on 144, mean 132 -> 24 / 132
    (0.1818, 1)
    """
    totals = np.convolve(values, np.ones(SEIZOEN), mode="valid")
    cur, prev = totals[SEIZOEN:], totals[:-SEIZOEN]
    mean = (np.abs(cur) + np.abs(prev)) / 2
    change = np.divide(cur - prev, mean, out=np.zeros_like(mean), where=mean > 0)
    sigma = float(np.std(change, ddof=1)) if len(change) > 1 else float(abs(change[0]))
    return Onzekerheid(niveau=float(np.abs(values[-SEIZOEN:]).mean()), sigma=sigma,
                       vrijheidsgraden=max(1, len(change) // SEIZOEN), ruis=ruis)


def total_uncertainty(values: np.ndarray, ruis: list[float]) -> Onzekerheid:
    """The uncertainty of a sum of series (a gemeente's ``Totaal``) measured on the sum's own history
    ``values``; its monthly noise is that of independent parts (root of the sum of squares of ``ruis``)."""
    return onzekerheid(values, ruis=float(np.sqrt(np.sum(np.square(ruis)))))


def deviations(onz: Onzekerheid, maanden: int, *, herhalingen: int, seed: int) -> np.ndarray:
    """Simulated deviations from the point forecast, shape (``maanden``, ``herhalingen``).

    Each block of 12 months after the origin gets a level shock ``niveau x sigma x t`` (Student-t with
    ``vrijheidsgraden``) on top of the blocks before it; every month adds Gaussian noise ``ruis``.
    """
    rng = np.random.default_rng(seed)
    blocks = -(-maanden // SEIZOEN)
    level = np.cumsum(rng.standard_t(onz.vrijheidsgraden, size=(blocks, herhalingen)), axis=0)
    per_month = np.repeat(level, SEIZOEN, axis=0)[:maanden] * onz.niveau * onz.sigma
    return per_month + rng.standard_normal((maanden, herhalingen)) * onz.ruis


def _frame(point: np.ndarray, paths: np.ndarray, index: pd.DatetimeIndex) -> pd.DataFrame:
    frame = pd.DataFrame({"verwacht": point}, index=index)
    for name, (lo, hi) in INTERVALLEN.items():
        frame[f"laag_{name}"], frame[f"hoog_{name}"] = np.percentile(paths, [lo, hi], axis=1)
    return frame[KOLOMMEN]


def predict_paths(series: pd.Series, maanden: int, *, herhalingen: int = 1000,
                  seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``predict``'s frame and its ``herhalingen`` simulated futures (rows the months, columns the paths)."""
    check_series(series)
    _check_maanden(maanden)
    if herhalingen < 2:
        raise ValueError(f"herhalingen: need at least 2 paths for a band, got {herhalingen}")
    values = series.to_numpy(dtype=float)
    kand = candidates(values, maanden, kandidaten=LEDEN)
    onz = onzekerheid(values, ruis=kand.ruis)
    point = kand.punt[METHODE]
    paths = point[:, None] + deviations(onz, maanden, herhalingen=herhalingen, seed=seed)
    index = future_index(series, maanden)
    frame = _frame(point, paths, index)
    frame.attrs.update(methode=METHODE, leden=list(kand.leden), sigma=onz.sigma,
                       vrijheidsgraden=onz.vrijheidsgraden, ruis=onz.ruis)
    return frame, pd.DataFrame(paths, index=index)


def short_uncertainty(values: np.ndarray) -> Onzekerheid:
    """The uncertainty of a history too short to measure a year-on-year change (``short_paths``): the
    spread of its months over their mean absolute level, one degree of freedom, monthly noise that size.

    >>> o = short_uncertainty(np.array([10.0, 30.0] * 6))
    >>> round(o.sigma, 4), o.vrijheidsgraden, round(o.ruis, 4)   # sd 10.445 on level 20
    (0.5222, 1, 10.4447)
    """
    niveau = float(np.abs(values[-SEIZOEN:]).mean())
    spread = float(np.std(values, ddof=1))
    return Onzekerheid(niveau=niveau, sigma=spread / niveau if niveau > 0 else 0.0, vrijheidsgraden=1, ruis=spread)


def short_paths(series: pd.Series, maanden: int, *, herhalingen: int = 1000,
                seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``predict_paths`` for a history of 12 to 23 months, too short to tell season from trend: the last
    12 months repeated (the naive baseline), with deliberately wide bands.

    No year-on-year change can be measured yet, so the relative uncertainty of a year ahead is the spread
    of the months themselves (their standard deviation over their mean absolute value: season and noise
    together, more than a year total usually moves), Student-t with one degree of freedom, and every
    month adds noise of that size. ``frame.attrs["methode"]`` is ``korte reeks``.

    >>> s = pd.Series([10.0, 30.0] * 9, index=pd.date_range("2024-01-01", periods=18, freq="MS"))
    >>> short_paths(s, 2)[0]["verwacht"].tolist()   # the months 7..18 repeated: 10, 30, ...
    [10.0, 30.0]
    """
    if len(series) >= MIN_MAANDEN:
        raise ValueError(f"series: {len(series)} months is long enough for predict_paths; short_paths is for "
                         f"{MIN_MAANDEN_KORT} to {MIN_MAANDEN - 1}")
    if len(series) < MIN_MAANDEN_KORT:
        raise ValueError(f"series: {len(series)} months is too short; a forecast needs at least {MIN_MAANDEN_KORT}")
    check_series(series, min_maanden=MIN_MAANDEN_KORT)
    _check_maanden(maanden)
    if herhalingen < 2:
        raise ValueError(f"herhalingen: need at least 2 paths for a band, got {herhalingen}")
    values = series.to_numpy(dtype=float)
    onz = short_uncertainty(values)
    point = _naive(values, maanden)
    paths = point[:, None] + deviations(onz, maanden, herhalingen=herhalingen, seed=seed)
    index = future_index(series, maanden)
    frame = _frame(point, paths, index)
    frame.attrs.update(methode=METHODE_KORT, leden=[], sigma=onz.sigma, vrijheidsgraden=1, ruis=onz.ruis)
    return frame, pd.DataFrame(paths, index=index)


def predict(series: pd.Series, maanden: int, *, herhalingen: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Forecast the ``maanden`` months after ``series``: ``verwacht``, ``laag_80``, ``hoog_80``, ``laag_95``,
    ``hoog_95`` (floats, the series' unit) on their month starts.

    The bands are percentiles of simulated paths (``predict_paths``); for year totals sum the paths, not the
    bands. ``frame.attrs`` names the method, its members and the measured uncertainty.

    >>> s = pd.Series(5.0, index=pd.date_range("2020-01-01", periods=24, freq="MS"))
    >>> predict(s, 2)["verwacht"].tolist()
    [5.0, 5.0]
    """
    return predict_paths(series, maanden, herhalingen=herhalingen, seed=seed)[0]


def naive_forecast(series: pd.Series, *, maanden: int) -> pd.Series:
    """Baseline 'last year': month ``i`` after the series gets the value of the same month a year before.

    >>> s = pd.Series(range(24), index=pd.date_range("2020-01-01", periods=24, freq="MS"), dtype=float)
    >>> naive_forecast(s, maanden=13).tolist()[:2], naive_forecast(s, maanden=13).tolist()[-1]
    ([12.0, 13.0], 12.0)
    """
    check_series(series)
    _check_maanden(maanden)
    return pd.Series(_naive(series.to_numpy(dtype=float), maanden), index=future_index(series, maanden))


def trend_forecast(series: pd.Series, *, maanden: int) -> pd.Series:
    """Baseline 'straight line': OLS of the series on the month number (0, 1, ...), extended ``maanden`` months."""
    check_series(series)
    _check_maanden(maanden)
    return pd.Series(_trend(series.to_numpy(dtype=float), maanden), index=future_index(series, maanden))
