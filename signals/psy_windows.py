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


def _prefix(a: FloatArray) -> FloatArray:
    out = np.zeros((a.shape[0], a.shape[1] + 1))
    np.cumsum(a, axis=1, out=out[:, 1:])
    return out


def _lag0(y: FloatArray, m: int, longest: int) -> tuple[FloatArray, FloatArray]:
    """Closed form of the simple regression y_t = a + b y_{t-1}: about 20 array ops per length."""
    x, z = y[:, :-1], y[:, 1:]
    n, rows = x.shape
    sx, sz = _prefix(x), _prefix(z)
    sxx, sxz, szz = _prefix(x * x), _prefix(x * z), _prefix(z * z)
    bsadf = np.full((n, rows), -np.inf)
    badf = np.full((n, rows), np.nan)
    width = rows - m + 1
    dx, dz, a, b, c, t = (np.empty((n, width)) for _ in range(6))
    with np.errstate(divide="ignore", invalid="ignore"):
        for length in range(m, longest + 1):
            k = rows - length + 1
            vx, vz, va, vb, vc, vt = dx[:, :k], dz[:, :k], a[:, :k], b[:, :k], c[:, :k], t[:, :k]
            inv = 1.0 / length
            np.subtract(sx[:, length:], sx[:, :k], out=vx)
            np.subtract(sz[:, length:], sz[:, :k], out=vz)
            # Centred sums: a = Sxx, b = Sxz, c = Szz about the window means.
            np.multiply(vx, vx, out=vt)
            vt *= inv
            np.subtract(sxx[:, length:], sxx[:, :k], out=va)
            va -= vt
            np.multiply(vx, vz, out=vt)
            vt *= inv
            np.subtract(sxz[:, length:], sxz[:, :k], out=vb)
            vb -= vt
            np.multiply(vz, vz, out=vt)
            vt *= inv
            np.subtract(szz[:, length:], szz[:, :k], out=vc)
            vc -= vt
            # t = (b/a - 1) / sqrt(ssr / (L - 2) / a), ssr = c - b^2/a, rearranged.
            vc *= va
            np.multiply(vb, vb, out=vt)
            vc -= vt
            vb -= va
            np.sqrt(vc, out=vc)
            np.divide(vb, vc, out=vt)
            vt *= np.sqrt(length - 2.0)
            np.fmax(bsadf[:, length - 1 :], vt, out=bsadf[:, length - 1 :])
            badf[:, length - 1] = vt[:, 0]
    return bsadf[:, m - 1 :], badf[:, m - 1 :]


def _lag_design(y: FloatArray, k: int) -> tuple[FloatArray, FloatArray]:
    """Regressors (y_{t-1}, dy_{t-1..t-k}) and y_t, rows aligned so that row r uses prices
    up to r + 1 + k and every lag's rows start at the same price."""
    rows = y.shape[1] - 1 - k
    cols = [y[:, k : k + rows]]
    dy = np.diff(y, axis=1)
    cols += [dy[:, k - i : k - i + rows] for i in range(1, k + 1)]
    z = np.stack(cols, axis=2)
    return z, y[:, k + 1 : k + 1 + rows]


def _general(
    y: FloatArray, m: int, longest: int, lags: list[int], k_max: int
) -> tuple[FloatArray, FloatArray]:
    """Any lag, and per-window BIC choice: batched normal equations of every window."""
    n = y.shape[0]
    rows = y.shape[1] - 1 - k_max
    sums = [_lag_sums(*_lag_design(y, k)) for k in lags]
    bsadf = np.full((n, rows), -np.inf)
    badf = np.full((n, rows), np.nan)
    for length in range(m, longest + 1):
        k_starts = rows - length + 1
        best_t = np.full((n, k_starts), np.nan)
        best_ic = np.full((n, k_starts), np.inf)
        for k, s in zip(lags, sums, strict=True):
            nobs = length + k_max - k
            t, ssr = _fit_windows(s, nobs, k_starts)
            with np.errstate(divide="ignore", invalid="ignore"):
                ic = np.log(ssr / nobs) + (k + 2) * np.log(nobs) / nobs
            better = ic < best_ic
            best_t = np.where(better, t, best_t)
            best_ic = np.where(better, ic, best_ic)
        np.fmax(bsadf[:, length - 1 :], best_t, out=bsadf[:, length - 1 :])
        badf[:, length - 1] = best_t[:, 0]
    return bsadf[:, m - 1 :], badf[:, m - 1 :]


@dataclass(frozen=True, slots=True)
class _Sums:
    z: FloatArray  # (n, rows+1, p)
    y: FloatArray  # (n, rows+1)
    zz: FloatArray  # (n, rows+1, p, p)
    zy: FloatArray  # (n, rows+1, p)
    yy: FloatArray  # (n, rows+1)


def _lag_sums(z: FloatArray, y: FloatArray) -> _Sums:
    def pre(a: FloatArray) -> FloatArray:
        out = np.zeros((a.shape[0], a.shape[1] + 1, *a.shape[2:]))
        np.cumsum(a, axis=1, out=out[:, 1:])
        return out

    return _Sums(
        z=pre(z),
        y=pre(y),
        zz=pre(z[:, :, :, None] * z[:, :, None, :]),
        zy=pre(z * y[:, :, None]),
        yy=pre(y * y),
    )


def _fit_windows(s: _Sums, nobs: int, k_starts: int) -> tuple[FloatArray, FloatArray]:
    """t of the y_{t-1} coefficient and the residual sum of squares, for windows of
    `nobs` rows starting at rows 0..k_starts-1 (intercept partialled out: Frisch-Waugh)."""

    def win(a: FloatArray) -> FloatArray:
        return a[:, nobs : nobs + k_starts] - a[:, :k_starts]

    sz, sy = win(s.z), win(s.y)
    inv = 1.0 / nobs
    mzz = win(s.zz) - sz[..., :, None] * sz[..., None, :] * inv
    mzy = win(s.zy) - sz * sy[..., None] * inv
    myy = win(s.yy) - sy * sy * inv
    p = sz.shape[-1]
    rhs = np.zeros((*mzy.shape, 2))
    rhs[..., 0] = mzy
    rhs[..., 0, 1] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        sol = _solve(mzz, rhs)
        beta = sol[..., :, 0]
        g00 = sol[..., 0, 1]
        ssr = myy - np.einsum("...i,...i->...", beta, mzy)
        t = (beta[..., 0] - 1.0) / np.sqrt(ssr / (nobs - p - 1) * g00)
    return t, ssr


def _solve(a: FloatArray, b: FloatArray) -> FloatArray:
    """Batched solve that leaves NaN for a singular window instead of failing the batch."""
    try:
        return np.asarray(np.linalg.solve(a, b), dtype=np.float64)
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan)
        flat_a = a.reshape(-1, *a.shape[-2:])
        flat_b = b.reshape(-1, *b.shape[-2:])
        flat_out = out.reshape(-1, *b.shape[-2:])
        for i in range(flat_a.shape[0]):
            try:
                flat_out[i] = np.linalg.solve(flat_a[i], flat_b[i])
            except np.linalg.LinAlgError:
                continue
        return out
