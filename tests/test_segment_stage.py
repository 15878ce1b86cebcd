"""The index stage with segments, on a real SQLite store: per-segment readings, attributed
news, a Tokyo listing in dollars, the stored round trip, and readings from before segments."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from monitor.config.feeds_yaml import Config
from monitor.stages.index import compute_reading
from monitor.store import Store
from monitor.store.headlines import insert_headlines
from monitor.store.prices import upsert_bars
from monitor.store.readings import latest_reading
from monitor.store.scores import save_scores
from signals.models import Headline, HeadlineScore, PriceBar

NOW = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
DAYS = pd.bdate_range(end=NOW.date(), periods=600)
CONFIG = Config.model_validate(
    {
        "benchmarks": ["SPY", "XBI"],
        "segments": [
            {
                "name": "llm",
                "benchmark": "SPY",
                "aliases": ["Vantor", "SoftBank"],
                "tickers": {"AAA": "GPU maker", "9984.T": "SoftBank, in JPY"},
            },
            {
                "name": "applied_ai",
                "benchmark": "SPY",
                "aliases": ["drug discovery"],
                "tickers": {"BBB": {"reason": "drug discovery", "benchmark": "XBI"}},
            },
            {"name": "market", "news": "none", "in_index": False, "tickers": {"SPY": "S&P"}},
        ],
    }
)


def _fill(store: Store) -> None:
    rng = np.random.default_rng(3)
    usd = {
        "AAA": 100 * np.exp(np.cumsum(rng.normal(0.003, 0.02, len(DAYS)))),
        "BBB": 40 * np.exp(np.cumsum(rng.normal(0.0, 0.02, len(DAYS)))),
        "SPY": 400 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, len(DAYS)))),
        "XBI": 90 * np.exp(np.cumsum(rng.normal(0.0, 0.01, len(DAYS)))),
        "JPY=X": 150 * np.exp(np.cumsum(rng.normal(0.0, 0.004, len(DAYS)))),
    }
    usd["9984.T"] = 60 * np.exp(np.cumsum(rng.normal(0.002, 0.02, len(DAYS)))) * usd["JPY=X"]
    bars = [
        PriceBar(t, d.date(), float(v))
        for t, series in usd.items()
        for i, (d, v) in enumerate(zip(DAYS, series, strict=True))
        if not (t == "9984.T" and i == len(DAYS) - 3)  # a Tokyo holiday
    ]
    upsert_bars(store, bars, fetched_at=NOW)
    titles = [
        "Vantor lifts its data center forecast",
        "SoftBank sells bonds to fund its OpenAI stake",
        "AI drug discovery start-up signs pharma deal",
        "Vantorian poetry prize announced",  # not Vantor: a whole word only
        "Oil prices rise",
    ]
    items = [
        Headline(t, f"https://n.example/{i}", "Reuters", "f", NOW - timedelta(days=i + 1))
        for i, t in enumerate(titles)
    ]
    ids = insert_headlines(store, items, fetched_at=NOW)
    score = HeadlineScore("capex_debt", 0.9, {"capex_debt": 0.9}, "test")
    save_scores(store, [(i, score) for i in ids], scored_at=NOW)


def test_every_segment_gets_its_own_reading(store: Store) -> None:
    _fill(store)
    reading = compute_reading(store, CONFIG, now=NOW)
    segments = {s.name: s for s in reading.segments}
    assert list(segments) == ["llm", "applied_ai", "market"]
    assert segments["llm"].headlines == 2
    assert segments["applied_ai"].headlines == 1
    assert segments["market"].headlines == 0
    assert all(c.kind == "market" for c in segments["market"].components)
    assert segments["llm"].tickers == ("AAA", "9984.T")
    for s in reading.segments:
        assert s.index is not None and 0 <= s.index <= 100, s.name
        assert sum(c.contribution for c in s.components) == pytest.approx(s.index)
    assert segments["applied_ai"].runup_net is not None
    assert reading.spread is not None and (reading.spread.a, reading.spread.b) == (
        "llm",
        "applied_ai",
    )
    assert reading.spread.net == pytest.approx(
        (reading.spread.runup_a or 0) - (reading.spread.runup_b or 0)
    )


def test_segments_survive_the_store_and_give_a_change(store: Store) -> None:
    _fill(store)
    first = compute_reading(store, CONFIG, now=NOW)
    assert latest_reading(store) == first
    later = compute_reading(store, CONFIG, now=NOW + timedelta(hours=1))
    llm_before = first.segments[0].index
    assert later.segments[0].change == pytest.approx(later.segments[0].index - llm_before)


def test_tokyo_closes_are_in_dollars(store: Store) -> None:
    """Flat in dollars while the yen halves: in yen it ran up 100%, in dollars not at all."""
    yen = 150 * np.exp(np.linspace(0, np.log(2), len(DAYS)))
    bars = [PriceBar("SPY", d.date(), 400.0 + i) for i, d in enumerate(DAYS)]
    bars += [PriceBar("JPY=X", d.date(), float(r)) for d, r in zip(DAYS, yen, strict=True)]
    bars += [PriceBar("9984.T", d.date(), float(60 * r)) for d, r in zip(DAYS, yen, strict=True)]
    upsert_bars(store, bars, fetched_at=NOW)
    config = Config.model_validate(
        {"segments": [{"name": "tokyo", "news": "none", "tickers": {"9984.T": "SoftBank"}}]}
    )
    (tokyo,) = compute_reading(store, config, now=NOW).segments
    assert tokyo.runup == pytest.approx(0.0, abs=1e-9)


def test_a_reading_stored_before_segments_still_loads(store: Store) -> None:
    payload = {
        "as_of": NOW.isoformat(),
        "index": 40.0,
        "regime": "warming",
        "change": None,
        "components": [],
        "top_headlines": [],
        "stale": [],
        "notes": [],
    }
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (NOW.isoformat(), 40.0, "warming", json.dumps(payload), NOW.isoformat()),
        )
    old = latest_reading(store)
    assert old is not None and old.segments == () and old.spread is None


def test_segments_get_the_fitted_reading_when_a_year_of_prices_exists(store: Store) -> None:
    _fill(store)
    reading = compute_reading(store, CONFIG, now=NOW)
    for s in reading.segments:
        assert s.probability is not None and 0 < s.probability < 1, s.name
        assert s.base_rate is not None and s.froth is not None and s.stress is not None
        assert s.index == pytest.approx(sum(c.contribution for c in s.components))


def test_a_young_segment_keeps_v1_and_says_why(store: Store) -> None:
    """Under a year of prices: no run-up to fit, so the v1 reading stands, with a note."""
    young = [
        PriceBar(t, d.date(), 100.0 + i)
        for t in ("AAA", "BBB", "SPY", "XBI", "JPY=X")
        for i, d in enumerate(DAYS[-150:])
    ]
    young += [PriceBar("9984.T", d.date(), 9000.0 + i) for i, d in enumerate(DAYS[-150:])]
    upsert_bars(store, young, fetched_at=NOW)
    reading = compute_reading(store, CONFIG, now=NOW)
    llm = reading.segments[0]
    assert llm.probability is None and llm.index is not None
    assert any(n.startswith("index v2 not available: llm: less than a year") for n in llm.notes)
