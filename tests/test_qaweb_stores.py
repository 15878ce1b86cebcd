"""The dashboard on the kinds of store a user has: weekly backfilled readings, only
prices, nothing at all; through Starlette's TestClient on a real SQLite file."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

from starlette.testclient import TestClient

from monitor.store import Store
from tests.web_helpers import NOW, app_for, payload, put_payload


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_weekly_readings_say_the_1_day_change_is_a_week(store: Store, db_path: Path) -> None:
    # `backfill-readings --every week` stores Fridays: the "1 day" cell then showed the
    # same week-long move as "1 week" (-3.8 vs 2026-07-03 in both), read as a daily drop.
    for weeks in range(60, -1, -1):
        put_payload(store, payload(NOW - timedelta(weeks=weeks), 40.0 + weeks / 10))
    text = _text(TestClient(app_for(db_path)).get("/").text)
    assert "-0.1 vs 2026-02-23" in text  # the cells stay: the change and its day
    assert "The 1-day change is against the nearest earlier reading, 7 days back" in text
    assert "1-week change" not in text and "1-month change" not in text


def test_daily_readings_need_no_note(store: Store, db_path: Path) -> None:
    for days in range(40, -1, -1):
        put_payload(store, payload(NOW - timedelta(days=days), 40.0 + days / 10))
    html = TestClient(app_for(db_path)).get("/").text
    assert 'id="changes-note"' not in html


def test_component_cards_name_inputs_as_the_rest_of_the_page(store: Store, db_path: Path) -> None:
    # The cards said "Runup 2y", "Psy" and "Credit" while "What changed", the stale line
    # and the terminal say "2-year run-up", "PSY explosiveness" and "junk-bond lag"
    # (signals.wording.input_name).
    reading = payload(NOW, 40.0)
    for name in ("runup_2y", "psy", "credit", "ai_demand"):
        reading["components"].append(
            {"name": name, "kind": "market", "value": 0.5, "weight": 0.1, "contribution": 1.0}
        )
    put_payload(store, reading)
    html = TestClient(app_for(db_path)).get("/").text
    titles = re.findall(r'<span class="component-name">([^<]*)</span>', html)
    assert titles == [
        "Explosiveness", "Layoffs", "2-year run-up", "PSY explosiveness", "Junk-bond lag",
        "AI demand",
    ]  # fmt: skip


def _no_reading_card(html: str) -> str:
    card = html.split('id="no-reading"', 1)[1].split("</section>", 1)[0]
    return _text(card)


def test_an_empty_store_says_what_to_run_on_this_database(tmp_path: Path) -> None:
    # The card said "Run `bubble-monitor collect` then `bubble-monitor report`" without the
    # --db the dashboard was given: pasted, both wrote to the default store, and the page
    # stayed empty.
    from monitor.config.feeds_yaml import load_config
    from monitor.web.app import build_app
    from monitor.web.settings import dashboard_settings

    db = tmp_path / "my store.db"
    Store(db).close()
    app = build_app(dashboard_settings(db, load_config(None), token=None, clock=lambda: NOW))
    card = _no_reading_card(TestClient(app).get("/").text)
    assert f"bubble-monitor collect --db '{db}'" in card, card
    assert f"bubble-monitor report --no-collect --db '{db}'" in card, card


def test_a_store_with_prices_only_is_told_to_compute_from_them(store: Store, db_path: Path) -> None:
    # Imported prices need no `collect` (the network): the reading comes from them.
    from datetime import date

    from monitor.store.prices import upsert_bars
    from signals.models import PriceBar

    upsert_bars(store, [PriceBar("NVDA", date(2026, 3, 2), 100.0, "csv")], fetched_at=NOW)
    card = _no_reading_card(TestClient(app_for(db_path)).get("/").text)
    assert "It holds prices" in card and "bubble-monitor report --no-collect" in card, card
    assert "bubble-monitor backfill-readings --start 2023-01-01 --every week" in card
    assert "bubble-monitor collect" not in card


def test_a_reading_long_after_the_newest_headline_carries_the_stale_banner(
    store: Store, db_path: Path
) -> None:
    # The shared headlines end on 2026-04-30; the 3-year store's latest reading is from
    # 2026-07-10, its six news components empty. The banner named only the reading's age,
    # and the freshness table only the import time of each headline file ("34 min ago").
    from monitor.store.headlines import insert_headlines
    from signals.models import Headline

    old = Headline("Chipmaker cuts jobs", "https://example.invalid/a", "Wire", "import:x",
                   NOW - timedelta(days=71))  # fmt: skip
    insert_headlines(store, [old], fetched_at=NOW)
    put_payload(store, payload(NOW, 40.0))
    client = TestClient(app_for(db_path))
    reason = (
        "the latest reading has no headline in the 7 days before it: the newest stored is "
        "from 2025-12-21, 71 days before the reading"
    )
    banner = _text(client.get("/").text.split('class="banner stale"', 1)[1].split("</aside>")[0])
    assert reason in banner, banner
    assert reason in client.get("/api/health").json()["stale_reasons"]


def test_a_headline_within_the_week_needs_no_banner(store: Store, db_path: Path) -> None:
    from monitor.store.headlines import insert_headlines
    from signals.models import Headline

    fresh = Headline("Chipmaker cuts jobs", "https://example.invalid/a", "Wire", "import:x",
                     NOW - timedelta(days=6))  # fmt: skip
    insert_headlines(store, [fresh], fetched_at=NOW)
    put_payload(store, payload(NOW, 40.0))
    assert TestClient(app_for(db_path)).get("/api/health").json()["stale_reasons"] == []


def test_a_segment_without_a_reading_says_why_and_what_to_run(store: Store, db_path: Path) -> None:
    # On the shared price file applied AI has no ticker at all: its card read "n/a", "no
    # data" four times, with nothing on why (none of its nine tickers has a price) or how
    # to give it one.
    segments = [
        {"name": "llm", "index": 65.6, "regime": "bursting", "probability": 0.656,
         "tickers": ["NVDA"], "stale": []},
        {"name": "applied_ai", "index": None, "regime": "no data", "probability": None,
         "tickers": ["RXRX", "SDGR", "ABSI", "TEM"], "stale": ["RXRX", "SDGR", "ABSI"]},
    ]  # fmt: skip
    put_payload(store, payload(NOW, 40.0, segments=segments))
    html = TestClient(app_for(db_path)).get("/").text
    cards = _text(html.split('aria-labelledby="segments-title"', 1)[1].split("</section>")[0])
    applied = cards.split("applied AI", 1)[1]
    assert (
        "No reading for this segment yet: prices missing or stale for RXRX, SDGR, ABSI" in applied
    )
    assert "bubble-monitor collect prices" in applied and "import-prices" in applied
    assert "No reading for this segment" not in cards.split("applied AI", 1)[0]  # LLM has one
