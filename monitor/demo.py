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

from monitor.config import Config
from signals.models import Headline, PriceBar

if TYPE_CHECKING:
    from monitor.app import App

DEMO_END: Final = date(2026, 10, 30)
DEMO_NOW: Final = datetime.combine(DEMO_END, time(21, 30), tzinfo=UTC)
DEMO_DAYS: Final = 560
DEMO_SEED: Final = 20261030
DEMO_SOURCE: Final = "demo"
HEADLINES_FILE: Final = Path(__file__).resolve().parent / "demo_data" / "headlines.jsonl"

# Phases of the simulated AI factor, in trading days from the start.
_CALM_END, _BOOM_END, _PLATEAU_END = 300, 500, 530


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
    series = {t: _basket_member(rng, factor, market) for t in config.basket}
    series.update(_benchmarks(rng, factor, market, config.benchmarks))
    bars = tuple(
        PriceBar(ticker, day, float(round(price, 4)), DEMO_SOURCE)
        for ticker, prices in series.items()
        for day, price in zip(days, prices, strict=True)
    )
    return DemoScenario(bars, load_demo_headlines(DEMO_NOW), DEMO_NOW)


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


def _basket_member(rng: np.random.Generator, factor: np.ndarray, market: np.ndarray) -> np.ndarray:
    beta = rng.uniform(0.7, 1.5)
    idio = np.cumsum(rng.normal(0, rng.uniform(0.006, 0.016), len(factor)))
    start = rng.uniform(40, 600)
    return np.asarray(start * np.exp(beta * factor + 0.5 * market + idio))


def _benchmarks(
    rng: np.random.Generator, factor: np.ndarray, market: np.ndarray, tickers: tuple[str, ...]
) -> dict[str, np.ndarray]:
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
    }
    return {name: shapes[name] for name in tickers if name in shapes}


def seed_demo_history(app: App, *, readings: int = 10) -> None:
    """Store the scenario and the readings of its last days, so the report has a history
    and a change. Safe to run twice on the same database (every write is an upsert)."""
    from monitor.demo_smart_money import seed_smart_money
    from monitor.news.stories import group_pending_stories
    from monitor.stages.index import compute_reading
    from monitor.stages.score import run_score
    from monitor.store.headlines import insert_headlines
    from monitor.store.prices import upsert_bars

    scenario = build_scenario(app.config)
    with app.store.transaction():
        upsert_bars(app.store, scenario.bars, fetched_at=scenario.now)
    insert_headlines(app.store, scenario.headlines, fetched_at=scenario.now)
    seed_smart_money(app.store, app.config.basket, scenario.now, DEMO_SEED)
    news = app.config.news
    group_pending_stories(
        app.store,
        app.embedder(),
        similarity=news.story_similarity,
        window=timedelta(hours=news.story_window_hours),
    )
    run_score(app)
    days = sorted({bar.day for bar in scenario.bars})[-readings:-1]
    for day in days:
        compute_reading(app.store, app.config, now=datetime.combine(day, time(21, 30), UTC))
