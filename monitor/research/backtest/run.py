"""The backtest stage: read a price CSV (and optional headlines and layoffs), replay the index.

Prices come through the import reader (monitor.sources.csv.prices: wide or long, errors
name the line and column). Every day's components are computed from data up to that day
only: the market frame (signals.market, PSY once per series) and the news frame
(signals.news) are both causal, and nothing after --end is read into them. Data before
--start still feeds the trailing windows (200-day average, PSY, news baselines), so the
first row of a late start reads as it would have on that day.

The basket is the configured basket's tickers found in the file; when the file has none
of them, every non-benchmark column; when it has only benchmarks (say SPY alone), every
column. So a single index series is a valid input.

Headlines come from --headlines (a JSONL file, scored and grouped here) or, with
--stored-headlines, from the store: every scored headline up to --end as stored, scored
and grouped (import-headlines loads years of dated history that way, scored once).

Layoff events come from --layoffs (a layoffs.fyi export, read as import-layoffs reads it)
or, with a store, from the events imported into it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError, ModelError
from monitor.reading.crash import crash_frame, last_drivers
from monitor.reading.crash_model import live_model
from monitor.research.backtest.headlines import (
    StoryOptions,
    read_headlines_jsonl,
    score_headlines,
    stored_headlines,
)
from monitor.research.segment_backtest import in_dollars, select_segment
from monitor.sources.csv.files import write_daily_csv
from monitor.sources.csv.prices import read_price_csv
from monitor.sources.layoffs.import_csv import merge_rows, read_layoff_rows
from monitor.store import Store
from monitor.store.layoffs import LayoffEvent, events_series, load_layoff_events
from signals.backtest import Backtest, join_components, run_backtest
from signals.classifier import HeadlineClassifier
from signals.crash.model import CrashModel
from signals.index import active_weights
from signals.market import (
    CONCENTRATION_PAIRS,
    CREDIT_PAIR,
    VOLATILITY_TICKERS,
    market_component_frame,
)
from signals.models import StoredHeadline
from signals.news import news_component_frame
from signals.regime import equal_weight_index


@dataclass(frozen=True, slots=True)
class BacktestInputs:
    """What to replay: the price file, optional headlines and layoffs, the date range."""

    prices: Path
    headlines: Path | None = None
    layoffs: Path | None = None
    start: date | None = None
    end: date | None = None
    segment: str | None = None
    #: Use the scored headlines of the store (e.g. imported by import-headlines).
    stored_headlines: bool = False


@dataclass(frozen=True, slots=True)
class BacktestRun:
    """The replayed index and what went into it."""

    result: Backtest
    basket: tuple[str, ...]
    tickers: tuple[str, ...]
    basket_level: pd.Series
    headlines: int
    layoff_events: int
    absent_inputs: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    segment: str | None = None
    #: Index v2's three biggest drivers on the last day, in words.
    drivers: tuple[str, ...] = ()
    #: The crash model of the v2 columns (feeds.yaml `index.model`).
    model: CrashModel | None = None

    @property
    def frame(self) -> pd.DataFrame:
        return self.result.frame


def load_closes_csv(path: Path) -> pd.DataFrame:
    """A wide frame of closes (DatetimeIndex, one float column per ticker) from a CSV."""
    bars = read_price_csv(path).bars
    long = pd.DataFrame(
        {
            "day": pd.to_datetime([b.day for b in bars]),
            "ticker": [b.ticker for b in bars],
            "close": [b.close for b in bars],
        }
    )
    wide = long.pivot(index="day", columns="ticker", values="close").sort_index()
    wide = wide[list(dict.fromkeys(b.ticker for b in bars))].astype(float)
    wide.index.name = None
    wide.columns.name = None
    return wide


def choose_basket(columns: Sequence[str], config: Config) -> tuple[str, ...]:
    """The basket for the file's columns (see the module docstring)."""
    configured = [t for t in config.basket if t in columns]
    if configured:
        return tuple(configured)
    others = [c for c in columns if c not in config.benchmarks]
    return tuple(others or columns)


def run(
    inputs: BacktestInputs,
    config: Config,
    *,
    classifier: HeadlineClassifier | None = None,
    store: Store | None = None,
) -> BacktestRun:
    """Replay the index on every trading day of the price file within [start, end]."""
    converted = in_dollars(_until(load_closes_csv(inputs.prices), inputs), config)
    closes = converted.closes
    days = pd.DatetimeIndex(closes.index)
    basket = choose_basket([str(c) for c in closes.columns], config)
    headlines = _headlines(inputs, config, classifier, store)
    events = _layoff_events(inputs, store, days[-1].date())
    weights: Mapping[str, float] = config.index.weights
    if inputs.segment is not None:
        columns = [str(c) for c in closes.columns]
        chosen = select_segment(
            inputs.segment, config, columns, headlines, events, str(inputs.prices)
        )
        basket, headlines, events = chosen.basket, chosen.headlines, chosen.events
        weights = chosen.weights
    market = market_component_frame(closes, list(basket))
    news = _news_frame(headlines, events, days)
    components = join_components(days, market, news)
    # No smart-money history exists for past days: those components are left out, not missing.
    weights = active_weights(weights, ())
    result = run_backtest(components, weights, closes=closes, basket=basket, start=inputs.start)
    if result.frame.empty:
        asked = [
            f"from {inputs.start}" if inputs.start else "",
            f"to {inputs.end}" if inputs.end else "",
        ]
        span = " ".join(a for a in asked if a) or "to replay"
        first, last = (pd.Timestamp(d).date() for d in (closes.index.min(), closes.index.max()))
        raise InputError(
            f"{inputs.prices}: no trading days {span} (the file has {first} to {last})"
        )
    model = live_model(config.index.model)
    result = replace(result, frame=result.frame.join(crash_frame(closes, basket, news, model)))
    level = equal_weight_index(closes, list(basket))
    shown = level.reindex(result.frame.index) if level is not None else pd.Series(dtype=float)
    return BacktestRun(
        result=result,
        basket=basket,
        tickers=tuple(str(c) for c in closes.columns),
        basket_level=shown / shown.dropna().iloc[0] if shown.notna().any() else shown,
        headlines=len(headlines),
        layoff_events=len(events),
        absent_inputs=tuple(absent_inputs(closes.columns)),
        notes=(
            *_notes(result, headlines, events, absent_inputs(closes.columns)),
            *converted.notes,
        ),
        segment=inputs.segment,
        drivers=last_drivers(closes, basket, model),
        model=model,
    )


def absent_inputs(columns: Iterable[object]) -> list[str]:
    """The benchmark inputs of market components that the file lacks, by component."""
    have = {str(c) for c in columns}
    pairs = [f"{a}/{b}" for a, b in CONCENTRATION_PAIRS if a not in have or b not in have]
    absent = [f"concentration: {p}" for p in pairs]
    if not have.intersection(VOLATILITY_TICKERS):
        absent.append(f"fragility: {' or '.join(VOLATILITY_TICKERS)}")
    if not have.issuperset(CREDIT_PAIR):
        absent.append(f"credit: {'/'.join(CREDIT_PAIR)}")
    return absent


def _until(closes: pd.DataFrame, inputs: BacktestInputs) -> pd.DataFrame:
    if inputs.start and inputs.end and inputs.start > inputs.end:
        raise InputError(f"--start {inputs.start} is after --end {inputs.end}")
    if inputs.end is not None:
        closes = closes.loc[closes.index <= pd.Timestamp(inputs.end)]
    closes = closes.dropna(how="all")
    if closes.empty:
        raise InputError(f"{inputs.prices}: no closes on or before {inputs.end}")
    return closes


def _headlines(
    inputs: BacktestInputs,
    config: Config,
    classifier: HeadlineClassifier | None,
    store: Store | None,
) -> list[StoredHeadline]:
    if inputs.stored_headlines:
        if inputs.headlines is not None:
            raise InputError("give --headlines FILE or --stored-headlines, not both")
        if store is None:
            raise InputError("--stored-headlines reads the store: give --db")
        return stored_headlines(store, inputs.end)
    if inputs.headlines is None:
        return []
    raw = read_headlines_jsonl(inputs.headlines)
    if inputs.end is not None:
        raw = [h for h in raw if h.published.date() <= inputs.end]
    if not raw:
        return []
    if classifier is None:
        from monitor.reading.classifier_files import load_classifier

        try:
            classifier = load_classifier()
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot load the classifier for --headlines: {e}") from e
    options = StoryOptions(
        similarity=config.news.story_similarity,
        window=timedelta(hours=config.news.story_window_hours),
    )
    return score_headlines(raw, classifier, options)


def _layoff_events(
    inputs: BacktestInputs, store: Store | None, last_day: date
) -> list[LayoffEvent]:
    if inputs.layoffs is not None:
        events = merge_rows(read_layoff_rows(inputs.layoffs))
    elif store is not None:
        events = load_layoff_events(store)
    else:
        return []
    return [e for e in events if e.day <= last_day]


def _news_frame(
    headlines: list[StoredHeadline],
    events: list[LayoffEvent],
    days: pd.DatetimeIndex,
) -> pd.DataFrame | None:
    if not headlines and not events:
        return None
    frame = news_component_frame(
        headlines,
        start=days[0].date(),
        end=days[-1].date(),
        layoff_events=events_series(events) if events else None,
    )
    return frame


def _notes(
    result: Backtest,
    headlines: list[StoredHeadline],
    events: list[LayoffEvent],
    absent: list[str],
) -> list[str]:
    notes = []
    if absent:
        notes.append("inputs not in the price file: " + "; ".join(absent))
    if result.missing:
        notes.append("missing, weight spread over the rest: " + ", ".join(result.missing))
    partial = [
        f"{n} {share:.0%}"
        for n, share in result.coverage.items()
        if 0.0 < share < 1.0 and not math.isnan(share)
    ]
    if partial:
        notes.append("share of days with a value: " + ", ".join(partial))
    if not headlines:
        notes.append("no headlines: news components other than layoff events are missing")
    if not events:
        notes.append("no layoff events (pass --layoffs or import-layoffs into --db)")
    return notes


def write_csv(run_: BacktestRun, path: Path) -> None:
    """One row per day: date, index, regime, one column per component (empty = missing)."""
    write_daily_csv(run_.frame, path)
