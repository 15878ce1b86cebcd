"""The default terminal report: one screen, 80 columns, the sentences of signals.wording.

Built from the reading document (`report --json`'s keys) and a few facts read beside it
(what changed, stale inputs grouped, fresh headlines while the news warms up), so a key
another part adds to the document shows here with one line: a key this module does not
know is printed when its value is a sentence, or a mapping with a `line` or `summary`.
Every line is wrapped to the width (bullets with a hanging indent); nothing is cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from monitor.present.reading import DEMO_BANNER
from monitor.present.segments import unit_names
from monitor.present.smart_money_json import NOTIONAL_NOTE, context_lines
from signals.crash.evidence import flag_line
from signals.wording import FRESH_TITLE, index_sentence, voice

MAX_HEADLINES: Final[int] = 5
MAX_CHANGES: Final[int] = 4
#: Keys this module renders (or leaves to `--full`); any other key is rendered generically.
KNOWN: Final[frozenset[str]] = frozenset(
    {
        "as_of", "index", "regime", "change", "comparison", "components", "top_headlines",
        "stale", "segments", "spread", "probability", "base_rate", "froth", "stress",
        "drivers", "target", "validated", "caution", "smart_money", "model_mix", "simulated",
        "relative", "bubble_evidence",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Beside:
    """What the report reads beside the document: previous reading's date, what changed,
    grouped stale lines, and fresh headlines to show while the news components warm up."""

    since: str | None = None
    changes: Sequence[str] = ()
    stale: Sequence[str] = ()
    fresh_headlines: Sequence[Mapping[str, Any]] = ()
    notes: Sequence[str] = field(default_factory=tuple)


def compact_lines(doc: Mapping[str, Any], beside: Beside, *, width: int, demo: bool) -> list[str]:
    """The report as lines no wider than `width`."""
    out: list[str] = []
    para = _wrapper(width)
    if demo or doc.get("simulated"):
        out += para(DEMO_BANNER)
    out += para(f"AI bubble risk as of {_when(doc.get('as_of'))}")
    # Index v3: the within-date ranking (what holds out of sample) opens the report.
    if doc.get("comparison"):
        out += para(str(doc["comparison"]))
    regime, probability = str(doc.get("regime")), doc.get("probability")
    for sentence in voice(regime, probability, doc.get("base_rate"), doc.get("target")):
        out += para(sentence)
    out += para(index_sentence(float(doc.get("index") or 0.0), doc.get("change"), beside.since))
    if doc.get("caution"):
        out += para(f"Caution: {doc['caution']}")
    evidence = doc.get("bubble_evidence")
    flags = flag_line(evidence, unit_names(evidence)) if isinstance(evidence, Mapping) else None
    if flags:
        out += para(flags)
    out += _section("Why", [str(d) for d in doc.get("drivers") or []], width)
    out += _section("What changed", list(beside.changes)[:MAX_CHANGES], width)
    out += _headlines(doc, beside, width)
    out += _section("Smart money", _smart_money(doc), width)
    out += _section("Also in this reading", _extras(doc), width)
    out += _section("Stale or missing", list(beside.stale), width)
    if probability is None:
        # A v1 reading: its notes say why there is no crash probability (under a year of
        # the basket's prices) and what its index was built from.
        said = set(beside.stale)
        out += _section("Notes", [n for n in beside.notes if n not in said], width)
    out += [
        "",
        *para("More: `report --full` (components, segments, history's evidence), `--json`."),
    ]
    return out


def _headlines(doc: Mapping[str, Any], beside: Beside, width: int) -> list[str]:
    cited = [h for h in doc.get("top_headlines") or [] if isinstance(h, Mapping)]
    if cited:
        return _section("Headlines that moved it", _headline_lines(cited), width)
    if beside.fresh_headlines:
        return _section(FRESH_TITLE, _headline_lines(beside.fresh_headlines), width)
    return []


def _headline_lines(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for h in rows[:MAX_HEADLINES]:
        label = str(h.get("label") or "not yet scored").replace("_", " ")
        out.append(f"{h.get('title')} ({h.get('source')}, {label})")
    return out


def _smart_money(doc: Mapping[str, Any]) -> list[str]:
    """The smart-money line, its newest 13F event, the model mix, and the 13F caveat."""
    lines = context_lines({k: doc.get(k) for k in ("smart_money", "model_mix")})
    picked = [line for line in lines if line.startswith("Smart money")]
    picked += [line for line in lines if line.startswith("13F: ")][:1]
    picked += [line for line in lines if line.startswith("Model mix")]
    if picked and picked[0].startswith("Smart money"):
        # Under the "Smart money" heading, the line's own "Smart money: " said it twice.
        picked[0] = picked[0].removeprefix("Smart money: ")
        picked.append(f"({NOTIONAL_NOTE})")
    return picked


def _extras(doc: Mapping[str, Any]) -> list[str]:
    """One line per key another part added: a sentence, or a mapping's line / summary."""
    out = []
    for key, value in doc.items():
        if key in KNOWN or value is None:
            continue
        text = value if isinstance(value, str) else None
        if isinstance(value, Mapping):
            text = value.get("line") or value.get("summary")
        if isinstance(text, str) and text:
            out.append(f"{key.replace('_', ' ')}: {text}")
    return out


def _section(title: str, items: Sequence[str], width: int) -> list[str]:
    if not items:
        return []
    lines = ["", title]
    for item in items:
        lines += textwrap.wrap(
            item, width=width, initial_indent="  - ", subsequent_indent="    ",
            break_long_words=True, break_on_hyphens=False,
        )  # fmt: skip
    return lines


def _wrapper(width: int) -> Any:
    def wrap(text: str) -> list[str]:
        # Never at a hyphen: a command (`bubble-monitor collect prices`) must stay whole.
        return textwrap.wrap(text, width=width, subsequent_indent="  ", break_on_hyphens=False) or [
            ""
        ]

    return wrap


def _when(value: Any) -> str:
    if not isinstance(value, str):
        return "n/a"
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value
