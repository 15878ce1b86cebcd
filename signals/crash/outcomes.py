"""The crash target: a drawdown of at least `depth` within the next `months` months.

"From any point within the window": the largest peak-to-trough fall of the log level over
[t, t + horizon], the peak at or after t. The outcome at t is known only once t + horizon
has passed; where that date lies beyond the series' last observation the label is NaN and
the prediction is dropped (and counted) by the evaluation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def max_drawdown_ahead(level: pd.Series, months: int) -> pd.Series:
    """Largest fall (0-1) within [t, t + months] of each date; NaN where the window
    runs past the series' last observation or the series has no level at t."""
    valid = level.dropna()
    out = pd.Series(np.nan, index=level.index)
    if valid.empty:
        return out
    dates = pd.DatetimeIndex(valid.index)
    values = valid.to_numpy(dtype=np.float64)
    ends = dates + pd.DateOffset(months=months)
    last = dates[-1]
    stops = dates.searchsorted(ends, side="right")
    known = int(ends.searchsorted(last, side="right"))  # ends rise with the dates
    falls = np.full(len(values), np.nan)
    falls[:known] = _falls(values, stops[:known])
    out.loc[dates] = 1.0 - np.exp(-falls)
    return out


def _falls(values: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Largest peak-to-trough fall in values[i:stops[i]] for each i, vectorised over a
    sliding window as wide as the longest (a daily 6-month window is ~130 rows)."""
    if not len(stops):
        return np.zeros(0)
    width = int((stops - np.arange(len(stops))).max())
    padded = np.concatenate([values, np.full(width, np.nan)])
    out = np.empty(len(stops))
    chunk = max(1, 2_000_000 // max(width, 1))
    for first in range(0, len(stops), chunk):
        rows = np.arange(first, min(first + chunk, len(stops)))
        window = padded[rows[:, None] + np.arange(width)[None, :]]
        inside = np.arange(width)[None, :] < (stops[rows] - rows)[:, None]
        window = np.where(inside, window, -np.inf)
        peak = np.maximum.accumulate(window, axis=1)
        gap = np.where(inside, peak - window, 0.0)
        out[rows] = np.nanmax(gap, axis=1)
    return out


def crash_labels(level: pd.DataFrame, months: int, depth: float) -> pd.DataFrame:
    """1.0 where a crash of `depth` follows within `months`, 0.0 where none, NaN unknown."""
    columns = {}
    for name in level.columns:
        fall = max_drawdown_ahead(level[name], months)
        columns[name] = (fall >= depth).astype(float).where(fall.notna())
    return pd.DataFrame(columns, index=level.index)
