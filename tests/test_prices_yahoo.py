"""The yfinance adapter: the pure parse on saved yf.download frames, and the real
yf.download call path run offline through a requests.Session with a replay adapter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from yfinance.cache import _TzDBManager
from yfinance.data import YfData
from yfinance.exceptions import YFDataException, YFRateLimitError

from monitor.config import paths
from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.client import Yahoo
from monitor.sources.yahoo.download import DOWNLOAD_OPTIONS, parse_download
from signals.models import PriceBar
from tests.conftest import load_prices_replay

# yfinance 1.7 still passes inplace= to pandas, which pandas 3.1 deprecates; not ours.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prices"
DAYS = [date(2025, 1, d) for d in (2, 3, 6, 7, 8)]
NVDA = [138.31, 144.47, 149.43, 140.14, 140.11]
SPY = [584.64, 591.95, 595.36, 588.63, 589.49]
VIX = [17.93, 16.13, 16.04, 17.82, 17.70]


replay = load_prices_replay()


def frame(name: str) -> pd.DataFrame:
    """A saved yf.download frame (written by regenerate_frames.py from the real code)."""
    if name == "frame_single_flat.csv":
        return pd.read_csv(FIXTURES / name, index_col=0, parse_dates=True)
    return pd.read_csv(FIXTURES / name, header=[0, 1], index_col=0, parse_dates=True)


@pytest.fixture(autouse=True)
def _fresh_yfinance_cache() -> Iterator[None]:
    # yfinance memoises past-dated responses per URL for the whole process; each test
    # must see its own replayed answers.
    YfData.cache_get.cache_clear()
    yield
    YfData.cache_get.cache_clear()


def closes(bars: tuple[PriceBar, ...]) -> list[float]:
    return [b.close for b in bars]


def test_multi_ticker_frame_gives_bars_per_ticker_and_names_the_failed_one() -> None:
    parsed = parse_download(frame("frame_multi.csv"), ["NVDA", "SPY", "^VIX", "NOSUCH"])
    assert sorted(parsed.bars) == ["NVDA", "SPY", "^VIX"]
    assert [b.day for b in parsed.bars["NVDA"]] == DAYS
    assert closes(parsed.bars["NVDA"]) == NVDA
    assert closes(parsed.bars["SPY"]) == SPY
    assert closes(parsed.bars["^VIX"]) == VIX
    assert {b.ticker for b in parsed.bars["^VIX"]} == {"^VIX"}
    assert {b.source for b in parsed.bars["NVDA"]} == {"yfinance"}
    assert set(parsed.failures) == {"NOSUCH"}
    assert "NaN" in parsed.failures["NOSUCH"]


def test_single_ticker_frames_multiindex_and_flat() -> None:
    for name in ("frame_single.csv", "frame_single_flat.csv"):
        parsed = parse_download(frame(name), ["NVDA"])
        assert closes(parsed.bars["NVDA"]) == NVDA, name
        assert parsed.failures == {}


def test_ticker_first_column_order_is_read_too() -> None:
    parsed = parse_download(frame("frame_by_ticker.csv"), ["NVDA", "^VIX"])
    assert closes(parsed.bars["NVDA"]) == NVDA
    assert closes(parsed.bars["^VIX"]) == VIX


def test_empty_frames_fail_every_requested_ticker() -> None:
    saved = frame("frame_all_failed.csv")
    assert saved.empty and isinstance(saved.columns, pd.MultiIndex)
    for empty in (saved, pd.DataFrame()):
        parsed = parse_download(empty, ["NVDA", "SPY"])
        assert parsed.bars == {}
        assert set(parsed.failures) == {"NVDA", "SPY"}
        assert "empty frame" in parsed.failures["NVDA"]


def test_missing_column_and_nan_days() -> None:
    data = frame("frame_multi.csv")
    data.loc[data.index[1], ("Close", "SPY")] = float("nan")
    parsed = parse_download(data, ["SPY", "MSFT"])
    assert [b.day for b in parsed.bars["SPY"]] == [DAYS[0], *DAYS[2:]]
    assert parsed.failures == {"MSFT": "yfinance returned no column for it"}


def test_tickers_match_case_insensitively_and_keep_the_requested_name() -> None:
    parsed = parse_download(frame("frame_single.csv"), ["nvda"])
    assert {b.ticker for b in parsed.bars["nvda"]} == {"nvda"}


def test_tz_aware_index_is_read_as_exchange_dates() -> None:
    data = frame("frame_single.csv")
    data.index = pd.DatetimeIndex(data.index).tz_localize("America/New_York")
    parsed = parse_download(data, ["NVDA"])
    assert [b.day for b in parsed.bars["NVDA"]] == DAYS


def test_unreadable_shapes_raise_collect_error() -> None:
    with pytest.raises(CollectError, match="flat columns"):
        parse_download(frame("frame_single_flat.csv"), ["NVDA", "SPY"])
    data = frame("frame_multi.csv").drop(columns="Close", level=0)
    with pytest.raises(CollectError, match="no Close"):
        parse_download(data, ["NVDA"])


def test_download_options_are_explicit() -> None:
    assert DOWNLOAD_OPTIONS["interval"] == "1d"
    assert DOWNLOAD_OPTIONS["auto_adjust"] is True
    assert DOWNLOAD_OPTIONS["actions"] is False
    assert DOWNLOAD_OPTIONS["group_by"] == "column"
    assert DOWNLOAD_OPTIONS["multi_level_index"] is True
    assert DOWNLOAD_OPTIONS["progress"] is False


def test_real_download_path_through_replayed_session() -> None:
    adapter = replay.ReplayAdapter()
    downloader = Yahoo(session=replay.replay_session(adapter), timeout=5).download
    tickers = ["NVDA", "SPY", "^VIX", "NOSUCH"]
    data = downloader(tickers, start=date(2025, 1, 3), end=date(2025, 1, 8))
    assert data.columns.names == ["Price", "Ticker"]
    parsed = parse_download(data, tickers)
    # start inclusive, end exclusive, as yfinance documents
    assert [b.day for b in parsed.bars["NVDA"]] == DAYS[1:4]
    assert closes(parsed.bars["^VIX"]) == VIX[1:4]
    assert set(parsed.failures) == {"NOSUCH"}
    assert any("/v8/finance/chart/%5EVIX" in url for url in adapter.requests)
    # the timezone cache lives in the app's data directory
    assert _TzDBManager.get_location() == str(paths.data_dir() / "yfinance")


def test_rate_limit_inside_download_comes_back_as_nan_column() -> None:
    adapter = replay.ReplayAdapter(status={"NVDA": [429] * 4})
    downloader = Yahoo(session=replay.replay_session(adapter), timeout=5).download
    data = downloader(["NVDA", "SPY"], start=date(2025, 1, 2), end=date(2025, 1, 9))
    parsed = parse_download(data, ["NVDA", "SPY"])
    assert set(parsed.failures) == {"NVDA"}
    assert closes(parsed.bars["SPY"]) == SPY


def test_rate_limit_that_escapes_download_is_translated() -> None:
    # An ISIN is resolved through Yahoo's search before download's per-ticker guard,
    # so a 429 there escapes yf.download as YFRateLimitError.
    adapter = replay.ReplayAdapter(status={"search": [429, 429]})
    downloader = Yahoo(session=replay.replay_session(adapter), timeout=5).download
    with pytest.raises(RateLimitError) as caught:
        downloader(["US0378331005"], start=date(2025, 1, 2), end=date(2025, 1, 9))
    assert isinstance(caught.value.__cause__, YFRateLimitError)


def test_foreign_errors_become_collect_errors() -> None:
    downloader = Yahoo(session=object()).download
    with pytest.raises(CollectError, match="yfinance") as caught:
        downloader(["NVDA"], start=date(2025, 1, 2), end=date(2025, 1, 9))
    assert isinstance(caught.value.__cause__, YFDataException)


def test_yfinance_error_messages_reach_the_failure_reasons() -> None:
    from monitor.sources.yahoo.download import ERRORS_ATTR

    empty = pd.DataFrame()
    empty.attrs[ERRORS_ATTR] = {"NVDA": "Could not resolve host: query2.finance.yahoo.com"}
    parsed = parse_download(empty, ["NVDA", "AMD"])
    assert parsed.failures["NVDA"].endswith("Could not resolve host: query2.finance.yahoo.com")
    assert parsed.failures["AMD"].startswith("yfinance returned an empty frame")
    assert "resolve" not in parsed.failures["AMD"]


def test_a_zero_or_negative_close_is_a_bad_tick_not_a_bar() -> None:
    # Before: stored as a close of 0 (or -1), which made the basket's 200-day average and
    # every log return of the ticker meaningless.
    data = frame("frame_multi.csv")
    data.loc[data.index[1], ("Close", "SPY")] = 0.0
    data.loc[data.index[2], ("Close", "SPY")] = -1.0
    parsed = parse_download(data, ["SPY"])
    assert [b.day for b in parsed.bars["SPY"]] == [DAYS[0], *DAYS[3:]]
    assert all(b.close > 0 for b in parsed.bars["SPY"])
