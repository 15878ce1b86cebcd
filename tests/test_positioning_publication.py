"""Short interest is used as of the day it became public, not its settlement date.

FINRA publishes a settlement date's figures on the 7th US business day after it; a
reading as of a day in between must not see them, a reading after it sees exactly what
it saw before this rule, and an earlier sighting by our own collector wins.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config.feeds_yaml import Config, load_config
from monitor.reading.smart_money import smart_money_view
from monitor.store import Store
from monitor.store.positioning import short_interest_history, upsert_short_interest
from monitor.store.schema import MIGRATIONS
from signals.business_days import add_business_days, is_business_day
from signals.positioning import (
    PUBLICATION_LAG,
    ShortInterest,
    positioning_signal,
    publication_date,
)

BOTH_BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
# FINRA's 15th / month-end settlement dates (the previous business day on a weekend).
SETTLEMENTS = (
    date(2025, 7, 15),
    date(2025, 7, 31),
    date(2025, 8, 15),
    date(2025, 8, 29),
    date(2025, 9, 15),
    date(2025, 9, 30),
    date(2025, 10, 15),
    date(2025, 10, 31),
)
LAST = SETTLEMENTS[-1]
LAST_PUBLIC = date(2025, 11, 12)  # 7 business days after 2025-10-31, Veterans Day not one
LONG_AFTER = datetime(2026, 1, 5, 22, tzinfo=UTC)  # collected long after every publication


@pytest.mark.parametrize(
    ("settlement", "public"),
    [
        (date(2025, 10, 15), date(2025, 10, 24)),  # plain weekdays
        (date(2025, 11, 14), date(2025, 11, 25)),  # the 15th a Saturday: settled Friday
        (date(2025, 12, 31), date(2026, 1, 12)),  # New Year's Day not counted
        (date(2024, 10, 31), date(2024, 11, 12)),  # Veterans Day: settlement calendar closed
        (date(2025, 4, 15), date(2025, 4, 25)),  # Good Friday: the NYSE closed
        (date(2024, 12, 31), date(2025, 1, 13)),  # New Year and the Carter closure
        (date(2025, 6, 13), date(2025, 6, 25)),  # Juneteenth
    ],
)
def test_publication_is_the_seventh_us_business_day(settlement: date, public: date) -> None:
    assert PUBLICATION_LAG == 7
    assert publication_date(settlement) == public


def test_a_sighting_dated_before_its_settlement_is_a_clock_error() -> None:
    record = ShortInterest("NVDA", date(2025, 10, 31), first_seen=date(2025, 10, 20))
    assert record.published == date(2025, 10, 31)
    assert ShortInterest("NVDA", date(2025, 10, 31)).published == date(2025, 11, 12)


def test_business_days_skip_weekends_and_both_calendars_holidays() -> None:
    closed = [date(2025, 7, 4), date(2025, 11, 27), date(2026, 6, 19), date(2025, 10, 13)]
    assert not any(is_business_day(d) for d in closed)
    assert not is_business_day(date(2025, 10, 18))  # a Saturday
    assert is_business_day(date(2025, 10, 14))
    assert is_business_day(date(2021, 12, 31))  # New Year's on a Saturday: both stay open
    assert add_business_days(date(2025, 10, 17), 0) == date(2025, 10, 17)
    with pytest.raises(ValueError, match="count must be >= 0"):
        add_business_days(date(2025, 10, 17), -1)


def records(ticker: str, base: float) -> list[ShortInterest]:
    """A name whose short interest rises through the window, the last date highest."""
    return [
        ShortInterest(ticker, day, percent_of_float=base * (1 + i / 10), days_to_cover=1 + i / 4)
        for i, day in enumerate(SETTLEMENTS)
    ]


@BOTH_BACKENDS
def test_a_day_between_settlement_and_publication_does_not_see_it(store: Store) -> None:
    upsert_short_interest(store, records("NVDA", 0.01), fetched_at=LONG_AFTER)
    for day in (LAST, LAST + timedelta(days=4), LAST_PUBLIC - timedelta(days=1)):
        seen = short_interest_history(store, ["NVDA"], until=day)["NVDA"]
        assert seen[-1].settlement == SETTLEMENTS[-2], day
    public = short_interest_history(store, ["NVDA"], until=LAST_PUBLIC)["NVDA"]
    assert public[-1].settlement == LAST and public[-1].published == LAST_PUBLIC


@BOTH_BACKENDS
def test_an_earlier_sighting_wins_and_is_never_moved_later(store: Store) -> None:
    (record,) = records("NVDA", 0.01)[-1:]
    seen_at = datetime(2025, 11, 6, 23, 30, tzinfo=UTC)  # before the scheduled 2025-11-12
    upsert_short_interest(store, [record], fetched_at=seen_at)
    upsert_short_interest(store, [record], fetched_at=LONG_AFTER)  # re-collected later
    assert short_interest_history(store, ["NVDA"], until=date(2025, 11, 5))["NVDA"] == []
    (stored,) = short_interest_history(store, ["NVDA"], until=date(2025, 11, 6))["NVDA"]
    assert stored.first_seen == date(2025, 11, 6) and stored.published == date(2025, 11, 6)
    # A run with an earlier clock (a backfill) moves the sighting earlier, not later.
    upsert_short_interest(store, [record], fetched_at=seen_at - timedelta(days=2))
    (stored,) = short_interest_history(store, ["NVDA"])["NVDA"]
    assert stored.first_seen == date(2025, 11, 4)


def test_a_sighting_after_the_schedule_does_not_delay_it(store: Store) -> None:
    upsert_short_interest(store, records("NVDA", 0.01), fetched_at=LONG_AFTER)
    stored = short_interest_history(store, ["NVDA"])["NVDA"]
    assert {r.first_seen for r in stored} == {LONG_AFTER.date()}
    assert [r.published for r in stored] == [publication_date(s) for s in SETTLEMENTS]


def ai_config(tickers: tuple[str, ...]) -> Config:
    from monitor.config.segments import SegmentConfig, legacy_segment

    ai = SegmentConfig.model_validate(legacy_segment(tickers))
    return load_config().model_copy(update={"basket": tickers, "segments": (ai,)})


def test_the_reading_uses_the_published_history_and_after_it_nothing_changes(
    store: Store,
) -> None:
    history = {"NVDA": records("NVDA", 0.01), "AMD": records("AMD", 0.03)}
    for rows in history.values():
        upsert_short_interest(store, rows, fetched_at=LONG_AFTER)
    config = ai_config(("NVDA", "AMD"))
    tickers = ["NVDA", "AMD"]

    def positioning(day: date) -> tuple[float | None, set[date]]:
        (segment,) = smart_money_view(store, config, now=_evening(day)).segments
        return segment.positioning.value, {n.settlement for n in segment.names}

    # Between settlement and publication the reading ranks the previous date...
    before = positioning_signal({t: r[:-1] for t, r in history.items()}, tickers, segment="ai")
    assert positioning(LAST_PUBLIC - timedelta(days=1)) == (before.value, {SETTLEMENTS[-2]})
    # ...and from publication on it is what it was before the rule existed (every date
    # up to the reading's own).
    after = positioning_signal(history, tickers, segment="ai")
    for day in (LAST_PUBLIC, LAST_PUBLIC + timedelta(days=3), date(2025, 12, 1)):
        assert positioning(day) == (after.value, {LAST})
    assert before.value is not None and after.value is not None and after.value > before.value
    assert before.detail.endswith("settled 2025-10-15, public 2025-10-24")
    assert after.detail.endswith("settled 2025-10-31, public 2025-11-12")


def test_an_old_database_gets_first_seen_from_its_last_fetch(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    mine = next(i for i, m in enumerate(MIGRATIONS) if "ADD COLUMN first_seen" in m)
    for number, script in enumerate(MIGRATIONS[:mine], 1):
        conn.executescript(f"{script}\nPRAGMA user_version = {number};")
    conn.execute(
        "INSERT INTO short_interest (ticker, settlement, shares_short, fetched_at) "
        "VALUES ('NVDA', '2025-10-31', 10, '2025-11-07T22:30:00+00:00')"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        (row,) = short_interest_history(store, ["NVDA"])["NVDA"]
        assert row.first_seen == date(2025, 11, 7) and row.published == date(2025, 11, 7)
        assert short_interest_history(store, ["NVDA"], until=date(2025, 11, 6)) == {"NVDA": []}


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 21, 30, tzinfo=UTC)
