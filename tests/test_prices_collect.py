"""Incremental price collection: batching, overlap, retries with backoff, freshness.

The downloader is injected: a fake serving slices of a saved yf.download frame in
yfinance's own shape (all-NaN columns for failed tickers, an empty frame when all
fail), and once the real yf.download path through a replayed requests.Session.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from yfinance.data import YfData

from monitor.config.feeds_yaml import Config, PricesConfig
from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.client import Yahoo
from monitor.sources.yahoo.collect_prices import (
    PriceCollectResult,
    backoff,
    collect_prices,
)
from monitor.sources.yahoo.download import ERRORS_ATTR, Downloader
from monitor.sources.yahoo.yf_messages import host_unresolved
from monitor.store import Store
from monitor.store.prices import load_closes, stale_tickers, ticker_states
from tests.conftest import load_prices_replay

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prices"
NOW = datetime(2025, 1, 8, 21, 0, tzinfo=UTC)
SAVED = pd.read_csv(FIXTURES / "frame_multi.csv", header=[0, 1], index_col=0, parse_dates=True)
ALL_FAILED = pd.read_csv(
    FIXTURES / "frame_all_failed.csv", header=[0, 1], index_col=0, parse_dates=True
)


def config(*basket: str, retries: int = 3, benchmarks: Sequence[str] = ("SPY", "^VIX")) -> Config:
    prices = PricesConfig(history_days=60, overlap_days=5, stale_after_days=4, max_retries=retries)
    return Config(basket=basket or ("NVDA",), benchmarks=tuple(benchmarks), prices=prices)


class FakeYahoo:
    """Serves the saved frame like yf.download would: [start, end) rows, requested tickers,
    all-NaN columns for the ones told to fail (per call), an empty frame if none works."""

    def __init__(self, fail: Sequence[Sequence[str]] = (), raises: Sequence[Exception] = ()):
        self.fail = [set(f) for f in fail]
        self.raises = list(raises)
        self.calls: list[tuple[list[str], date, date]] = []
        self.data = SAVED.copy()

    def __call__(self, tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
        self.calls.append((list(tickers), start, end))
        if self.raises:
            raise self.raises.pop(0)
        failing = self.fail.pop(0) if self.fail else set()
        rows = self.data[(self.data.index >= str(start)) & (self.data.index < str(end))]
        served = [t for t in tickers if t not in failing and ("Close", t) in rows.columns]
        if not served or rows.empty:
            return ALL_FAILED
        out = rows.loc[:, rows.columns.get_level_values(1).isin(served)].copy()
        for ticker in tickers:
            if ticker not in served:
                for price in ("Close", "High", "Low", "Open", "Volume"):
                    out[(price, ticker)] = float("nan")
        return out.sort_index(axis=1)


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def run(
    store: Store, cfg: Config, fake: Downloader, now: datetime = NOW, sleeps: Sleeps | None = None
) -> PriceCollectResult:
    return collect_prices(
        store, cfg, now=now, downloader=fake, sleep=sleeps or Sleeps(), rng=random.Random(7)
    )


def count(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0])


def test_first_run_fetches_history_in_one_batch(store: Store) -> None:
    fake = FakeYahoo()
    result = run(store, config(), fake)
    assert fake.calls == [
        (["NVDA", "SPY", "^VIX"], NOW.date() - timedelta(days=60), date(2025, 1, 9))
    ]
    assert result.ok == ("NVDA", "SPY", "^VIX") and result.failed == ()
    assert result.bars_written == 15 and count(store) == 15
    assert load_closes(store)["^VIX"].iloc[-1] == 17.70
    assert {o.attempts for o in result.tickers} == {1}


def test_second_run_fetches_only_the_overlap_and_writes_nothing_new(store: Store) -> None:
    run(store, config(), FakeYahoo())
    fake = FakeYahoo()
    result = run(store, config(), fake)
    assert [c[1] for c in fake.calls] == [date(2025, 1, 3)]  # newest day minus 5
    assert result.bars_written == 0 and count(store) == 15


def test_revised_closes_in_the_overlap_are_picked_up(store: Store) -> None:
    run(store, config(), FakeYahoo())
    fake = FakeYahoo()
    fake.data.loc["2025-01-07", ("Close", "NVDA")] = 141.00
    result = run(store, config(), fake)
    assert result.bars_written == 1
    assert load_closes(store)["NVDA"]["2025-01-07"] == 141.00


def test_a_failed_ticker_is_retried_alone_after_a_pause(store: Store) -> None:
    fake, sleeps = FakeYahoo(fail=[["NVDA"]]), Sleeps()
    result = run(store, config(), fake, sleeps=sleeps)
    assert [c[0] for c in fake.calls] == [["NVDA", "SPY", "^VIX"], ["NVDA"]]
    assert len(sleeps.delays) == 1 and 2.0 <= sleeps.delays[0] <= 3.0
    assert result.ok == ("NVDA", "SPY", "^VIX") and count(store) == 15
    assert result.tickers[0].attempts == 2


def test_a_bad_ticker_never_stops_the_others(store: Store) -> None:
    cfg = config("NVDA", "NOSUCH", retries=3)
    sleeps = Sleeps()
    result = run(store, cfg, FakeYahoo(), sleeps=sleeps)
    assert result.ok == ("NVDA", "SPY", "^VIX")
    assert result.failed == ("NOSUCH",)
    bad = result.tickers[1]
    assert bad.attempts == 4 and bad.bars_written == 0 and "NaN" in bad.reason
    # exponential backoff with jitter: 2-3 s, 4-6 s, 8-12 s
    assert [int(d // (2 * 2**i)) for i, d in enumerate(sleeps.delays)] == [1, 1, 1]
    assert ticker_states(store)["NOSUCH"].consecutive_failures == 1
    run(store, cfg, FakeYahoo())
    state = ticker_states(store)["NOSUCH"]
    assert state.consecutive_failures == 2 and "NaN" in (state.last_error or "")
    assert ticker_states(store)["NVDA"].consecutive_failures == 0


def test_an_empty_frame_fails_the_whole_batch_then_the_retry_gets_it(store: Store) -> None:
    fake = FakeYahoo(fail=[["NVDA", "SPY", "^VIX"]])
    result = run(store, config(), fake)
    assert len(fake.calls) == 2 and result.ok == ("NVDA", "SPY", "^VIX")


def test_rate_limits_wait_longer(store: Store) -> None:
    fake = FakeYahoo(raises=[RateLimitError("yfinance: rate limited")])
    sleeps = Sleeps()
    result = run(store, config(), fake, sleeps=sleeps)
    assert result.ok == ("NVDA", "SPY", "^VIX")
    assert 8.0 <= sleeps.delays[0] <= 12.0


def test_when_every_attempt_fails_the_result_says_so_and_nothing_is_raised(store: Store) -> None:
    fake = FakeYahoo(raises=[CollectError("yfinance: connection refused")] * 4)
    result = run(store, config(), fake)
    assert result.all_failed and result.bars_written == 0 and count(store) == 0
    assert all("connection refused" in o.reason for o in result.tickers)
    assert result.downloads == 4
    assert ticker_states(store)["SPY"].consecutive_failures == 1


def test_other_exceptions_propagate_and_write_nothing(store: Store) -> None:
    with pytest.raises(ZeroDivisionError):
        run(store, config(), FakeYahoo(raises=[ZeroDivisionError()]))
    assert count(store) == 0 and ticker_states(store) == {}


def test_a_new_ticker_gets_full_history_in_its_own_batch(store: Store) -> None:
    run(store, config(benchmarks=("SPY",)), FakeYahoo())
    fake = FakeYahoo()
    run(store, config(benchmarks=("SPY", "^VIX")), fake)
    assert sorted((c[1], tuple(c[0])) for c in fake.calls) == [
        (NOW.date() - timedelta(days=60), ("^VIX",)),
        (date(2025, 1, 3), ("NVDA", "SPY")),
    ]


def test_old_data_is_reported_stale(store: Store) -> None:
    assert stale_tickers(store, config(), now=NOW) == ["NVDA", "SPY", "^VIX"]
    run(store, config(), FakeYahoo())
    assert stale_tickers(store, config(), now=NOW) == []
    later = NOW + timedelta(days=12)
    result = run(store, config(), FakeYahoo(), now=later)
    assert result.stale == ("NVDA", "SPY", "^VIX")
    assert "2025-01-08 is 12 days old" in result.tickers[0].reason
    assert stale_tickers(store, config(), now=later) == ["NVDA", "SPY", "^VIX"]


def test_backoff_doubles_with_bounded_jitter() -> None:
    rng = random.Random(1)
    for attempt in range(1, 6):
        base = 2.0 * 2 ** (attempt - 1)
        assert base <= backoff(attempt, rng) <= 1.5 * base
        assert 4 * base <= backoff(attempt, rng, rate_limited=True) <= 6 * base


def test_real_download_path_with_a_rate_limited_ticker(store: Store) -> None:
    YfData.cache_get.cache_clear()  # yfinance memoises past-dated responses per URL
    replay = load_prices_replay()
    # yfinance retries a 429 once itself, then swallows it into an all-NaN column
    adapter = replay.ReplayAdapter(status={"NVDA": [429, 429]})
    downloader = Yahoo(session=replay.replay_session(adapter), timeout=5).download
    sleeps = Sleeps()
    result = collect_prices(
        store, config(), now=NOW, downloader=downloader, sleep=sleeps, rng=random.Random(3)
    )
    YfData.cache_get.cache_clear()
    assert result.ok == ("NVDA", "SPY", "^VIX")
    assert result.tickers[0].attempts == 2 and len(sleeps.delays) == 1
    assert load_closes(store)["NVDA"].tolist() == [138.31, 144.47, 149.43, 140.14, 140.11]


DNS_ERROR = "Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com."


class NoDns:
    """yfinance when Yahoo's host does not resolve: every ticker failed with curl error 6."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
        self.calls += 1
        frame = ALL_FAILED.copy()
        frame.attrs[ERRORS_ATTR] = {t.upper(): DNS_ERROR for t in tickers}
        return frame


def test_a_host_that_does_not_resolve_fails_fast_without_retries(store: Store) -> None:
    fake, sleeps = NoDns(), Sleeps()
    result = run(store, config(retries=4), fake, sleeps=sleeps)
    assert fake.calls == 1 and sleeps.delays == []
    assert result.all_failed and all("Could not resolve host" in o.reason for o in result.tickers)
    raising = FakeYahoo(raises=[CollectError(f"yfinance: download failed: {DNS_ERROR}")] * 5)
    again = run(store, config(retries=4), raising, sleeps=sleeps)
    assert len(raising.calls) == 1 and sleeps.delays == [] and again.all_failed


def test_name_resolution_errors_are_recognised() -> None:
    for text in (
        DNS_ERROR,
        "[Errno -2] Name or service not known",
        "[Errno -3] Temporary failure in name resolution",
        "[Errno 8] nodename nor servname provided, or not known",
        "getaddrinfo failed",
    ):
        assert host_unresolved(text), text
    assert not host_unresolved("curl: (28) Operation timed out after 20001 milliseconds")
