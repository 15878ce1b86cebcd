"""News defects of issue 11: no baseline and a silent feed read as missing, never as a low
or calm value; a story at day t uses only the members published by t; outlets are distinct
outlets; a layoffs.fyi import that ended long ago is stale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from signals.models import Signal, StoredHeadline
from signals.news import (
    COMPONENTS,
    NewsParams,
    build_stories,
    layoff_event_series,
    news_component_frame,
    news_signals,
)
from tests.test_news_signals import NOW, headline, steady


def signal(signals: list[Signal], name: str) -> Signal:
    return next(s for s in signals if s.name == name)


def mixed_steady(days: int, end: datetime = NOW) -> list[StoredHeadline]:
    """Every label at a steady rate: each label reads 50 against its own baseline."""
    return [h for label in COMPONENTS for h in steady(label, 2, days, end=end)]


def test_a_fresh_install_has_no_baseline_so_news_is_missing_not_calm_or_100() -> None:
    # Five days of collection with little demand news: the old fixed scale read ai_demand
    # 100 (inverted: "no demand news") and the other labels far below 50.
    items = steady("layoffs", 3, 5) + steady("ai_demand", 1, 2)
    signals = news_signals(items, now=NOW)
    for name in COMPONENTS:
        s = signal(signals, name)
        assert s.value is None, (name, s.value)
        assert "no baseline yet" in s.detail


def test_a_ten_day_feed_outage_reads_missing_then_recovers_at_par() -> None:
    before = mixed_steady(150, end=NOW - timedelta(days=10))
    during = news_signals(before, now=NOW)
    for name in COMPONENTS:
        s = signal(during, name)
        assert s.value is None, (name, s.value)
        assert "silent" in s.detail
    # Collection resumes: two days later the rates are measured over the days collected,
    # so the 10-day hole does not read as a collapse of every label (47 -> 17 before).
    after = before + mixed_steady(2)
    for name in COMPONENTS:
        assert signal(news_signals(after, now=NOW), name).value == pytest.approx(50, abs=3)


def test_the_frame_marks_the_outage_days_missing() -> None:
    items = mixed_steady(150, end=NOW - timedelta(days=10)) + mixed_steady(2)
    frame = news_component_frame(items, start=date(2026, 2, 10), end=NOW.date())
    assert frame.loc["2026-02-10":"2026-02-18"].notna().all().all()
    assert frame.loc["2026-02-23":"2026-02-27"].isna().all().all()
    assert frame.loc["2026-03-01"].notna().all()


def _multi_headline_stories() -> tuple[list[StoredHeadline], list[StoredHeadline]]:
    """Background with a baseline, plus stories whose later members change the label
    (funding_round -> circular_deal) and add outlets two days after the first."""
    background = mixed_steady(150, end=NOW - timedelta(days=3))
    first = NOW - timedelta(days=4)
    early, late = [], []
    for k in range(6):
        story = 10_000 + k
        start = first - timedelta(days=k * 10)
        early.append(headline("funding_round", start, story=story, confidence=0.6))
        late += [
            headline("circular_deal", start + timedelta(days=2), story=story, source=outlet)
            for outlet in ("FT", "WSJ")
        ]
    return background + early, late


def test_a_story_at_day_t_uses_only_members_published_by_t() -> None:
    known, later = _multi_headline_stories()
    items = known + later
    start, end = date(2026, 1, 5), date(2026, 2, 28)
    frame = news_component_frame(items, start=start, end=end)
    assert frame.notna().all().all()
    for day in pd.date_range(start, end):
        cutoff = datetime.combine(day.date() + timedelta(days=1), datetime.min.time(), UTC)
        by_then = [h for h in items if h.headline.published < cutoff]
        truth = news_component_frame(by_then, start=day.date(), end=day.date())
        pd.testing.assert_frame_equal(frame.loc[[day]], truth, check_freq=False)
    # Live readings agree: the later members do not change a reading taken before them.
    cutoff = datetime.combine(date(2026, 2, 25), datetime.min.time(), UTC)
    live = news_signals(items, now=cutoff)
    early = news_signals([h for h in items if h.headline.published <= cutoff], now=cutoff)
    assert [s.value for s in live] == [s.value for s in early]


def test_outlets_are_distinct_outlets_not_rows() -> None:
    params = NewsParams()
    same_outlet = [
        headline("capex_debt", NOW - timedelta(hours=h), story=5, source="Reuters", sources=3)
        for h in range(3)
    ]
    (story,) = build_stories(same_outlet, params)
    assert story.ref.sources == 1 and story.weight == pytest.approx(0.9)
    two = [*same_outlet[:2], headline("capex_debt", NOW, story=5, source="FT", sources=3)]
    assert build_stories(two, params)[0].ref.sources == 2


def test_a_layoffs_import_that_ended_months_ago_is_stale() -> None:
    rows = [(date(2025, 1, 1) + timedelta(days=d), 300) for d in range(0, 200)]
    events = layoff_event_series(rows)  # last event 2025-07-19; NOW is 2026-03-01
    layoffs = signal(news_signals([], now=NOW, layoff_events=events), "layoffs")
    assert layoffs.value is None
    assert "stale" in layoffs.detail and "2025-07-19" in layoffs.detail
    # Headlines keep the component alive; the stale import no longer moves it.
    items = steady("layoffs", 2, 150)
    alone = signal(news_signals(items, now=NOW), "layoffs").value
    joined = signal(news_signals(items, now=NOW, layoff_events=events), "layoffs")
    assert joined.value == pytest.approx(alone) and "stale" in joined.detail
