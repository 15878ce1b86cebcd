"""The dashboard names segments as the report does ("LLM", "applied AI"): its cards and
its spread line said "llm" and "applied_ai", the feeds.yaml keys, beside a headline line
that says "LLM: more fragile than 76% of industries"."""

from __future__ import annotations

import html
import re
from pathlib import Path

from starlette.testclient import TestClient
from web_helpers import NOW, app_for, payload, put_payload

from monitor.store import Store


def test_segment_cards_and_spread_use_the_reports_names(db_path: Path) -> None:
    segments = [
        {"name": "llm", "index": 20.0, "regime": "calm", "probability": 0.19, "base_rate": 0.32},
        {"name": "applied_ai", "index": 14.4, "regime": "calm", "probability": 0.14},
        {"name": "robotics_and_chips", "index": 9.0, "regime": "calm"},
    ]
    spread = {
        "a": "llm", "b": "applied_ai", "day": "2026-03-02", "horizon_days": 504,
        "runup_a": 1.83, "runup_b": 0.11, "net": 1.72, "percentile": 96.8,
    }  # fmt: skip
    with Store(db_path) as store:
        put_payload(store, payload(NOW, 20.0, segments=segments, spread=spread))
    page = html.unescape(TestClient(app_for(db_path)).get("/").text)
    cards = re.findall(r"<h3>([^<]*)</h3>", page)
    assert {"LLM", "applied AI", "robotics and chips"} <= set(cards)
    assert "llm" not in cards and "applied_ai" not in cards
    assert "LLM +183% vs applied AI +11% over 2 years: net +172 points" in page
