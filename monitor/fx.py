"""Closes in US dollars on the US calendar, for the segments' non-USD listings.

The conversion itself is pure (signals.fx); this module knows the configuration: which
tickers are listed in which currency, and which FX series must be collected for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from signals.currency import USD, fx_ticker

if TYPE_CHECKING:
    import pandas as pd

    from monitor.config import Config
    from signals.fx import Conversion


def currencies_of(config: Config) -> dict[str, str]:
    """Ticker -> listing currency, for every segment member (first segment wins)."""
    out: dict[str, str] = {}
    for segment in config.segments:
        for ticker in segment.symbols:
            out.setdefault(ticker, segment.currency_of(ticker))
    return out


def fx_tickers(currencies: Mapping[str, str]) -> tuple[str, ...]:
    """The FX series (`JPY=X`) the non-USD listings need, in order, without repeats."""
    symbols = (fx_ticker(c) for c in currencies.values() if c != USD)
    return tuple(dict.fromkeys(s for s in symbols if s is not None))


def usd_closes(closes: pd.DataFrame, config: Config) -> Conversion:
    """`closes` with non-USD listings in dollars and every row on the US calendar."""
    from signals.fx import to_usd  # pandas: not needed to read the configuration

    return to_usd(closes, config.currencies)
