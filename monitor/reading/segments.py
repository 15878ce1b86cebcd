"""The segment stage: one reading per feeds.yaml segment, and the LLM-minus-applied-AI
spread, from what the index stage already read from the store.

The I/O side of signals.segments: it builds each segment's spec from the config, gives
each segment its attributed headlines (signals.attribution) and layoff events (the
company name matched against the same alias table), and the previous reading of the same
segment for its change. The per-segment computation itself is pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.config.segments import SegmentConfig
from monitor.store.layoffs import LayoffEvent, events_series
from signals.attribution import AliasTable, attribute, segment_view
from signals.crash.model import CrashModel
from signals.index import active_weights
from signals.models import IndexReading, SegmentReading, SpreadReading, StoredHeadline
from signals.segments import SegmentNews, SegmentSpec, segment_reading
from signals.spread import SPREAD_PAIR, spread_reading


@dataclass(frozen=True, slots=True)
class SegmentResults:
    segments: tuple[SegmentReading, ...]
    spread: SpreadReading | None


def alias_table(config: Config) -> AliasTable:
    return AliasTable.build({s.name: s.aliases for s in config.segments if s.news == "aliases"})


def spec_of(segment: SegmentConfig) -> SegmentSpec:
    members = tuple(segment.benchmark_of(t) for t in segment.symbols)
    return SegmentSpec(
        name=segment.name,
        tickers=segment.symbols,
        member_benchmarks=tuple(b for b in members if b is not None),
        benchmark=segment.benchmark,
        has_news=segment.news != "none",
    )


def compute_segments(
    config: Config,
    closes: pd.DataFrame,
    headlines: Sequence[StoredHeadline],
    events: Sequence[LayoffEvent],
    *,
    now: datetime,
    previous: IndexReading | None,
    stale: Sequence[str] = (),
    model: CrashModel | None = None,
) -> SegmentResults:
    """Every segment's reading as of `now` (closes in dollars, up to `now`), fitted with
    the live crash `model` (the headline reading's) where it can be (signals.basket)."""
    table = alias_table(config)
    attributed = attribute(headlines, {s.name: s.news for s in config.segments}, table)
    before = {s.name: s for s in previous.segments} if previous is not None else {}
    readings = tuple(
        segment_reading(
            closes,
            spec_of(segment),
            _news(segment, attributed[segment.name], headlines, events, table),
            # Smart money is read for the whole basket only: no segment lists it as missing.
            active_weights(config.index.weights, ()),
            now=now,
            previous=before.get(segment.name),
            stale=stale,
            model=model,
        )
        for segment in config.segments
    )
    return SegmentResults(readings, _spread(config, closes))


def _news(
    segment: SegmentConfig,
    mine: list[StoredHeadline],
    every: Sequence[StoredHeadline],
    events: Sequence[LayoffEvent],
    table: AliasTable,
) -> SegmentNews:
    if segment.news == "none":
        return SegmentNews()
    chosen = segment_events(segment, events, table)
    series = events_series(chosen) if chosen else None
    return SegmentNews(segment_view(every, mine), series, len(mine))


def segment_events(
    segment: SegmentConfig, events: Sequence[LayoffEvent], table: AliasTable
) -> list[LayoffEvent]:
    """The layoff events of a segment: all, none, or those whose company its aliases name."""
    if segment.news == "all":
        return list(events)
    if segment.news == "none":
        return []
    return [e for e in events if segment.name in table.matches(e.company)]


def _spread(config: Config, closes: pd.DataFrame) -> SpreadReading | None:
    by_name: Mapping[str, SegmentConfig] = {s.name: s for s in config.segments}
    a, b = SPREAD_PAIR
    if a not in by_name or b not in by_name:
        return None
    return spread_reading(closes, SPREAD_PAIR, by_name[a].symbols, by_name[b].symbols)
