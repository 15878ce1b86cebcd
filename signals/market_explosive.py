"""The explosiveness component: the PSY test on every basket ticker, every day at once.

For daily monitoring the BSADF windows are bounded: a window ends on the day and is
between `min_window` and `max_window` sessions long (default 45 to 504, two years; 45 is
PSY's rule floor(T (0.01 + 1.8 / sqrt T)) for T = 505). Bounding the window does two
things: a value on day t depends only on the last two years up to t (no look-ahead, and
truncating the history does not change it), and under the null the BSADF of every day
past the first two years has the same distribution, so one simulation of 505 days gives
the critical value of every day of every ticker, whatever its listing date. With a few
hundred replications the simulated quantiles are noisy; since the true critical value can
only grow with the number of windows that end on a day, a running maximum smooths them
(as exuber's early versions did). The test runs on log prices, once per ticker.

The null matches the ticker's drift. PSY simulate critical values under a random walk with
drift 1/T, which is negligible; a stock that trends up 30% a year without any bubble then
exceeds them far more often than 5% of days (7-13% at 20% volatility in our simulation).
So each day's critical value comes from a null whose drift per session, in standard
deviations, is the ticker's own over the trailing `max_window` sessions up to that day
(no look-ahead), rounded to a grid of `drift_step` (0.01) and capped at `max_drift`
(0.08: an annualised Sharpe ratio of 0.08 x sqrt(252) = 1.3 held for two years is itself
bubble-like, not a trend to excuse; a higher cap also let a bubble's own run-up raise its
critical values); negative drifts use PSY's null. One simulation per grid point, cached.

A ticker is tested from its `min_history`-th session (126, six months): before that the
critical value is close to zero and BSADF / cv means nothing. The right-tailed test also
fires on an accelerating collapse, so a day counts as explosive only when the price is
also above its level `rise_days` (63) sessions earlier: an upward bubble, not a crash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from signals import psy_cv_table
from signals.psy import critical_values, psy_min_window, radf
from signals.psy_windows import FloatArray


@dataclass(frozen=True, slots=True)
class ExplosiveSettings:
    max_window: int = 504
    min_window: int = psy_min_window(505)
    lookback: int = 20
    min_history: int = 126
    rise_days: int = 63
    reps: int = 499
    seed: int = 2015
    match_drift: bool = True
    drift_step: float = 0.01
    max_drift: float = 0.08


@dataclass(frozen=True, slots=True)
class Explosiveness:
    """Per-day results; `ratio` is each ticker's largest BSADF / 95% cv in the lookback
    (0 on days its price was not rising)."""

    value: pd.Series
    coverage: pd.Series
    share: pd.Series
    flagged: pd.Series
    tested: pd.Series
    ratio: pd.DataFrame


def bounded_cv95(settings: ExplosiveSettings, drift: float | None = None) -> FloatArray:
    """95% critical values by BSADF position, for the bounded windows, made
    non-decreasing; `drift` per session in standard deviations (None: PSY's 1/T). The
    default settings' values ship in signals.psy_cv_table (the same simulation, run once);
    other settings are simulated (and cached in memory)."""
    shipped = _shipped_cv95(settings, drift)
    return shipped if shipped is not None else simulated_cv95(settings, drift)


def simulated_cv95(settings: ExplosiveSettings, drift: float | None = None) -> FloatArray:
    """`bounded_cv95` by Monte Carlo simulation (seeded: the same settings, the same array)."""
    cv = critical_values(
        settings.max_window + 1,
        settings.min_window,
        reps=settings.reps,
        seed=settings.seed,
        max_window=settings.max_window,
        drift=drift,
    )
    return np.maximum.accumulate(cv.bsadf_at(0.95))


def grid_drifts(settings: ExplosiveSettings) -> list[float | None]:
    """Every drift `_drift_cv95` can ask for: None (grid point 0), then each grid step."""
    steps = round(settings.max_drift / settings.drift_step) if settings.match_drift else 0
    return [None] + [float(k) * settings.drift_step for k in range(1, steps + 1)]


def _shipped_cv95(settings: ExplosiveSettings, drift: float | None) -> FloatArray | None:
    key = (settings.max_window + 1, settings.min_window, settings.reps, settings.seed)
    steps = psy_cv_table.STEPS.get(drift) if key == psy_cv_table.KEY else None
    if steps is None:
        return None
    out = np.empty(psy_cv_table.LENGTH)
    ends = [start for start, _ in steps[1:]] + [psy_cv_table.LENGTH]
    for (start, value), end in zip(steps, ends, strict=True):
        out[start:end] = value
    out.setflags(write=False)
    return out


def drift_grid(logp: FloatArray, settings: ExplosiveSettings) -> FloatArray:
    """Each day's trailing drift in standard deviations per session, on the grid (0 where
    it is negative, unknown, or matching is off): index i is the grid step of day i."""
    if not settings.match_drift:
        return np.zeros(logp.size)
    steps = pd.Series(np.diff(logp, prepend=np.nan))
    rolling = steps.rolling(settings.max_window, min_periods=settings.min_window)
    ratio = (rolling.mean() / rolling.std()).to_numpy()
    ratio = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, settings.max_drift)
    return np.asarray(np.round(ratio / settings.drift_step), dtype=float)


def _drift_cv95(grid: FloatArray, pos: np.ndarray, settings: ExplosiveSettings) -> FloatArray:
    """The critical value of each day from the null of its drift grid point."""
    out = np.empty(grid.size)
    for point in np.unique(grid):
        days = grid == point
        # The same expression as grid_drifts, so the shipped table's keys match exactly.
        drift = None if point == 0 else float(point) * settings.drift_step
        out[days] = bounded_cv95(settings, drift)[pos[days]]
    return out


#: Results of `ticker_bsadf` by the content of its input (see `ticker_bsadf`).
_MEMO: dict[tuple[bytes, ExplosiveSettings], pd.DataFrame] = {}
MEMO_SIZE = 256


def ticker_bsadf(prices: pd.Series, settings: ExplosiveSettings) -> pd.DataFrame:
    """BSADF, its 95% cv and whether the price rose, for one ticker's closes (NaN days
    dropped), by day from its `min_history`-th session.

    Memoised on the series' content: the basket, each segment and every reading of one
    process that hold the same ticker's same closes run its PSY test once (a pure cache:
    same input, same output; bounded to MEMO_SIZE series)."""
    s = prices.dropna()
    s = s[s > 0]
    digest = hashlib.blake2b(s.to_numpy(dtype=np.float64).tobytes(), digest_size=16)
    digest.update(np.asarray(s.index.asi8 if hasattr(s.index, "asi8") else s.index).tobytes())
    key = (digest.digest(), settings)
    cached = _MEMO.get(key)
    if cached is None:
        cached = _ticker_bsadf(s, settings)
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = cached
    return cached.copy()


def _ticker_bsadf(s: pd.Series, settings: ExplosiveSettings) -> pd.DataFrame:
    first = max(settings.min_history, settings.min_window + 1) - 1
    if s.size <= first:
        return pd.DataFrame(columns=["bsadf", "cv95", "rising"], dtype=float)
    logp = np.log(s.to_numpy())
    res = radf(logp, min_window=settings.min_window, max_window=settings.max_window)
    # Past the simulated length every day sees all window lengths: the cv stays constant.
    pos = np.minimum(np.arange(res.bsadf.size), settings.max_window + 1 - settings.min_window - 1)
    cv = _drift_cv95(drift_grid(logp, settings)[res.offset :], pos, settings)
    rise = pd.Series(logp).diff(settings.rise_days).to_numpy()[res.offset :]
    frame = pd.DataFrame(
        {"bsadf": res.bsadf, "cv95": cv, "rising": rise > 0}, index=s.index[res.offset :]
    )
    return frame.iloc[first - res.offset :]


def explosiveness(
    closes: pd.DataFrame, basket: list[str], settings: ExplosiveSettings
) -> Explosiveness:
    """Share of the basket above its 95% cv in the last `lookback` sessions, and strength.

    Value (a fixed scale, since a test statistic has its own meaning):
    100 * (0.7 * share + 0.3 * clip((max_ratio - 0.5) / 1.5, 0, 1)), where max_ratio is
    the strongest BSADF / cv in the basket over the lookback: 0 when nothing is near its
    critical value, 100 when every ticker is explosive and one is twice its cv.
    """
    flags: dict[str, pd.Series] = {}
    ratios: dict[str, pd.Series] = {}
    for ticker in basket:
        if ticker not in closes:
            continue
        stat = ticker_bsadf(closes[ticker], settings)
        if stat.empty:
            continue
        above = ((stat["bsadf"] > stat["cv95"]) & stat["rising"]).astype(float)
        flags[ticker] = above.rolling(settings.lookback, min_periods=1).max()
        ratio = (stat["bsadf"] / stat["cv95"]).where(stat["rising"].astype(bool), 0.0)
        ratios[ticker] = ratio.rolling(settings.lookback, min_periods=1).max()
    index = closes.index
    flag = pd.DataFrame(flags, index=index, columns=list(flags), dtype=float)
    ratio_frame = pd.DataFrame(ratios, index=index, columns=list(ratios), dtype=float)
    # A ticker counts on a day only where it has its own statistic that day.
    tested = flag.notna().sum(axis=1)
    flagged = flag.sum(axis=1, min_count=1)
    share = (flagged / tested).where(tested > 0)
    strength = ((ratio_frame.max(axis=1) - 0.5) / 1.5).clip(0.0, 1.0).where(tested > 0)
    value = 100.0 * (0.7 * share + 0.3 * strength)
    return Explosiveness(
        value=value,
        coverage=tested / max(1, len(basket)),
        share=share,
        flagged=flagged.fillna(0.0),
        tested=tested,
        ratio=ratio_frame,
    )
