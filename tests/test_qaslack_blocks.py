"""What the team reads in Slack: the message says what the reading says, safely, within
Block Kit's limits, whatever the feeds put in a headline."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from monitor.notify.slack_blocks import alert_blocks, escape, link
from signals.alerts import summary
from signals.models import Alert, Component, HeadlineRef, IndexReading

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
EVIL = "*URGENT* _sell_ ~now~ `rm -rf` <!channel> & <@U123> > quote"
MENTIONS = ("<!channel>", "<!here>", "<@U123>")


def texts(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(type, text) of every text object in the blocks."""
    found: list[tuple[str, str]] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                found.append((node["type"], node["text"]))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(blocks)
    return found


def assert_within_block_kit_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(0 < len(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in block["elements"])


def hostile_reading(components: int = 3) -> IndexReading:
    return IndexReading(
        NOW,
        61.4,
        "frothy",
        4.2,
        tuple(
            Component(f"{EVIL} {i}", "news", 80.0, 0.1, 8.0, f"detail {EVIL}")
            for i in range(components)
        ),
        (HeadlineRef(f"Nvidia {EVIL}", "https://n.example/a_b~c", f"Src {EVIL}", "layoffs", 0.9),),
        stale=(EVIL,),
        notes=(f"note {EVIL}",),
        probability=0.13,
        base_rate=0.16,
        froth=74.0,
        stress=60.0,
        drivers=(f"driver {EVIL}",),
        target="20% drawdown within 6 months",
        caution=f"readings near 12% {EVIL}",
    )


def test_feed_text_cannot_format_the_message() -> None:
    """`*bold*`, `_italic_`, `~strike~` and `code` in a headline, a source, a detail, a
    note, a driver or the caution rendered as Slack formatting (there is no escape for them
    in mrkdwn): they become look-alike characters. Intra-word underscores (applied_ai,
    runup_1y) cannot format and stay."""
    blocks, fallback = alert_blocks(Alert("digest", "k", f"Digest {EVIL}", EVIL, hostile_reading()))
    mrkdwn = [t for kind, t in texts(blocks) if kind == "mrkdwn"] + [fallback]
    for text in mrkdwn:
        for raw in ("*URGENT*", "_sell_", "~now~", "`rm -rf`"):
            assert raw not in text, (raw, text)
    joined = "\n".join(mrkdwn)
    assert "∗URGENT∗" in joined and "ˍsellˍ" in joined and "∼now∼" in joined
    assert escape("applied_ai runup_1y 3*4") == "applied_ai runup_1y 3*4"


def test_no_text_in_the_message_can_ping_or_link() -> None:
    """Component names went into the fields unescaped: a name with `<!channel>` pinged."""
    blocks, fallback = alert_blocks(Alert("digest", "k", EVIL, EVIL, hostile_reading()))
    raw = json.dumps(blocks, ensure_ascii=False) + fallback
    for mention in MENTIONS:
        assert mention not in raw
    # The only links are the headline's, with its URL intact.
    links = re.findall(r"<([^>]*)>", raw)
    assert links == [
        "https://n.example/a_b~c|Nvidia ∗URGENT∗ ˍsellˍ ∼now∼ ˋrm -rfˋ "
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &gt; quote"
    ]


def test_a_line_opening_with_a_quote_mark_is_no_block_quote() -> None:
    """`>` at the start of a line quotes the rest in Slack; feed text cannot start one."""
    assert escape("> sell").startswith("\u00ad&gt;")
    assert link("https://n.example/x", "> sell") == "<https://n.example/x|\u00ad&gt; sell>"


def test_hostile_contents_stay_within_block_kit_limits() -> None:
    huge = IndexReading(
        NOW,
        1e300,
        "x" * 500,
        1e300,
        tuple(
            Component("n" * 3000 + f" {i}", "news", 1e300, 1.0, 1e300, EVIL * 100)
            for i in range(120)
        ),
        tuple(
            HeadlineRef(EVIL * 100, "https://n.example/" + "a" * 5000, EVIL * 50, "layoffs", 0.9)
            for _ in range(40)
        ),
        stale=tuple(EVIL for _ in range(300)),
        notes=tuple(EVIL * 50 for _ in range(30)),
        probability=0.5,
        base_rate=0.16,
        froth=1e300,
        stress=1e300,
        drivers=tuple(EVIL * 20 for _ in range(200)),
        target=EVIL * 20,
        caution=EVIL * 200,
        context={"relative": {"text": EVIL * 200}},
    )
    blocks, fallback = alert_blocks(Alert("digest", "k", EVIL * 200, EVIL * 400, huge))
    assert_within_block_kit_limits(blocks)
    assert len(fallback) <= 3000
    raw = json.dumps(blocks) + fallback
    assert not any(m in raw for m in MENTIONS)


def v2_reading(**context: Any) -> IndexReading:
    return IndexReading(
        NOW,
        15.7,
        "calm",
        1.6,
        (
            Component("runup_1y", "market", 1.02, 0.0, 20.3, "1-year run-up +102%"),
            Component("baseline", "market", 11.2, 0.0, 11.2, "mean"),
            Component("positioning", "news", 95.0, 0.0, 1.8, "shorts", unfitted=True),
            Component("acceleration", "market", 0.61, 0.0, -10.3, "acceleration"),
        ),
        probability=0.126,
        base_rate=0.16,
        froth=74.0,
        stress=60.0,
        target="20% drawdown within 6 months",
        context=context,
    )


def test_the_notification_text_gives_contributions_in_points_like_the_fields() -> None:
    """The fallback (the push notification) of a fitted reading said "Largest
    contributions: runup_1y 1, baseline 11, positioning 95": the components' raw values in
    their own units under a heading that promised contributions; the fields below said
    +20.3, +11.2, +1.8 points."""
    text = summary(v2_reading())
    assert "Largest contributions: runup 1y +20.3, baseline +11.2, positioning +1.8 points." in text
    blocks, fallback = alert_blocks(Alert("digest", "k", "Digest", text, v2_reading()))
    assert "runup 1y +20.3" in fallback
    fields = [f["text"] for b in blocks for f in b.get("fields", [])]
    assert "*runup 1y*: +20.3 points" in fields[0]


def test_a_v1_summary_keeps_values_out_of_100() -> None:
    v1 = IndexReading(
        NOW, 61.0, "frothy", 2.0, (Component("fragility", "market", 88.0, 0.1, 8.4, "vol"),)
    )
    assert "Largest contributions: fragility 88/100." in summary(v1)


def test_a_simulated_reading_says_so_before_anything_else() -> None:
    """`report --demo --slack`: the push notification opened with "LLM: more fragile than
    76% of industries..." and the header read like a live reading; SIMULATED came only in
    the third block and mid-way through the notification."""
    comparison = {"text": "LLM: more fragile than 76% of industries"}
    reading = v2_reading(simulated=True, relative=comparison)
    title = "SIMULATED DEMO, not market data: AI bubble index report: 16 (calm)"
    blocks, fallback = alert_blocks(Alert("report", "k", title, summary(reading), reading))
    assert fallback.startswith("SIMULATED DEMO, not market data")
    first_text = next(t for _, t in texts(blocks))
    assert "SIMULATED" in first_text
    header = next(b for b in blocks if b["type"] == "header")["text"]["text"]
    assert header.startswith("SIMULATED")
    live = v2_reading(relative=comparison)
    blocks, fallback = alert_blocks(Alert("report", "k", "AI bubble index report", "", live))
    assert "SIMULATED" not in json.dumps(blocks) + fallback
    assert fallback.startswith("LLM: more fragile")


def test_a_summary_without_the_axes_does_not_crash() -> None:
    """IndexReading allows a probability without froth and stress; summary() then raised
    TypeError (formatting None), which would stop the alert stage for every alert. The
    index stage always sets both today, so this guards the type, not a seen failure."""
    from dataclasses import replace

    bare = replace(v2_reading(), froth=None, stress=None)
    text = summary(bare)
    assert "Crash probability 13%" in text and "froth" not in text
    blocks, _ = alert_blocks(Alert("digest", "k", "Digest", text, bare))  # no TypeError
    assert "Froth" not in json.dumps(blocks)
    from monitor.notify.console import render_text

    assert "froth" not in render_text(Alert("digest", "k", "Digest", text, bare))
    assert "; froth 74, stress 60." in summary(v2_reading())


def test_a_reading_on_stale_prices_says_so_at_the_top() -> None:
    """A digest computed on a week-old close (yfinance failing for days) read like a fresh
    one: "prices: all 3 tickers stale since ..." was only in the last, small context line
    and at the end of the notification, past where a preview cuts it."""
    from dataclasses import replace

    line = "prices: all 3 tickers stale since 2026-02-23"
    reading = replace(v2_reading(), stale=("NVDA", "MSFT", "AMD"), notes=(line,))
    title = "Daily digest 2026-03-02: AI bubble index 16 (calm)"
    blocks, fallback = alert_blocks(Alert("digest", "k", title, summary(reading), reading))
    top = next(b for b in blocks if b["type"] == "section" and title in b["text"]["text"])
    assert f":warning: {line}" in top["text"]["text"]
    assert fallback.startswith(f"{title} ({line}).")
    one = replace(
        reading, stale=("NVDA",), notes=("prices: 1 ticker stale since 2026-02-23: NVDA",)
    )
    blocks, fallback = alert_blocks(Alert("digest", "k", title, summary(one), one))
    assert ":warning: prices" not in json.dumps(blocks)  # one ticker: the context line only


def test_a_breaking_alert_does_not_call_its_story_headlines_behind_the_components() -> None:
    """A breaking story's only section was titled "Headlines behind the news components"
    (the digest's heading, reused): the team read a breaking story as index bookkeeping."""
    ref = HeadlineRef(
        "Nvidia to invest $100bn in OpenAI", "https://n.example/a", "Reuters", "circular_deal", 0.93
    )
    ref = HeadlineRef(ref.title, ref.url, ref.source, ref.label, ref.confidence, NOW, 4)
    alert = Alert(
        "breaking", "breaking:7", f"Breaking: {ref.title}", "Reuters, 4 outlets", None, (ref,)
    )
    blocks, _ = alert_blocks(alert)
    raw = json.dumps(blocks)
    assert "behind the news components" not in raw
    assert blocks[1]["text"]["text"].startswith("*Breaking story, reported by 4 outlets*")
