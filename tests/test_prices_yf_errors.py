"""yfinance's logged failures become per-ticker reasons, and never reach the console."""

from __future__ import annotations

import logging

import pytest

from monitor.sources.yahoo.yf_messages import captured_errors, ticker_errors

# The shapes yfinance 1.7 logs (multi.py and base.py), as seen on a machine with no network.
ONE = (
    "Failed to get ticker 'SPY' reason: Failed to perform, curl: (6) Could not resolve host: "
    "query2.finance.yahoo.com (Domain name not found). See https://curl.se/libcurl/c/"
    "libcurl-errors.html first for more details."
)
SUMMARY = "['NVDA', 'SPY', '^VIX']: possibly delisted; no timezone found"


def test_a_tickers_own_message_wins_over_the_summary_line() -> None:
    errors = ticker_errors(["\n3 Failed downloads:", SUMMARY, ONE])
    assert errors["SPY"] == (
        "Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com "
        "(Domain name not found)."
    )
    assert errors["NVDA"] == errors["^VIX"] == "possibly delisted; no timezone found"
    assert set(errors) == {"SPY", "NVDA", "^VIX"}


def test_unrelated_messages_name_no_ticker() -> None:
    assert ticker_errors(["something odd happened", "[]: nothing", ""]) == {}


def test_capture_keeps_messages_off_the_console_and_restores_the_logger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger = logging.getLogger("yfinance")
    before = (logger.level, logger.propagate, list(logger.handlers))
    with captured_errors() as messages:
        logging.getLogger("yfinance.multi").error(SUMMARY)
        logging.getLogger("yfinance").warning("a warning is not an error")
    assert messages == [SUMMARY]
    assert (logger.level, logger.propagate, list(logger.handlers)) == before
    captured = capsys.readouterr()
    assert "delisted" not in captured.err + captured.out
