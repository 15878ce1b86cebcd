"""The bundled demo scenario: SIMULATED prices and team-written headlines.

A seeded simulation of the basket and benchmarks with a planted explosive episode, a
plateau and a drawdown, plus headlines dated across the scenario. The demo stores them
and then runs the same stages as live data (score, index, alerts), only without the
network. Nothing here is real market data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from monitor.config.feeds_yaml import Config
from monitor.store.prices import DEMO_SOURCE
from signals.currency import USD, fx_ticker
from signals.models import Headline, PriceBar

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.store import Store

DEMO_END: Final = date(2026, 10, 30)
DEMO_NOW: Final = datetime.combine(DEMO_END, time(21, 30), tzinfo=UTC)
#: Sessions simulated: a long calm past (so the demo's history spans three years), then
#: the planted boom, plateau and drawdown of its last 260 sessions.
DEMO_DAYS: Final = 820
DEMO_SEED: Final = 20261030
HEADLINES_FILE: Final = Path(__file__).resolve().parent / "demo_data" / "headlines.jsonl"

#: Segments simulated on the steady factor (the rest follow the AI boom and bust).
STEADY_SEGMENTS: Final = frozenset({"applied_ai"})
#: Units of each currency per dollar at the start of the scenario.
FX_LEVELS: Final[dict[str, float]] = {"JPY": 150.0, "EUR": 0.92, "GBp": 0.79, "HKD": 7.8}
#: The scenario's fictional companies, by the segment their headlines belong to.
DEMO_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "llm": (
        "Northwind AI",
        "Vantor",
        "Cobalt Cloud",
        "Helix Compute",
        "Quarry Data Centers",
        "Tamsin Labs",
        "Pinecrest Power",
        "Aurora-2",
    ),
    "applied_ai": (
        "Helixir Bio",
        "Ferrum Vision",
        "Lattice Materials",
        "Tidewell Diagnostics",
        "Solace Robotics",
    ),
}

# Phases of the simulated AI factor, in trading days from the start.
_CALM_END, _BOOM_END, _PLATEAU_END = 560, 760, 790


@dataclass(frozen=True)
class DemoScenario:
    bars: tuple[PriceBar, ...]
    headlines: tuple[Headline, ...]
    now: datetime


def build_scenario(config: Config, seed: int = DEMO_SEED) -> DemoScenario:
    days = _business_days(DEMO_END, DEMO_DAYS)
    rng = np.random.default_rng(seed)
    factor = _ai_factor(rng, len(days))
    market = np.cumsum(rng.normal(0.0003, 0.007, len(days)))
    factors = {"ai": factor, "steady": _steady_factor(rng, len(days))}
    series = {t: _basket_member(rng, factors[kind], market) for t, kind in _members(config)}
    series.update(_benchmarks(rng, factors, market, config.benchmarks))
    closed = _foreign_holidays(rng, len(days))
    bars = tuple(
        PriceBar(ticker, day, float(round(price, 4)), DEMO_SOURCE)
        for ticker, prices in _in_listing_currency(rng, series, config).items()
        for i, (day, price) in enumerate(zip(days, prices, strict=True))
        if not (i in closed and config.currencies.get(ticker, USD) != USD)
    )
    return DemoScenario(bars, load_demo_headlines(DEMO_NOW), DEMO_NOW)


def demo_config(config: Config) -> Config:
    """The config with the demo's fictional companies added to the segments' aliases, so
    the scenario's headlines are attributed as real ones would be."""
    segments = tuple(
        segment.model_copy(
            update={"aliases": (*segment.aliases, *DEMO_ALIASES.get(segment.name, ()))}
        )
        for segment in config.segments
    )
    return config.model_copy(update={"segments": segments})


def _members(config: Config) -> list[tuple[str, str]]:
    """(ticker, factor) for every non-benchmark ticker: applied AI steady, the rest AI."""
    kinds: dict[str, str] = {}
    for segment in config.segments:
        kind = "steady" if segment.name in STEADY_SEGMENTS else "ai"
        for ticker in segment.symbols:
            kinds.setdefault(ticker, kind)
    for ticker in config.basket:
        kinds.setdefault(ticker, "ai")
    return [(t, k) for t, k in kinds.items() if t not in config.benchmarks]


def _in_listing_currency(
    rng: np.random.Generator, series: dict[str, np.ndarray], config: Config
) -> dict[str, np.ndarray]:
    """Non-USD members quoted in their currency, with the FX series (`JPY=X`) they need."""
    out = dict(series)
    n = len(next(iter(series.values())))
    for currency in sorted({c for c in config.currencies.values() if c != USD}):
        symbol = fx_ticker(currency)
        if symbol is None:
            continue
        out[symbol] = FX_LEVELS.get(currency, 1.0) * np.exp(np.cumsum(rng.normal(0, 0.004, n)))
        for ticker, listed in config.currencies.items():
            if listed == currency and ticker in out:
                out[ticker] = out[ticker] * out[symbol]
    return out


def _foreign_holidays(rng: np.random.Generator, n: int) -> set[int]:
    """Days the foreign exchanges are shut while New York trades (never the last day)."""
    return {int(i) for i in rng.choice(np.arange(n - 1), size=8, replace=False)}


def load_demo_headlines(end: datetime, path: Path = HEADLINES_FILE) -> tuple[Headline, ...]:
    """The team-written demo headlines, dated `days_before_end` before `end`."""
    out = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            # Spread same-day items over the day so their order is stable and plausible.
            published = end - timedelta(days=int(row["days_before_end"]), minutes=7 * number)
            out.append(
                Headline(
                    title=row["title"],
                    url=row["url"],
                    source=row["source"],
                    feed="demo",
                    published=published,
                )
            )
    return tuple(out)


def _business_days(end: date, count: int) -> list[date]:
    days: list[date] = []
    day = end
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def _ai_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    """Log level of the common AI factor: calm drift, explosive run-up, plateau, drawdown."""
    level = np.zeros(n)
    bubble = 0.08
    for t in range(1, n):
        if t < _CALM_END:
            step = 0.0005 + rng.normal(0, 0.011)
        elif t < _BOOM_END:
            # Explosive: the excess over trend grows by a fixed ratio each day (PSY's rho > 1).
            grown = bubble * 1.013
            step = grown - bubble + rng.normal(0, 0.009)
            bubble = grown
        elif t < _PLATEAU_END:
            step = rng.normal(0, 0.018)
        else:
            step = -0.009 + rng.normal(0, 0.026)
        level[t] = level[t - 1] + step
    return level


def _steady_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    """Log level of applied AI: steady growth and ordinary noise, no explosive phase."""
    return np.cumsum(0.0002 + rng.normal(0, 0.009, n))


def _basket_member(rng: np.random.Generator, factor: np.ndarray, market: np.ndarray) -> np.ndarray:
    beta = rng.uniform(0.7, 1.5)
    idio = np.cumsum(rng.normal(0, rng.uniform(0.006, 0.016), len(factor)))
    start = rng.uniform(40, 600)
    return np.asarray(start * np.exp(beta * factor + 0.5 * market + idio))


def _benchmarks(
    rng: np.random.Generator,
    factors: dict[str, np.ndarray],
    market: np.ndarray,
    tickers: tuple[str, ...],
) -> dict[str, np.ndarray]:
    factor, steady = factors["ai"], factors["steady"]
    n = len(factor)
    t = np.arange(n)
    stress = np.clip((t - (_PLATEAU_END - 20)) / 40, 0, 1)  # credit and vol stress at the end
    noise = {name: np.cumsum(rng.normal(0, 0.002, n)) for name in ("eq", "cr", "rt")}
    shapes: dict[str, np.ndarray] = {
        "SPY": 450 * np.exp(0.45 * factor + market + noise["eq"]),
        "RSP": 160 * np.exp(0.12 * factor + market + noise["eq"]),
        "QQQ": 380 * np.exp(0.7 * factor + market + noise["eq"]),
        "QQQE": 85 * np.exp(0.3 * factor + market + noise["eq"]),
        "SOXX": 210 * np.exp(1.2 * factor + 0.5 * market + noise["eq"]),
        "SMH": 230 * np.exp(1.2 * factor + 0.5 * market + noise["eq"]),
        "HYG": 78 * np.exp(0.00005 * t - 0.06 * stress + 0.2 * market + noise["cr"]),
        "LQD": 108 * np.exp(0.00003 * t + noise["cr"] + noise["rt"]),
        "TLT": 92 * np.exp(noise["rt"] + 0.03 * stress),
        "^VIX": 14 + 2 * np.abs(rng.normal(0, 1, n)) + 16 * stress,
        "XBI": 90 * np.exp(0.3 * steady + market + noise["eq"]),
        "IHI": 55 * np.exp(0.2 * steady + market + noise["eq"]),
        "XLI": 130 * np.exp(0.1 * steady + market + noise["eq"]),
        "IGV": 95 * np.exp(0.3 * factor + market + noise["eq"]),
    }
    return {name: shapes[name] for name in tickers if name in shapes}


def refuse_collected_data(store: Store) -> None:
    """InputError when `store` holds prices or headlines that are not the demo's: the
    scenario's upserts would overwrite real closes and mix simulated readings into a real
    history (`report --demo --db monitor.db`)."""
    from monitor.errors import InputError
    from monitor.store.headlines import count_not_from_feed
    from monitor.store.prices import count_bars_not_from

    bars, headlines = count_bars_not_from(store, DEMO_SOURCE), count_not_from_feed(store, "demo")
    if bars or headlines:
        raise InputError(
            f"{store.location} holds collected data ({bars:,} prices and {headlines:,} headlines "
            "not from the demo), which the simulated scenario would overwrite or mix with; "
            "give --demo a new file, e.g. --db demo.db"
        )


def seed_demo_history(app: App, cache: Path | None = None) -> int:
    """Store the scenario and a reading for every session before its last day (each
    marked simulated), so the report has a change and the dashboard years of history;
    the readings come from the file cache in folder `cache` when it holds them for these
    inputs (monitor.ops.demo_cache). Returns the number of readings stored. Safe to run
    twice on the same database (every write is an upsert)."""
    from monitor.ops.demo_cache import seed_history
    from monitor.ops.demo_deals import seed_demo_deals
    from monitor.ops.demo_embeddings import preload
    from monitor.ops.demo_fundamentals import seed_fundamentals
    from monitor.ops.demo_smart_money import seed_smart_money
    from monitor.reading.crash_model import live_model
    from monitor.reading.fx import usd_closes
    from monitor.sources.news.stories import group_pending_stories
    from monitor.stages.score import run_score
    from monitor.store.headlines import insert_headlines, list_headlines
    from monitor.store.prices import load_closes, upsert_bars

    scenario = build_scenario(app.config)
    with app.store.transaction():
        upsert_bars(app.store, scenario.bars, fetched_at=scenario.now)
    insert_headlines(app.store, scenario.headlines, fetched_at=scenario.now)
    preload(app.store, app.classifier().embedder.model_id)
    seed_smart_money(app.store, app.config.basket, scenario.now, DEMO_SEED)
    seed_demo_deals(app.store, scenario.now)
    seed_fundamentals(app.store, app.config.fundamentals.hyperscalers, scenario.now)
    news = app.config.news
    group_pending_stories(
        app.store,
        app.embedder(),
        similarity=news.story_similarity,
        window=timedelta(hours=news.story_window_hours),
    )
    run_score(app)
    return seed_history(
        app.store,
        app.config,
        usd_closes(load_closes(app.store, app.config.tickers), app.config).closes,
        list_headlines(app.store),
        model=live_model(app.config.index.model),
        until=scenario.now,
        cache=cache,
    )
