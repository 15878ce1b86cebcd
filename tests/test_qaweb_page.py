"""Defects qaweb found using the dashboard on real stores, each through Starlette's
TestClient on a real SQLite file."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path

from starlette.testclient import TestClient

from monitor.store import Store
from monitor.store.prices import upsert_bars
from signals.models import PriceBar
from tests.web_helpers import NOW, app_for, payload, put_payload


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _block(text: str, title: str) -> str:
    """The visible text from a block's title up to the next block's title."""
    after = text.split(f" {title} ", 1)[1]
    return re.split(r" (?:Smart money|Model mix|Segment spread|Fundamentals|Freshness) ", after)[0]


def test_a_model_mix_with_no_weeks_is_not_available_rather_than_a_bare_label(
    store: Store, db_path: Path
) -> None:
    # The real AI price file's reading (no Hub data collected) stores
    # {"line": null, "weeks": []}: the card said only "weeks", with nothing beside it.
    put_payload(store, payload(NOW, 40.0, model_mix={"line": None, "weeks": []}))
    text = _text(TestClient(app_for(db_path)).get("/").text)
    mix = _block(text, "Model mix")
    assert "not available yet" in mix.lower(), mix
    assert "weeks" not in mix


def test_missing_values_in_the_segment_spread_read_n_a_not_python_none(
    store: Store, db_path: Path
) -> None:
    # The real AI price file has no applied-AI run-up yet: runup_b, net and percentile are
    # null, and the card printed Python's "None" three times.
    spread = {"a": "llm", "b": "applied_ai", "day": "2026-07-13", "horizon_days": 504,
              "runup_a": 1.586, "runup_b": None, "net": None, "percentile": None}  # fmt: skip
    put_payload(store, payload(NOW, 40.0, spread=spread))
    text = _text(TestClient(app_for(db_path)).get("/").text)
    block = _block(text, "Segment spread")
    assert "None" not in block, block
    assert "LLM minus applied AI: no 2-year run-up yet (needs 504 sessions of both)" in block


def _bars(store: Store, last: date, source: str = "csv") -> None:
    days = [last - timedelta(days=n) for n in range(5)]
    upsert_bars(store, [PriceBar("NVDA", d, 100.0, source) for d in days], fetched_at=NOW)


def test_a_reading_made_today_from_months_old_prices_carries_the_stale_banner(
    store: Store, db_path: Path
) -> None:
    # import-prices of the shared AI file (it ends 2026-07-13) then `report --no-collect`
    # in December: the reading is dated today, so the page had no stale banner and
    # /api/health said "stale": false, though every number came from July's prices.
    _bars(store, date(2026, 1, 2))
    put_payload(store, payload(NOW, 40.0), computed_at=NOW)
    client = TestClient(app_for(db_path))
    banner = re.search(r'class="banner stale".*?</aside>', client.get("/").text, re.S)
    assert banner is not None
    expected = "uses prices that end on 2026-01-02, 59 days before the reading"
    assert expected in _text(banner.group(0))
    health = client.get("/api/health").json()
    assert health["stale"] is True
    assert health["stale_reasons"] == [
        "the latest reading uses prices that end on 2026-01-02, 59 days before the reading"
    ]


def test_prices_from_the_last_session_before_a_long_weekend_are_not_stale(
    store: Store, db_path: Path
) -> None:
    # NOW is Monday 2026-03-02 22:00 UTC; a Thursday close (a Friday holiday) is 4 days old.
    _bars(store, date(2026, 2, 26), source="yfinance")
    put_payload(store, payload(NOW, 40.0), computed_at=NOW)
    client = TestClient(app_for(db_path))
    assert 'class="banner stale"' not in client.get("/").text
    assert client.get("/api/health").json()["stale"] is False


def test_an_empty_store_explains_the_index_it_will_get_not_the_superseded_v1(
    store: Store, db_path: Path
) -> None:
    # A new user's first page (no reading yet) explained the index as v1's weighted mean of
    # components with fixed bands; the first `report` makes a v3 reading, read otherwise.
    text = _text(TestClient(app_for(db_path)).get("/").text)
    about = text.split("How to read this", 1)[1]
    assert "The index is 100 × the probability of the crash" in about
    assert "weighted mean of market components" not in about


def test_the_summary_lines_and_notes_of_context_blocks_are_shown_whole(
    store: Store, db_path: Path
) -> None:
    # The demo's smart-money line (309 characters) lost its latest 13F event, the
    # fundamentals line its last two companies and period, and the 13F timing note ended
    # in "twice-monthly s…": sentences written for people were cut at 160 characters.
    line = (
        "llm short interest 95/100 against own history; llm 13F puts 58% of the listed "
        "funds' notional at 2026-06-30 (2 funds); applied_ai short interest 96/100 against "
        "own history; latest 13F: Simulated Short Capital (demo) reported puts on 5,000,000 "
        "PLTR shares, notional $912.1M, in its 13F for 2026-06-30 (+5 more)"
    )
    note = (
        "13F: counted from its filing date, up to 45 days after quarter end; short "
        "interest: counted from its publication, 7 US business days after each "
        "twice-monthly settlement"
    )
    smart = {"line": line, "notes": [note]}
    put_payload(store, payload(NOW, 40.0, context={"smart_money": smart}))
    text = _text(TestClient(app_for(db_path)).get("/").text)
    assert line in text and note in text


def test_the_segment_spread_reads_as_the_terminal_says_it(store: Store, db_path: Path) -> None:
    # The demo's card listed "a llm, b applied_ai, runup a 1.83, runup b 0.109, net 1.72,
    # percentile 96.8": raw fractions under one-letter labels, where `report` says
    # "LLM +183% vs applied AI +11% over 2 years: net +172 points, 97th percentile".
    spread = {"a": "llm", "b": "applied_ai", "day": "2026-10-30", "horizon_days": 504,
              "runup_a": 1.8299, "runup_b": 0.1087, "net": 1.7212, "percentile": 96.84}  # fmt: skip
    put_payload(store, payload(NOW, 40.0, spread=spread))
    block = _block(_text(TestClient(app_for(db_path)).get("/").text), "Segment spread")
    assert (
        "LLM +183% vs applied AI +11% over 2 years: net +172 points, 97th percentile of its past"
        in block
    ), block
    assert "runup a" not in block and "1.83" not in block
