"""Non-USD listings in dollars on the US calendar (signals.fx)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from signals.currency import fx_ticker, listing_currency
from signals.fx import to_usd


@pytest.mark.parametrize(
    ("ticker", "currency", "fx"),
    [
        ("9984.T", "JPY", "JPY=X"),
        ("0700.HK", "HKD", "HKD=X"),
        ("ARM.L", "GBp", "GBP=X"),
        ("ASML.AS", "EUR", "EUR=X"),
        ("NVDA", "USD", None),
        ("BRK.B", "USD", None),  # a share class, not an exchange
        ("^VIX", "USD", None),
        ("JPY=X", "USD", None),
    ],
)
def test_currency_from_the_exchange_suffix(ticker: str, currency: str, fx: str | None) -> None:
    assert listing_currency(ticker) == currency
    assert fx_ticker(currency) == fx


def _frame() -> pd.DataFrame:
    days = pd.bdate_range("2026-04-27", periods=8)  # Mon 27 Apr .. Wed 6 May
    closes = pd.DataFrame(
        {
            "NVDA": np.arange(100.0, 108.0),
            "9984.T": [9000.0, 9300.0, np.nan, np.nan, np.nan, np.nan, 9600.0, 9900.0],
            "JPY=X": [150.0, 155.0, 156.0, np.nan, 160.0, 150.0, 160.0, 165.0],
        },
        index=days,
    )
    # A Saturday row: Tokyo does not trade, nor New York; it must not become a US day.
    closes.loc[pd.Timestamp("2026-05-02"), ["JPY=X"]] = [158.0]
    return closes.sort_index()


def test_foreign_closes_are_divided_by_their_rate_on_us_days() -> None:
    out = to_usd(_frame(), {"9984.T": "JPY", "NVDA": "USD"}).closes
    assert list(out.columns) == ["NVDA", "9984.T"]  # the FX column is used, then dropped
    assert pd.Timestamp("2026-05-02") not in out.index
    assert len(out) == 8
    assert out["9984.T"].iloc[0] == pytest.approx(9000 / 150)
    assert out["9984.T"].iloc[1] == pytest.approx(9300 / 155)
    assert out["NVDA"].tolist() == list(np.arange(100.0, 108.0))


def test_a_tokyo_holiday_carries_the_last_close_at_that_days_rate() -> None:
    out = to_usd(_frame(), {"9984.T": "JPY"}).closes
    # 29 Apr (Showa Day): Tokyo shut, the 28 Apr close at the 29 Apr rate.
    assert out.loc["2026-04-29", "9984.T"] == pytest.approx(9300 / 156)
    # 30 Apr: no rate that day either; the last rate (156) stands in.
    assert out.loc["2026-04-30", "9984.T"] == pytest.approx(9300 / 156)


def test_a_gap_longer_than_the_limit_is_missing_not_invented() -> None:
    out = to_usd(_frame(), {"9984.T": "JPY"}, max_gap=2).closes
    assert math.isnan(out.loc["2026-05-04", "9984.T"])
    assert out.loc["2026-05-05", "9984.T"] == pytest.approx(9600 / 160)


def test_pence_are_pounds_divided_by_100() -> None:
    days = pd.bdate_range("2026-01-05", periods=2)
    closes = pd.DataFrame({"ARM.L": [1580.0, 1600.0], "GBP=X": [0.79, 0.80]}, index=days)
    out = to_usd(closes, {"ARM.L": "GBp"}).closes
    assert out["ARM.L"].tolist() == pytest.approx([15.80 / 0.79, 16.00 / 0.80])


def test_a_missing_rate_leaves_the_listing_out_and_says_so() -> None:
    closes = _frame().drop(columns=["JPY=X"])
    result = to_usd(closes, {"9984.T": "JPY"})
    assert result.closes["9984.T"].isna().all()
    assert result.notes == ("9984.T: no JPY=X rate to convert its JPY closes, left out",)
