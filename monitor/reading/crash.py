"""Index v2 over a price file, for the backtest: `crash_frame` gives the reading of every
day, `last_drivers` the drivers of the last one, with the same benchmark (SPY) and credit
pair (HYG/LQD) as the live reading of a basket (signals.basket).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

import pandas as pd

from signals.basket import BENCHMARK, CREDIT
from signals.crash.model import CrashModel
from signals.crash.reading import NotEnoughHistoryError, crash_reading


def crash_frame(
    closes: pd.DataFrame, basket: Sequence[str], news: pd.DataFrame | None, model: CrashModel
) -> pd.DataFrame:
    """Index v2 for every day (signals.crash.history): probability, froth, stress,
    regime_v2, index_v2, with the live crash model."""
    from signals.crash.history import crash_history

    return crash_history(
        closes[list(basket)],
        benchmark=closes.get(BENCHMARK),
        model=model,
        extras=closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None,
        news=news,
    )


def last_drivers(closes: pd.DataFrame, basket: Sequence[str], model: CrashModel) -> tuple[str, ...]:
    """The v2 drivers of the last day (none with under a year of prices)."""
    day = pd.Timestamp(closes.index[-1]).date()
    try:
        reading = crash_reading(
            closes[list(basket)],
            benchmark=closes.get(BENCHMARK),
            news=[],
            model=model,
            now=datetime.combine(day, time(23, 59), UTC),
        )
    except NotEnoughHistoryError:
        return ()
    return reading.drivers
