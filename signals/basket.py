"""One basket's reading, built once in its final shape.

With a fitted crash model and a year of the basket's prices, the reading is index v2/v3
(signals.crash.reading): the fitted probability, its base rate, froth and stress, with
the news and smart-money components riding along unfitted. Without a model or with too
little history it is index v1 (signals.index.combine, the weighted mean of the market,
news and smart-money components); a note says why when the model was there. The market
components of v1 are computed only on that path: the fitted reading has its own.

The live stage (the configured basket), every segment (signals.segments) and the demo
history call `basket_reading`, so each reading is made one way. Pure: signals, prices,
the model and `now` come in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Final

import pandas as pd

from signals.crash.frozen_checks import check_caution
from signals.crash.model import CrashModel
from signals.crash.reading import CrashReading, NotEnoughHistoryError, crash_reading
from signals.index import (
    SMART_MONEY_COMPONENTS,
    Earlier,
    R,
    Shape,
    combine_into,
    input_notes,
    settle,
    stale_names,
    top_headlines,
)
from signals.models import Component, IndexReading, Signal
from signals.regime import Drawdown

BENCHMARK: Final = "SPY"
CREDIT: Final = ("HYG", "LQD")
#: The fitted reading of a basket given its unfitted signals (NotEnoughHistoryError
#: under a year of prices).
Fitted = Callable[[Sequence[Signal]], CrashReading]


def target_text(model: CrashModel) -> str:
    return f"{model.depth:.0%} drawdown within {model.horizon_months} months"


def caution(model: CrashModel, probability: float | None = None) -> str | None:
    """Why a reading from `model` should not be read alone: a missing or failed
    pre-committed hold-out, else what a frozen check on units it never saw found at this
    probability (signals.crash.frozen_checks); None when both passed."""
    months = model.horizon_months
    holdout = model.holdout
    if holdout is None:
        return (
            f"the {months}-month crash model has no pre-committed hold-out: its probability "
            "is not validated out of sample; read it with the base rate, not alone"
        )
    if holdout.passed:
        return check_caution(model.frozen_checks, probability, target_text(model))
    return (
        f"the {months}-month crash model failed its pre-committed hold-out, "
        f"{holdout.verdict()} ({holdout.summary()}); read the probability with the base "
        "rate, not alone"
    )


def closes_fitted(
    closes: pd.DataFrame, tickers: Sequence[str], model: CrashModel, *, now: datetime, name: str
) -> Fitted | None:
    """The fitted reading of `tickers` in `closes` (SPY the benchmark, HYG/LQD for
    credit); None when none of them has a price."""
    basket = [t for t in tickers if t in closes and closes[t].notna().any()]
    if not basket:
        return None
    extras = closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None

    def fitted(news: Sequence[Signal]) -> CrashReading:
        return crash_reading(
            closes[basket],
            benchmark=closes.get(BENCHMARK),
            news=news,
            model=model,
            now=now,
            extras=extras,
            name=name,
        )

    return fitted


def basket_reading(
    shape: Shape[R],
    unfitted: Sequence[Signal],
    weights: Mapping[str, float],
    *,
    previous: Earlier | None,
    model: CrashModel | None,
    fitted: Fitted | None,
    market: Callable[[], Sequence[Signal]],
    stale: Sequence[str] = (),
    drawdown: Drawdown | None = None,
    recent_high: float | None = None,
) -> R:
    """The reading of one basket, built once by `shape` (the basket's IndexReading as of
    `now`: signals.index.index_shape; a segment's SegmentReading): fitted when `model`
    and `fitted` give one, else v1 over `market()` and `unfitted` (raises
    NoComponentsError when nothing has a value). `unfitted` are the news and smart-money
    signals, `stale` the stale inputs."""
    notes: tuple[str, ...] = ()
    if model is not None and fitted is not None:
        settled = tuple(
            s
            for s in settle(unfitted, weights, stale)
            if s.kind == "news" or s.name in SMART_MONEY_COMPONENTS
        )
        try:
            crash = fitted(settled)
        except NotEnoughHistoryError as e:
            notes = (f"index v2 not available: {e}; v1 index shown",)
        else:
            return _fitted_reading(shape, crash, settled, weights, stale, previous, model)
    return combine_into(
        shape,
        [*market(), *unfitted],
        weights,
        previous=previous,
        stale=stale,
        drawdown=drawdown,
        recent_high=recent_high,
        notes=notes,
    )


def _fitted_reading(
    shape: Shape[R],
    crash: CrashReading,
    settled: Sequence[Signal],
    weights: Mapping[str, float],
    stale: Sequence[str],
    previous: Earlier | None,
    model: CrashModel,
) -> R:
    components = tuple(
        Component(
            name=c.name,
            kind="news" if c.axis == "news" and c.name not in SMART_MONEY_COMPONENTS else "market",
            value=c.value,
            weight=c.weight,
            contribution=c.contribution,
            detail=c.detail,
            unfitted=c.unfitted,
        )
        for c in crash.components
    )
    missing = [f"{name} (no value, counted as its historical mean)" for name in crash.missing]
    target = target_text(model)
    before = None if previous is None else previous.index
    # A segment's reading records no target of its own: it compares like with like.
    was = previous.target if isinstance(previous, IndexReading) else None
    comparable = was in (None, target)
    notes = input_notes(settled, weights, stale, market=False)
    if before is not None and not comparable:
        notes.append(
            f"crash model changed since the last reading ({was} -> {target}): no change computed"
        )
    news = sum(1 for c in components if c.unfitted)
    notes.append(
        f"regime from the probability against the base rate of units as volatile (froth "
        f"{crash.froth:.0f}, stress {crash.stress:.0f} as context); index = 100 x "
        f"probability + {news} unfitted components (0.04 per point from neutral 50)"
    )
    return shape(
        index=crash.index,
        # regime_v3 of this probability and base rate: it never contradicts them.
        regime=crash.regime,
        change=crash.index - before if before is not None and comparable else None,
        components=components,
        top_headlines=top_headlines(settled, weights),
        stale=tuple(dict.fromkeys([*stale_names(settled, stale, weights), *missing])),
        notes=tuple(notes),
        probability=crash.probability,
        base_rate=crash.base_rate,
        froth=crash.froth,
        stress=crash.stress,
        drivers=crash.drivers,
        target=target,
        validated=model.holdout is not None and model.holdout.passed,
        caution=caution(model, crash.probability),
    )
