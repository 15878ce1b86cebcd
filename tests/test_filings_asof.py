"""13F filings are used as of their filing date, never the quarter end they report on.

A 13F for 2025-09-30 can be filed up to 45 days later, and an amendment later still; a
reading as of any day before a filing's EDGAR filing date must not know it. The filings
go through the real collector against the local EDGAR stand-in (Duquesne: the original
13F-HR for 2025-09-30 filed 2025-11-14, a RESTATEMENT filed 2025-11-20).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pytest_httpserver import HTTPServer

from monitor.config.feeds_yaml import Config, load_config
from monitor.config.segments import SegmentConfig, legacy_segment
from monitor.config.smart_money import FundConfig, SmartMoneyConfig
from monitor.reading.smart_money import smart_money_view
from monitor.sources.edgar.client import EdgarClient, SecSettings
from monitor.sources.edgar.collect import collect_filings
from monitor.store import Store
from monitor.store.filings import load_filings
from signals.thirteenf import effective_holdings
from tests.edgar_server import EdgarStandIn

DUQUESNE = FundConfig(cik=1536411, name="Duquesne Family Office")
Q3 = date(2025, 9, 30)
ORIGINAL_FILED = date(2025, 11, 14)
RESTATED_FILED = date(2025, 11, 20)
TICKERS = ("NVDA", "AVGO", "MSFT")


@pytest.fixture
def collected(store: Store, httpserver: HTTPServer) -> Store:
    edgar = EdgarStandIn(httpserver).start()
    settings = SecSettings("Test Runner test@example.com", edgar.data_url, edgar.archives_url)
    client = EdgarClient(settings, sleep=lambda _: None)
    now = datetime(2025, 12, 1, 12, tzinfo=UTC)
    result = collect_filings(
        store, SmartMoneyConfig(funds=(DUQUESNE,)), client, now=now, tickers=frozenset(TICKERS)
    )
    assert result.funds[0].status == "new"
    return store


@pytest.fixture
def config() -> Iterator[Config]:
    ai = SegmentConfig.model_validate(legacy_segment(TICKERS))
    yield load_config().model_copy(update={"basket": TICKERS, "segments": (ai,)})


def test_the_stored_date_is_edgars_filing_date_not_the_period(collected: Store) -> None:
    dates = {(f.form, f.period, f.filed) for f, _ in load_filings(collected)}
    assert dates == {
        ("13F-HR", date(2025, 6, 30), date(2025, 8, 14)),
        ("13F-HR", Q3, ORIGINAL_FILED),
        ("13F-HR/A", Q3, RESTATED_FILED),
    }


@pytest.mark.parametrize("day", [Q3, date(2025, 10, 1), date(2025, 11, 13)])
def test_a_reading_before_the_filing_date_does_not_know_the_quarter(
    collected: Store, config: Config, day: date
) -> None:
    view = smart_money_view(collected, config, now=_evening(day))
    (segment,) = view.segments
    assert [q.period for q in segment.quarters] == [date(2025, 6, 30)]
    assert not any("2025-09-30" in e for e in view.events)


def test_the_quarter_appears_on_its_filing_date_and_the_restatement_on_its_own(
    collected: Store, config: Config
) -> None:
    def q3_holdings(day: date) -> dict[tuple[str | None, str | None], int]:
        quarters = {q.period: q for q in effective_holdings(load_filings(collected, until=day))}
        return {(h.ticker, h.put_call): h.shares for h in quarters[Q3].holdings}

    original = q3_holdings(ORIGINAL_FILED)
    assert q3_holdings(date(2025, 11, 19)) == original  # the amendment is not public yet
    restated = q3_holdings(RESTATED_FILED)
    assert restated == {("NVDA", None): 250_000, ("AVGO", "put"): 100_000} != original
    (segment,) = smart_money_view(collected, config, now=_evening(ORIGINAL_FILED)).segments
    assert [q.period for q in segment.quarters] == [date(2025, 6, 30), Q3]


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 21, 30, tzinfo=UTC)
