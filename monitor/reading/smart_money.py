"""Smart money and model mix as of a reading: read the store, compute with signals/, explain.

Per segment: the `positioning` component (short interest against each name's own
history) and the `smart_money` component (the listed funds' puts vs longs from their
13Fs, a component once two years of quarters exist, context before that); the recent
13F events in words; the model-mix line. Until feeds.yaml has `segments:`, the basket
is the one segment, named `ai`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from monitor.config.feeds_yaml import Config
from monitor.store import Store
from monitor.store.filings import load_filings
from monitor.store.model_mix import load_weeks
from monitor.store.positioning import short_interest_history
from signals.crash.relative import display_name
from signals.model_mix import WeekMix, mix_line
from signals.models import Signal
from signals.positioning import NamePositioning, name_positioning, positioning_signal
from signals.thirteenf import (
    FundQuarter,
    QuarterPositioning,
    effective_holdings,
    filing_events,
    quarterly_positioning,
    smart_money_signal,
)

#: 13F events older than this (by filing date) are history, not news.
EVENT_DAYS: Final = 200
MAX_EVENTS: Final = 8


def segment_baskets(config: Config) -> dict[str, tuple[str, ...]]:
    """Segment name -> its tickers: feeds.yaml `segments:` where the config has them (each
    SegmentConfig's `symbols`), else the basket as the one segment `ai`."""
    segments = getattr(config, "segments", ())  # read by name: segments land separately
    found = {str(s.name): tuple(str(t) for t in s.symbols) for s in segments}
    return found or {"ai": tuple(config.basket)}


@dataclass(frozen=True, slots=True)
class SegmentSmartMoney:
    segment: str
    positioning: Signal
    names: tuple[NamePositioning, ...]
    smart_money: Signal
    quarters: tuple[QuarterPositioning, ...]


@dataclass(frozen=True, slots=True)
class SmartMoneyView:
    as_of: datetime
    segments: tuple[SegmentSmartMoney, ...]
    events: tuple[str, ...]
    model_weeks: tuple[WeekMix, ...]

    @property
    def model_line(self) -> str | None:
        return mix_line(self.model_weeks)

    @property
    def line(self) -> str | None:
        """The one `smart_money` line of the report and of Slack."""
        parts = [p for s in self.segments for p in _segment_parts(s)]
        if self.events:
            more = f" (+{len(self.events) - 1} more)" if len(self.events) > 1 else ""
            parts.append(f"latest 13F: {self.events[0]}{more}")
        return "; ".join(parts) or None

    def reading_signals(self) -> list[Signal]:
        """The components of the one reading: the main segment's, with a value. One
        without (no data, or too little history) stays context in the smart-money section,
        so a store that never collected it does not list it as a missing input."""
        by_name = {s.segment: s for s in self.segments}
        # The single basket `ai`; with feeds.yaml segments, `llm`, the thesis's bubble.
        main = by_name.get("ai") or by_name.get("llm") or next(iter(by_name.values()), None)
        if main is None:
            return []
        return [s for s in (main.positioning, main.smart_money) if s.value is not None]

    @property
    def empty(self) -> bool:
        return not (self.line or self.model_weeks)


def _segment_parts(s: SegmentSmartMoney) -> list[str]:
    name = display_name(s.segment)  # "LLM", "applied AI": as every other line names them
    parts = []
    if s.positioning.value is not None:
        parts.append(f"{name} short interest {s.positioning.value:.0f}/100 against own history")
    elif s.names:
        parts.append(f"{name} short interest stored for {len(s.names)} names, history building")
    latest = s.quarters[-1] if s.quarters else None
    if latest is not None and latest.put_share is not None:
        parts.append(
            f"{name} 13F puts {100 * latest.put_share:.0f}% of the listed funds' notional "
            f"at {latest.period} ({latest.funds} funds)"
        )
    return parts


def smart_money_view(store: Store, config: Config, *, now: datetime) -> SmartMoneyView:
    today = now.date()
    baskets = segment_baskets(config)
    every = sorted({t for tickers in baskets.values() for t in tickers})
    history = short_interest_history(store, every, until=today)
    quarters = effective_holdings(load_filings(store, until=today, mapped_only=True))
    segments = []
    for name, tickers in baskets.items():
        per_quarter = quarterly_positioning(quarters, tickers)
        shown = display_name(name)  # the details read "LLM: ...", not "llm: ..."
        segments.append(
            SegmentSmartMoney(
                name,
                positioning_signal(history, tickers, segment=shown),
                tuple(p for t in tickers if (p := name_positioning(history[t])) is not None),
                smart_money_signal(per_quarter, segment=shown),
                tuple(per_quarter),
            )
        )
    events = _recent_events(quarters, set(every), today)
    return SmartMoneyView(now, tuple(segments), events, tuple(load_weeks(store, until=today)))


def _recent_events(quarters: list[FundQuarter], tickers: set[str], today: date) -> tuple[str, ...]:
    since = today - timedelta(days=EVENT_DAYS)
    recent = [q for q in quarters if max(f.filed for f in q.filings) >= since]
    recent.sort(key=lambda q: max(f.filed for f in q.filings), reverse=True)
    events = [e for q in recent for e in filing_events(q, tickers)]
    puts_first = sorted(events, key=lambda e: " puts on " not in e)  # stable: bets on a fall first
    return tuple(puts_first[:MAX_EVENTS])
