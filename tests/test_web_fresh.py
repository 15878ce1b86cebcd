"""The page while the news warms up: the newest headlines are shown, and said to be so."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from starlette.testclient import TestClient

from monitor.store import Store
from monitor.store.headlines import insert_headlines
from signals.models import Headline
from signals.wording import FRESH_TITLE
from tests.web_helpers import NOW, app_for, payload, put_payload


def test_fresh_headlines_show_when_the_reading_cites_none(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 40.0, top_headlines=[]))
    insert_headlines(
        store,
        [Headline("Nvidia backs OpenAI with $100bn", "https://n.invalid/1", "Wire", "w", NOW)],
        fetched_at=NOW,
    )
    html = TestClient(app_for(db_path)).get("/").text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert FRESH_TITLE in text
    assert "Nvidia backs OpenAI with $100bn" in text and "not yet scored" in text


def test_no_fresh_block_when_the_reading_cites_headlines(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 40.0))
    insert_headlines(
        store,
        [Headline("Other news", "https://n.invalid/2", "Wire", "w", NOW - timedelta(hours=1))],
        fetched_at=NOW,
    )
    html = TestClient(app_for(db_path)).get("/").text
    assert FRESH_TITLE not in html
