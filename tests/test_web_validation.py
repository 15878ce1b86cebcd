"""The dashboard on real data: the shared 2015-2026 prices of the AI basket and the real
layoffs.fyi events, with readings computed by the real index stage at each month-end of
2024-2025. Every block renders without an error card, the gauge and the change row agree
with the stored readings, and every component with a history carries a sparkline. Skips when
../shared/data is absent."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.config.feeds_yaml import load_config
from monitor.sources.csv.prices import import_prices
from monitor.sources.layoffs.import_csv import import_layoffs
from monitor.stages.index import compute_reading
from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.settings import dashboard_settings

pytestmark = [pytest.mark.validation, pytest.mark.slow]


def _month_ends(start: date, months: int) -> list[datetime]:
    out, year, month = [], start.year, start.month
    for _ in range(months):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        last = date(year, month, 1) - timedelta(days=1)
        out.append(datetime.combine(last, time(21, 30), UTC))
    return out


def test_dashboard_on_real_prices_and_layoffs(
    shared_data: Path, store: Store, db_path: Path
) -> None:
    config = load_config(None)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    import_prices(store, shared_data / "ai_stocks_daily_adjclose_2015_2026.csv", now=now)
    import_layoffs(store, shared_data / "layoffs_fyi_2020_2026.csv")
    ends = _month_ends(date(2023, 12, 1), 24)  # 2023-12-31 .. 2025-11-30
    readings = [compute_reading(store, config, now=t) for t in ends]
    client = TestClient(
        build_app(dashboard_settings(db_path, config, token=None, clock=lambda: ends[-1]))
    )
    html = client.get("/").text
    assert "This block could not be rendered" not in html
    latest = readings[-1]
    gauge = re.search(r'id="gauge-value"[^>]*>([^<]+)<', html)
    assert gauge is not None and gauge.group(1) == f"{latest.index:.1f}"
    row = re.search(r'<table class="changes">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    # 1 day and 1 week back: the previous month-end; 1 month: 30 days back; 1 year: 365 days
    expected = [readings[-2], readings[-2], readings[-2], readings[-13]]
    assert cells == [
        f"{latest.index - r.index:+.1f} vs {r.as_of.date().isoformat()}" for r in expected
    ]
    history = client.get("/api/history").json()["points"]
    assert [p["index"] for p in history] == [round(r.index, 2) for r in readings]
    for component in latest.components:  # a card, and a sparkline where history has values
        card = html.split(f'data-component="{component.name}"')[1].split("</details>")[0]
        values = [c.value for r in readings for c in r.components if c.name == component.name]
        if sum(v is not None for v in values) >= 2:
            assert 'class="sparkline"' in card, component.name
