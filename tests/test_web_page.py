"""The page through Starlette's TestClient: every block, a reading with the v2, segment
and smart-money fields, blocks that are not available yet, a failing block rendered as an
error card beside the rest, and the security headers."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.store import Store
from monitor.store.headlines import insert_headlines
from monitor.store.scores import save_scores
from signals.models import Headline, HeadlineScore
from tests.web_helpers import NOW, app_for, daily_history, payload, put_payload


def _page(db_path: Path) -> str:
    response = TestClient(app_for(db_path)).get("/")
    assert response.status_code == 200
    return response.text


def _text(html: str) -> str:
    """The page's visible text with tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_v1_reading_renders_every_block(store: Store, db_path: Path) -> None:
    daily_history(store, 400)  # 40.0 rising 0.1 a day to 79.9; then a jump to 81.0
    put_payload(store, payload(NOW, 81.0))
    html = _page(db_path)
    text = _text(html)
    assert 'id="gauge-value"' in html and ">81.0</text>" in html
    assert '<span class="regime regime-warming">warming</span>' in html
    changes = re.search(r"Change of the index(.*?)What changed", text)
    assert changes is not None  # 1 day, 1 week, 1 month and 1 year back: 79.8, 79.2, 76.9, 43.4
    assert re.findall(r"([+-]\d+\.\d) vs (\S+)", changes.group(1)) == [
        ("+1.2", "2026-03-01"),
        ("+1.8", "2026-02-23"),
        ("+4.1", "2026-01-31"),
        ("+37.6", "2025-03-02"),
    ]
    assert "The index is up 1.2 points since 2026-03-01 22:00 UTC (79.8 → 81.0)" in text
    assert "Explosiveness added 0.6 points (value 79.8 → 81.0)" in text
    assert html.count('<details class="card component') == 2
    assert "Chipmaker cuts 900 jobs" in text and "cited by this reading" in text
    assert "A market component: computed from prices" in text
    assert "not available yet (index v2)" in text
    assert "The index runs from 0 (calm) to 100" in text and 'class="gauge-base"' not in html
    assert "Separate LLM and applied-AI readings are not available yet" in text
    assert "Not available yet: this reading carries no smart money data" in text
    assert 'class="sparkline"' in html
    assert "Stale" not in text  # the reading is from "now"
    assert "Next runs (test)" in text


def test_v2_fields_segments_and_context_render(store: Store, db_path: Path) -> None:
    segs = [
        {"name": "llm", "index": 71.0, "regime": "bubble", "probability": 0.31,
         "base_rate": 0.1, "froth": 80.0, "stress": 20.0, "components": []},
        {"name": "applied_ai", "index": 44.0, "regime": "warming", "probability": 0.12,
         "base_rate": 0.1, "froth": 40.0, "stress": 30.0, "components": []},
    ]  # fmt: skip
    extra = {
        "probability": 0.234,
        "base_rate": 0.081,
        "froth": 72.5,
        "stress": 31.0,
        "segments": segs,
        "context": {
            "smart_money": {
                "line": "ai short interest 73rd percentile",
                "events": ["Fund X reported puts on NVDA"],
                "segments": [
                    {
                        "name": "ai",
                        "positioning": {"status": "component", "detail": "18 of 18 shorted"},
                        "smart_money": {"detail": "58% puts"},
                        "names": [{"ticker": "NVDA"}] * 18,
                    }
                ],
                "notes": ["13F option values are notional"],
            },
            "model_mix": {"line": "LLMs were 31% of new models", "weeks": [{"total": 5}] * 56},
        },
        "spread": {"a": "llm", "b": "applied_ai", "net": 0.12, "percentile": 88.0},
        "target": "40% drawdown within 24m",
        "drivers": ["froth: run-up 3.1 sd", "stress: VIX spike"],
    }
    put_payload(store, payload(NOW, 55.0, **extra))
    html = _page(db_path)
    text = _text(html)
    assert html.count('class="gauge-base"') == 3  # the reading's and each segment's base rate
    assert "The index is 100 × the probability of the crash named beside it" in text
    assert "23.4%" in text and "8.1%" in text and "72.5" in text
    assert "llm" in text and "applied_ai" in text and "31.0%" in text
    assert "not available yet" not in text.split("Segments")[1].split("Components")[0]
    assert "ai short interest 73rd percentile" in text and "Fund X reported puts" in text
    assert "segments: AI positioning 18 of 18 shorted" in text
    assert "segments: AI smart money 58% puts" in text
    assert "13F option values are notional" in text
    assert "LLMs were 31% of new models" in text and "weeks" not in text
    assert "percentile 88" in text
    assert "Crash probability (40% drawdown within 24m)" in text
    assert "Drivers: froth: run-up 3.1 sd; stress: VIX spike." in text
    assert "Index model: index v2 (the shipped crash model)" in text


def test_a_v3_reading_names_index_v3(store: Store, db_path: Path) -> None:
    relative = {"text": "LLM: more fragile than 90% of industries; market 30%", "units": []}
    put_payload(
        store,
        payload(NOW, 20.0, probability=0.2, base_rate=0.16, context={"relative": relative}),
    )
    text = _text(_page(db_path))
    assert "LLM: more fragile than 90% of industries; market 30%" in text
    assert "Index model: index v3 (the shipped crash model)" in text


def test_a_simulated_reading_opens_the_page_with_the_demo_banner(
    store: Store, db_path: Path
) -> None:
    put_payload(store, payload(NOW, 20.0, context={"simulated": True}))
    html = _page(db_path)
    banner = html.index('id="simulated-banner"')
    assert banner < html.index('id="reading-title"')
    assert "SIMULATED DEMO: prices and headlines are a bundled scenario" in _text(html)


def test_a_real_reading_has_no_demo_banner(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 20.0, context={"simulated": False}))
    assert 'id="simulated-banner"' not in _page(db_path)


def test_a_tiny_move_reads_as_unchanged(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW - timedelta(days=1), 32.23))
    put_payload(store, payload(NOW, 32.2))
    text = _text(_page(db_path))
    assert "The index is unchanged at 32.2 since 2026-03-01 22:00 UTC." in text
    assert "+0.0 vs 2026-03-01" in text and "-0.0" not in text


def test_missing_component_and_unfitted_are_marked(store: Store, db_path: Path) -> None:
    data = payload(NOW, 50.0)
    data["components"][0].update(value=None, contribution=0.0, detail="no price data")
    data["components"][1]["unfitted"] = True
    data["notes"] = ["bursting: basket 28% below its 52-week high"]
    put_payload(store, data)
    text = _text(_page(db_path))
    assert "missing" in text and "no price data" in text and "unfitted" in text
    assert "bursting: basket 28% below its 52-week high" in text


def test_a_failing_block_is_an_error_card_and_the_rest_renders(store: Store, db_path: Path) -> None:
    daily_history(store, 5)
    insert_headlines(
        store, [Headline("Cuts", "https://a.invalid/x", "Wire", "f", NOW)], fetched_at=NOW
    )
    save_scores(store, [(1, HeadlineScore("layoffs", 0.9, {}, "m"))], scored_at=NOW)
    # A hostile row: a publication time that is not a time breaks the headline read.
    with store.transaction() as conn:
        conn.execute("UPDATE headlines SET published = '2026-03-02T21:garbage' WHERE id = 1")
    html = _page(db_path)
    text = _text(html)
    assert 'role="alert" aria-label="Components failed"' in html
    assert "This block could not be rendered" in text and "ValueError" in text
    assert 'id="gauge-value"' in html and "What changed" in text and "Freshness" in text


def test_an_empty_database_says_what_to_run(store: Store, db_path: Path) -> None:
    text = _text(_page(db_path))
    assert "no index reading is stored in this database" in text
    assert "Stale: no reading is stored yet" in text


def test_an_old_reading_raises_the_banner_and_stale_inputs_are_named(
    store: Store, db_path: Path
) -> None:
    put_payload(store, payload(NOW - timedelta(days=4), 50.0, stale=["NVDA", "AMD"]))
    text = _text(_page(db_path))
    assert "Stale: the latest reading is from 2026-02-26 22:00 UTC (4 days ago)." in text
    assert "Stale or without a value: prices: 2 tickers stale: NVDA, AMD." in text


def test_freshness_lists_sources_and_failing_feeds(store: Store, db_path: Path) -> None:
    from monitor.store.feeds import record_feed_failure, record_feed_success

    put_payload(store, payload(NOW, 50.0))
    record_feed_success(store, "gnews", "https://n.invalid/rss", now=NOW - timedelta(hours=2),
                        etag=None, last_modified=None, items=3)  # fmt: skip
    record_feed_failure(store, "deadfeed", "https://d.invalid/rss", now=NOW, error="HTTP 503")
    text = _text(_page(db_path))
    assert "feed gnews" in text and "2 h ago" in text
    assert "feed deadfeed" in text and "1 failure(s) in a row: HTTP 503" in text
    assert "Stale: failing: feed deadfeed." in text


def test_html_is_escaped(store: Store, db_path: Path) -> None:
    data = payload(NOW, 50.0)
    data["components"][0]["detail"] = "<script>alert(1)</script>"
    data["top_headlines"][0]["title"] = "<img src=x onerror=alert(1)>"
    put_payload(store, data)
    html = _page(db_path)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("path", ["/", "/method", "/api/reading", "/static/app.js", "/nowhere"])
def test_security_headers_on_every_response(store: Store, db_path: Path, path: str) -> None:
    put_payload(store, payload(NOW, 50.0))
    response = TestClient(app_for(db_path)).get(path)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_style_or_foreign_url(store: Store, db_path: Path) -> None:
    daily_history(store, 30)
    html = _page(db_path) + TestClient(app_for(db_path)).get("/method").text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"\sstyle=", html) is None and "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    foreign = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert all(url.startswith("https://example.invalid/") for url in foreign)  # headline links


def test_the_method_page_describes_the_model_that_ships(store: Store, db_path: Path) -> None:
    """It described index v2 (a model fitted on AI stocks, regimes from froth and stress)
    long after v3 shipped; its figures must be the shipped model's."""
    from monitor.reading.crash_model import load_model

    text = " ".join(TestClient(app_for(db_path)).get("/method").text.split())
    model = load_model(6)
    assert "Kenneth French&#39;s 10 daily industry portfolios (1926–2009)" in text
    assert model.source.startswith("ff10_industry_daily_1926_2009.csv + ff30")
    (check,) = model.frozen_checks
    assert f"calibration slope {check['calibration_slope']:.2f}" in text
    assert "Regimes follow the probability p against the base rate b" in text
    assert "fitted on the daily closes of the AI stocks" not in text
    # The dashboard's own "How to read this" says the v3 regime rule, not v2's percentiles.
    put_payload(store, payload(NOW, 23.4, "frothy", probability=0.234, base_rate=0.081))
    page = " ".join(_page(db_path).split())
    assert "calm below the base rate, warming below 1.5 times it" in page
    assert "warming when froth is above its median" not in page
