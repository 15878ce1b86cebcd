"""Closes in US dollars on the US calendar, for the segments' non-USD listings.

The conversion itself is pure (signals.fx); which tickers are listed in which currency, and
which FX series must be collected for them, is configuration (monitor.config.segments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from monitor.config.feeds_yaml import Config
    from signals.fx import Conversion


def usd_closes(closes: pd.DataFrame, config: Config) -> Conversion:
    """`closes` with non-USD listings in dollars and every row on the US calendar."""
    from signals.fx import to_usd  # pandas: not needed to read the configuration

    return to_usd(closes, config.currencies)
