"""The one stored form of a time: UTC text whose order is time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.store.stamps import parse_stamp, stamp


def test_text_order_is_time_order_across_zones_and_fractions() -> None:
    base = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    times = [
        base,
        base + timedelta(microseconds=1),
        base + timedelta(microseconds=500_000),
        base + timedelta(seconds=1),
        (base + timedelta(hours=2)).astimezone(timezone(timedelta(hours=-5))),
    ]
    texts = [stamp(t) for t in times]
    assert sorted(texts) == texts
    assert texts[0] == "2026-03-01T09:30:00+00:00"
    assert texts[-1] == "2026-03-01T11:30:00+00:00"  # converted to UTC, not kept at -05:00
    assert [parse_stamp(t) for t in texts] == times


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        stamp(datetime(2026, 3, 1, 9, 30))
