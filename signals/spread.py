"""Run-ups in the style of Greenwood, Shleifer & You (2019), and the LLM-minus-applied-AI
spread as a series of its own.

A segment's level is its equal-weighted, daily-rebalanced basket (signals.market
`basket_level`: a member counts from its first close). Its run-up on day t is the return of
that level over the last `horizon` sessions (504, two years, as GSY); net of a benchmark it
is the segment's run-up minus the run-up of an equal-weighted basket of its members'
benchmarks. GSY measure value-weighted industries against the market; we weigh equally
so that one giant member cannot be the whole segment.

The spread of segment a over segment b is their run-ups net of each other: runup_a -
runup_b. Its percentile ranks today's value among all its values so far (expanding, at
least `min_history` values, else None), so "high" means high for this pair's own past.
Every value on day t uses closes up to t only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import pandas as pd

from signals.crash.relative import display_name
from signals.market import basket_level, percentile
from signals.models import SpreadReading

#: The pair whose spread the report shows: the thesis says the first is the bubble.
SPREAD_PAIR: Final[tuple[str, str]] = ("llm", "applied_ai")
GSY_HORIZON: Final[int] = 504
MIN_HISTORY: Final[int] = 252


def runup_series(closes: pd.DataFrame, tickers: Sequence[str], horizon: int) -> pd.Series:
    """The basket's return over the last `horizon` sessions, every day (NaN before)."""
    present = [t for t in tickers if t in closes]
    if not present:
        return pd.Series(float("nan"), index=closes.index, dtype=float)
    level, _ = basket_level(closes, present)
    valid = level.dropna()
    return (valid / valid.shift(horizon) - 1.0).reindex(closes.index)


def last_value(series: pd.Series) -> float | None:
    if series.empty:
        return None
    value = float(series.iloc[-1])
    return value if math.isfinite(value) else None


def spread_frame(
    closes: pd.DataFrame,
    a: Sequence[str],
    b: Sequence[str],
    *,
    horizon: int = GSY_HORIZON,
    min_history: int = MIN_HISTORY,
) -> pd.DataFrame:
    """Columns runup_a, runup_b, net (fractions) and percentile (0-100), one row a day."""
    frame = pd.DataFrame(
        {"runup_a": runup_series(closes, a, horizon), "runup_b": runup_series(closes, b, horizon)}
    )
    frame["net"] = frame["runup_a"] - frame["runup_b"]
    frame["percentile"] = percentile(frame["net"], min_history)
    return frame


def spread_reading(
    closes: pd.DataFrame,
    names: tuple[str, str],
    a: Sequence[str],
    b: Sequence[str],
    *,
    horizon: int = GSY_HORIZON,
) -> SpreadReading | None:
    """The spread on the last day of `closes` (None without any close)."""
    if closes.empty:
        return None
    frame = spread_frame(closes, a, b, horizon=horizon)
    return SpreadReading(
        a=names[0],
        b=names[1],
        day=pd.Timestamp(closes.index[-1]).date(),
        horizon=horizon,
        runup_a=last_value(frame["runup_a"]),
        runup_b=last_value(frame["runup_b"]),
        net=last_value(frame["net"]),
        percentile=last_value(frame["percentile"]),
    )


def describe_spread(spread: SpreadReading) -> str:
    """One line: both run-ups, the net and where it stands in its history."""
    years = spread.horizon / 252
    a, b = display_name(spread.a), display_name(spread.b)  # as the report names segments
    if spread.net is None or spread.runup_a is None or spread.runup_b is None:
        return (
            f"{a} minus {b}: no {years:.0f}-year run-up yet "
            f"(needs {spread.horizon} sessions of both)"
        )
    rank = ""
    if spread.percentile is not None:
        rank = f", {spread.percentile:.0f}th percentile of its past"
    return (
        f"{a} {spread.runup_a:+.0%} vs {b} {spread.runup_b:+.0%} over "
        f"{years:.0f} years: net {spread.net * 100:+.0f} points{rank}"
    )
