"""The index maths: redistribution of weights, contributions, regimes, explanation."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from signals.index import NoComponentsError, combine, movers
from signals.models import HeadlineRef, Signal
from signals.regime import Drawdown, band, basket_drawdown, regime

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
WEIGHTS = {"overextension": 1.5, "credit": 0.5, "layoffs": 1.0, "ai_demand": 1.0}


def sig(name: str, value: float | None, kind: str = "market", **kw: object) -> Signal:
    return Signal(name, kind, value, f"{name} detail", **kw)  # type: ignore[arg-type]


def test_weighted_mean_over_present_components_with_weights_redistributed() -> None:
    signals = [
        sig("overextension", 80.0),
        sig("credit", None),
        sig("layoffs", 40.0, "news"),
        sig("ai_demand", 60.0, "news"),
    ]
    reading = combine(signals, WEIGHTS, as_of=NOW, previous=None)
    # credit missing: 1.5 + 1.0 + 1.0 = 3.5 remains.
    expected = (80 * 1.5 + 40 * 1.0 + 60 * 1.0) / 3.5
    assert reading.index == pytest.approx(expected)
    by = {c.name: c for c in reading.components}
    assert by["overextension"].weight == pytest.approx(1.5 / 3.5)
    assert by["credit"].value is None and by["credit"].weight == 0.0
    assert sum(c.weight for c in reading.components) == pytest.approx(1.0)
    assert sum(c.contribution for c in reading.components) == pytest.approx(reading.index)
    assert reading.stale == ("credit",)
    assert any("credit" in n and "spread" in n for n in reading.notes)


def test_component_without_signal_is_listed_missing() -> None:
    reading = combine([sig("overextension", 50.0)], WEIGHTS, as_of=NOW, previous=None)
    names = [c.name for c in reading.components]
    assert names == list(WEIGHTS)
    assert set(reading.stale) == {"credit", "layoffs", "ai_demand"}
    assert reading.index == pytest.approx(50.0)
    assert any(n.startswith("no news component has a value") for n in reading.notes)


def test_stale_component_is_not_used_and_stale_tickers_reported() -> None:
    signals = [sig("overextension", 90.0), sig("credit", 10.0)]
    reading = combine(signals, WEIGHTS, as_of=NOW, previous=None, stale=["credit", "NVDA"])
    assert reading.index == pytest.approx(90.0)
    by = {c.name: c for c in reading.components}
    assert by["credit"].value is None and by["credit"].detail.startswith("stale")
    assert "NVDA" in reading.stale and "credit" in reading.stale
    assert any("NVDA" in n for n in reading.notes)


def test_news_only_reading_says_so() -> None:
    signals = [sig("overextension", None), sig("layoffs", 70.0, "news")]
    reading = combine(signals, WEIGHTS, as_of=NOW, previous=None)
    assert reading.index == pytest.approx(70.0)
    assert any("news components alone" in n for n in reading.notes)


def test_nothing_present_raises() -> None:
    with pytest.raises(NoComponentsError):
        combine([sig("overextension", None)], WEIGHTS, as_of=NOW, previous=None)
    with pytest.raises(NoComponentsError):
        combine([sig("overextension", 50.0)], {"overextension": 0.0}, as_of=NOW, previous=None)


def test_unweighted_component_is_noted_not_used() -> None:
    signals = [sig("overextension", 50.0), sig("mystery", 100.0)]
    reading = combine(signals, WEIGHTS, as_of=NOW, previous=None)
    assert reading.index == pytest.approx(50.0)
    assert any("mystery" in n for n in reading.notes)


def test_values_are_clipped_to_0_100() -> None:
    reading = combine([sig("overextension", 130.0)], WEIGHTS, as_of=NOW, previous=None)
    assert reading.index == 100.0


def test_change_and_movers_against_previous() -> None:
    first = combine(
        [sig("overextension", 50.0), sig("layoffs", 50.0, "news")],
        WEIGHTS,
        as_of=NOW,
        previous=None,
    )
    second = combine(
        [sig("overextension", 70.0), sig("layoffs", 50.0, "news")],
        WEIGHTS,
        as_of=NOW + timedelta(hours=1),
        previous=first,
    )
    assert second.change == pytest.approx(second.index - first.index)
    assert second.change == pytest.approx(20 * 1.5 / 2.5)
    moved = movers(second.components, first)
    assert moved[0][0] == "overextension" and moved[0][1] == pytest.approx(12.0)
    assert any(n.startswith("moved most: overextension +12.0") for n in second.notes)


def test_top_headlines_come_from_largest_news_contributions() -> None:
    def ref(title: str, label: str) -> HeadlineRef:
        return HeadlineRef(title, f"https://x/{title}", "Src", label, 0.9)

    signals = [
        sig("layoffs", 90.0, "news", headlines=(ref("L1", "layoffs"), ref("L2", "layoffs"))),
        sig("ai_demand", 10.0, "news", headlines=(ref("D1", "ai_demand"),)),
    ]
    reading = combine(signals, WEIGHTS, as_of=NOW, previous=None)
    assert [h.title for h in reading.top_headlines] == ["L1", "D1", "L2"]


@pytest.mark.parametrize(
    ("value", "name"),
    [(0, "calm"), (29.9, "calm"), (30, "warming"), (50, "frothy"), (65, "bubble"), (99, "bubble")],
)
def test_bands(value: float, name: str) -> None:
    assert band(value) == name


def test_bursting_needs_high_reading_and_fresh_drawdown() -> None:
    fresh = Drawdown(NOW.date(), 0.15, NOW.date() - timedelta(days=30), 20)
    old = Drawdown(NOW.date(), 0.15, NOW.date() - timedelta(days=300), 200)
    shallow = Drawdown(NOW.date(), 0.05, NOW.date() - timedelta(days=10), 7)
    assert regime(70.0, fresh) == "bursting"
    assert regime(49.9, fresh) == "warming"
    assert regime(70.0, old) == "bubble"
    assert regime(70.0, shallow) == "bubble"
    assert regime(70.0, None) == "bubble"
    reading = combine(
        [sig("overextension", 80.0)], WEIGHTS, as_of=NOW, previous=None, drawdown=fresh
    )
    assert reading.regime == "bursting"
    assert any(n.startswith("bursting: basket 15% below") for n in reading.notes)


def test_bursting_when_the_index_was_high_since_the_peak() -> None:
    fresh = Drawdown(NOW.date(), 0.20, NOW.date() - timedelta(days=25), 18)
    # The market components fell with prices: 42 now, but 63 at a reading since the peak.
    assert regime(42.0, fresh, recent_high=63.0) == "bursting"
    assert regime(42.0, fresh, recent_high=45.0) == "warming"
    reading = combine(
        [sig("overextension", 42.0)],
        WEIGHTS,
        as_of=NOW,
        previous=None,
        drawdown=fresh,
        recent_high=63.0,
    )
    assert reading.regime == "bursting"
    assert any("index high since then 63" in n for n in reading.notes)


def test_basket_drawdown_from_closes_without_look_ahead() -> None:
    days = pd.bdate_range("2025-01-01", periods=300)
    up = np.linspace(100, 200, 280)
    down = np.linspace(200, 160, 21)[1:]
    closes = pd.DataFrame({"AAA": np.concatenate([up, down]), "BBB": np.nan}, index=days)
    closes.loc[days[200] :, "BBB"] = 50.0  # listed later, flat: adds no jump
    dd = basket_drawdown(closes, ["AAA", "BBB", "ZZZ"])
    assert dd is not None
    # AAA fell 20%, BBB flat: the equal-weighted basket fell about 10%.
    assert 0.09 < dd.depth < 0.11
    assert dd.peak_day == days[279].date() and dd.days_since_peak == 20
    before = basket_drawdown(closes, ["AAA"], as_of=days[279].date())
    assert before is not None and before.depth == 0.0
    assert basket_drawdown(closes, ["ZZZ"]) is None
    assert math.isclose(basket_drawdown(closes, ["AAA"]).depth, 0.2, rel_tol=1e-9)  # type: ignore[union-attr]
