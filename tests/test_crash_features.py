"""Crash features and outcomes: calendar-time windows, no look-ahead, the crash label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.crash.features import feature_frames, lookback, stack
from signals.crash.outcomes import crash_labels, max_drawdown_ahead
from signals.crash.panel import Panel
from tests.crash_fixtures import daily_panel, monthly_panel


@pytest.mark.parametrize("make", [daily_panel, monthly_panel])
def test_truncating_the_data_after_t_changes_nothing_at_t(make: object) -> None:
    panel: Panel = make()  # type: ignore[operator]
    full = stack(feature_frames(panel))
    dates = panel.returns.index
    for t in (dates[len(dates) // 2], dates[-40], dates[int(len(dates) * 0.8) + 3]):
        cut = stack(feature_frames(panel.window(t)))
        at_t_full = full.xs(t, level="date").sort_index(axis=1)
        at_t_cut = cut.xs(t, level="date").sort_index(axis=1)
        pd.testing.assert_frame_equal(at_t_full, at_t_cut, rtol=1e-9, atol=1e-9)
        if t >= dates[-40]:
            assert at_t_full["psy"].notna().any()  # the PSY feature is really compared


def test_windows_are_calendar_time_so_daily_and_monthly_agree() -> None:
    days = pd.bdate_range("2010-01-01", "2016-12-31")
    growth = np.log(1.25) / 365.25  # +25% a year, continuously
    level = np.exp(growth * (days - days[0]).days.to_numpy())
    daily = pd.DataFrame({"A": level}, index=days)
    returns = daily.pct_change()
    monthly = daily.resample("ME").last().pct_change()
    runups = []
    for frame, freq in ((returns, "daily"), (monthly, "monthly")):
        panel = Panel(returns=frame, market=frame["A"] * 0.0, frequency=freq)  # type: ignore[arg-type]
        runups.append(feature_frames(panel)["runup_2y"]["A"].dropna().iloc[-1])
    assert runups[0] == pytest.approx(2 * np.log(1.25), abs=0.01)
    assert runups[1] == pytest.approx(2 * np.log(1.25), abs=0.01)


def test_lookback_takes_the_last_row_on_or_before_the_date() -> None:
    index = pd.to_datetime(["2020-01-31", "2020-02-28", "2021-01-29", "2021-02-26"])
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=index)
    back = lookback(frame, 12)["x"].tolist()
    assert np.isnan(back[0]) and np.isnan(back[1])
    # 2021-01-29 looks back to 2020-01-29: nothing on or before it yet.
    assert np.isnan(back[2])
    assert back[3] == 1.0  # 2020-02-26 -> the row of 2020-01-31


def test_crash_label_is_a_drawdown_from_any_point_within_the_horizon() -> None:
    months = pd.date_range("2000-01-31", periods=40, freq="ME")
    path = np.r_[np.linspace(0, 0.5, 20), np.linspace(0.5, -0.2, 8), np.zeros(12)]
    level = pd.Series(path, index=months)
    fall = max_drawdown_ahead(level, 12)
    # From month 16 the window holds the peak (months 19-20) and the trough (month 27):
    # a fall of 1 - exp(-0.7) = 50%, measured from the peak, not from month 16's level.
    assert fall.iloc[16] == pytest.approx(1 - np.exp(-0.7), rel=1e-6)
    labels = crash_labels(level.to_frame("A"), 12, 0.40)["A"]
    assert labels.iloc[16] == 1.0
    assert labels.iloc[0] == 0.0  # its 12 months end before the fall starts
    # The last 12 months' outcome windows run past the data: unknown, not "no crash".
    assert labels.iloc[-12:].isna().all()
    assert labels.iloc[:-12].notna().all()
