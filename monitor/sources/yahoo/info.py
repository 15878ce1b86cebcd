"""Yahoo's short-interest fields: the seam of the fetch (`monitor.sources.yahoo.client.Yahoo`
`info`, yfinance `Ticker.info`) and the pure parse (`parse_short_interest`).

`Ticker.info` merges Yahoo's quoteSummary modules; defaultKeyStatistics carries FINRA's
short interest as Yahoo republishes it: sharesShort, sharesShortPriorMonth,
shortPercentOfFloat (a fraction), shortRatio (days to cover), floatShares and
dateShortInterest (the settlement date, epoch seconds). yfinance logs and swallows most
HTTP errors here (an unknown symbol gives an empty dict) but raises on a rate limit, so
the adapter turns that into `RateLimitError` for the collector to retry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from signals.positioning import ShortInterest


class InfoFetcher(Protocol):
    """The seam between the stage and Yahoo: a ticker in, its `info` mapping out."""

    def __call__(self, ticker: str) -> Mapping[str, Any]: ...


def parse_short_interest(ticker: str, info: Mapping[str, Any]) -> ShortInterest | None:
    """The short-interest record in `info`, or None when Yahoo gives no settlement date.

    A field that is absent, null or not a finite number is missing (None), never zero.
    """
    settled = _number(info.get("dateShortInterest"))
    if settled is None or settled <= 0:
        return None
    return ShortInterest(
        ticker=ticker,
        settlement=datetime.fromtimestamp(settled, UTC).date(),
        shares_short=_whole(info.get("sharesShort")),
        shares_short_prior=_whole(info.get("sharesShortPriorMonth")),
        percent_of_float=_fraction(info.get("shortPercentOfFloat")),
        float_shares=_whole(info.get("floatShares")),
        days_to_cover=_number(info.get("shortRatio")),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, Mapping):  # formatted=true shape: {"raw": 1.2, "fmt": "1.2"}
        value = value.get("raw")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _whole(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _fraction(value: Any) -> float | None:
    number = _number(value)
    return number if number is not None and number <= 1.0 else None
