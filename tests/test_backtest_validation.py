"""The backtest on the real AI basket 2015-2026 with the layoffs.fyi history.

Asserts the shape and ranges, no look-ahead on real data, and stated rules at key dates
(see test_readings_at_key_dates); the readings at every key date are recorded (junit
property `backtest_readings`, and printed with -s) so the docs' table can be checked
against them. Misses are not asserted away: the docs report them as misses.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from monitor.config.feeds_yaml import load_config
from monitor.research.backtest.run import BacktestInputs, BacktestRun, run
from signals.index import MARKET_COMPONENTS, NEWS_COMPONENTS
from signals.regime import REGIMES

pytestmark = pytest.mark.validation

PRICES = "ai_stocks_daily_adjclose_2015_2026.csv"
LAYOFFS = "layoffs_fyi_2020_2026.csv"
KEY_DATES = (
    "2021-08-19",  # three months before the 2021 peak
    "2021-11-19",  # the 2021 tech peak (Nasdaq high)
    "2022-01-27",  # the first leg down
    "2022-06-16",  # deep in the 2022 drawdown
    "2022-10-14",  # near the 2022 trough
    "2024-04-10",  # three months before the July 2024 peak
    "2024-07-10",  # the July 2024 peak
    "2024-08-05",  # the August 2024 unwind
    "2025-01-24",  # the Friday before the DeepSeek sell-off
    "2025-01-27",  # DeepSeek
    "2025-02-19",  # the top before the April 2025 drop
    "2025-04-08",  # the April 2025 tariff drop
)
SHOWN = ["index", "regime", *MARKET_COMPONENTS, "layoffs"]


@functools.cache
def replay(folder: Path, end: str | None = None) -> tuple[BacktestRun, float]:
    """The full run once per session (it takes a few seconds), and its wall time."""
    started = time.perf_counter()
    inputs = BacktestInputs(
        prices=folder / PRICES,
        layoffs=folder / LAYOFFS,
        end=pd.Timestamp(end).date() if end else None,
    )
    result = run(inputs, load_config(None))
    return result, time.perf_counter() - started


def test_shape_ranges_and_inputs(shared_data: Path) -> None:
    result, seconds = replay(shared_data)
    frame = result.frame
    assert len(frame) == 2897
    assert (frame.index[0], frame.index[-1]) == (
        pd.Timestamp("2015-01-02"),
        pd.Timestamp("2026-07-13"),
    )
    v2 = ["probability", "base_rate", "froth", "stress", "regime_v2", "index_v2"]
    assert list(frame.columns) == ["index", "regime", *MARKET_COMPONENTS, *NEWS_COMPONENTS, *v2]
    values = frame.drop(columns=["regime", "regime_v2"])
    assert ((values >= 0) & (values <= 100) | values.isna()).all().all()
    assert frame.loc["2016-01-05":, "probability"].between(0, 1).all()
    # The first year is warm-up (200-day average, a year of percentile history).
    assert frame.loc["2016-06-01":, "index"].notna().all()
    assert set(frame["regime"]) - {""} <= set(REGIMES)
    assert result.layoff_events > 4000 and result.absent_inputs == ()
    # layoffs.fyi starts 2020-03-11: a baseline needs 60 days of it; the file ends
    # 2026-01-28, so 14 days later the import is stale and the component missing.
    assert frame.loc[:"2020-05-08", "layoffs"].isna().all()
    assert frame.loc["2020-05-11":"2026-02-10", "layoffs"].notna().all()
    assert frame.loc["2026-02-11":, "layoffs"].isna().all()
    assert set(result.result.missing) == set(NEWS_COMPONENTS) - {"layoffs"}
    assert seconds < 60


def test_no_look_ahead_on_real_data(shared_data: Path) -> None:
    full, _ = replay(shared_data)
    cut, _ = replay(shared_data, "2022-01-03")
    assert cut.frame.index[-1] == pd.Timestamp("2022-01-03")
    pd.testing.assert_frame_equal(cut.frame, full.frame.loc[:"2022-01-03"])


def test_readings_at_key_dates(
    shared_data: Path, record_property: Callable[[str, object], None]
) -> None:
    result, _ = replay(shared_data)
    table = result.frame.loc[list(KEY_DATES), SHOWN]
    # Keyed by ISO date: a report's properties cross to pytest-xdist's main process, which
    # cannot serialise pandas Timestamps.
    shown = table.round(1).rename(index=lambda day: day.date().isoformat())
    record_property("backtest_readings", shown.to_dict(orient="index"))
    print("\n" + table.round(1).to_string())
    index, fragility = table["index"], table["fragility"]
    # Regime names at named dates are recorded above, not asserted: the regime bands and
    # the bursting rule were set on these same dates (issue 11), so asserting them tested
    # the tuning; docs/reliability.md shows them, misses included. What is asserted are
    # stated rules: fragility is a percentile of its own history, so the deep-drawdown
    # days rank in its top 15% (> 85); a crash day raises stress; the 2024 peak reads
    # above the 2022 trough, and the run-up to it above the history's average.
    assert index["2024-07-10"] > index["2022-10-14"]
    assert (fragility[["2022-06-16", "2022-10-14", "2025-04-08"]] > 85).all()
    assert fragility["2025-01-27"] > fragility["2025-01-24"]
    before = result.frame.loc["2024-04-10":"2024-07-10", "index"].mean()
    assert before > result.frame["index"].mean()
