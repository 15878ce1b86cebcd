"""The alert policy as a team meets it: no false alarm from a degraded reading."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signals.alerts import AlertSettings, SentAlert, comparable, decide
from signals.models import Alert, IndexReading
from signals.regime import band

# Digest at 23:59 so that only regime and jump alerts show in these replays.
SETTINGS = AlertSettings(digest_time=time(23, 59), tz=ZoneInfo("UTC"))
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TARGET = "20% drawdown within 6 months"


def fitted(hour: int, index: float) -> IndexReading:
    """A reading of the crash model (index v2): index = 100 x probability + unfitted parts."""
    return IndexReading(
        T0 + timedelta(hours=hour),
        index,
        band(index),
        None,
        (),
        probability=index / 100,
        base_rate=0.16,
        froth=50.0,
        stress=50.0,
        target=TARGET,
    )


def unfitted(hour: int, index: float) -> IndexReading:
    """What the index stage stores when the crash model cannot be read for a run: the v1
    index (percentiles of the components), no probability, no target."""
    return IndexReading(T0 + timedelta(hours=hour), index, band(index), None, ())


def replay(series: list[IndexReading]) -> list[Alert]:
    sent: list[SentAlert] = []
    out: list[Alert] = []
    for i in range(len(series)):
        now = series[i].as_of
        new = decide(series[: i + 1], sent, [], SETTINGS, now=now)
        out += new
        sent += [SentAlert(a.dedup_key, a.kind, now, now, now, None) for a in new]
    return out


def test_one_run_without_the_crash_model_raises_no_false_alarm() -> None:
    """The model file unreadable for one run: that reading's v1 index (62) is another
    scale than the probability-based index (14-15). Before the fix the next normal reading
    sent "regime: frothy -> calm" and "fell 47 points in 1 h", a move that never happened."""
    series = [fitted(0, 14.0), fitted(1, 15.0), unfitted(2, 62.0), fitted(3, 15.0)]
    assert replay(series) == []


def test_a_v1_reading_is_compared_only_with_v1_readings() -> None:
    series = [fitted(0, 14.0), unfitted(1, 40.0), unfitted(2, 62.0)]
    assert [r.index for r in comparable(series)] == [40.0, 62.0]
    jumps = [a for a in replay(series) if a.kind == "jump"]
    assert [a.title for a in jumps] == ["AI bubble index jumped 22 points in 1 h to 62 (frothy)"]


def test_legacy_fitted_readings_without_a_target_stay_comparable() -> None:
    """Readings stored before the target was recorded: v2 without a target still count."""
    legacy = replace(fitted(0, 14.0), target=None)
    assert comparable([legacy, fitted(1, 30.0)]) == [legacy, fitted(1, 30.0)]


def test_a_jump_within_the_hour_says_minutes_not_0_h() -> None:
    """`report` stores a reading whenever it is run: a move 20 minutes after the hourly
    reading was announced as "jumped 12 points in 0 h"."""
    series = [fitted(0, 14.0), replace(fitted(0, 26.0), as_of=T0 + timedelta(minutes=20))]
    (jump,) = [a for a in replay(series) if a.kind == "jump"]
    assert jump.title == "AI bubble index jumped 12 points in 20 min to 26 (calm)"
    later = replace(fitted(0, 26.0), as_of=T0 + timedelta(hours=5, minutes=50))
    (jump,) = [a for a in replay([fitted(0, 14.0), later]) if a.kind == "jump"]
    assert "in 6 h to 26" in jump.title
