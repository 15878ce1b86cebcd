"""A panel of return series at one frequency: the input of features, outcomes and the model.

One shape for both sources: the Kenneth French industry file (monthly, with firm counts and
sizes) and wide daily closes (AI stocks, with benchmarks). Returns are simple returns per
period (0.05 = +5%), NaN where a series has no data; the index is a sorted DatetimeIndex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Frequency = Literal["monthly", "daily"]


@dataclass(frozen=True)
class Panel:
    """Series returns, the market's returns, and optional market equity and extras.

    `equity` is market equity per series (firms x average size) when the source has it;
    `extras` holds closes of market-wide instruments (for example HYG and LQD) by column.
    """

    returns: pd.DataFrame
    market: pd.Series
    frequency: Frequency
    equity: pd.DataFrame | None = None
    extras: pd.DataFrame | None = None

    @property
    def names(self) -> list[str]:
        return [str(c) for c in self.returns.columns]

    def window(self, end: pd.Timestamp | None) -> Panel:
        """The panel cut after `end` (inclusive): what was known at `end`."""
        if end is None:
            return self

        def cut(frame: pd.DataFrame | None) -> pd.DataFrame | None:
            return None if frame is None else frame.loc[frame.index <= end]

        return Panel(
            returns=self.returns.loc[self.returns.index <= end],
            market=self.market.loc[self.market.index <= end],
            frequency=self.frequency,
            equity=cut(self.equity),
            extras=cut(self.extras),
        )


def cap_weighted_market(returns: pd.DataFrame, equity: pd.DataFrame) -> pd.Series:
    """The cap-weighted mean return, weights = market equity at the end of the previous
    period (a weight known before the return it weights). NaN where nothing is weighted."""
    return weighted_by(returns, equity.shift(1))


def weighted_by(returns: pd.DataFrame, start_weights: pd.DataFrame) -> pd.Series:
    """The weighted mean return of each period, `start_weights` known at its start."""
    weights = start_weights.where(returns.notna())
    weighted = (weights * returns).sum(axis=1, min_count=1)
    total = weights.sum(axis=1, min_count=1)
    market = weighted / total.where(total > 0)
    market.name = "market"
    return market


def returns_from_closes(closes: pd.DataFrame) -> pd.DataFrame:
    """Simple returns from closes; a gap (NaN close) gives NaN, never a filled return."""
    values = closes.to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = values[1:] / values[:-1] - 1.0
    frame = pd.DataFrame(out, index=closes.index[1:], columns=closes.columns)
    return frame.replace([np.inf, -np.inf], np.nan)


def elementwise(frame: pd.DataFrame, ufunc: np.ufunc) -> pd.DataFrame:
    """A numpy function applied to every cell, keeping the frame's index and columns; an
    infinite result (the log of a zero volatility) is NaN: undefined, not extreme."""
    with np.errstate(divide="ignore", invalid="ignore"):
        values = ufunc(frame.to_numpy(dtype=np.float64))
    values[~np.isfinite(values)] = np.nan
    return pd.DataFrame(values, index=frame.index, columns=frame.columns)


def price_index(returns: pd.DataFrame) -> pd.DataFrame:
    """Log price index per series (0 at each series' first return), NaN before it starts."""
    return elementwise(returns, np.log1p).cumsum(skipna=True).where(returns.notna())
