"""The bubble-risk index: a weighted mean of the component Signals, with its explanation.

Every component is 0-100 (higher = more risk). The index is the weighted mean over the
components that have a value; the weight of a missing or stale component is spread
proportionally over the others (each effective weight is w_i / sum of present w_j), so the
effective weights sum to 1 and the contributions value_i * weight_i sum to the index.
A missing component is still listed (value None, weight 0) and named in `stale`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Final

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


def combine(
    signals: Sequence[Signal],
    weights: Mapping[str, float],
    *,
    as_of: datetime,
    previous: IndexReading | None,
    stale: Sequence[str] = (),
    drawdown: Drawdown | None = None,
    recent_high: float | None = None,
) -> IndexReading:
    """Combine component signals into one explained reading.

    `weights` are the configured (unnormalised) weights; a component without a weight
    counts 0 and is noted. `stale` names stale inputs (tickers or components); a component
    named there is treated as missing. `drawdown` (the basket's fall from its 52-week
    high) decides whether a high reading is "bursting"; without it the band stands.
    `recent_high` is the highest stored index since the basket's peak (see signals.regime).
    Raises NoComponentsError when no component has a value.
    """
    by_name = {s.name: s for s in signals}
    names = list(dict.fromkeys([*weights, *by_name]))
    stale_set = set(stale)
    present = {
        n: float(weights.get(n, 0.0))
        for n in names
        if n in by_name and by_name[n].value is not None and n not in stale_set
    }
    total = sum(w for w in present.values() if w > 0)
    if total <= 0:
        raise NoComponentsError(
            "no component has a value with a positive weight; collect prices or headlines first"
        )
    components = tuple(_component(n, by_name.get(n), present, total) for n in names)
    index = sum(c.contribution for c in components)
    missing = [c.name for c in components if c.value is None]
    return IndexReading(
        as_of=as_of,
        index=index,
        regime=regime(index, drawdown, recent_high=recent_high),
        change=None if previous is None else index - previous.index,
        components=components,
        top_headlines=_top_headlines(components, by_name),
        stale=tuple(dict.fromkeys([*missing, *(s for s in stale if s not in names)])),
        notes=_notes(components, by_name, weights, previous, stale, index, drawdown, recent_high),
    )


def _component(
    name: str, signal: Signal | None, present: Mapping[str, float], total: float
) -> Component:
    kind = signal.kind if signal is not None else _kind(name)
    if name not in present:
        detail = signal.detail if signal is not None else "no input"
        if signal is not None and signal.value is not None:
            detail = f"stale, not used ({signal.detail})"
        coverage = signal.coverage if signal is not None else 0.0
        return Component(name, kind, None, 0.0, 0.0, detail, coverage)
    assert signal is not None and signal.value is not None
    value = min(100.0, max(0.0, float(signal.value)))
    weight = max(present[name], 0.0) / total
    return Component(name, kind, value, weight, value * weight, signal.detail, signal.coverage)


def _kind(name: str) -> ComponentKind:
    return "news" if name in NEWS_COMPONENTS else "market"


def _top_headlines(
    components: Sequence[Component], by_name: Mapping[str, Signal]
) -> tuple[HeadlineRef, ...]:
    """Headlines behind the news components, round-robin from the largest contribution."""
    ranked = sorted(
        (c for c in components if c.kind == "news" and c.value is not None and c.weight > 0),
        key=lambda c: -c.contribution,
    )
    queues = [list(by_name[c.name].headlines) for c in ranked if c.name in by_name]
    chosen: dict[str, HeadlineRef] = {}
    while len(chosen) < TOP_HEADLINES and any(queues):
        for queue in queues:
            if queue and len(chosen) < TOP_HEADLINES:
                ref = queue.pop(0)
                chosen.setdefault(ref.url or ref.title, ref)
    return tuple(chosen.values())


def movers(
    components: Sequence[Component], previous: IndexReading | None
) -> list[tuple[str, float]]:
    """(name, change in contribution in index points) for the components that moved most."""
    if previous is None:
        return []
    before = {c.name: c.contribution for c in previous.components}
    deltas = [(c.name, c.contribution - before.get(c.name, 0.0)) for c in components]
    deltas = [d for d in deltas if abs(d[1]) >= 0.05]
    return sorted(deltas, key=lambda d: -abs(d[1]))[:TOP_MOVERS]


def _notes(
    components: Sequence[Component],
    by_name: Mapping[str, Signal],
    weights: Mapping[str, float],
    previous: IndexReading | None,
    stale: Sequence[str],
    index: float,
    drawdown: Drawdown | None,
    recent_high: float | None,
) -> tuple[str, ...]:
    notes: list[str] = []
    used = {c.kind for c in components if c.value is not None}
    if "market" not in used:
        notes.append("no market data: the index comes from the news components alone")
    if "news" not in used:
        notes.append("no news data: the index comes from the market components alone")
    missing = [c.name for c in components if c.value is None]
    if missing:
        notes.append(f"missing or stale, weight spread over the rest: {', '.join(missing)}")
    unweighted = [n for n in by_name if n not in weights]
    if unweighted:
        notes.append(f"no weight configured, not used: {', '.join(unweighted)}")
    other_stale = [s for s in stale if s not in by_name and s not in weights]
    if other_stale:
        notes.append(f"stale inputs: {', '.join(other_stale)}")
    moved = movers(components, previous)
    if moved:
        notes.append("moved most: " + ", ".join(f"{n} {d:+.1f}" for n, d in moved))
    if drawdown is not None and regime(index, drawdown, recent_high=recent_high) == BURSTING:
        peak = max(index, recent_high or index)
        notes.append(f"bursting: {drawdown.describe()}; index high since then {peak:.0f}")
    return tuple(notes)


#: Components only a store with smart-money data produces (positioning, 13F filings).
SMART_MONEY_COMPONENTS: Final[tuple[str, ...]] = ("positioning", "smart_money")


def active_weights(weights: Mapping[str, float], signals: Iterable[Signal]) -> dict[str, float]:
    """The weights without the smart-money components that produced no signal: a store that
    never collected positioning or filings does not list them as missing inputs."""
    produced = {s.name for s in signals}
    return {n: w for n, w in weights.items() if n not in SMART_MONEY_COMPONENTS or n in produced}
