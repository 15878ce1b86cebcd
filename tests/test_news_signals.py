"""News components: stories not articles, confidence weights, baseline vs fixed scale."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from signals.models import Headline, HeadlineScore, StoredHeadline
from signals.news import (
    COMPONENTS,
    NewsParams,
    build_stories,
    layoff_event_series,
    news_component_frame,
    news_signals,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def headline(
    label: str,
    when: datetime,
    *,
    story: int | None = None,
    confidence: float = 0.9,
    source: str = "Reuters",
    sources: int = 1,
    estimated: bool = False,
    title: str | None = None,
) -> StoredHeadline:
    i = next(_ids)
    item = Headline(
        title or f"{label} headline {i}",
        f"https://news.example/{i}",
        source,
        "feed",
        when,
        published_estimated=estimated,
    )
    score = HeadlineScore(label, confidence, {label: confidence}, "test-model")
    return StoredHeadline(i, item, story if story is not None else i, score, sources)


def steady(label: str, per_day: int, days: int, end: datetime = NOW) -> list[StoredHeadline]:
    return [
        headline(label, end - timedelta(days=d, hours=1 + k))
        for d in range(days)
        for k in range(per_day)
    ]


def value(signals: list, name: str) -> float:  # type: ignore[type-arg]
    return next(s.value for s in signals if s.name == name)


def test_one_story_counts_once_however_many_articles() -> None:
    one_story = [
        headline("circular_deal", NOW - timedelta(hours=h), story=7, source=f"Outlet{h}")
        for h in range(1, 6)
    ]
    separate = [headline("circular_deal", NOW - timedelta(hours=h)) for h in range(1, 6)]
    background = steady("layoffs", 1, 150)  # a baseline, so the news has values
    stories = build_stories(one_story, NewsParams())
    assert len(stories) == 1
    # Five outlets add a bounded bonus: 1 + 0.25 * 4 = 2x, never more.
    assert stories[0].weight == pytest.approx(0.9 * 2.0)
    assert len(build_stories(separate, NewsParams())) == 5
    grouped = value(news_signals(background + one_story, now=NOW), "circular_deal")
    apart = value(news_signals(background + separate, now=NOW), "circular_deal")
    assert grouped < apart


def test_story_label_is_the_heaviest_label_and_other_is_ignored() -> None:
    mixed = [
        headline("funding_round", NOW, story=3, confidence=0.6),
        headline("circular_deal", NOW, story=3, confidence=0.5),
        headline("circular_deal", NOW, story=3, confidence=0.7),
    ]
    (story,) = build_stories(mixed, NewsParams())
    assert story.label == "circular_deal" and story.ref.confidence == 0.7
    assert build_stories([headline("other", NOW)], NewsParams()) == []


def test_confidence_weighting_and_estimated_dates() -> None:
    params = NewsParams()
    low = build_stories([headline("layoffs", NOW, confidence=0.2)], params)
    assert low[0].weight == 0.0
    est = build_stories([headline("layoffs", NOW, confidence=0.8, estimated=True)], params)
    assert est[0].weight == pytest.approx(0.4)


def test_steady_rate_reads_50_against_its_own_baseline() -> None:
    signals = news_signals(steady("layoffs", 2, 150), now=NOW)
    assert value(signals, "layoffs") == pytest.approx(50.0, abs=0.5)
    layoffs = next(s for s in signals if s.name == "layoffs")
    assert "baseline" in layoffs.detail and layoffs.coverage == 1.0
    assert len(layoffs.headlines) == 3
    # Labels with no stories at all against an empty baseline are at par too.
    assert value(signals, "circular_deal") == pytest.approx(50.0)


def test_burst_over_baseline_raises_the_value_by_25_per_doubling() -> None:
    base = steady("bubble_warning", 1, 150)
    burst = base + [headline("bubble_warning", NOW - timedelta(hours=h)) for h in range(2, 100, 2)]
    calm = value(news_signals(base, now=NOW), "bubble_warning")
    hot = value(news_signals(burst, now=NOW), "bubble_warning")
    assert calm == pytest.approx(50.0, abs=0.5)
    assert hot > 75.0
    top = next(s for s in news_signals(burst, now=NOW) if s.name == "bubble_warning").headlines
    assert all(h.label == "bubble_warning" for h in top)


def test_short_history_has_no_baseline_and_reads_missing() -> None:
    # Once a documented fixed rate stood in here; now too little history is "missing".
    signal = next(
        s
        for s in news_signals(steady("funding_round", 4, 20), now=NOW)
        if s.name == "funding_round"
    )
    assert signal.value is None and "no baseline yet" in signal.detail
    assert signal.coverage == pytest.approx(20 / 30, abs=0.05)


def test_ai_demand_is_inverted_weak_demand_means_high_risk() -> None:
    base = steady("ai_demand", 2, 150, end=NOW - timedelta(days=30))
    recent_quiet = base + steady("layoffs", 1, 30)
    recent_busy = base + steady("ai_demand", 6, 30)
    quiet = value(news_signals(recent_quiet, now=NOW), "ai_demand")
    busy = value(news_signals(recent_busy, now=NOW), "ai_demand")
    assert quiet > 75 > 50 > busy


def test_no_headlines_or_unscored_gives_none_with_a_reason() -> None:
    for s in news_signals([], now=NOW):
        assert s.value is None and "no headlines" in s.detail
    unscored = [StoredHeadline(1, Headline("t", "u", "s", "f", NOW), 1, None)]
    assert all(
        s.value is None and "not yet scored" in s.detail for s in news_signals(unscored, now=NOW)
    )


def test_future_headlines_are_ignored_live_and_in_the_frame() -> None:
    items = steady("layoffs", 2, 150)
    future = [headline("layoffs", NOW + timedelta(days=1, hours=h)) for h in range(30)]
    assert value(news_signals(items + future, now=NOW), "layoffs") == pytest.approx(
        value(news_signals(items, now=NOW), "layoffs")
    )
    start = (NOW - timedelta(days=60)).date()
    end = NOW.date() - timedelta(days=1)
    with_future = news_component_frame(items + future, start=start, end=end)
    without = news_component_frame(items, start=start, end=end)
    pd.testing.assert_frame_equal(with_future, without)


def test_frame_has_no_look_ahead_and_matches_live_on_a_day_boundary() -> None:
    items = steady("capex_debt", 1, 200)
    start, end = date(2025, 12, 1), date(2026, 2, 27)
    frame = news_component_frame(items, start=start, end=end)
    assert list(frame.columns) == list(COMPONENTS)
    assert len(frame) == (end - start).days + 1
    day_end = datetime(2026, 2, 1, tzinfo=UTC)  # the end of 2026-01-31
    live = news_signals(items, now=day_end)
    assert frame.loc["2026-01-31", "capex_debt"] == pytest.approx(value(live, "capex_debt"))
    # Truncating the input after a day leaves that day's value unchanged.
    cut = [h for h in items if h.headline.published < day_end]
    frame_cut = news_component_frame(cut, start=start, end=date(2026, 1, 31))
    pd.testing.assert_frame_equal(frame.loc[:"2026-01-31"], frame_cut)


def test_frame_is_nan_before_any_headline_and_until_a_baseline_exists() -> None:
    items = steady("layoffs", 1, 70)  # first headline 2025-12-21, 60 days to a baseline
    frame = news_component_frame(items, start=date(2025, 12, 1), end=date(2026, 3, 1))
    assert frame.loc["2025-12-01":"2026-02-17"].isna().all().all()
    assert frame.loc["2026-02-20":].notna().all().all()


def test_layoff_events_join_the_layoffs_component_with_a_baseline_from_day_one() -> None:
    rows = [(date(2025, 6, 1) + timedelta(days=d), 200) for d in range(0, 270, 2)]
    surge = [(date(2026, 2, 20) + timedelta(days=d), 20_000) for d in range(9) for _ in range(3)]
    events = layoff_event_series(rows + surge)
    assert events.index[0] == pd.Timestamp("2025-06-01")
    assert events.loc["2025-06-02"] == 0.0
    assert events.loc["2026-02-21"] > 5.0
    only_events = next(
        s for s in news_signals([], now=NOW, layoff_events=events) if s.name == "layoffs"
    )
    assert only_events.value is not None and only_events.value > 80
    assert "layoff events" in only_events.detail
    quiet = layoff_event_series(rows)
    calm = value(news_signals([], now=NOW, layoff_events=quiet), "layoffs")
    assert calm < only_events.value
    with_headlines = value(
        news_signals(steady("layoffs", 2, 150), now=NOW, layoff_events=events), "layoffs"
    )
    assert with_headlines == pytest.approx((50.0 + only_events.value) / 2, abs=0.6)
