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
    falls = np.full(len(values), np.nan)
    for i, stop in enumerate(stops):
        if ends[i] > last:
            break
        window = values[i:stop]
        falls[i] = float(np.max(np.maximum.accumulate(window) - window))
    out.loc[dates] = 1.0 - np.exp(-falls)
    return out


def crash_labels(level: pd.DataFrame, months: int, depth: float) -> pd.DataFrame:
    """1.0 where a crash of `depth` follows within `months`, 0.0 where none, NaN unknown."""
    columns = {}
    for name in level.columns:
        fall = max_drawdown_ahead(level[name], months)
        columns[name] = (fall >= depth).astype(float).where(fall.notna())
    return pd.DataFrame(columns, index=level.index)
