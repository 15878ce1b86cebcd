"""Block Kit for alerts: a pure builder with Slack escaping and Block Kit limits.

Every piece of text that can come from a feed or the config (titles, sources, URLs,
details, names) is escaped: & < > become entities, so a headline containing `<!channel>` or
`<@U123>` is shown, not executed; and since mrkdwn has no escape for its formatting marks,
`*` `_` `~` that could open or close bold, italic or strike (and every backtick) become
look-alike characters (∗ ˍ ∼ ˋ), and a `>` opening a line gets an invisible soft hyphen
so it quotes nothing. Intra-word marks (applied_ai, runup_1y, 3*4) cannot format and stay.
Limits respected: at most 50 blocks, 3,000 characters per section text, 2,000 per field,
10 fields per section, 150 characters in a header, 10 elements in a context block; long
lists are cut with a count of what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC
from typing import Any, Final

from monitor.notify.base import SIMULATED_TITLE
from monitor.present.segments import comparison_line, segment_lines, v3_lines
from monitor.present.smart_money_json import context_lines
from monitor.reading.circular_json import context_lines as circular_lines
from signals import wording
from signals.models import Alert, Component, HeadlineRef, IndexReading
from signals.stale import PRICES, grouped_stale

MAX_BLOCKS: Final[int] = 50
MAX_SECTION: Final[int] = 3000
MAX_FIELD: Final[int] = 2000
MAX_FIELDS: Final[int] = 10
MAX_HEADER: Final[int] = 150
MAX_CONTEXT_ELEMENTS: Final[int] = 10
MAX_TITLE: Final[int] = 300
MAX_HEADLINES: Final[int] = 8
MAX_FALLBACK: Final[int] = 3000

Block = dict[str, Any]


#: A formatting mark that touches a non-alphanumeric side (so it can open or close one).
_FORMATTING = re.compile(r"(?<![^\W_])[*_~]|[*_~](?![^\W_])|`")
_LOOK_ALIKES: Final[dict[str, str]] = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
_QUOTE_AT_LINE_START = re.compile(r"^&gt;", re.MULTILINE)


def entities(text: str) -> str:
    """Slack's three control characters as entities: nothing in it can ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Text shown as it is in mrkdwn: no mention, link, formatting or block quote."""
    plain = _FORMATTING.sub(lambda m: _LOOK_ALIKES[m.group()], entities(text))
    return _QUOTE_AT_LINE_START.sub("\u00ad&gt;", plain)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str, text: str) -> str:
    """A mrkdwn link to an http(s) URL, or the escaped text alone for anything else."""
    label = escape(clip(text, MAX_TITLE)).replace("|", "¦")
    if not url.lower().startswith(("http://", "https://")):
        return label
    safe = entities(url).replace("|", "%7C").replace(" ", "%20")
    return f"<{safe}|{label}>"


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER)}}


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn, MAX_SECTION)}}


def context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": clip(t, MAX_SECTION)} for t in texts if t]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS] or [_text("–")]}


def _text(mrkdwn: str) -> Block:
    return {"type": "mrkdwn", "text": mrkdwn}


def lines_section(title: str, lines: Sequence[str], noun: str) -> Block:
    """A section of lines, as many as fit in 3,000 characters, then "…and N more"."""
    out = [title]
    used = len(title)
    for i, line in enumerate(lines):
        tail = f"…and {len(lines) - i} more {noun}"
        if used + 1 + len(line) + 1 + len(tail) > MAX_SECTION:
            out.append(tail)
            break
        out.append(line)
        used += 1 + len(line)
    return section("\n".join(out))


def alert_blocks(alert: Alert) -> tuple[list[Block], str]:
    """(blocks, plain-text fallback) for any alert kind."""
    if alert.reading is not None:
        blocks = reading_blocks(
            alert.reading, title=alert.title, text=alert.text, fresh=alert.headlines
        )
    elif alert.kind == "no_reading":
        blocks = [header(alert.title), section(escape(alert.text))]
    else:
        blocks = breaking_blocks(alert)
    return fit_blocks(blocks), fallback_text(alert)


def fallback_text(alert: Alert) -> str:
    """The notification text (mrkdwn-parsed by Slack, so escaped too); a reading's opens
    with the LLM-vs-applied-AI comparison."""
    reading = alert.reading
    comparison = comparison_line(reading) if reading is not None else None
    title = alert.title
    stale = top_warning(reading) if reading is not None else None
    if stale:
        title += f" ({stale})"
    parts = [comparison, title] if comparison else [title]
    if reading is not None and simulated(reading):
        parts.reverse()  # the title says SIMULATED (monitor.stages.alerts): it goes first
    return clip(escape(". ".join([*parts, alert.text]).strip()), MAX_FALLBACK)


def simulated(reading: IndexReading) -> bool:
    return bool(reading.context.get("simulated"))


#: Notes of a degraded reading (monitor.stages.index, signals.basket): no probability.
DEGRADED_MARKS: Final[tuple[str, ...]] = ("no probability in this reading", "v1 index shown")


def top_warning(reading: IndexReading) -> str | None:
    """What makes the reading unlike a normal one, said at the top (under the title, after
    it in the notification) instead of only in the last context line: every ticker's price
    stale ("prices: all 20 tickers stale since ...": the reading is the last close's), or
    no crash model (the v1 index, another scale). A few stale tickers (a foreign holiday)
    stay in the context line."""
    stale = next((n for n in reading.notes if n.startswith(f"{PRICES}all ")), None)
    degraded = [n for n in reading.notes if any(m in n for m in DEGRADED_MARKS)]
    if reading.probability is not None:
        degraded = []
    said = [*degraded[:1], *([stale] if stale else [])]
    return "; ".join(clip(n, 300) for n in said) or None


def reading_blocks(
    reading: IndexReading, *, title: str, text: str = "", fresh: Sequence[HeadlineRef] = ()
) -> list[Block]:
    """A reading's blocks; `fresh`: the newest headlines, shown when the news components
    cite none (they are warming up)."""
    comparison = comparison_line(reading)
    headline = wording.title(reading.index, reading.regime, reading.probability)
    if simulated(reading):  # said before anything a reader could take for market data
        headline = f"SIMULATED · {headline}"
        comparison = f"{SIMULATED_TITLE}. {comparison or ''}".strip()
    blocks = [section(f"*{escape(comparison)}*")] if comparison else []
    blocks.append(header(headline))
    change = "first reading" if reading.change is None else f"{reading.change:+.1f} points"
    as_of = reading.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    stale = top_warning(reading)
    warning = f"\n:warning: {escape(stale)}" if stale else ""
    blocks.append(section(f"*{escape(title)}*\nChange since the last reading: {change}{warning}"))
    if reading.probability is not None:
        blocks.append(crash_section(reading))
    evidence = [f"• {escape(line)}" for line in v3_lines(reading)]
    if evidence:
        blocks.append(lines_section("*Base rates and bubble evidence*", evidence, "lines"))
    blocks += component_sections(reading.components, v2=reading.probability is not None)
    segments = segment_lines(reading)
    if segments:
        lines = [f"• {escape(line)}" for line in segments]
        blocks.append(lines_section("*Segments*", lines, "segments"))
    if reading.top_headlines:
        blocks.append({"type": "divider"})
        blocks.append(headline_section(reading.top_headlines))
    elif fresh:
        blocks.append({"type": "divider"})
        lines = [headline_line(r) for r in fresh[:MAX_HEADLINES]]
        blocks.append(lines_section(f"*{wording.FRESH_TITLE}*", lines, "headlines"))
    beside = [escape(line) for line in context_lines(reading.context)]
    if beside:
        blocks.append(lines_section("*Smart money, model mix and fundamentals*", beside, "lines"))
    circular = [escape(line) for line in circular_lines(reading.context)]
    if circular:
        blocks.append(lines_section("*Circular deals*", circular, "lines"))
    names = [c.name for c in reading.components]
    grouped = grouped_stale(reading.stale, names, reading.notes)
    stale = f"Missing or stale: {escape('; '.join(grouped))}" if grouped else ""
    notes = " · ".join(escape(n) for n in reading.notes if not n.startswith(("missing", PRICES)))
    blocks.append(context(f"As of {as_of}", stale, notes))
    return blocks


def crash_section(reading: IndexReading) -> Block:
    """Index v2: the probability with its base rate and the regime word in the words of
    signals.wording (the terminal and the page say the same), the axes and the drivers."""
    voice = wording.voice(reading.regime, reading.probability, reading.base_rate, reading.target)
    lines = [
        *(f"*{escape(line)}*" for line in voice),
        *axes_line(reading, "Froth {:.0f}/100 · stress {:.0f}/100"),
        *(f"• {escape(d)}" for d in reading.drivers),
    ]
    if reading.caution:
        lines.append(f":warning: _Caution: {escape(reading.caution)}_")
    return section("\n".join(lines))


def axes_line(reading: IndexReading, form: str) -> list[str]:
    """Froth and stress in `form`, or nothing when the reading has not both."""
    if reading.froth is None or reading.stress is None:
        return []
    return [form.format(reading.froth, reading.stress)]


def component_sections(components: Sequence[Component], *, v2: bool = False) -> list[Block]:
    ranked = sorted(components, key=lambda c: (c.value is None, -c.contribution))
    fields = [_component_field(c, v2) for c in ranked]
    return [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]}
        for i in range(0, len(fields), MAX_FIELDS)
    ]


def _component_field(c: Component, v2: bool) -> Block:
    name = escape(clip(c.name.replace("_", " "), 150))
    if c.value is None:
        head = f"*{name}*: missing"
    elif v2:
        # A v2 component: the value is in its own unit; say what it adds to the index.
        mark = " · unfitted" if c.unfitted else ""
        head = f"*{name}*: {c.contribution:+.1f} points{mark}"
    else:
        head = f"*{name}*: {c.value:.0f} (weight {c.weight:.0%}, +{c.contribution:.1f})"
    detail = escape(clip(c.detail, 150))
    return {"type": "mrkdwn", "text": clip(f"{head}\n{detail}", MAX_FIELD)}


def headline_line(ref: HeadlineRef) -> str:
    outlets = f" · {ref.sources} outlets" if ref.sources > 1 else ""
    label = f"{ref.label.replace('_', ' ')} {ref.confidence:.2f}" if ref.label else "not yet scored"
    return f"• {link(ref.url, ref.title)} — {escape(clip(ref.source, 80))} · {label}{outlets}"


def headline_section(
    refs: Sequence[HeadlineRef], title: str = "*Headlines behind the news components*"
) -> Block:
    lines = [headline_line(r) for r in refs[:MAX_HEADLINES]]
    block = lines_section(title, lines, "headlines")
    if len(refs) > MAX_HEADLINES:
        text = block["text"]["text"] + f"\n…and {len(refs) - MAX_HEADLINES} more headlines"
        block = section(text)
    return block


def breaking_blocks(alert: Alert) -> list[Block]:
    refs = alert.headlines
    label = refs[0].label.replace("_", " ") if refs else alert.kind
    blocks = [header(f"Breaking: {label}")]
    if refs:
        # Not the digest's "behind the news components": this is the story itself.
        outlets = max(r.sources for r in refs)
        said = f", reported by {outlets} outlets" if outlets > 1 else ""
        blocks.append(headline_section(refs, f"*Breaking story{said}*"))
    blocks.append(context(escape(clip(alert.text, 500))))
    return blocks


def fit_blocks(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks: keep the first 49 and say how many were left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    dropped = len(blocks) - (MAX_BLOCKS - 1)
    return [*blocks[: MAX_BLOCKS - 1], context(f"…{dropped} more blocks left out")]
