"""`collect positioning`: the real yfinance `Ticker.info` path on a replayed session, the parse
of hostile fields, the store's per-settlement history and the `positioning` component."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from yfinance.data import YfData

from monitor.config.feeds_yaml import Config
from monitor.sources.yahoo.client import Yahoo
from monitor.sources.yahoo.collect_short_interest import collect_positioning
from monitor.sources.yahoo.info import InfoFetcher, parse_short_interest
from monitor.store import Store
from monitor.store.positioning import short_interest_history, upsert_short_interest
from signals.positioning import MIN_HISTORY, ShortInterest, positioning_signal
from tests.conftest import load_fixture_module

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")
NOW = datetime(2025, 11, 1, 12, tzinfo=UTC)


replay = load_fixture_module("positioning/replay_info.py", "positioning_replay")


@pytest.fixture(autouse=True)
def _fresh_yfinance_cache() -> Iterator[None]:
    YfData.cache_get.cache_clear()
    yield
    YfData.cache_get.cache_clear()


def fetcher(status: dict[str, list[int]] | None = None) -> tuple[InfoFetcher, object]:
    adapter = replay.InfoReplayAdapter(status)
    return Yahoo(session=replay.replay_session(adapter)).info, adapter


def test_ticker_info_through_the_real_yfinance_path(store: Store) -> None:
    fetch, adapter = fetcher()
    result = collect_positioning(
        store, ["NVDA", "PLTR", "9984.T", "NOSUCH"], now=NOW, fetch=fetch, pause=0
    )
    status = {t.ticker: (t.status, t.settlement) for t in result.tickers}
    assert status == {
        "NVDA": ("ok", "2025-10-15"),
        "PLTR": ("ok", "2025-10-15"),
        "9984.T": ("missing", None),  # FINRA short interest covers US listings only
        "NOSUCH": ("failed", None),  # Yahoo's 404, logged by yfinance, named here
    }
    assert "404" in result.tickers[-1].reason and "NOSUCH" in result.tickers[-1].reason
    assert any("/v10/finance/quoteSummary/NVDA" in u for u in adapter.requests)  # type: ignore[attr-defined]
    nvda, pltr = (short_interest_history(store, ["NVDA", "PLTR"])[t][0] for t in ("NVDA", "PLTR"))
    assert nvda == ShortInterest(
        "NVDA",
        date(2025, 10, 15),
        211_736_245,
        200_450_120,
        0.0091,
        23_338_017_389,
        1.25,
        first_seen=NOW.date(),
    )
    # Collected after FINRA's scheduled publication (7 business days): the schedule dates it.
    assert (
        nvda.published
        == date(2025, 10, 24)
        == date.fromisoformat(result.tickers[0].published or "")
    )
    # Missing fields stay missing: never zero.
    assert (pltr.shares_short, pltr.percent_of_float, pltr.float_shares, pltr.days_to_cover) == (
        52_000_000,
        None,
        None,
        None,
    )
    assert pltr.short_share_of_float is None


def test_a_rate_limit_is_retried_and_one_failure_stops_nothing(store: Store) -> None:
    waits: list[float] = []
    fetch, _ = fetcher({"info:NVDA": [429], "info:PLTR": [429, 429, 429, 429, 429, 429]})
    result = collect_positioning(
        store, ["NVDA", "PLTR"], now=NOW, fetch=fetch, sleep=waits.append, pause=0, retry_wait=7
    )
    nvda, pltr = result.tickers
    assert nvda.status == "ok" and nvda.new
    assert pltr.status == "failed" and "rate limit" in pltr.reason
    assert 7 in waits


def test_history_builds_one_row_per_settlement_date(store: Store) -> None:
    fetch, _ = fetcher()
    first = collect_positioning(store, ["NVDA"], now=NOW, fetch=fetch, pause=0)
    again = collect_positioning(store, ["NVDA"], now=NOW + timedelta(days=3), fetch=fetch, pause=0)
    assert first.new == 1 and again.new == 0  # same settlement date: updated in place
    assert len(short_interest_history(store, ["NVDA"])["NVDA"]) == 1


@pytest.mark.parametrize(
    "info",
    [
        {},
        {"dateShortInterest": None},
        {"dateShortInterest": "2025-10-15"},
        {"dateShortInterest": -1},
    ],
)
def test_no_settlement_date_means_no_record(info: dict[str, object]) -> None:
    assert parse_short_interest("NVDA", info) is None


def test_hostile_fields_are_missing_not_zero() -> None:
    record = parse_short_interest(
        "NVDA",
        {
            "dateShortInterest": 1760486400,
            "sharesShort": "lots",
            "shortPercentOfFloat": 7.5,  # a percentage where a fraction belongs: refused
            "floatShares": float("nan"),
            "shortRatio": True,
            "sharesShortPriorMonth": {"raw": 5, "fmt": "5"},
        },
    )
    assert record is not None
    assert (record.shares_short, record.percent_of_float, record.float_shares) == (None, None, None)
    assert (record.days_to_cover, record.shares_short_prior) == (None, 5)


def series(ticker: str, shares: list[float], cover: list[float | None]) -> list[ShortInterest]:
    start = date(2025, 1, 15)
    return [
        ShortInterest(ticker, start + timedelta(days=15 * i), percent_of_float=s, days_to_cover=c)
        for i, (s, c) in enumerate(zip(shares, cover, strict=True))
    ]


def test_positioning_ranks_each_name_against_its_own_history() -> None:
    rising = series("AAA", [0.01, 0.011, 0.012, 0.013, 0.014, 0.02], [1, 1, 1, 1, 1, 3])
    falling = series("BBB", [0.2, 0.19, 0.18, 0.17, 0.16, 0.10], [5, 5, 5, 5, 5, 2])
    signal = positioning_signal({"AAA": rising, "BBB": falling}, ["AAA", "BBB"], segment="ai")
    # AAA: top of its own history on both measures (91.7); BBB: bottom (8.3).
    assert signal.value == pytest.approx((100 * 5.5 / 6 + 100 * 0.5 / 6) / 2)
    assert "1 of 2 names shorted more than their own median" in signal.detail
    assert signal.coverage == 1.0


def test_positioning_without_enough_history_is_context_only() -> None:
    short = series("AAA", [0.01] * (MIN_HISTORY - 1), [None] * (MIN_HISTORY - 1))
    signal = positioning_signal({"AAA": short}, ["AAA", "BBB"], segment="llm")
    assert signal.value is None and "context only" in signal.detail
    assert signal.detail.startswith("llm: short interest for 1 of 2 names")


def test_store_round_trip_keeps_missing_fields(store: Store) -> None:
    record = ShortInterest("NVDA", date(2025, 10, 15), shares_short=10)
    upsert_short_interest(store, [record], fetched_at=NOW)
    assert short_interest_history(store, ["NVDA"], until=date(2025, 10, 14)) == {"NVDA": []}
    assert short_interest_history(store, ["NVDA"])["NVDA"] == [
        replace(record, first_seen=NOW.date())
    ]


def test_collect_all_runs_each_stage_and_reports_each_failure(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    from monitor.cli.collect_smart_money import collect_all_smart_money
    from monitor.config.feeds_yaml import load_config
    from tests.fakes import make_app

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    config = basket_only(load_config(), ("NVDA", "PLTR"))
    fetch, _ = fetcher()
    app = make_app(config, store, clock=lambda: NOW, info_fetcher=fetch)
    out = collect_all_smart_money(app)
    assert [t["status"] for t in out["positioning"]["tickers"]] == ["ok", "ok"]
    assert "BUBBLE_MONITOR_SEC_USER_AGENT is not set" in out["filings"]["skipped"]
    assert "HF_HUB_OFFLINE" in out["models"]["failed_stage"]


def test_a_positioning_job_fails_when_every_ticker_fails(store: Store) -> None:
    from monitor.config.feeds_yaml import load_config
    from monitor.stages.positioning import run_positioning
    from tests.fakes import make_app

    config = basket_only(load_config(), ("NOSUCH",))
    fetch, _ = fetcher()
    result = run_positioning(make_app(config, store, clock=lambda: NOW, info_fetcher=fetch))
    assert "failed for every ticker" in (result.total_failure() or "")


def basket_only(config: Config, basket: tuple[str, ...]) -> Config:
    """The bundled config with `basket:` alone: the one segment `ai` of those tickers."""
    from monitor.config.segments import SegmentConfig, legacy_segment

    ai = SegmentConfig.model_validate(legacy_segment(basket))
    return config.model_copy(update={"basket": basket, "segments": (ai,)})
