"""The index stage: score new headlines, compute and save a reading, then send alerts.

`run_index` reads what it needs once (closes, headlines, the readings history) and hands
the same lists to the index and to the alert policy.

Idempotent: the reading is dated by its data (monitor.stages.as_of: the newest close,
headline or reading, never the clock alone) and keyed by that date, so running the stage
again on the same data replaces its row instead of adding one. Nothing is filled in: a
ticker without a fresh close is named stale, a component without inputs is named missing
and its weight is spread over the others (signals.index.combine).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import ModelError, NoReadingError
from monitor.present.smart_money_json import view_to_dict
from monitor.reading import fundamentals as fundamentals_part
from monitor.reading.circular import circular_context
from monitor.reading.crash_model import live_model
from monitor.reading.fx import usd_closes
from monitor.reading.segments import compute_segments
from monitor.reading.smart_money import SmartMoneyView, smart_money_view
from monitor.reading.v3 import v3_context
from monitor.stages.as_of import data_as_of
from monitor.store import Store
from monitor.store.headlines import list_headlines
from monitor.store.layoffs import (
    LayoffEvent,
    count_layoff_events,
    events_series,
    load_layoff_events,
)
from monitor.store.prices import DEMO_SOURCE, has_bars_from, load_closes, stale_tickers
from monitor.store.readings import latest_reading, readings_between, save_reading
from signals.basket import basket_reading, closes_fitted
from signals.crash.model import CrashModel
from signals.index import NoComponentsError, active_weights, index_shape
from signals.market import market_signals
from signals.models import Alert, IndexReading, Signal, StoredHeadline
from signals.news import NewsParams, news_signals
from signals.regime import Drawdown, basket_drawdown

if TYPE_CHECKING:
    from monitor.app import App

log = logging.getLogger(__name__)
#: Readings the alert policy and its chart look back on (alerts.CHART_DAYS >= LOOKBACK).
HISTORY_DAYS = 90


@dataclass(frozen=True, slots=True)
class StoredInputs:
    """What the index and the alert policy read from the store, read once per run.

    `headlines`: published since the news window's start (newest first, future-dated
    included); `readings`: stored readings since the history the index needs, strictly
    before now."""

    headlines: list[StoredHeadline]
    readings: list[IndexReading]


@dataclass(frozen=True, slots=True)
class IndexResult:
    """One index run: the reading stored and the alerts delivered (none when not sent)."""

    reading: IndexReading
    alerts: tuple[Alert, ...] = ()
    scored: int = 0
    #: What went out incomplete (a chart not uploaded), for the job log.
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        r = self.reading
        return {
            "index": round(r.index, 2),
            "regime": r.regime,
            "stale": len(r.stale),
            "alerts": [a.kind for a in self.alerts],
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


def run_index(app: App, *, send: bool = True) -> IndexResult:
    """Score new headlines, compute and store the reading, then decide and send alerts."""
    from monitor.stages.alerts import dispatch
    from monitor.stages.score import run_score

    warnings: list[str] = []
    try:
        scored = run_score(app).scored
    except (ImportError, OSError, RuntimeError, ModelError) as e:
        # The classifier's model cannot load (package missing, weights unreadable): the
        # market reading does not need it, and the headlines scored before still count.
        scored = 0
        warnings.append(
            f"headlines not scored ({type(e).__name__}: {e}); the reading uses those scored before"
        )
        log.warning("%s", warnings[-1])
    now = app.clock()
    # Dated by its data: after a failed or empty collection the clock names a moment
    # whose prices the reading never saw. The alerts still run on the clock (digest time).
    as_of = data_as_of(app.store, now)
    inputs: list[StoredInputs] = []
    reading = compute_reading(app.store, app.config, now=as_of, keep=inputs.append, computed_at=now)
    alerts: list[Alert] = []
    if send:
        alerts = dispatch(
            app.store,
            app.config,
            reading,
            app.notifier,
            now=now,
            history=inputs[0].readings,
            headlines=inputs[0].headlines,
            on_warning=warnings.append,
        )
    return IndexResult(reading, tuple(alerts), scored, tuple(warnings))


def compute_reading(
    store: Store,
    config: Config,
    *,
    now: datetime,
    keep: Callable[[StoredInputs], object] | None = None,
    crash_model: Callable[[str], CrashModel] = live_model,
    computed_at: datetime | None = None,
) -> IndexReading:
    """Compute the reading as of `now`, save it (replacing one of the same as_of; stamped
    `computed_at`, default `now`). `keep` gets what was read, for the alert stage. `crash_model`
    reads `index.model`'s model; when it cannot, the reading has no probability (notes say why)."""
    converted = usd_closes(_closes(store, config, now), config)
    closes = converted.closes
    has_prices = bool(closes.notna().to_numpy().any())
    drawdown = basket_drawdown(closes, config.basket) if has_prices else None
    inputs = read_inputs(store, now, drawdown)
    if keep is not None:
        keep(inputs)
    events = load_layoff_events(store, until=now.date()) if count_layoff_events(store) else []
    known = [h for h in inputs.headlines if h.headline.published <= now]
    view = smart_money_view(store, config, now=now)
    stale = stale_tickers(store, config, now=now) if has_prices else []
    previous = _previous(store, inputs.readings, now)
    model, unavailable = _model(crash_model, config) if has_prices else (None, ())
    unfitted = _unfitted(known, events, view, now)
    try:
        reading = basket_reading(
            index_shape(now),
            unfitted,
            active_weights(config.index.weights, unfitted),
            previous=previous,
            model=model,
            fitted=None
            if model is None
            else closes_fitted(closes, config.basket, model, now=now, name="basket"),
            market=lambda: market_signals(closes, list(config.basket)) if has_prices else [],
            stale=stale,
            drawdown=drawdown,
            recent_high=_high_since_peak(inputs.readings, drawdown),
        )
    except NoComponentsError as e:
        raise _no_reading(store, config, now) from e
    segments = compute_segments(
        config, closes, known, events, now=now, previous=previous, stale=stale, model=model
    )
    # Index v3: relative fragility and bubble evidence ride in the context (stored with it).
    v3 = v3_context(reading, segments.segments, model) if model is not None else {}
    reading = replace(  # the basket's reading with what is beside it, in one step
        reading,
        segments=segments.segments,
        spread=segments.spread,
        notes=_with_stale_note(
            (*reading.notes, *converted.notes, *unavailable),
            _stale_note(store, config, stale, now),
        ),
        context={**_context(store, config, view, now), **v3},
    )
    save_reading(store, reading, computed_at=computed_at or now)
    return reading


def _unfitted(
    known: list[StoredHeadline],
    events: list[LayoffEvent],
    view: SmartMoneyView,
    now: datetime,
) -> list[Signal]:
    """The news and smart-money signals of the reading (unfitted beside the probability;
    the market ones are signals.basket's to compute, and only for a v1 reading)."""
    series = events_series(events) if events else None
    return [*news_signals(known, now=now, layoff_events=series), *view.reading_signals()]


def _no_reading(store: Store, config: Config, now: datetime) -> NoReadingError:
    """No component has a value: the error names what is missing from the store."""
    from monitor.reading.missing import missing_inputs

    missing = missing_inputs(store, config, now) or (
        "no component has a value; run `bubble-monitor collect` (or `report --demo`)",
    )
    return NoReadingError(
        f"{store.location}: no reading can be computed: {'; '.join(missing)}", missing
    )


def _model(
    crash_model: Callable[[str], CrashModel], config: Config
) -> tuple[CrashModel | None, tuple[str, ...]]:
    """The live crash model, or None and a note naming the file and why it was not used."""
    try:
        return crash_model(config.index.model), ()
    except ModelError as e:
        log.warning("crash model not used: %s", e)
        return None, (f"crash model not used, no probability in this reading: {e}",)


def _stale_note(store: Store, config: Config, stale: Sequence[str], now: datetime) -> list[str]:
    """Stale tickers as one line with their date, for every channel (signals.stale)."""
    if not stale:
        return []
    from monitor.store.prices import ticker_freshness
    from signals.stale import prices_note

    days = config.prices.stale_after_days
    fresh = ticker_freshness(store, stale, now=now, stale_after_days=days)
    note = prices_note(stale, config.tickers, {f.ticker: f.last_day for f in fresh})
    return [] if note is None else [note]


def _with_stale_note(notes: Sequence[str], stale: list[str]) -> tuple[str, ...]:
    """The notes with the grouped prices line in place of the ticker-by-ticker one."""
    if not stale:
        return tuple(notes)
    return (*(n for n in notes if not n.startswith("stale inputs: ")), *stale)


def _context(store: Store, config: Config, view: SmartMoneyView, now: datetime) -> dict[str, Any]:
    """The reading's context: smart money, model mix, fundamentals from the filings
    (docs/fundamentals.md) and, once deals are stored, the circular deals
    (docs/circular-deals.md); context, not in the index. `simulated` when any stored
    close is the demo's."""
    context = view_to_dict(view)
    if has_bars_from(store, DEMO_SOURCE):  # `report --no-collect` or `serve` on a demo store
        context["simulated"] = True
    context["fundamentals"] = fundamentals_part.reading_part(store, config, now=now)
    circular = circular_context(store, now=now)
    if circular is not None:
        context["circular"] = circular
    return context


def _closes(store: Store, config: Config, now: datetime) -> pd.DataFrame:
    # All stored history: the components rank today against their own past, and a live
    # reading must rank against the same past as the backtest does.
    closes = load_closes(store, config.tickers)
    # Never look past `now`: a re-computed past reading sees what was known then.
    return closes.loc[closes.index <= pd.Timestamp(now.date())]


def read_inputs(store: Store, now: datetime, drawdown: Drawdown | None) -> StoredInputs:
    """Headlines of the news window and readings of the alert window (reaching back to the
    basket's peak when a drawdown is fresh), each read from the store once."""
    params = NewsParams()
    window = params.long_days + params.baseline_days + 10
    headlines = list_headlines(store, since=now - timedelta(days=window))
    since = now - timedelta(days=HISTORY_DAYS)
    if drawdown is not None and drawdown.fresh:
        since = min(since, datetime.combine(drawdown.peak_day, time(), UTC))
    readings = [r for r in readings_between(store, since, now) if r.as_of < now]
    return StoredInputs(headlines, readings)


def _previous(store: Store, readings: Sequence[IndexReading], now: datetime) -> IndexReading | None:
    """The last reading before now; the store is asked only when none is in the window."""
    return readings[-1] if readings else latest_reading(store, before=now)


def _high_since_peak(readings: Sequence[IndexReading], drawdown: Drawdown | None) -> float | None:
    """The highest stored index since the basket's 52-week high (for "bursting")."""
    if drawdown is None or not drawdown.fresh:
        return None
    start = datetime.combine(drawdown.peak_day, time(), UTC)
    return max((r.index for r in readings if r.as_of >= start), default=None)
