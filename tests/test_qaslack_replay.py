"""The alert policy replayed over real prices: how many regime alerts a team would have
received, and that each announces the word its reading says (docs/slack.md, "Measured").

Daily v3 readings (signals.crash.history with the live crash model, the configured basket,
SPY as benchmark) from ../shared/data; each day's run sees the last 7 days, as dispatch does.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from monitor.config.feeds_yaml import load_config
from monitor.reading.crash_model import live_model
from signals.alerts import AlertSettings
from signals.crash.history import crash_history
from signals.models import Alert, IndexReading
from tests.alert_replay import replay_alerts

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def daily(shared_data: Path) -> pd.DataFrame:
    config = load_config()
    prices = pd.read_csv(
        shared_data / "ai_stocks_daily_adjclose_2015_2026.csv", index_col="date", parse_dates=True
    )
    basket = [t for t in config.basket if t in prices.columns]
    history = crash_history(prices[basket], benchmark=prices["SPY"], model=live_model("auto"))
    return history[history["regime_v2"] != ""]


def readings(daily: pd.DataFrame, start: str, end: str) -> list[IndexReading]:
    part = daily.loc[start:end]
    days = [d.date() for d in pd.DatetimeIndex(part.index)]
    return [
        IndexReading(
            datetime.combine(day, time(21, 0), tzinfo=UTC),
            float(row["index_v2"]),
            str(row["regime_v2"]),
            None,
            (),
            probability=float(row["probability"]),
            base_rate=float(row["base_rate"]),
            froth=float(row["froth"]),
            stress=float(row["stress"]),
            target="live",
        )
        for day, (_, row) in zip(days, part.iterrows(), strict=True)
    ]


def replay(series: list[IndexReading]) -> list[tuple[IndexReading, Alert]]:
    config = load_config()
    settings = AlertSettings(
        digest_time=time(23, 59),  # no digest: the regime and jump alerts are counted
        tz=ZoneInfo("UTC"),
        jump_points=config.alerts.jump_points,
        hysteresis=config.alerts.hysteresis,
    )
    return replay_alerts(series, settings)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-06-03", "2024-09-30", 3),
        # 9 and 34 before the GSY flag's 5-session hold (signals.flag_hold); docs/slack.md
        ("2026-04-01", "2026-07-14", 5),
        ("2023-01-01", "2026-12-31", 28),
    ],
)
def test_regime_alerts_over_real_history_say_the_readings_word(
    daily: pd.DataFrame, start: str, end: str, expected: int
) -> None:
    series = readings(daily, start, end)
    sent = replay(series)
    regime = [(r, a) for r, a in sent if a.kind == "regime_change"]
    changes = sum(1 for a, b in pairwise(series) if a.regime != b.regime)
    assert len(regime) == expected, [a.title for _, a in regime]
    assert len(regime) < changes  # hysteresis: fewer alerts than changes of the word
    for reading, alert in regime:
        assert alert.title.split(" -> ")[1].split(" ")[0] == reading.regime, alert.title
    assert [a for _, a in sent if a.kind == "jump"] == []
