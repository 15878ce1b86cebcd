"""Defects qaweb found looking at the dashboard in the real browser (Debian's Chromium via
Playwright) on the demo and on a 3-year store of the shared real data: text contrast and
how the cards use the screen. Each test builds its own small store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.server import WebServer
from tests.web_helpers import NOW, payload, put_payload, settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: JavaScript: WCAG 2 contrast ratio of each element matching the selector against the
#: first opaque background behind it, as [text, ratio].
CONTRAST = """(selector) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => {
    const a = c.slice(0, 3).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
  };
  const back = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.5) return c;
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll(selector)).map((el) => {
    const f = lum(rgb(getComputedStyle(el).color)), b = lum(back(el));
    return [el.textContent.trim(), (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05)];
  });
}"""

REGIMES = ("calm", "warming", "frothy", "bubble", "bursting")


@pytest.fixture
def url(db_path: Path) -> Iterator[str]:
    server = WebServer(build_app(settings(db_path)), "127.0.0.1", 0)
    server.start()
    yield server.url
    server.stop()


def _open(chromium: Any, url: str, width: int = 1280, scheme: str = "light") -> Any:
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, timezone_id="UTC"
    )
    page = context.new_page()
    errors: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("#history-chart[data-ready]", state="attached", timeout=15_000)
    page.errors = errors
    return page


def _every_regime_and_unfitted() -> dict[str, Any]:
    """A reading whose segments show every regime, with an unfitted component."""
    reading = payload(NOW, 40.0, segments=[
        {"name": f"seg_{regime}", "index": 10.0 * n, "regime": regime}
        for n, regime in enumerate(REGIMES, 1)
    ])  # fmt: skip
    reading["components"].append(
        {"name": "circular_deal", "kind": "news", "value": 55.0, "weight": 0.04,
         "contribution": 0.2, "detail": "unfitted: 1 story", "unfitted": True}
    )  # fmt: skip
    return reading


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_regime_badges_and_the_unfitted_mark_have_readable_contrast(
    chromium: Any, store: Store, url: str, scheme: str
) -> None:
    # White text on the regime colours: "calm" was 3.3:1 (light) and 2.3:1 (dark), "warming"
    # 2.9 and 1.9, and every badge in the dark scheme under 3:1; the orange "unfitted" mark
    # 3.6:1 on a white card. WCAG AA asks 4.5:1 for text this size (13-16 px).
    put_payload(store, _every_regime_and_unfitted())
    page = _open(chromium, url, scheme=scheme)
    badges = page.evaluate(CONTRAST, ".regime")
    assert {text for text, _ in badges} >= set(REGIMES), badges
    marks = page.evaluate(CONTRAST, ".unfitted")
    assert marks, "no unfitted mark on the page"
    low = [(text, round(ratio, 2)) for text, ratio in badges + marks if ratio < 4.5]
    assert low == [], low
    assert page.errors == []


#: JavaScript: the share of the context grid's area its cards cover.
GRID_FILL = """() => {
  const grid = document.querySelector('.card-grid.context').getBoundingClientRect();
  const cards = Array.from(document.querySelectorAll('.card-grid.context > .card'));
  const covered = cards.reduce((n, c) => {
    const r = c.getBoundingClientRect(); return n + r.width * r.height;
  }, 0);
  return covered / (grid.width * grid.height);
}"""


def _long_smart_money() -> dict[str, Any]:
    """Smart money as the demo stores it: a long line, six 13F events, per-segment rows
    and two notes (about 1,600 characters)."""
    event = "Simulated Short Capital (demo) reported puts on 5,000,000 PLTR shares, notional $912.1M, in its 13F for 2026-06-30"  # noqa: E501
    detail = "LLM: 19 of 19 names shorted more than their own median; median short interest 4.6% of float; 2.8 days to cover"  # noqa: E501
    return {
        "line": "LLM short interest 95/100 against own history; LLM 13F puts 58% of the listed funds' notional; " + event,  # noqa: E501
        "events": [event] * 6,
        "segments": [
            {"name": name, "positioning": {"detail": detail}, "smart_money": {"detail": detail}}
            for name in ("llm", "applied_ai", "market")
        ],
        "notes": ["13F option values are notional (shares x quarter-end price), not premium",
                  "13F: counted from its filing date, up to 45 days after quarter end"],
    }  # fmt: skip


def test_a_long_context_card_spans_the_row_instead_of_a_tall_narrow_column(
    chromium: Any, store: Store, url: str
) -> None:
    # On the demo at 1280 px, smart money (a 300-character line, six 13F events, six
    # segment rows, two notes) filled one 370 px column 1,660 px tall beside two short cards,
    # and fundamentals another under it: two thirds of a 2,970 px grid was blank page.
    model_mix = {"line": "LLMs were 31% of the 27,066 new models in the week of 2026-10-19"}
    put_payload(store, payload(NOW, 40.0, smart_money=_long_smart_money(), model_mix=model_mix))
    page = _open(chromium, url)
    fill = page.evaluate(GRID_FILL)
    assert fill >= 0.75, f"the context cards cover {fill:.0%} of their grid"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    phone = _open(chromium, url, width=390)  # one column on a phone, as before
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate(GRID_FILL) >= 0.9
    assert page.errors == [] and phone.errors == []


def test_only_cards_with_headlines_offer_to_show_them(
    chromium: Any, store: Store, url: str
) -> None:
    # Every card said "Show headlines ▾", and a market card (a run-up, the volatility)
    # opened to "computed from prices, no headlines behind it": 14 of 21 cards on the
    # 3-year store offered headlines they could never have.
    put_payload(store, payload(NOW, 40.0))  # explosiveness (market), layoffs (news, cited)
    page = _open(chromium, url)
    prompts = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.component')).map(
             (d) => [d.dataset.component,
                     getComputedStyle(d.querySelector('summary'), '::after').content]))"""
    )
    assert prompts["layoffs"] == '"Show headlines ▾"', prompts
    assert "headlines" not in prompts["explosiveness"], prompts
    page.click("[data-component='explosiveness'] summary")
    assert "computed from prices" in page.text_content("[data-component='explosiveness']")
    assert page.errors == []


def test_an_empty_store_draws_no_blank_chart(chromium: Any, store: Store, url: str) -> None:
    # A new store showed the range buttons above a blank 16rem box, the buttons doing
    # nothing; the history card now says there is nothing yet and shows neither.
    page = _open(chromium, url, width=390)
    assert page.get_attribute("#history-chart", "data-ready") == "empty"
    assert page.locator("#history-chart").bounding_box() is None  # not displayed
    assert page.locator(".ranges").bounding_box() is None
    assert "No reading is stored yet" in (page.text_content("#history-status") or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []


def test_long_unbroken_words_wrap_on_a_phone(chromium: Any, store: Store, url: str) -> None:
    # A note or smart-money line with a long path or URL (no space to break at) ran off a
    # 390 px screen: the page scrolled sideways to 24,000 px with a 3,000-character one.
    # Headlines wrapped already; notes, drivers, context lines and events did not.
    path = "/home/analyst/data/shiller_ie_data_monthly_1871_2026_converted_from_the_xls.csv"
    put_payload(
        store,
        payload(
            NOW,
            40.0,
            notes=[f"CAPE missing: no CAPE source at {path}"],
            drivers=[f"volatility from {path}"],
            smart_money={"line": f"13F from {path}", "events": [f"fund filed {path}"]},
        ),
    )
    page = _open(chromium, url, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []


def test_the_freshness_tables_fit_a_phone(chromium: Any, store: Store, url: str) -> None:
    # At 390 px the two 4-column tables scrolled sideways inside the card: the status
    # ("newest close 2026-07-13") and the next run of every job were off screen, and the
    # caption "Next runs (from feeds.yaml's schedule ...)" was cut mid-word. On a phone
    # each row now stacks its cells, each named by its column.
    from datetime import date

    from monitor.store.headlines import insert_headlines
    from monitor.store.prices import upsert_bars
    from signals.models import Headline, PriceBar

    upsert_bars(store, [PriceBar("NVDA", date(2026, 3, 2), 100.0, "csv")], fetched_at=NOW)
    feeds = ("import:steviesims-ainewsdaily", "import:rumca-rss-2023", "import:tldr-newsletter")
    insert_headlines(
        store,
        [Headline(f"Story {n}", f"https://example.invalid/{n}", "Wire", feed, NOW)
         for n, feed in enumerate(feeds)],
        fetched_at=NOW,
    )  # fmt: skip
    put_payload(store, payload(NOW, 40.0))
    page = _open(chromium, url, width=390)
    outside = page.evaluate(
        """() => Array.from(document.querySelectorAll('#freshness caption, #freshness th,'
                                                      + ' #freshness td'))
             .filter((e) => e.getBoundingClientRect().right > innerWidth)
             .map((e) => e.textContent.trim().slice(0, 40))"""
    )
    assert outside == [], outside
    text = page.text_content("#freshness") or ""
    assert "newest close 2026-03-02" in text
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll('#freshness td'))
             .map((td) => getComputedStyle(td, '::before').content)"""
    )
    assert '"Last fetch"' in labels and '"Next run"' in labels, labels
    wide = _open(chromium, url)  # a desktop keeps the table
    assert wide.evaluate("getComputedStyle(document.querySelector('#freshness td')).display") == (
        "table-cell"
    )
    assert page.errors == [] and wide.errors == []
