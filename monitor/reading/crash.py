"""Index v2 in the live pipeline: the v1 reading's inputs turned into a v2 reading.

The basket's closes (and SPY as its benchmark, HYG/LQD for credit) go to the pure
signals.crash.reading; the v1 news components ride along as unfitted components. With less
than a year of basket prices there is no run-up to fit: the v1 reading is kept and a note
says why, so a fresh install still reports something honest. `crash_frame` and
`last_drivers` give the backtest the same reading for every day of a price file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.reading.crash_model import caution, live_model
from signals.crash.model import CrashModel
from signals.crash.reading import CrashReading, NotEnoughHistoryError, crash_reading
from signals.index import SMART_MONEY_COMPONENTS as SMART_MONEY
from signals.models import Component, IndexReading, Signal

BENCHMARK = "SPY"
CREDIT = ("HYG", "LQD")


def target_text(model: CrashModel) -> str:
    return f"{model.depth:.0%} drawdown within {model.horizon_months} months"


def v2_reading(
    v1: IndexReading,
    closes: pd.DataFrame,
    config: Config,
    *,
    now: datetime,
    previous: IndexReading | None,
    model: CrashModel | None = None,
) -> IndexReading:
    """The v2 reading of the configured basket (with `index.model`'s crash model unless
    `model` is given), or `v1` with a note when it cannot be had."""
    fitted = model or live_model(config.index.model)
    return basket_v2_reading(v1, closes, config.basket, now=now, previous=previous, model=fitted)


def basket_v2_reading(
    v1: IndexReading,
    closes: pd.DataFrame,
    tickers: Sequence[str],
    *,
    now: datetime,
    previous: IndexReading | None,
    model: CrashModel,
    name: str = "basket",
) -> IndexReading:
    """The v2 reading of any basket (the configured one, a segment), or `v1` with a note."""
    basket = [t for t in tickers if t in closes and closes[t].notna().any()]
    if not basket:
        return v1
    # Unfitted beside the probability: the news labels and the smart-money components
    # (no history to fit them on; docs/smart-money.md).
    news = [_signal(c) for c in v1.components if c.kind == "news" or c.name in SMART_MONEY]
    try:
        crash = crash_reading(
            closes[basket],
            benchmark=closes.get(BENCHMARK),
            news=news,
            model=model,
            now=now,
            extras=closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None,
            name=name,
        )
    except NotEnoughHistoryError as e:
        return replace(v1, notes=(*v1.notes, f"index v2 not available: {e}; v1 index shown"))
    return from_crash(crash, v1, previous, model)


def from_crash(
    crash: CrashReading, v1: IndexReading, previous: IndexReading | None, model: CrashModel
) -> IndexReading:
    components = tuple(
        Component(
            name=c.name,
            kind="news" if c.axis == "news" and c.name not in SMART_MONEY else "market",
            value=c.value,
            weight=c.weight,
            contribution=c.contribution,
            detail=c.detail,
            unfitted=c.unfitted,
        )
        for c in crash.components
    )
    missing = [f"{name} (no value, counted as its historical mean)" for name in crash.missing]
    notes = [n for n in v1.notes if not n.startswith(("moved most", "bursting"))]
    news = sum(1 for c in components if c.unfitted)
    target = target_text(model)
    comparable = previous is not None and previous.target in (None, target)
    if previous is not None and not comparable:
        notes.append(
            f"crash model changed since the last reading ({previous.target} -> {target}): "
            "no change computed"
        )
    notes.append(
        f"regime from froth {crash.froth:.0f} and stress {crash.stress:.0f}; index = 100 x "
        f"probability + {news} unfitted components (0.04 per point from neutral 50)"
    )
    return replace(
        v1,
        index=crash.index,
        regime=crash.regime,
        change=crash.index - previous.index if previous is not None and comparable else None,
        components=components,
        stale=tuple(dict.fromkeys([*v1.stale, *missing])),
        notes=tuple(notes),
        probability=crash.probability,
        base_rate=crash.base_rate,
        froth=crash.froth,
        stress=crash.stress,
        drivers=crash.drivers,
        target=target,
        validated=model.holdout is not None and model.holdout.passed,
        caution=caution(model),
    )


def _signal(component: Component) -> Signal:
    return Signal(
        component.name, component.kind, component.value, component.detail, component.coverage
    )


def crash_frame(
    closes: pd.DataFrame, basket: Sequence[str], news: pd.DataFrame | None, model: CrashModel
) -> pd.DataFrame:
    """Index v2 for every day (signals.crash.history): probability, froth, stress,
    regime_v2, index_v2, with the live crash model."""
    from signals.crash.history import crash_history

    return crash_history(
        closes[list(basket)],
        benchmark=closes.get(BENCHMARK),
        model=model,
        extras=closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None,
        news=news,
    )


def last_drivers(closes: pd.DataFrame, basket: Sequence[str], model: CrashModel) -> tuple[str, ...]:
    """The v2 drivers of the last day (none with under a year of prices)."""
    day = pd.Timestamp(closes.index[-1]).date()
    try:
        reading = crash_reading(
            closes[list(basket)],
            benchmark=closes.get(BENCHMARK),
            news=[],
            model=model,
            now=datetime.combine(day, time(23, 59), UTC),
        )
    except NotEnoughHistoryError:
        return ()
    return reading.drivers
