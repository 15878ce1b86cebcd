"""Listing currencies and their FX series, from yfinance symbol conventions.

A ticker's listing currency comes from its exchange suffix (9984.T: Tokyo, JPY) unless
configured. Its FX series is the yfinance quote `CCY=X`: units of CCY per US dollar
(JPY=X is about 150). London quotes in pence (GBp), so a .L price is divided by 100 before
conversion. No pandas here: the configuration reads this at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

USD: Final[str] = "USD"
#: Exchange suffix -> listing currency (yfinance symbol conventions).
SUFFIX_CURRENCY: Final[Mapping[str, str]] = {
    "T": "JPY",
    "HK": "HKD",
    "L": "GBp",
    "PA": "EUR",
    "DE": "EUR",
    "AS": "EUR",
    "MI": "EUR",
    "MC": "EUR",
    "SW": "CHF",
    "KS": "KRW",
    "KQ": "KRW",
    "TW": "TWD",
    "TO": "CAD",
    "AX": "AUD",
    "SS": "CNY",
    "SZ": "CNY",
    "ST": "SEK",
    "CO": "DKK",
    "TA": "ILA",
}
#: Sub-units quoted by some exchanges: (currency of the FX quote, divisor).
SUB_UNITS: Final[Mapping[str, tuple[str, float]]] = {
    "GBp": ("GBP", 100.0),
    "ZAc": ("ZAR", 100.0),
    "ILA": ("ILS", 100.0),
}


def listing_currency(ticker: str) -> str:
    """The currency a ticker is quoted in, from its exchange suffix (USD without one)."""
    if "." not in ticker or ticker.startswith("^") or ticker.endswith("=X"):
        return USD
    return SUFFIX_CURRENCY.get(ticker.rsplit(".", 1)[1].upper(), USD)


def fx_ticker(currency: str) -> str | None:
    """The yfinance FX symbol giving `currency` per US dollar (None for USD)."""
    if currency == USD:
        return None
    quote, _ = SUB_UNITS.get(currency, (currency, 1.0))
    return f"{quote}=X"
