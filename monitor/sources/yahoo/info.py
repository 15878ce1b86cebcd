"""Yahoo's short-interest fields: a thin fetch through yfinance `Ticker.info` and a pure parse.

`Ticker.info` merges Yahoo's quoteSummary modules; defaultKeyStatistics carries FINRA's
short interest as Yahoo republishes it: sharesShort, sharesShortPriorMonth,
shortPercentOfFloat (a fraction), shortRatio (days to cover), floatShares and
dateShortInterest (the settlement date, epoch seconds). yfinance logs and swallows most
HTTP errors here (an unknown symbol gives an empty dict) but raises on a rate limit, so
the fetch turns that into `RateLimitError` for the collector to retry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from monitor.config import paths
from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.download import use_tz_cache
from monitor.sources.yahoo.yf_messages import captured_errors
from signals.positioning import ShortInterest


class InfoFetcher(Protocol):
    """The seam between the stage and Yahoo: a ticker in, its `info` mapping out."""

    def __call__(self, ticker: str) -> Mapping[str, Any]: ...


class YahooInfo:
    """`yf.Ticker(t).info` with an optional `requests`/curl_cffi session (tests replay one)."""

    def __init__(self, session: Any = None) -> None:
        self.session = session

    def __call__(self, ticker: str) -> Mapping[str, Any]:
        use_tz_cache(paths.data_dir() / "yfinance")  # yfinance's cookie and tz caches
        import yfinance as yf
        from yfinance.exceptions import YFRateLimitError

        try:
            with captured_errors() as messages:
                info = yf.Ticker(ticker, session=self.session).info
        except YFRateLimitError as e:
            raise RateLimitError(f"{ticker}: Yahoo rate limit (429)") from e
        except Exception as e:  # yfinance raises bare HTTP and JSON errors
            raise CollectError(f"{ticker}: {type(e).__name__}: {e}") from e
        if not info and messages:
            raise CollectError(f"{ticker}: {messages[-1].strip()[:300]}")
        return info or {}


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
