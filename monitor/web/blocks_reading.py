"""Page blocks built from the stored reading payloads: the headline number and its
changes, "what changed" and the segments (context blocks: blocks_context.py).

Every block reads the payload defensively: a field a branch has not added yet renders as
"not available yet" rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from markupsafe import Markup

from monitor.present.report_view import fresh_refs
from monitor.present.segments import context_v3_lines
from monitor.store.db import Store
from monitor.store.overview import Payload, latest_payload
from monitor.web import fmt, svg
from signals.crash.relative import display_name
from signals.models import HeadlineRef
from signals.stale import grouped_stale
from signals.wording import FRESH_TITLE

#: The look-backs of the "change over" row.
LOOKBACKS: Final[tuple[tuple[str, timedelta], ...]] = (
    ("1 day", timedelta(days=1)),
    ("1 week", timedelta(days=7)),
    ("1 month", timedelta(days=30)),
    ("1 year", timedelta(days=365)),
)


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    delta: float | None
    reference: str | None  # the day of the reading compared with
    #: Set when the reading compared with is as old as the next look-back (weekly or
    #: monthly readings): "1 day" is then really "since the previous reading".
    farther: str | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """The numbers of one reading or segment, formatted, and its gauge."""

    name: str
    index: float | None
    regime: str
    probability: str
    base_rate: str
    froth: str
    stress: str
    gauge: Markup
    #: Why a segment has no index and what to run (None when it has one).
    missing: str | None = None


def facts(row: dict[str, Any], name: str, ident: str) -> Facts:
    index = fmt.number(row.get("index"))
    regime = str(row.get("regime") or "unknown")
    base = fmt.number(row.get("base_rate"))
    label = f"{name}: {fmt.fixed(index)} of 100, {regime}"
    return Facts(
        name=name,
        index=index,
        regime=regime,
        probability=fmt.percent(row.get("probability")),
        base_rate=fmt.percent(row.get("base_rate")),
        froth=fmt.fixed(row.get("froth")),
        stress=fmt.fixed(row.get("stress")),
        gauge=svg.gauge(index, regime, label, ident, None if base is None else 100 * base),
    )


@dataclass(frozen=True, slots=True)
class Summary:
    facts: Facts
    as_of: datetime | None
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    target: str | None  # what the probability is of (index v2), e.g. "40% drawdown within 24m"
    drivers: tuple[str, ...]
    stale_inputs: tuple[str, ...]  # inputs the reading names stale or without a value
    #: Set when the crash model did not pass its pre-committed hold-out (index v2).
    caution: str | None = None
    #: Index v3: relative fragility in one line, then base rates and bubble evidence.
    relative: str | None = None
    evidence: tuple[str, ...] = ()
    #: The opening sentences, in the words the terminal and Slack use (signals.wording).
    voice: tuple[str, ...] = ()
    #: The newest headlines, when the reading's news components cite none (warming up).
    fresh: tuple[HeadlineRef, ...] = ()
    fresh_title: str = FRESH_TITLE


def summary(store: Store, latest: Payload) -> Summary:
    as_of = fmt.parse_time(latest.get("as_of"))
    main = facts(latest, "Bubble-risk index", "gauge")
    return Summary(
        facts=main,
        as_of=as_of,
        changes=tuple(_changes(store, main.index, as_of)),
        notes=_strings(latest.get("notes")),
        target=str(latest["target"]) if latest.get("target") else None,
        drivers=_strings(latest.get("drivers")),
        stale_inputs=tuple(
            grouped_stale(
                _strings(latest.get("stale")),
                [str(c.get("name")) for c in _dicts(latest.get("components"))],
                _strings(latest.get("notes")),
            )
        ),
        caution=str(latest["caution"]) if latest.get("caution") else None,
        voice=payload_voice(latest),
        fresh=() if latest.get("top_headlines") or as_of is None else fresh_refs(store, as_of),
        **_v3(latest),
    )


def _v3(latest: Payload) -> dict[str, Any]:
    context = latest.get("context")
    if not isinstance(context, dict):
        return {}
    relative = context.get("relative")
    text = relative.get("text") if isinstance(relative, dict) else None
    return {
        "relative": str(text) if text else None,
        "evidence": tuple(context_v3_lines(context)),
    }


def payload_voice(row: Payload) -> tuple[str, ...]:
    """signals.wording.voice of a stored payload (fields read defensively)."""
    from signals.wording import voice

    base, probability = fmt.number(row.get("base_rate")), fmt.number(row.get("probability"))
    target = str(row["target"]) if row.get("target") else None
    return voice(str(row.get("regime") or "unknown"), probability, base, target)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value if v) if isinstance(value, list) else ()


def _changes(store: Store, index: float | None, as_of: datetime | None) -> list[Change]:
    out = []
    for label, back in LOOKBACKS:
        ref = None if as_of is None else latest_payload(store, at_or_before=as_of - back)
        then = None if ref is None else fmt.number(ref.payload.get("index"))
        delta = None if then is None or index is None else index - then
        if delta is not None and abs(delta) < 0.05:
            delta = 0.0  # shown as +0.0, never as -0.0
        when = None if ref is None else fmt.parse_time(ref.payload.get("as_of"))
        day = None if when is None else when.date().isoformat()
        out.append(Change(label, delta, day, _farther(label, as_of, when)))
    return out


def _farther(label: str, as_of: datetime | None, when: datetime | None) -> str | None:
    """A note when the reading compared with is at least the next look-back old."""
    spans = [back for _, back in LOOKBACKS]
    position = [name for name, _ in LOOKBACKS].index(label)
    if as_of is None or when is None or position + 1 >= len(spans):
        return None
    gap = as_of - when
    if gap < spans[position + 1]:
        return None
    return (
        f"The {label.replace(' ', '-')} change is against the nearest earlier reading, "
        f"{gap.days} days back: no reading is closer."
    )


def what_changed(latest: Payload, previous: Payload | None) -> list[str]:
    """The moves since the previous reading, biggest first (monitor.present.changes: the
    same sentences as the terminal report)."""
    from monitor.present.changes import what_changed as sentences

    return sentences(dict(latest), None if previous is None else dict(previous))


def segments(latest: Payload) -> tuple[list[Facts], bool]:
    """The segments side by side, and whether the reading has segments at all (when not,
    the whole basket stands alone as one segment)."""
    raw = latest.get("segments")
    rows = [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []
    present = bool(rows)
    if not present:
        rows = [{**latest, "name": "all AI stocks"}]
    # "LLM", "applied AI": the names the report and the headline line use, not config keys.
    named = [(display_name(str(row.get("name") or "unnamed")), row) for row in rows]
    cards = [
        replace(facts(row, name, f"segment-{n}"), missing=_why_missing(row))
        for n, (name, row) in enumerate(named, 1)
    ]
    return cards, present


def _why_missing(row: dict[str, Any]) -> str | None:
    """For a segment without an index: the inputs it names stale or missing, and the two
    ways to give it prices."""
    if fmt.number(row.get("index")) is not None:
        return None
    tickers = _strings(row.get("tickers"))
    # Only its tickers: a segment's stale list also names news components.
    stale = [s for s in _strings(row.get("stale")) if not tickers or s in tickers]
    which = f" for {', '.join(stale)}" if stale else ""
    of = f" (of its {len(tickers)} tickers)" if tickers else ""
    return (
        f"No reading for this segment yet: prices missing or stale{which}{of}. Fetch them with "
        "`bubble-monitor collect prices`, or `bubble-monitor import-prices FILE.csv` with "
        "these tickers as columns."
    )
