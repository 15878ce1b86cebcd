"""The right-tailed ADF t-statistic of every window, vectorised (the PSY engine's core).

Windows follow exuber's `radf`: the ADF regression of y_t on (1, y_{t-1}, dy_{t-1}, ...,
dy_{t-k}) is run on every stretch of at least `min_window` consecutive observations, where
an observation is one row of that regression (so the smallest window holds
min_window + 1 + k prices). The t-statistic is (beta - 1) / se(beta).

Instead of one least-squares fit per window, cumulative sums of the cross-products give
every window's normal equations as a difference of two prefix sums. The loop runs over
window lengths (about T of them); each pass handles every start, and every series of a
batch, at once. BSADF at an end point is the largest t over the windows ending there.

Arrays are (series, time): a batch of Monte Carlo replications is just more rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Per-end-point statistics of a batch; column i belongs to price index i + offset.

    `bsadf` is the sup over window starts; `badf` the t of the window starting at the
    first observation (NaN where that window is longer than `max_window`).
    """

    bsadf: FloatArray
    badf: FloatArray
    offset: int


def window_stats(
    prices: FloatArray,
    min_window: int,
    *,
    lag: int = 0,
    ic_max_lag: int | None = None,
    max_window: int | None = None,
) -> WindowStats:
    """BSADF and BADF of each row of `prices` (shape (series, T), no NaN).

    With `ic_max_lag` set, each window picks its own lag in 0..ic_max_lag by BIC and
    `lag` is ignored; windows are then sized for the largest lag.
    """
    y = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    # The t-statistic is invariant to a shift of the level; centring keeps the prefix
    # sums small, so that their differences lose no precision.
    y = y - y.mean(axis=1, keepdims=True)
    k_max = lag if ic_max_lag is None else ic_max_lag
    rows = y.shape[1] - 1 - k_max
    if min_window < 3 or rows < min_window:
        raise ValueError(f"need at least min_window + 1 + lag = {min_window + 1 + k_max} prices")
    longest = rows if max_window is None else min(max_window, rows)
    if longest < min_window:
        raise ValueError("max_window must be at least min_window")
    if ic_max_lag is None and lag == 0:
        bsadf, badf = _lag0(y, min_window, longest)
    else:
        lags = [lag] if ic_max_lag is None else list(range(ic_max_lag + 1))
        bsadf, badf = _general(y, min_window, longest, lags, k_max)
    return WindowStats(bsadf=bsadf, badf=badf, offset=min_window + k_max)


def _lag0(y: FloatArray, m: int, longest: int) -> tuple[FloatArray, FloatArray]:
    """Closed form of the simple regression y_t = a + b y_{t-1}: 16 array ops per length.

    The regressor of rows j..j+L-1 is the price run j..j+L-1 and the dependent variable
    the run j+1..j+L, so one pass over the price runs of length L gives both: the sums of
    the dependent variable in the window starting at j are those of the regressor in the
    window starting at j + 1.

    Arrays are time-major here (time, series): every slice the loop takes is then one
    contiguous block of memory, which numpy processes about three times faster than the
    same slice of a series-major array.
    """
    yt = np.ascontiguousarray(y.T)
    prices, n = yt.shape
    rows = prices - 1

    def prefix(a: FloatArray) -> FloatArray:
        out = np.zeros((a.shape[0] + 1, n))
        np.cumsum(a, axis=0, out=out[1:])
        return out

    s1, s2, s12 = prefix(yt), prefix(yt * yt), prefix(yt[:-1] * yt[1:])
    bsadf = np.full((rows, n), -np.inf)
    badf = np.full((rows, n), np.nan)
    width = rows - m + 2
    dx, u, a, b, t = (np.empty((width, n)) for _ in range(5))
    with np.errstate(divide="ignore", invalid="ignore"):
        for length in range(m, longest + 1):
            k = rows - length + 1  # windows (starts) of this length
            vx, vu, va = dx[: k + 1], u[: k + 1], a[: k + 1]
            vb, vt = b[:k], t[:k]
            # Sums of every price run of this length; the dependent variable's run
            # starts one later, so its sum is the next entry.
            np.subtract(s1[length:], s1[: k + 1], out=vx)
            np.multiply(vx, 1.0 / length, out=vu)
            # Centred cross-product of regressor and dependent variable.
            np.multiply(vu[:k], vx[1 : k + 1], out=vt)
            np.subtract(s12[length:], s12[:k], out=vb)
            vb -= vt
            # Centred sum of squares of every run.
            np.subtract(s2[length:], s2[: k + 1], out=va)
            np.multiply(vu, vx, out=vx)
            va -= vx
            # t = (b/a - 1) / sqrt(ssr / (L - 2) / a) with ssr = c - b^2/a, rearranged to
            # (b - a) sqrt(L - 2) / sqrt(a c - b^2); c is a of the next start.
            np.multiply(va[:k], va[1 : k + 1], out=vt)
            np.multiply(vb, vb, out=vx[:k])
            vt -= vx[:k]
            vb -= va[:k]
            np.sqrt(vt, out=vt)
            np.divide(vb, vt, out=vt)
            vt *= np.sqrt(length - 2.0)
            np.fmax(bsadf[length - 1 :], vt, out=bsadf[length - 1 :])
            badf[length - 1] = vt[0]
    return np.ascontiguousarray(bsadf[m - 1 :].T), np.ascontiguousarray(badf[m - 1 :].T)


def _lag_design(y: FloatArray, k: int) -> tuple[list[FloatArray], FloatArray]:
    """Time-major regressors [y_{t-1}, dy_{t-1}, ..., dy_{t-k}] and y_t, each (rows, series),
    aligned so that row r uses prices up to r + 1 + k and every lag's rows start at the
    same price."""
    yt = y.T
    rows = yt.shape[0] - 1 - k
    dy = np.diff(yt, axis=0)
    z = [yt[k : k + rows]] + [dy[k - i : k - i + rows] for i in range(1, k + 1)]
    return [np.ascontiguousarray(c) for c in z], np.ascontiguousarray(yt[k + 1 : k + 1 + rows])


def _general(
    y: FloatArray, m: int, longest: int, lags: list[int], k_max: int
) -> tuple[FloatArray, FloatArray]:
    """Any lag, and per-window BIC choice: the normal equations of every window."""
    n = y.shape[0]
    rows = y.shape[1] - 1 - k_max
    sums = [_lag_sums(*_lag_design(y, k)) for k in lags]
    bsadf = np.full((rows, n), -np.inf)
    badf = np.full((rows, n), np.nan)
    for length in range(m, longest + 1):
        k_starts = rows - length + 1
        best_t = np.full((k_starts, n), np.nan)
        best_ic = np.full((k_starts, n), np.inf)
        for k, s in zip(lags, sums, strict=True):
            nobs = length + k_max - k
            t, ssr = _fit_windows(s, nobs, k_starts)
            if len(lags) == 1:
                best_t = t
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                ic = np.log(ssr / nobs) + (k + 2) * np.log(nobs) / nobs
            better = ic < best_ic
            best_t = np.where(better, t, best_t)
            best_ic = np.where(better, ic, best_ic)
        np.fmax(bsadf[length - 1 :], best_t, out=bsadf[length - 1 :])
        badf[length - 1] = best_t[0]
    return np.ascontiguousarray(bsadf[m - 1 :].T), np.ascontiguousarray(badf[m - 1 :].T)


@dataclass(frozen=True, slots=True)
class _Sums:
    """Prefix sums over rows, time-major (rows + 1, series), one array per term."""

    z: list[FloatArray]
    y: FloatArray
    zz: dict[tuple[int, int], FloatArray]
    zy: list[FloatArray]
    yy: FloatArray


def _lag_sums(z: list[FloatArray], y: FloatArray) -> _Sums:
    def pre(a: FloatArray) -> FloatArray:
        out = np.zeros((a.shape[0] + 1, a.shape[1]))
        np.cumsum(a, axis=0, out=out[1:])
        return out

    p = len(z)
    return _Sums(
        z=[pre(c) for c in z],
        y=pre(y),
        zz={(a, b): pre(z[a] * z[b]) for a in range(p) for b in range(a + 1)},
        zy=[pre(c * y) for c in z],
        yy=pre(y * y),
    )


def _fit_windows(s: _Sums, nobs: int, k_starts: int) -> tuple[FloatArray, FloatArray]:
    """t of the y_{t-1} coefficient and the residual sum of squares, for windows of
    `nobs` rows starting at rows 0..k_starts-1.

    The intercept is partialled out by centring (Frisch-Waugh). The centred normal
    equations M b = c are solved by a Cholesky factorisation M = L L' done element-wise
    over all windows at once, with y_{t-1} ordered last: then w = L^-1 c gives
    b_last = w_last / L_last,last, (M^-1)_last,last = 1 / L_last,last^2 and
    ssr = yy - |w|^2, so t = (w_last - L_last,last) / sqrt(ssr / df). A singular window
    gives NaN (the square root of a non-positive pivot), never an exception.
    """

    def win(a: FloatArray) -> FloatArray:
        return a[nobs : nobs + k_starts] - a[:k_starts]

    sz = [win(c) for c in s.z]
    sy = win(s.y)
    inv = 1.0 / nobs
    p = len(sz)
    order = [*range(1, p), 0]  # lagged differences first, y_{t-1} last

    def m(i: int, j: int) -> FloatArray:
        a, b = max(order[i], order[j]), min(order[i], order[j])
        centred: FloatArray = win(s.zz[a, b]) - sz[a] * sz[b] * inv
        return centred

    chol: dict[tuple[int, int], FloatArray] = {}
    w: list[FloatArray] = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(p):
            for j in range(i + 1):
                acc = m(i, j)
                for q in range(j):
                    acc -= chol[i, q] * chol[j, q]
                chol[i, j] = np.sqrt(acc) if i == j else acc / chol[j, j]
            acc = win(s.zy[order[i]]) - sz[order[i]] * sy * inv
            for q in range(i):
                acc -= chol[i, q] * w[q]
            w.append(acc / chol[i, i])
        ssr = win(s.yy) - sy * sy * inv
        for x in w:
            ssr -= x * x
        t = (w[-1] - chol[p - 1, p - 1]) / np.sqrt(ssr / (nobs - p - 1))
    return t, ssr
