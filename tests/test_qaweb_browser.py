"""Defects qaweb found in the real browser (Debian's Chromium through Playwright), on small
stores built with the test helpers; kept fast (one browser for the module)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.server import WebServer
from tests.browser import PAINTED_PIXELS
from tests.web_helpers import NOW, payload, put_payload, settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def url(db_path: Path) -> Iterator[str]:
    """The dashboard on the test's database (each request reads it afresh, so readings put
    after the start are served)."""
    server = WebServer(build_app(settings(db_path)), "127.0.0.1", 0)
    server.start()
    yield server.url
    server.stop()


def _open(chromium: Any, url: str, width: int = 1280, timezone: str = "UTC") -> Any:
    viewport = {"width": width, "height": 900}
    page = chromium.new_context(viewport=viewport, timezone_id=timezone).new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("#history-chart[data-ready]", timeout=15_000)
    page.errors = errors
    return page


def test_the_first_reading_shows_on_the_history_chart(
    chromium: Any, store: Store, url: str
) -> None:
    # After the first `report` the chart was an empty frame: uPlot got an x range of zero
    # width (min == max == the one reading), drew no point and no time axis.
    put_payload(store, payload(NOW, 42.0))
    page = _open(chromium, url)
    low = int(page.get_attribute("#history-chart", "data-range-min") or 0)
    high = int(page.get_attribute("#history-chart", "data-range-max") or 0)
    when = int(NOW.timestamp())
    assert low < when < high, (low, when, high)
    assert page.text_content("#history-status") == "Showing 2026-03-01 to 2026-03-03."
    assert page.evaluate(PAINTED_PIXELS) > 2_000  # the regime band and the point
    assert page.errors == []


def test_chart_times_are_utc_as_on_the_rest_of_the_page(
    chromium: Any, store: Store, url: str
) -> None:
    # The page dates every reading in UTC, but the chart's axis and hover legend used the
    # browser's time zone: in Tokyo the reading of 2026-03-02 22:00 UTC read "2026-03-03
    # 7:00am", a day later than the same reading in the hero.
    for days in (2, 1, 0):
        put_payload(store, payload(NOW - timedelta(days=days), 40.0 + days))
    page = _open(chromium, url, timezone="Asia/Tokyo")
    page.locator("#history-chart").scroll_into_view_if_needed()
    box = page.locator("#history-chart .u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2)
    legend = ""
    for _ in range(50):  # the CSP blocks wait_for_function: poll from here
        legend = page.text_content("#history-chart .u-legend") or ""
        if "--" not in legend:
            break
        time.sleep(0.1)
    assert "2026-03-02" in legend and "2026-03-03" not in legend, legend
    assert "UTC" in legend, legend
    assert page.errors == []


def test_a_range_longer_than_the_history_shows_the_history_not_empty_years(
    chromium: Any, store: Store, url: str
) -> None:
    # On the demo (two years of readings) 5Y drew three empty years left of the line and
    # the status said "Showing 2021-10-31 to 2026-10-30", years with no reading at all.
    for days in (40, 20, 0):
        put_payload(store, payload(NOW - timedelta(days=days), 40.0 + days))
    page = _open(chromium, url)
    page.click(".ranges button[data-days='1826']")
    assert page.text_content("#history-status") == "Showing 2026-01-21 to 2026-03-02."
    assert page.get_attribute(".ranges button[data-days='1826']", "aria-pressed") == "true"
    page.click(".ranges button[data-days='30']")  # shorter than the history: as before
    assert page.text_content("#history-status") == "Showing 2026-01-31 to 2026-03-02."
    assert page.errors == []


_DEALS = {
    "line": "$160B of $160B in deal commitments lie on loops",
    "nodes": ["Cobalt Cloud", "Northwind AI", "Vantor Semiconductor"],
    "edges": [
        {"from": "Northwind AI", "to": "Cobalt Cloud", "amount_usd": 120e9, "deals": 1,
         "kinds": ["compute"], "on_cycle": True},
        {"from": "Cobalt Cloud", "to": "Vantor Semiconductor", "amount_usd": 30e9, "deals": 1,
         "kinds": ["chips"], "on_cycle": True},
        {"from": "Vantor Semiconductor", "to": "Northwind AI", "amount_usd": 10e9, "deals": 1,
         "kinds": ["equity"], "on_cycle": True},
    ],
    "cycles": [{"members": ["Cobalt Cloud", "Vantor Semiconductor", "Northwind AI"],
                "amount_usd": 160e9, "returns_usd": 10e9}],
    "series": [],
}  # fmt: skip


@pytest.mark.parametrize("width", [1920, 360])
def test_the_deals_graph_labels_are_readable(
    chromium: Any, store: Store, url: str, width: int
) -> None:
    # The graph (an 1080-unit-wide SVG, 11-12 unit text) was squeezed into 40rem: its
    # company names and amounts came out 6-7 px tall on a desktop and 3 px on a phone.
    put_payload(store, payload(NOW, 40.0, circular=_DEALS))
    page = _open(chromium, url, width=width)
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.deals-graph text'))
             .map(t => t.getBoundingClientRect().height)"""
    )
    assert len(sizes) >= 6  # three names, three amounts
    assert min(sizes) >= 9, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []


def test_the_capex_chart_labels_are_readable_on_a_phone(
    chromium: Any, store: Store, url: str
) -> None:
    # The 640-unit capex chart shrank to the 294 px of a 360 px phone: axis labels 6 px.
    history = [
        {"quarter": f"{2020 + n // 4}Q{n % 4 + 1}", "capex": 100e9 + n * 10e9,
         "revenue": 1e12, "capex_to_revenue": 0.1 + n / 100}
        for n in range(16)
    ]  # fmt: skip
    fundamentals = {"line": "capex", "hyperscalers": {"history": history}}
    put_payload(store, payload(NOW, 40.0, fundamentals=fundamentals))
    page = _open(chromium, url, width=360)
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.capex-chart text'))
             .map(t => t.getBoundingClientRect().height)"""
    )
    assert sizes and min(sizes) >= 9, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.errors == []
