"""Context blocks from the reading payload: smart money, model mix, the segment spread and
fundamentals.

Their shapes belong to other parts of the monitor and grow over time, so they are shown
generically: a summary `line` when there is one, `events` and `notes` as lists (shown
whole), and the other fields as label/value rows, long lists and long values cut short.
Fundamentals and the spread have known shapes and are worded as the terminal words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from monitor.reading.fundamentals_text import summary_rows
from monitor.store.overview import Payload
from monitor.web import fmt
from signals.models import SpreadReading
from signals.spread import describe_spread
from signals.wording import display_name

#: (payload key, title) of the context blocks, in page order.
CONTEXT_KEYS: Final[tuple[tuple[str, str], ...]] = (
    ("smart_money", "Smart money"),
    ("model_mix", "Model mix"),
    ("spread", "Segment spread"),
    ("fundamentals", "Fundamentals (SEC filings)"),
)
#: Keys shown as their own parts of a block, not as rows.
_OWN_KEYS: Final[frozenset[str]] = frozenset({"line", "events", "notes"})
MAX_ITEMS: Final[int] = 6
MAX_ROWS: Final[int] = 12
MAX_TEXT: Final[int] = 160
#: Summary lines, events and notes are sentences written for people: shown whole up to
#: this (the demo's smart-money line is 309 characters; 160 cut off its latest 13F event).
MAX_SENTENCE: Final[int] = 1000
#: A block with more text than this spans the whole row, its lists in columns: in one
#: 18rem column the demo's smart money (about 1,600 characters) stood 1,660 px tall
#: beside two short cards, leaving two thirds of the grid blank.
WIDE_TEXT: Final[int] = 600
_NAME_KEYS: Final[tuple[str, ...]] = ("name", "label", "ticker", "source", "model")
#: Keys whose shape is known and written for people (amounts as $130.5B, shares as 42%),
#: not described generically.
_WORDED: Final[dict[str, Callable[[dict[str, Any]], list[tuple[str, str]]]]] = {
    "fundamentals": summary_rows,
    "spread": lambda value: _spread_rows(value),
}


@dataclass(frozen=True, slots=True)
class ContextBlock:
    title: str
    present: bool
    line: str | None
    events: list[str]
    notes: list[str]
    rows: list[tuple[str, str]]

    @property
    def wide(self) -> bool:
        """Whether the block has enough text to span the row (WIDE_TEXT)."""
        parts = [self.line or "", *self.events, *self.notes, *(k + v for k, v in self.rows)]
        return sum(len(p) for p in parts) > WIDE_TEXT


def context(latest: Payload) -> list[ContextBlock]:
    """One block per CONTEXT_KEYS entry; `present` is False when the reading lacks it.
    A key is looked up at the top of the payload, then under its `context` member (where
    stored readings keep smart money and model mix)."""
    nested = latest.get("context")
    inner = nested if isinstance(nested, dict) else {}
    return [
        _block(title, latest.get(key, inner.get(key)), _WORDED.get(key))
        for key, title in CONTEXT_KEYS
    ]


def _block(
    title: str, value: Any, worded: Callable[[dict[str, Any]], list[tuple[str, str]]] | None
) -> ContextBlock:
    absent = ContextBlock(title, False, None, [], [], [])
    if value is None or value == {} or value == []:
        return absent
    if not isinstance(value, dict):
        return ContextBlock(title, True, None, [], [], describe(value))
    rest = {k: v for k, v in value.items() if k not in _OWN_KEYS}
    rows = [(k, _clip(v)) for k, v in worded(value)] if worded else describe(rest)[:MAX_ROWS]
    block = ContextBlock(
        title,
        True,
        _clip(str(value["line"]), MAX_SENTENCE) if value.get("line") else None,
        _texts(value.get("events"))[:MAX_ITEMS],
        _texts(value.get("notes")),
        rows,
    )
    # A payload with nothing to say ({"line": null, "weeks": []}) is "not available yet",
    # not a card with a bare label.
    return block if block.line or block.events or block.notes or block.rows else absent


def _spread_rows(value: dict[str, Any]) -> list[tuple[str, str]]:
    """The spread in the terminal's words (signals.spread.describe_spread), under its day;
    a payload of another shape is described generically."""
    try:
        spread = SpreadReading(
            a=str(value["a"]),
            b=str(value["b"]),
            day=date.fromisoformat(str(value["day"])[:10]),
            horizon=int(value["horizon_days"] if "horizon_days" in value else value["horizon"]),
            runup_a=fmt.number(value.get("runup_a")),
            runup_b=fmt.number(value.get("runup_b")),
            net=fmt.number(value.get("net")),
            percentile=fmt.number(value.get("percentile")),
        )
    except (KeyError, TypeError, ValueError):
        return describe(value)[:MAX_ROWS]
    return [(f"on {spread.day.isoformat()}", describe_spread(spread))]


def _texts(value: Any) -> list[str]:
    return [_clip(str(v), MAX_SENTENCE) for v in value if v] if isinstance(value, list) else []


def describe(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Any JSON value as (label, text) rows, one level of nesting spelled out."""
    if value is None:
        return []
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, item in value.items():
            label = f"{prefix}{fmt.words(str(key))}"
            dicts = isinstance(item, list) and any(isinstance(i, dict) for i in item)
            if dicts and not any(isinstance(i, dict) and _named(i) for i in item):
                continue  # a series (weekly counts...): the summary line speaks for it
            if item == [] or item == {}:
                continue  # an empty list or mapping has nothing to show beside its label
            if (isinstance(item, dict) or dicts) and not prefix:
                rows.extend(describe(item, f"{label}: "))
            else:
                rows.append((label, _text(item)))
        return rows
    if isinstance(value, list):
        return [
            row
            for n, item in enumerate(value[:MAX_ITEMS], 1)
            for row in _item_rows(item, n, prefix)
        ]
    return [(prefix.rstrip(": ") or "value", _text(value))]


def _item_rows(item: Any, position: int, prefix: str) -> list[tuple[str, str]]:
    """A list item's rows: one per part with a `detail` text when it has such parts
    (`{"name": "ai", "positioning": {"detail": "..."}}` -> ("ai positioning", "...")),
    else one row of its other fields under its name."""
    if not isinstance(item, dict) or not _named(item):
        return [(f"{prefix}#{position}", _text(item))]
    key = next(k for k in _NAME_KEYS if item.get(k) is not None)
    # "applied AI", not the config key applied_ai: the names the report uses.
    name = f"{prefix}{display_name(str(item[key])) if key == 'name' else item[key]}"
    details = [
        (f"{name} {fmt.words(str(k))}", _clip(str(v["detail"])))
        for k, v in item.items()
        if isinstance(v, dict) and v.get("detail")
    ]
    return details or [(name, _text({k: v for k, v in item.items() if k != key}))]


def _named(item: dict[str, Any]) -> bool:
    return any(item.get(k) is not None for k in _NAME_KEYS)


def _text(value: Any) -> str:
    return _clip(_raw_text(value))


def _raw_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{fmt.words(str(k))} {_raw_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        more = f" (+{len(value) - MAX_ITEMS} more)" if len(value) > MAX_ITEMS else ""
        return ", ".join(_raw_text(v) for v in value[:MAX_ITEMS]) + more
    if value is None:
        return "n/a"  # a measure without a value (JSON null), never Python's "None"
    n = fmt.number(value)
    if n is not None:
        return f"{n:g}" if float(n).is_integer() else f"{n:.3g}"
    return str(value)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
