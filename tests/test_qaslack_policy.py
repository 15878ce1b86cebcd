"""The alert policy as a team meets it: no false alarm from a degraded reading."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signals.alerts import AlertSettings, comparable
from signals.models import Alert, IndexReading
from signals.regime import band
from tests.alert_replay import replay_alerts

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
    """Every reading so far in each run (no 7-day window)."""
    return [a for _, a in replay_alerts(series, SETTINGS, window=None)]


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


def v3(hour: int, probability: float, word: str | None = None) -> IndexReading:
    """A live reading: its regime is the probability against the base rate (16%):
    calm below it, warming below 1.5x, frothy (bubble with the GSY flag) above."""
    from signals.crash.regimes import regime_v3

    regime = word or regime_v3(probability, 0.16, flag=False, drawdown=None)
    return replace(fitted(hour, 100 * probability), regime=regime)


def regime_titles(series: list[IndexReading]) -> list[str]:
    return [a.title for a in replay(series) if a.kind == "regime_change"]


def test_regime_alerts_follow_the_readings_own_regime_word() -> None:
    """Live readings say calm -> warming -> frothy as the probability passes its base rate
    (16%) and 1.5x it (24%). The policy tracked the v1 bands of the index instead (warming
    from 33, frothy from 53): it announced nothing, and would have announced "warming" on a
    reading whose own header said "frothy"."""
    series = [v3(0, 0.12), v3(1, 0.13), v3(2, 0.20), v3(3, 0.21), v3(4, 0.30), v3(5, 0.31)]
    assert [r.regime for r in series] == ["calm", "calm", "warming", "warming", "frothy", "frothy"]
    assert regime_titles(series) == [
        "AI bubble index regime: calm -> warming (20)",
        "AI bubble index regime: warming -> frothy (30)",
    ]


def test_fitted_regimes_have_hysteresis_in_probability_points() -> None:
    """3 index points of hysteresis are 3 points of probability: hovering at the base rate
    (15%-17% around 16%) announces nothing; 19% does; back to calm needs below 13%."""
    hovering = [v3(0, 0.12), v3(1, 0.17), v3(2, 0.15), v3(3, 0.17), v3(4, 0.18)]
    assert regime_titles(hovering) == []
    up_and_down = [v3(0, 0.12), v3(1, 0.19), v3(2, 0.14), v3(3, 0.125)]
    assert regime_titles(up_and_down) == [
        "AI bubble index regime: calm -> warming (19)",
        "AI bubble index regime: warming -> calm (12)",
    ]


def test_the_gsy_flag_turns_frothy_into_bubble() -> None:
    # Announced once the bubble word held on 5 session days (signals.flag_hold): T0 is a
    # Monday, so on the Friday; a run-up hovering at 100% flipped it back and forth.
    series = [v3(0, 0.30), v3(1, 0.31)] + [v3(2 + 24 * d, 0.31, "bubble") for d in range(5)]
    assert regime_titles(series) == ["AI bubble index regime: frothy -> bubble (31)"]
    assert regime_titles(series[:-1]) == []


def replay_week(series: list[IndexReading]) -> list[Alert]:
    """As dispatch runs it: each run sees the readings of the last 7 days only."""
    return [a for _, a in replay_alerts(series, SETTINGS)]


def test_hovering_inside_the_hysteresis_zone_for_days_announces_nothing() -> None:
    """Announced frothy at 60, the index then hovers at 48-52 for ten days (inside the 3
    points of hysteresis around 50): nothing to announce. The policy re-derived its state
    from the band of the oldest reading of its 7-day window, so each time that reading
    crossed 50 it announced "frothy -> warming", then "warming -> frothy", and so on."""
    values = [40.0, 60.0] + [48.0 if (h // 20) % 2 else 52.0 for h in range(240)]
    series = [unfitted(h, v) for h, v in enumerate(values)]
    titles = [a.title for a in replay_week(series) if a.kind == "regime_change"]
    assert titles == ["AI bubble index regime: warming -> frothy (60)"]


def test_a_real_move_after_hovering_is_still_announced() -> None:
    values = [40.0, 60.0] + [48.0 if (h // 20) % 2 else 52.0 for h in range(200)] + [45.0]
    series = [unfitted(h, v) for h, v in enumerate(values)]
    titles = [a.title for a in replay_week(series) if a.kind == "regime_change"]
    assert titles[-1] == "AI bubble index regime: frothy -> warming (45)" and len(titles) == 2
