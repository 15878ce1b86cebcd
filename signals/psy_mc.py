"""Monte Carlo critical values of the PSY statistics, vectorised over replications.

The null is a random walk with an asymptotically negligible drift, y_t = 1/T + y_{t-1} + e_t
with standard normal e_t (PSY 2015, d = eta = 1). The replications run through the same
window kernel as the data, in batches of rows that stay in the CPU cache, on a few threads
(numpy releases the GIL inside its array operations). All draws come from one seeded
generator before any batching, so the result does not depend on the batch size or the
number of threads. Results are cached in memory by their full set of arguments.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from signals.psy_windows import FloatArray, window_stats

#: Significance levels reported, as in exuber and the paper.
LEVELS: tuple[float, float, float] = (0.90, 0.95, 0.99)

#: Elements per batch and window length: keeps the working arrays in the CPU cache.
_BATCH_ELEMENTS = 16_384


@dataclass(frozen=True, slots=True)
class CriticalValues:
    """Quantiles (rows: 90, 95, 99%) of the simulated statistics.

    `bsadf` has one column per end point, aligned with `PsyResult.bsadf` (column i is
    the observation i + offset).
    """

    T: int
    min_window: int
    lag: int
    reps: int
    seed: int
    offset: int
    adf: FloatArray
    sadf: FloatArray
    gsadf: FloatArray
    bsadf: FloatArray

    def bsadf_at(self, level: float) -> FloatArray:
        row: FloatArray = self.bsadf[LEVELS.index(level)]
        return row


def simulate_null(n: int, reps: int, seed: int, drift: float | None = None) -> FloatArray:
    """`reps` random walks of length T = n with drift 1/T (or `drift`, in units of the
    step's standard deviation), one per row (seeded)."""
    rng = np.random.default_rng(seed)
    steps = rng.standard_normal((reps, n))
    steps += 1.0 / n if drift is None else drift
    paths: FloatArray = np.cumsum(steps, axis=1)
    return paths


def critical_values(
    n: int,
    min_window: int,
    *,
    lag: int = 0,
    reps: int = 500,
    seed: int = 1234,
    ic_max_lag: int | None = None,
    max_window: int | None = None,
    workers: int | None = None,
    drift: float | None = None,
) -> CriticalValues:
    """Critical values for a series of n observations (cached per argument set); `drift`
    replaces PSY's 1/T by a drift per step in standard deviations (a trending null)."""
    if reps < 10:
        raise ValueError("reps must be at least 10 for meaningful quantiles")
    return _cached(n, min_window, lag, reps, seed, ic_max_lag, max_window, workers, drift)


@lru_cache(maxsize=64)
def _cached(
    n: int,
    min_window: int,
    lag: int,
    reps: int,
    seed: int,
    ic_max_lag: int | None,
    max_window: int | None,
    workers: int | None,
    drift: float | None = None,
) -> CriticalValues:
    paths = simulate_null(n, reps, seed, drift)
    rows = max(1, _BATCH_ELEMENTS // n)
    batches = [paths[i : i + rows] for i in range(0, reps, rows)]

    def run(batch: FloatArray) -> tuple[FloatArray, FloatArray]:
        ws = window_stats(batch, min_window, lag=lag, ic_max_lag=ic_max_lag, max_window=max_window)
        return ws.bsadf, ws.badf

    n_workers = workers or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        parts = list(pool.map(run, batches))
    bsadf = np.concatenate([p[0] for p in parts])
    badf = np.concatenate([p[1] for p in parts])
    levels = np.asarray(LEVELS)
    k_max = lag if ic_max_lag is None else ic_max_lag
    out = CriticalValues(
        T=n,
        min_window=min_window,
        lag=k_max,
        reps=reps,
        seed=seed,
        offset=min_window + k_max,
        adf=_quantiles(badf[:, -1], levels),
        sadf=_quantiles(np.max(badf, axis=1), levels),
        gsadf=np.quantile(bsadf.max(axis=1), levels),
        bsadf=np.quantile(bsadf, levels, axis=0),
    )
    for arr in (out.adf, out.sadf, out.gsadf, out.bsadf):
        arr.setflags(write=False)  # shared by every caller through the cache
    return out


def _quantiles(values: FloatArray, levels: FloatArray) -> FloatArray:
    """Quantiles of the finite values; NaN when there are none (BADF under a max_window)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.full(levels.shape, np.nan)
    out: FloatArray = np.quantile(finite, levels)
    return out
