"""The PSY engine against direct least squares, statsmodels' adfuller, and planted bubbles."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from statsmodels.tsa.stattools import adfuller

from signals.psy import (
    critical_values,
    date_stamp,
    psy_min_duration,
    psy_min_window,
    psy_test,
    radf,
)
from signals.psy_windows import window_stats


def _walk(n: int, seed: int) -> np.ndarray:
    return 100.0 + np.cumsum(np.random.default_rng(seed).standard_normal(n))


def _ols_t(prices: np.ndarray, lag: int) -> tuple[float, float, int]:
    """ADF t-stat of y_{t-1} in y_t ~ 1 + y_{t-1} + dy lags, its SSR and n, by lstsq."""
    y = prices[lag + 1 :]
    cols = [np.ones_like(y), prices[lag:-1]]
    dy = np.diff(prices)
    cols += [dy[lag - i : dy.size - i] for i in range(1, lag + 1)]
    x = np.column_stack(cols)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    ssr = float(resid @ resid)
    cov = ssr / (y.size - x.shape[1]) * np.linalg.inv(x.T @ x)
    return (beta[1] - 1.0) / math.sqrt(cov[1, 1]), ssr, y.size


def _brute(prices: np.ndarray, m: int, lags: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """BSADF and BADF by one fit per window; windows sized for the largest lag, as radf."""
    k_max = max(lags)
    n = prices.size
    bsadf, badf = [], []
    for end in range(m + k_max, n):
        best = -np.inf
        for start in range(0, end - m - k_max + 1):
            fits = [(_ols_t(prices[start : end + 1], k), k) for k in lags]
            ics = [
                math.log(ssr / nobs) + (k + 2) * math.log(nobs) / nobs for (_, ssr, nobs), k in fits
            ]
            t = fits[int(np.argmin(ics))][0][0]
            best = max(best, t)
            if start == 0:
                badf.append(t)
        bsadf.append(best)
    return np.array(bsadf), np.array(badf)


def test_lag0_matches_direct_least_squares_on_every_window() -> None:
    prices = _walk(40, seed=1)
    res = radf(prices, min_window=8)
    bsadf, badf = _brute(prices, 8, [0])
    assert res.offset == 8
    np.testing.assert_allclose(res.bsadf, bsadf, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.badf, badf, rtol=0, atol=1e-9)
    assert res.gsadf == pytest.approx(bsadf.max(), abs=1e-9)
    assert res.sadf == pytest.approx(badf.max(), abs=1e-9)
    assert res.adf == pytest.approx(badf[-1], abs=1e-9)


@pytest.mark.parametrize("lag", [1, 2])
def test_fixed_lag_matches_direct_least_squares(lag: int) -> None:
    prices = _walk(35, seed=lag)
    res = radf(prices, min_window=9, lag=lag)
    bsadf, badf = _brute(prices, 9, [lag])
    assert res.offset == 9 + lag
    np.testing.assert_allclose(res.bsadf, bsadf, rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.badf, badf, rtol=0, atol=1e-8)


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_windows_match_statsmodels_adfuller(lag: int) -> None:
    prices = _walk(120, seed=10 + lag)
    m = 20
    res = radf(prices, min_window=m, lag=lag)
    # The window starting at the first price, for a few ends, is BADF; the ADF is the
    # whole sample.
    for end in (m + lag, 60, 119):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            stat = adfuller(prices[: end + 1], maxlag=lag, regression="c", autolag=None)[0]
        assert res.badf[end - res.offset] == pytest.approx(stat, abs=1e-8)
    assert res.adf == pytest.approx(res.badf[-1])


def test_bic_lag_choice_matches_brute_force() -> None:
    prices = _walk(32, seed=7)
    res = radf(prices, min_window=8, ic_max_lag=2)
    bsadf, badf = _brute(prices, 8, [0, 1, 2])
    assert res.ic and res.lag == 2 and res.offset == 10
    np.testing.assert_allclose(res.bsadf, bsadf, rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.badf, badf, rtol=0, atol=1e-8)


def test_statistics_ignore_level_and_scale() -> None:
    prices = _walk(80, seed=3)
    a = radf(prices, min_window=12)
    b = radf(3.5 * prices - 1000.0, min_window=12)
    np.testing.assert_allclose(a.bsadf, b.bsadf, atol=1e-7)


def test_a_batch_gives_each_row_its_own_statistics() -> None:
    rows = np.stack([_walk(60, seed=s) for s in range(4)])
    batch = window_stats(rows, 10)
    for i in range(4):
        np.testing.assert_allclose(batch.bsadf[i], radf(rows[i], min_window=10).bsadf, atol=1e-9)


def test_max_window_bounds_the_window_length() -> None:
    prices = _walk(60, seed=5)
    full = radf(prices, min_window=10)
    capped = radf(prices, min_window=10, max_window=15)
    # Up to an end point where no window is longer than 15, both agree.
    np.testing.assert_allclose(capped.bsadf[:6], full.bsadf[:6], atol=1e-12)
    assert np.all(capped.bsadf <= full.bsadf + 1e-12)
    assert np.isnan(capped.badf[-1])


def test_default_min_window_and_duration_follow_psy_rules() -> None:
    assert psy_min_window(1680) == 90
    assert psy_min_window(100) == 19
    assert psy_min_duration(1680) == 7
    assert psy_min_duration(100) == 5
    res = radf(_walk(100, seed=2))
    assert res.min_window == 19 and res.bsadf.size == 100 - 19


def test_bad_series_are_rejected() -> None:
    with pytest.raises(ValueError, match="too short"):
        radf(_walk(10, seed=1), min_window=10)
    with pytest.raises(ValueError, match="missing"):
        radf(np.array([1.0, np.nan, 2.0] * 10), min_window=5)
    with pytest.raises(ValueError, match="at least 3"):
        radf(_walk(50, seed=1), min_window=2)


def test_date_stamp_finds_runs_and_keeps_a_running_one_open() -> None:
    stat = np.array([0, 2, 2, 2, 0, 2, 0, 0, 2, 2, 2, 2], dtype=float)
    series = np.array([0, 0, 1, 5, 7, 0, 0, 0, 0, 1, 2, 9, 3, 1], dtype=float)
    eps = date_stamp(stat, 1.0, min_duration=3, offset=2, series=series)
    assert [(e.start, e.end, e.duration) for e in eps] == [(3, 6, 3), (10, None, 4)]
    assert [e.peak for e in eps] == [4, 11]
    assert date_stamp(stat, np.full(12, 5.0), min_duration=1) == []
    assert len(date_stamp(stat, 1.0, min_duration=1)) == 3


def test_critical_values_are_seeded_and_cached() -> None:
    a = critical_values(80, 12, reps=60, seed=5)
    assert critical_values(80, 12, reps=60, seed=5) is a
    b = critical_values(80, 12, reps=60, seed=6)
    assert not np.allclose(a.bsadf, b.bsadf)
    assert a.bsadf.shape == (3, 80 - 12) and a.offset == 12
    assert np.all(np.diff(a.gsadf) > 0) and np.all(a.bsadf[0] <= a.bsadf[2])
    with pytest.raises(ValueError):
        a.bsadf[0, 0] = 1.0


def _planted_bubble(seed: int) -> np.ndarray:
    """A random walk that turns explosive at 120 (rho 1.05 for 30 steps) and then crashes."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(200) * 0.5
    y = np.empty(200)
    y[0] = 20.0
    for t in range(1, 200):
        if 120 <= t < 150:
            y[t] = 1.05 * y[t - 1] + e[t]
        elif t == 150:
            y[t] = y[119] + e[t]
        else:
            y[t] = y[t - 1] + e[t]
    return y


def test_a_planted_bubble_is_dated_within_a_few_observations() -> None:
    y = _planted_bubble(seed=11)
    test = psy_test(y, reps=199, seed=3)
    assert test.result.gsadf > test.cv.gsadf[1]
    longest = max(test.episodes, key=lambda e: e.duration)
    assert 120 <= longest.start <= 128
    assert longest.end is not None and 148 <= longest.end <= 156
    assert 145 <= longest.peak <= 149


def test_a_random_walk_is_rarely_flagged() -> None:
    rejected, with_episode, flagged_share = 0, 0, []
    for seed in range(25):
        y = _walk(150, seed=100 + seed)
        test = psy_test(y, reps=199, seed=3)
        rejected += test.result.gsadf > test.cv.gsadf[1]
        with_episode += bool(test.episodes)
        flagged_share.append(sum(e.duration for e in test.episodes) / y.size)
    assert rejected <= 3
    assert with_episode <= 5
    assert float(np.mean(flagged_share)) < 0.04
