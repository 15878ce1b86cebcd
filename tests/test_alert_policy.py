"""The alert policy on sequences of readings: the right alerts, once, and no spam."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from signals.alerts import (
    AlertSettings,
    SentAlert,
    confirmed_regimes,
    decide,
    is_large_layoff,
)
from signals.models import Alert, Headline, HeadlineScore, IndexReading, StoredHeadline
from signals.regime import band

NY = ZoneInfo("America/New_York")
SETTINGS = AlertSettings(digest_time=time(9, 0), tz=NY, jump_points=10, hysteresis=3)
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York: after the digest time


def readings(
    values: Sequence[float],
    *,
    step_hours: float = 1.0,
    start: datetime = T0,
    bursting: Sequence[int] = (),
) -> list[IndexReading]:
    out = []
    for i, v in enumerate(values):
        name = "bursting" if i in bursting else band(v)
        out.append(IndexReading(start + timedelta(hours=i * step_hours), v, name, None, ()))
    return out


def record(alerts: Sequence[Alert], now: datetime) -> list[SentAlert]:
    """What the store would hand back after claiming these alerts."""
    return [
        SentAlert(
            a.dedup_key,
            a.kind,
            now,
            now,
            a.reading.as_of if a.reading else None,
            a.dedup_key.split(":")[1] if a.kind == "regime_change" else None,
        )
        for a in alerts
    ]


def run(
    series: list[IndexReading],
    settings: AlertSettings = SETTINGS,
    headlines: Sequence[StoredHeadline] = (),
) -> list[Alert]:
    """Replay the policy reading by reading, as the hourly job would, keeping what it sent."""
    sent: list[SentAlert] = []
    out: list[Alert] = []
    for i in range(len(series)):
        now = series[i].as_of
        new = decide(series[: i + 1], sent, headlines, settings, now=now)
        out += new
        sent += record(new, now)
        # A restart re-runs the same step with what is stored: nothing new.
        assert decide(series[: i + 1], sent, headlines, settings, now=now) == []
    return out


def kinds(alerts: Sequence[Alert], kind: str) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]


def test_digest_once_per_local_day_at_the_configured_time() -> None:
    start = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 00:00 New York
    series = readings([40.0] * 72, start=start)
    digests = kinds(run(series), "digest")
    assert [a.dedup_key for a in digests] == [
        "digest:2026-03-02",
        "digest:2026-03-03",
        "digest:2026-03-04",
    ]
    # Each is sent at the first reading at or after 09:00 New York (14:00 UTC).
    assert [a.reading.as_of.astimezone(NY).hour for a in digests if a.reading] == [9, 9, 9]


def test_no_digest_before_the_time_nor_without_a_reading() -> None:
    early = datetime(2026, 3, 2, 13, 59, tzinfo=UTC)  # 08:59 New York
    assert decide(readings([40.0], start=early), [], [], SETTINGS, now=early) == []
    assert decide([], [], [], SETTINGS, now=T0) == []


def test_regime_change_needs_the_hysteresis_margin() -> None:
    # Edge 50 (warming -> frothy): 51 and 52.9 are inside the margin; 53 passes it.
    values = [45.0, 51.0, 49.0, 52.9, 53.0, 51.0, 48.0, 47.5, 46.9, 45.0]
    changes = kinds(run(readings(values)), "regime_change")
    assert [a.title.split(": ")[1].split(" (")[0] for a in changes] == [
        "warming -> frothy",
        "frothy -> warming",
    ]
    assert changes[0].reading is not None and changes[0].reading.index == 53.0
    assert changes[1].reading is not None and changes[1].reading.index == 46.9


def test_flapping_around_an_edge_sends_nothing() -> None:
    values = [48.0, 51.0, 49.5, 52.0, 48.5, 50.5, 49.0, 52.5] * 3
    assert kinds(run(readings(values)), "regime_change") == []


def test_confirmed_regime_can_skip_bands_and_bursting_is_immediate() -> None:
    states = confirmed_regimes(readings([20.0, 70.0, 66.0, 60.0], bursting=[3]), 3.0)
    assert states == ["calm", "bubble", "bubble", "bursting"]
    changes = kinds(run(readings([20.0, 70.0, 66.0, 60.0], bursting=[3])), "regime_change")
    assert [a.dedup_key.split(":")[1] for a in changes] == ["bubble", "bursting"]


def test_bursting_is_left_only_after_24_hours_without_it() -> None:
    values = [70.0] * 10
    # Six-hourly readings, bursting at 1, 3 and 4; from reading 5 (30 h) on it is not,
    # so the regime returns to bubble at reading 9 (54 h), 24 h later.
    flappy = readings(values, step_hours=6, bursting=[1, 3, 4])
    states = confirmed_regimes(flappy, 3.0)
    assert states == ["bubble"] + ["bursting"] * 8 + ["bubble"]
    changes = kinds(run(flappy), "regime_change")
    assert [a.dedup_key.split(":")[1] for a in changes] == ["bursting", "bubble"]


def test_jump_within_24_hours_alerts_once_per_move() -> None:
    values = [40.0, 44.0, 47.0, 50.5, 52.0, 53.0, 61.0, 62.0]
    jumps = kinds(run(readings(values, step_hours=3)), "jump")
    # 40 -> 50.5 is the first 10-point move; the next needs 10 more from 50.5: 61 (10.5).
    assert [a.reading.index for a in jumps if a.reading] == [50.5, 61.0]
    assert "jumped 10 points" in jumps[0].title


def test_slow_drift_over_days_is_no_jump() -> None:
    values = [40.0 + 2.0 * i for i in range(10)]  # +2 a day, 18 in total
    assert kinds(run(readings(values, step_hours=24)), "jump") == []


def test_falls_alert_too() -> None:
    jumps = kinds(run(readings([70.0, 66.0, 58.0], step_hours=4)), "jump")
    assert len(jumps) == 1 and jumps[0].title.startswith("AI bubble index fell 12 points")


def story(
    label: str,
    title: str,
    *,
    story_id: int,
    confidence: float = 0.9,
    sources: int = 3,
    age_hours: float = 1.0,
    now: datetime = T0,
) -> StoredHeadline:
    item = Headline(
        title,
        f"https://n.example/{story_id}/{title[:5]}",
        "Reuters",
        "feed",
        now - timedelta(hours=age_hours),
    )
    score = HeadlineScore(label, confidence, {label: confidence}, "m")
    return StoredHeadline(story_id, item, story_id, score, sources)


def test_breaking_headline_rules() -> None:
    good = story("circular_deal", "Nvidia to invest $100bn in OpenAI <!channel>", story_id=1)
    weak = story("bubble_warning", "Is AI a bubble?", story_id=2, confidence=0.6)
    lone = story("bubble_warning", "Burry shorts Nvidia", story_id=3, sources=1)
    old = story("circular_deal", "AMD warrants", story_id=4, age_hours=30)
    other = story("funding_round", "Startup raises $2bn", story_id=5)
    small = story("layoffs", "Startup lays off 40 staff", story_id=6)
    alerts = decide([], [], [good, weak, lone, old, other, small], SETTINGS, now=T0)
    assert [a.dedup_key for a in alerts] == ["breaking:1"]
    assert alerts[0].headlines[0].title.endswith("<!channel>")  # escaping is the channel's job


def test_breaking_cooldown_and_no_repeat() -> None:
    s1 = story("bubble_warning", "Fund manager says AI is a bubble", story_id=1, sources=5)
    s2 = story("layoffs", "Big Tech cuts 12,000 jobs", story_id=2, sources=4)
    first = decide([], [], [s1, s2], SETTINGS, now=T0)
    assert [a.dedup_key for a in first] == ["breaking:1"]
    sent = record(first, T0)
    assert decide([], sent, [s1, s2], SETTINGS, now=T0 + timedelta(hours=5)) == []
    later = decide([], sent, [s1, s2], SETTINGS, now=T0 + timedelta(hours=6, minutes=1))
    assert [a.dedup_key for a in later] == ["breaking:2"]


def test_several_headlines_of_one_story_are_one_alert() -> None:
    same = [story("circular_deal", f"Nvidia OpenAI deal {i}", story_id=9) for i in range(4)]
    assert len(decide([], [], same, SETTINGS, now=T0)) == 1


@pytest.mark.parametrize(
    ("title", "large"),
    [
        ("Amazon to cut 14,000 corporate jobs", True),
        ("Intel lays off 15% of its workforce", True),
        ("Meta cuts thousands of roles", True),
        ("Salesforce to cut 4k jobs", True),
        ("Startup lays off 45 people in 2025", False),
        ("Microsoft layoffs hit gaming unit", False),
        ("Firm trims 5% of staff", False),
    ],
)
def test_large_layoff_detection(title: str, large: bool) -> None:
    assert is_large_layoff(title) is large


def test_full_day_replay_after_restart_sends_nothing_new() -> None:
    values = [40, 42, 44, 47, 53, 55, 56, 54, 48, 46, 45, 44] * 2
    series = readings([float(v) for v in values], step_hours=2)
    heads = [story("bubble_warning", "Burry bets against AI", story_id=1, now=series[-1].as_of)]
    sent_all: list[SentAlert] = []
    for i in range(len(series)):
        new = decide(series[: i + 1], sent_all, heads, SETTINGS, now=series[i].as_of)
        sent_all += record(new, series[i].as_of)
    total = len(sent_all)
    assert total > 0
    # A fresh process replaying every step against the stored alerts sends nothing.
    for i in range(len(series)):
        assert decide(series[: i + 1], sent_all, heads, SETTINGS, now=series[i].as_of) == []
    assert len({a.dedup_key for a in sent_all}) == total


def test_a_reading_of_another_crash_model_is_no_reference() -> None:
    """After `index.model` changes, 30 under the 24-month model and 75 under the 6-month one
    are different probabilities: no jump and no regime change between them."""
    from dataclasses import replace

    old = [replace(r, target="40% drawdown within 24 months") for r in readings([30.0, 31.0])]
    new = replace(
        readings([75.0], start=T0 + timedelta(hours=2))[0], target="20% drawdown within 6 months"
    )
    switched = run([*old, new])
    assert kinds(switched, "jump") == [] and kinds(switched, "regime_change") == []
    same = run([*old, replace(new, target=old[0].target)])
    assert len(kinds(same, "jump")) == 1 and len(kinds(same, "regime_change")) == 1
