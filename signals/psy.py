"""The PSY bubble test (Phillips, Shi and Yu 2015), with exuber's `radf` conventions.

- `radf(series)`: ADF, BADF/SADF (forward recursive, PWY) and BSADF/GSADF (backward sup,
  PSY) statistics. `min_window` counts the observations of the smallest ADF regression,
  so its window holds min_window + 1 + lag prices; the default is exuber's
  floor(T (0.01 + 1.8 / sqrt T)) with T the number of prices. The BSADF sequence starts
  at observation min_window + lag (0-based), as exuber's `index(x, trunc = TRUE)`.
- `critical_values(...)`: Monte Carlo quantiles (see `signals.psy_mc`).
- `date_stamp(...)`: episodes where BSADF is above its critical value for at least
  `min_duration` observations (default round(log T), PSY's rule).
- `psy_test(series)`: all three at once, as the `bubbles` command reports them.

Pure numpy: no I/O, no clock. Every window is handled at once (see `signals.psy_windows`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from signals.psy_mc import LEVELS, CriticalValues, critical_values, simulate_null
from signals.psy_windows import FloatArray, window_stats

__all__ = [
    "LEVELS",
    "CriticalValues",
    "Episode",
    "PsyResult",
    "PsyTest",
    "critical_values",
    "date_stamp",
    "psy_min_duration",
    "psy_min_window",
    "psy_test",
    "radf",
    "simulate_null",
]


def psy_min_window(n: int) -> int:
    """exuber's `psy_minw`: floor(T (0.01 + 1.8 / sqrt T)), T = n the number of prices."""
    return math.floor(n * (0.01 + 1.8 / math.sqrt(n)))


def psy_min_duration(n: int) -> int:
    """PSY's minimum bubble duration, round(log T) (rounded half up), T = n observations."""
    return max(1, math.floor(math.log(n) + 0.5))


@dataclass(frozen=True, slots=True)
class PsyResult:
    """The recursive ADF statistics of one series of T observations.

    `bsadf[i]` and `badf[i]` belong to observation i + `offset` of the input.
    `lag` is the fixed lag, or the largest lag BIC could choose when `ic` is True.
    """

    T: int
    min_window: int
    lag: int
    ic: bool
    offset: int
    adf: float
    sadf: float
    gsadf: float
    badf: FloatArray
    bsadf: FloatArray


def radf(
    series: Sequence[float] | FloatArray,
    *,
    min_window: int | None = None,
    lag: int = 0,
    ic_max_lag: int | None = None,
    max_window: int | None = None,
) -> PsyResult:
    """Recursive right-tailed ADF statistics of `series` (finite values, oldest first).

    `ic_max_lag` switches to a per-window BIC choice of the lag in 0..ic_max_lag.
    `max_window` (not in exuber) bounds the window length, for rolling monitoring.
    """
    y = _as_series(series)
    n = y.size
    k_max = lag if ic_max_lag is None else ic_max_lag
    if lag < 0 or k_max < 0:
        raise ValueError("lag must be >= 0")
    m = psy_min_window(n) if min_window is None else min_window
    if m < 3:
        raise ValueError(f"min_window must be at least 3 (got {m})")
    if n - 1 - k_max < m:
        raise ValueError(
            f"series too short: {n} observations, need at least min_window + lag + 1 ="
            f" {m + k_max + 1}"
        )
    ws = window_stats(y[None, :], m, lag=lag, ic_max_lag=ic_max_lag, max_window=max_window)
    badf, bsadf = ws.badf[0], ws.bsadf[0]
    return PsyResult(
        T=n,
        min_window=m,
        lag=k_max,
        ic=ic_max_lag is not None,
        offset=ws.offset,
        adf=float(badf[-1]),
        sadf=float(np.max(badf)),
        gsadf=float(np.max(bsadf)),
        badf=badf,
        bsadf=bsadf,
    )


def _as_series(series: Sequence[float] | FloatArray) -> FloatArray:
    y = np.asarray(series, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("series must be one-dimensional")
    if not np.all(np.isfinite(y)):
        raise ValueError("series contains missing or infinite values")
    return y


@dataclass(frozen=True, slots=True)
class Episode:
    """An explosive episode, as observation indices of the input series.

    `start` is the first observation with BSADF above its critical value, `end` the first
    one back below it (None while the episode is still running at the end of the data),
    `peak` the observation where the series is highest within the episode.
    """

    start: int
    end: int | None
    peak: int
    duration: int


def date_stamp(
    stat: FloatArray,
    cv: FloatArray | float,
    *,
    min_duration: int,
    offset: int = 0,
    series: FloatArray | None = None,
) -> list[Episode]:
    """Runs of `stat > cv` lasting at least `min_duration` observations.

    `stat[i]` belongs to observation i + offset; `series` (the whole input, for the peak)
    defaults to the statistic itself.
    """
    stat = np.asarray(stat, dtype=np.float64)
    above = np.greater(stat, cv, where=np.isfinite(stat), out=np.zeros(stat.shape, bool))
    edges = np.diff(np.concatenate(([0], above.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    level = stat if series is None else np.asarray(series, dtype=np.float64)[offset:]
    episodes = []
    for s, e in zip(starts.tolist(), stops.tolist(), strict=True):
        if e - s < min_duration:
            continue
        peak = s + int(np.argmax(level[s:e]))
        end = None if e == stat.size else e + offset
        episodes.append(Episode(start=s + offset, end=end, peak=peak + offset, duration=e - s))
    return episodes


@dataclass(frozen=True, slots=True)
class PsyTest:
    """The statistics, their critical values and the dated episodes of one series."""

    result: PsyResult
    cv: CriticalValues
    episodes: tuple[Episode, ...]
    min_duration: int

    @property
    def cv95(self) -> FloatArray:
        """The 95% critical value of each BSADF value."""
        return self.cv.bsadf_at(0.95)


def psy_test(
    series: Sequence[float] | FloatArray,
    *,
    min_window: int | None = None,
    lag: int = 0,
    ic_max_lag: int | None = None,
    reps: int = 500,
    seed: int = 1234,
    min_duration: int | None = None,
    max_window: int | None = None,
    cv: CriticalValues | None = None,
) -> PsyTest:
    """`radf`, Monte Carlo critical values and date-stamping on the 95% level. Pass `cv`
    (for the same T, min_window, lag) to reuse critical values simulated before."""
    result = radf(
        series, min_window=min_window, lag=lag, ic_max_lag=ic_max_lag, max_window=max_window
    )
    cv = (
        cv
        if cv is not None
        else critical_values(
            result.T,
            result.min_window,
            lag=lag,
            reps=reps,
            seed=seed,
            ic_max_lag=ic_max_lag,
            max_window=max_window,
        )
    )
    duration = psy_min_duration(result.T) if min_duration is None else min_duration
    episodes = date_stamp(
        result.bsadf,
        cv.bsadf_at(0.95),
        min_duration=duration,
        offset=result.offset,
        series=np.asarray(series, dtype=np.float64),
    )
    return PsyTest(result=result, cv=cv, episodes=tuple(episodes), min_duration=duration)
