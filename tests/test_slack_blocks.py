"""The pure Block Kit builder: escaping of feed text and Block Kit limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from monitor.notify.slack_blocks import (
    MAX_BLOCKS,
    MAX_FIELD,
    MAX_FIELDS,
    MAX_HEADER,
    MAX_SECTION,
    alert_blocks,
    escape,
    fit_blocks,
    header,
    link,
    section,
)
from signals.models import Alert, Component, HeadlineRef, IndexReading

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def ref(i: int, title: str = "Title", url: str | None = None) -> HeadlineRef:
    return HeadlineRef(title, url or f"https://n.example/{i}", "Src & Co", "layoffs", 0.9, NOW, 2)


def reading(components: int = 11, headlines: int = 3, detail: str = "d") -> IndexReading:
    comps = tuple(
        Component(f"comp_{i}", "market", 50.0, 1 / components, 50.0 / components, detail)
        for i in range(components)
    )
    return IndexReading(
        NOW, 50.0, "frothy", 1.0, comps, tuple(ref(i) for i in range(headlines)), ("credit",)
    )


def walk(blocks: list[dict]) -> list[str]:  # type: ignore[type-arg]
    """Every mrkdwn/plain text in the blocks."""
    texts: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                texts.append(node["text"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(blocks)
    return texts


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U123> <https://evil|x>") == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|x&gt;"
    )


def test_links_escape_title_and_url_and_refuse_other_schemes() -> None:
    assert link("https://a.example/?q=1&b=<2>", "A <!here> | B") == (
        "<https://a.example/?q=1&amp;b=&lt;2&gt;|A &lt;!here&gt; ¦ B>"
    )
    assert link("javascript:alert(1)", "x <y>") == "x &lt;y&gt;"
    assert "%7C" in link("https://a.example/x|y", "t")


def test_feed_text_never_pings_anywhere_in_the_message() -> None:
    evil = "<!channel> <!here> <@U123> <!subteam^S1>"
    r = reading(headlines=0, detail=evil)
    r = IndexReading(
        r.as_of,
        r.index,
        r.regime,
        r.change,
        r.components,
        (ref(1, evil, "https://n.example/<!channel>"),),
        (evil,),
        (evil,),
    )
    blocks, fallback = alert_blocks(Alert("digest", "k", evil, evil, r))
    raw = json.dumps(blocks) + fallback
    for token in ("<!channel>", "<!here>", "<@U123>", "<!subteam"):
        assert token not in raw
    assert "&lt;!channel&gt;" in raw


def test_breaking_alert_blocks() -> None:
    alert = Alert(
        "breaking",
        "breaking:1",
        "Breaking",
        "Reuters, 3 outlets",
        None,
        (ref(1, "Nvidia <!channel> deal"),),
    )
    blocks, fallback = alert_blocks(alert)
    assert blocks[0] == header("Breaking: layoffs")
    assert "&lt;!channel&gt;" in json.dumps(blocks)
    assert fallback.startswith("Breaking")


def test_limits_on_long_inputs() -> None:
    long_title = "x" * 5000
    r = reading(components=23, headlines=40, detail="y" * 5000)
    r = IndexReading(
        r.as_of,
        r.index,
        r.regime,
        r.change,
        r.components,
        tuple(ref(i, long_title) for i in range(40)),
        tuple("s" * 100 for _ in range(50)),
        tuple("n" * 4000 for _ in range(20)),
    )
    blocks, fallback = alert_blocks(Alert("digest", "k", "t" * 400, "u" * 9000, r))
    assert len(blocks) <= MAX_BLOCKS
    assert len(fallback) <= 3000
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= MAX_FIELDS
            assert all(len(f["text"]) <= MAX_FIELD for f in block["fields"])
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= MAX_SECTION
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
    # 23 components: three field sections of at most 10.
    assert sum(1 for b in blocks if "fields" in b) == 3
    texts = "\n".join(walk(blocks))
    assert "more headlines" in texts


def test_header_and_section_clip() -> None:
    assert len(header("h" * 200)["text"]["text"]) == MAX_HEADER
    assert section("s" * 4000)["text"]["text"].endswith("…")


def test_more_than_50_blocks_are_cut_with_a_count() -> None:
    blocks = [section(str(i)) for i in range(70)]
    fitted = fit_blocks(blocks)
    assert len(fitted) == MAX_BLOCKS
    assert fitted[-1]["type"] == "context"
    assert "21 more blocks" in fitted[-1]["elements"][0]["text"]


def test_digest_blocks_show_index_components_headlines_and_freshness() -> None:
    blocks, _ = alert_blocks(Alert("digest", "k", "Daily digest", "t", reading(components=3)))
    assert blocks[0]["text"]["text"] == "AI bubble index 50/100 · frothy"
    texts = "\n".join(walk(blocks))
    assert "+1.0 points" in texts and "*comp 0*: 50" in texts
    assert "<https://n.example/0|Title>" in texts and "Src &amp; Co" in texts
    assert (
        "As of 2026-03-02 14:00 UTC" in texts
        and "Missing or stale: without a value: credit" in texts
    )


def v2_reading(detail: str = "unfitted: <!channel> 4 stories") -> IndexReading:
    """A reading with index v2's fields: one fitted and one unfitted component."""
    from dataclasses import replace

    comps = (
        Component("runup_1y", "market", 0.83, 0.2, 12.5, "1-year run-up +130%"),
        Component("layoffs", "news", 80.0, 0.04, 1.2, detail, 1.0, unfitted=True),
    )
    return replace(
        reading(),
        components=comps,
        probability=0.28,
        base_rate=0.149,
        froth=98.0,
        stress=24.0,
        drivers=("1-year run-up +130% raises the crash odds x2.14",),
        target="40% drawdown within 24 months",
    )


def test_a_v2_reading_shows_probability_base_rate_axes_and_drivers() -> None:
    alert = Alert("report", "k", "Report", "text", reading=v2_reading())
    texts = walk(alert_blocks(alert)[0])
    crash = next(t for t in texts if "Crash probability" in t)
    assert "*Crash probability 28% (base rate 15%): a 40% drawdown within 24 months*" in crash
    # One voice: frothy at 1.9x the base rate, in the words of signals.wording.
    assert "*Regime frothy: the probability is 1.9x its base rate" in crash
    assert "Froth 98/100 · stress 24/100" in crash
    assert "• 1-year run-up +130% raises the crash odds x2.14" in crash
    assert any("*runup 1y*: +12.5 points" in t for t in texts)
    assert any("*layoffs*: +1.2 points · unfitted" in t and "&lt;!channel&gt;" in t for t in texts)


def test_the_console_shows_a_v2_reading() -> None:
    from monitor.notify.console import reading_lines

    text = "\n".join(reading_lines(v2_reading("4 stories")))
    assert "Crash probability 28% (base rate 15%): a 40% drawdown within 24 months" in text
    assert "froth 98, stress 24" in text
    assert "driver: 1-year run-up +130%" in text
    assert " +1.2 pts unfitted" in text


def test_the_fundamentals_line_goes_to_slack_beside_the_reading() -> None:
    from dataclasses import replace

    from monitor.notify.slack_blocks import reading_blocks

    doc = {"line": "hyperscaler capex $400 B over twelve months, +60% a year", "segments": []}
    text = json.dumps(reading_blocks(replace(reading(), context={"fundamentals": doc}), title="t"))
    assert "Fundamentals: hyperscaler capex $400 B over twelve months, +60% a year" in text
    assert "(unfitted, context)" in text
