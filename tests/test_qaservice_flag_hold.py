"""The GSY flag does not flap the regime alerts: frothy <-> bubble is announced only once
every reading on 5 session days in a row says the new word (signals.flag_hold).

Before: a 2-year run-up hovering at the 100% line turned the flag on and off, and every
turn was a regime alert (the real prices 2026-04-01..07-14: 5 of 9 alerts). The unit tests
run the pure policy on daily readings, each run seeing the last 7 days as dispatch does;
the validation test replays the real prices (../shared/data) with the live crash model.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from signals.alerts import AlertSettings, SentAlert
from signals.flag_hold import FLAG_HOLD_SESSIONS
from signals.models import Alert, IndexReading
from tests.alert_replay import replay_alerts

SETTINGS = AlertSettings(digest_time=time(23, 59), tz=ZoneInfo("UTC"))
MONDAY = datetime(2026, 4, 6, 21, 0, tzinfo=UTC)


def sessions(words: str) -> list[IndexReading]:
    """Daily readings after the close, Monday to Friday, above the top edge (p = 30%,
    b = 16%): F says frothy (no GSY flag), B says bubble (the flag up)."""
    days = pd.bdate_range(MONDAY.date(), periods=len(words))
    word = {"F": "frothy", "B": "bubble"}
    return [
        IndexReading(
            datetime.combine(day.date(), time(21, 0), tzinfo=UTC),
            30.0,
            word[w],
            None,
            (),
            probability=0.30,
            base_rate=0.16,
            target="live",
        )
        for day, w in zip(days, words, strict=True)
    ]


def replay(series: list[IndexReading], announced: str = "frothy") -> list[Alert]:
    """As dispatch runs it daily, the regime `announced` before the first reading."""
    before = series[0].as_of - timedelta(days=30)
    sent = [SentAlert(f"regime:{announced}:x", "regime_change", before, before, None, announced)]
    return [a for _, a in replay_alerts(series, SETTINGS, sent=sent)]


def titles(series: list[IndexReading], announced: str = "frothy") -> list[str]:
    return [a.title.split(": ")[1].split(" (")[0] for a in replay(series, announced)]


def test_a_flag_that_comes_and_goes_within_a_week_is_not_announced() -> None:
    assert FLAG_HOLD_SESSIONS == 5
    # Before: frothy -> bubble, bubble -> frothy, frothy -> bubble, bubble -> frothy.
    assert titles(sessions("FFFFFBBBFFBBBBFFFFF")) == []


def test_a_flag_held_for_five_sessions_is_announced_on_the_fifth() -> None:
    series = sessions("FFFFFBBBBBBB")
    [alert] = replay(series)
    assert alert.title.startswith("AI bubble index regime: frothy -> bubble")
    assert alert.reading is not None and alert.reading.as_of == series[9].as_of
    assert alert.reading.regime == "bubble"  # the word its reading says


def test_the_flag_going_down_is_held_the_same_way() -> None:
    assert titles(sessions("BBBBBFFFFBFFFF"), "bubble") == []  # restarted after a B
    assert titles(sessions("BBBBBFFFFF"), "bubble") == ["bubble -> frothy"]


def test_a_weekend_does_not_count_as_sessions() -> None:
    """Thursday to the next Wednesday is 5 sessions: announced on the Wednesday only."""
    series = sessions("FFFBBBBB")  # Mon..Wed frothy, then Thu, Fri, Mon, Tue, Wed
    [alert] = replay(series)
    assert alert.reading is not None and alert.reading.as_of.strftime("%a") == "Wed"


@pytest.mark.validation
def test_the_real_2026_run_up_no_longer_flaps(shared_data: Path) -> None:
    """The replay of docs/slack.md ("Measured"): the configured basket, the live model."""
    from itertools import pairwise

    from monitor.config.feeds_yaml import load_config
    from monitor.reading.crash_model import live_model
    from signals.crash.history import crash_history
    from tests.test_qaslack_replay import readings
    from tests.test_qaslack_replay import replay as replay_week

    config = load_config()
    prices = pd.read_csv(
        shared_data / "ai_stocks_daily_adjclose_2015_2026.csv", index_col="date", parse_dates=True
    )
    basket = [t for t in config.basket if t in prices.columns]
    history = crash_history(prices[basket], benchmark=prices["SPY"], model=live_model("auto"))
    daily = history[history["regime_v2"] != ""]

    def counts(start: str, end: str) -> tuple[int, int]:
        regime = [a for _, a in replay_week(readings(daily, start, end))]
        regime = [a for a in regime if a.kind == "regime_change"]
        flips = [
            a for a in regime if "frothy -> bubble" in a.title or "bubble -> frothy" in a.title
        ]
        return len(regime), len(flips)

    assert counts("2026-04-01", "2026-07-14") == (5, 1)  # before: (9, 5)
    assert counts("2023-01-01", "2026-12-31") == (28, 1)  # before: (34, 7)
    assert counts("2016-01-01", "2022-12-31") == (21, 0)  # unchanged: no flag then
    series = readings(daily, "2023-01-01", "2026-12-31")
    assert sum(1 for a, b in pairwise(series) if a.regime != b.regime) == 84
