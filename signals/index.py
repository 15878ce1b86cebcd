"""The bubble-risk index: a weighted mean of the component Signals, with its explanation.

Every component is 0-100 (higher = more risk). The index is the weighted mean over the
components that have a value; the weight of a missing or stale component is spread
proportionally over the others (each effective weight is w_i / sum of present w_j), so the
effective weights sum to 1 and the contributions value_i * weight_i sum to the index.
A missing component is still listed (value None, weight 0) and named in `stale`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Final, Protocol, TypeVar

from signals.labels import NEWS_COMPONENTS
from signals.models import Component, ComponentKind, HeadlineRef, IndexReading, Signal
from signals.regime import BURSTING, Drawdown, regime

MARKET_COMPONENTS: Final[tuple[str, ...]] = (
    "overextension",
    "explosiveness",
    "concentration",
    "fragility",
    "credit",
)
TOP_HEADLINES: Final[int] = 5
TOP_MOVERS: Final[int] = 3


class NoComponentsError(ValueError):
    """No component has a value (and a positive weight): there is nothing to average."""


R_co = TypeVar("R_co", covariant=True)
R = TypeVar("R")


class Shape(Protocol[R_co]):
    """Builds a computed reading from its parts, in its final shape: the basket's
    IndexReading (`index_shape`) or a segment's SegmentReading (signals.segments), so
    neither is built as the other and copied. The fitted reading's parts are optional."""

    def __call__(
        self,
        *,
        index: float,
        regime: str,
        change: float | None,
        components: tuple[Component, ...],
        top_headlines: tuple[HeadlineRef, ...],
        stale: tuple[str, ...],
        notes: tuple[str, ...],
        probability: float | None = None,
        base_rate: float | None = None,
        froth: float | None = None,
        stress: float | None = None,
        drivers: tuple[str, ...] = (),
        target: str | None = None,
        validated: bool | None = None,
        caution: str | None = None,
    ) -> R_co: ...


class Earlier(Protocol):
    """The previous reading a new one is compared with: the basket's IndexReading or a
    segment's SegmentReading (whose index is None when it had no data)."""

    @property
    def index(self) -> float | None: ...

    @property
    def components(self) -> tuple[Component, ...]: ...


def index_shape(as_of: datetime) -> Shape[IndexReading]:
    """The basket's reading as of `as_of`."""
    return partial(IndexReading, as_of=as_of)


def combine(
    signals: Sequence[Signal],
    weights: Mapping[str, float],
    *,
    as_of: datetime,
    previous: IndexReading | None,
    stale: Sequence[str] = (),
    drawdown: Drawdown | None = None,
    recent_high: float | None = None,
    notes: Sequence[str] = (),
) -> IndexReading:
    """`combine_into` an IndexReading as of `as_of`."""
    return combine_into(
        index_shape(as_of),
        signals,
        weights,
        previous=previous,
        stale=stale,
        drawdown=drawdown,
        recent_high=recent_high,
        notes=notes,
    )


def combine_into(
    shape: Shape[R],
    signals: Sequence[Signal],
    weights: Mapping[str, float],
    *,
    previous: Earlier | None,
    stale: Sequence[str] = (),
    drawdown: Drawdown | None = None,
    recent_high: float | None = None,
    notes: Sequence[str] = (),
) -> R:
    """Combine component signals into one explained reading, built by `shape`.

    `weights` are the configured (unnormalised) weights; a component without a weight
    counts 0 and is noted. `stale` names stale inputs (tickers or components); a component
    named there is treated as missing. `drawdown` (the basket's fall from its 52-week
    high) decides whether a high reading is "bursting"; without it the band stands.
    `recent_high` is the highest stored index since the basket's peak (see signals.regime).
    `notes` are added after the reading's own. Raises NoComponentsError when no component
    has a value.
    """
    settled = settle(signals, weights, stale)
    present = _present(settled, weights)
    total = sum(w for w in present.values() if w > 0)
    if total <= 0:
        raise NoComponentsError(
            "no component has a value with a positive weight; collect prices or headlines first"
        )
    components = tuple(_component(s, present, total) for s in settled)
    index = sum(c.contribution for c in components)
    told = input_notes(settled, weights, stale)
    moved = movers(components, previous)
    if moved:
        told.append("moved most: " + ", ".join(f"{n} {d:+.1f}" for n, d in moved))
    if drawdown is not None and regime(index, drawdown, recent_high=recent_high) == BURSTING:
        peak = max(index, recent_high or index)
        told.append(f"bursting: {drawdown.describe()}; index high since then {peak:.0f}")
    return shape(
        index=index,
        regime=regime(index, drawdown, recent_high=recent_high),
        change=None if previous is None or previous.index is None else index - previous.index,
        components=components,
        top_headlines=top_headlines(settled, weights),
        stale=stale_names(settled, stale),
        notes=(*told, *notes),
    )


def settle(
    signals: Sequence[Signal], weights: Mapping[str, float], stale: Sequence[str] = ()
) -> tuple[Signal, ...]:
    """One signal per component, configured or produced (configured first): its value
    clipped to 0-100, or None with why (no input; stale, not used)."""
    by_name = {s.name: s for s in signals}
    stale_set = set(stale)
    return tuple(
        _settled(n, by_name.get(n), n in stale_set) for n in dict.fromkeys([*weights, *by_name])
    )


def _settled(name: str, signal: Signal | None, stale: bool) -> Signal:
    if signal is None:
        return Signal(name, component_kind(name), None, "no input", 0.0)
    if signal.value is None:
        return signal
    if stale:
        return replace(signal, value=None, detail=f"stale, not used ({signal.detail})")
    return replace(signal, value=min(100.0, max(0.0, float(signal.value))))


def _present(settled: Sequence[Signal], weights: Mapping[str, float]) -> dict[str, float]:
    """The weight of each component with a value (0 when none is configured)."""
    return {s.name: float(weights.get(s.name, 0.0)) for s in settled if s.value is not None}


def _component(signal: Signal, present: Mapping[str, float], total: float) -> Component:
    if signal.value is None:
        return Component(signal.name, signal.kind, None, 0.0, 0.0, signal.detail, signal.coverage)
    weight = max(present[signal.name], 0.0) / total
    return Component(
        signal.name,
        signal.kind,
        signal.value,
        weight,
        signal.value * weight,
        signal.detail,
        signal.coverage,
    )


def component_kind(name: str) -> ComponentKind:
    """A v1 component's kind by its name: the news labels' components, else market."""
    return "news" if name in NEWS_COMPONENTS else "market"


def top_headlines(
    settled: Sequence[Signal], weights: Mapping[str, float]
) -> tuple[HeadlineRef, ...]:
    """Headlines behind the news components, round-robin from the largest contribution."""
    present = _present(settled, weights)
    total = sum(w for w in present.values() if w > 0)
    ranked = sorted(
        (s for s in settled if s.kind == "news" and s.value is not None and present[s.name] > 0),
        key=lambda s: -((s.value or 0.0) * (max(present[s.name], 0.0) / total)),
    )
    queues = [list(s.headlines) for s in ranked]
    chosen: dict[str, HeadlineRef] = {}
    while len(chosen) < TOP_HEADLINES and any(queues):
        for queue in queues:
            if queue and len(chosen) < TOP_HEADLINES:
                ref = queue.pop(0)
                chosen.setdefault(ref.url or ref.title, ref)
    return tuple(chosen.values())


def stale_names(
    settled: Sequence[Signal], stale: Sequence[str], weights: Mapping[str, float] | None = None
) -> tuple[str, ...]:
    """The components without a value, then the stale inputs that are no component (of
    `settled`, nor configured in `weights`)."""
    names = {s.name for s in settled} | set(weights or ())
    missing = [s.name for s in settled if s.value is None]
    return tuple(dict.fromkeys([*missing, *(s for s in stale if s not in names)]))


def movers(components: Sequence[Component], previous: Earlier | None) -> list[tuple[str, float]]:
    """(name, change in contribution in index points) for the components that moved most."""
    if previous is None or previous.index is None:
        return []
    before = {c.name: c.contribution for c in previous.components}
    deltas = [(c.name, c.contribution - before.get(c.name, 0.0)) for c in components]
    deltas = [d for d in deltas if abs(d[1]) >= 0.05]
    return sorted(deltas, key=lambda d: -abs(d[1]))[:TOP_MOVERS]


def input_notes(
    settled: Sequence[Signal],
    weights: Mapping[str, float],
    stale: Sequence[str],
    *,
    market: bool = True,
) -> list[str]:
    """What the inputs lacked: a side without data (the market side only when `market`),
    components missing or stale, signals without a weight, stale inputs."""
    notes: list[str] = []
    used = {s.kind for s in settled if s.value is not None}
    if market and "market" not in used:
        notes.append("no market data: the index comes from the news components alone")
    if "news" not in used:
        # Not "no news data": a store of 66,304 headlines with none in the window said that.
        notes.append(
            "no news component has a value (no scored headlines in their windows, or too "
            "little history for a baseline): the index comes from the market components alone"
        )
    missing = [s.name for s in settled if s.value is None]
    if missing:
        notes.append(f"missing or stale, weight spread over the rest: {', '.join(missing)}")
    unweighted = [s.name for s in settled if s.name not in weights]
    if unweighted:
        notes.append(f"no weight configured, not used: {', '.join(unweighted)}")
    names = {s.name for s in settled}
    other_stale = [s for s in stale if s not in names and s not in weights]
    if other_stale:
        notes.append(f"stale inputs: {', '.join(other_stale)}")
    return notes


#: Components only a store with smart-money data produces (positioning, 13F filings).
SMART_MONEY_COMPONENTS: Final[tuple[str, ...]] = ("positioning", "smart_money")


def active_weights(weights: Mapping[str, float], signals: Iterable[Signal]) -> dict[str, float]:
    """The weights without the smart-money components that produced no signal: a store that
    never collected positioning or filings does not list them as missing inputs."""
    produced = {s.name for s in signals}
    return {n: w for n, w in weights.items() if n not in SMART_MONEY_COMPONENTS or n in produced}
