"""Shared pieces of the web tests: readings written as raw payloads (so a test can give a
reading the fields newer index versions add) and an app over a database file."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.store import Store
from monitor.web.app import WebSettings, build_app
from monitor.web.health import ServiceMetrics
from monitor.web.next_runs import NextRun
from monitor.web.page import PageSettings

NOW = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)


def payload(as_of: datetime, index: float, regime: str = "warming", **extra: Any) -> dict[str, Any]:
    """A reading payload in the report --json shape, two components, one cited headline."""
    return {
        "as_of": as_of.isoformat(),
        "index": index,
        "regime": regime,
        "change": None,
        "components": [
            {"name": "explosiveness", "kind": "market", "value": index, "weight": 0.5,
             "contribution": index / 2, "detail": "3 of 9 tickers explosive", "coverage": 1.0},
            {"name": "layoffs", "kind": "news", "value": 40.0 + index / 10, "weight": 0.5,
             "contribution": 20.0 + index / 20, "detail": "2.0 weighted stories in 7 d",
             "coverage": 1.0},
        ],
        "top_headlines": [
            {"title": "Chipmaker cuts 900 jobs", "url": "https://example.invalid/cuts",
             "source": "Wire", "label": "layoffs", "confidence": 0.91,
             "published": (as_of - timedelta(days=1)).isoformat(), "sources": 2},
        ],
        "stale": [],
        "notes": [],
        **extra,
    }  # fmt: skip


def put_payload(store: Store, data: dict[str, Any], computed_at: datetime | None = None) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (as_of) DO UPDATE SET payload = excluded.payload",
            (
                data["as_of"],
                data["index"],
                data["regime"],
                json.dumps(data),
                (computed_at or datetime.fromisoformat(data["as_of"])).isoformat(),
            ),
        )


def daily_history(store: Store, days: int, end: datetime = NOW, **extra: Any) -> None:
    """One reading a day for `days` days up to `end`, index rising 0.1 a day from 40."""
    for n in range(days):
        as_of = end - timedelta(days=days - 1 - n)
        put_payload(store, payload(as_of, 40.0 + n * 0.1, **extra))


def settings(
    db: Path | str,
    *,
    token: str | None = None,
    clock: Callable[[], datetime] = lambda: NOW,
    healthy: bool = True,
) -> WebSettings:
    def next_runs(store: Store, now: datetime) -> list[NextRun]:
        return [NextRun("index", "every 1h", now + timedelta(minutes=30))]

    page = PageSettings(next_runs, "(test)", "dashboard")
    metrics = ServiceMetrics()
    return WebSettings(
        db,
        page,
        lambda: (healthy, {"status": "ok" if healthy else "failing", "jobs": {}}),
        metrics.render,
        clock,
        token,
    )


def app_for(db: Path | str, **kwargs: Any) -> Any:
    return build_app(settings(db, **kwargs))
