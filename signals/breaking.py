"""Breaking news for the alert policy: which scored headline stories are worth a message now.

A story labelled circular_deal, bubble_warning or layoffs (layoffs only when large: a
number >= 1,000 jobs, >= 10%, or "thousands"), confidence >= `breaking_confidence`,
reported by >= `breaking_min_sources` outlets, published in the last 24 hours; at most one
per `breaking_cooldown_hours`; key `breaking:<story id>`. Pure, like signals.alerts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final, Protocol

from signals.models import Alert, HeadlineRef, StoredHeadline

BREAKING_LABELS: Final[frozenset[str]] = frozenset({"circular_deal", "bubble_warning", "layoffs"})
BREAKING_MAX_AGE: Final[timedelta] = timedelta(hours=24)


class BreakingSettings(Protocol):
    """The part of signals.alerts.AlertSettings the rule reads."""

    @property
    def breaking_confidence(self) -> float: ...
    @property
    def breaking_min_sources(self) -> int: ...
    @property
    def breaking_cooldown_hours(self) -> float: ...


class Claimed(Protocol):
    """An alert claimed in the store (signals.alerts.SentAlert)."""

    @property
    def dedup_key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


_NUMBER = re.compile(r"(\d[\d,.]*)\s*(k|thousand|%|percent)?", re.IGNORECASE)


def is_large_layoff(title: str) -> bool:
    """A layoff headline naming >= 1,000 jobs, >= 10% of staff, or "thousands"."""
    if re.search(r"\bthousands\b|\bmass layoffs?\b", title, re.IGNORECASE):
        return True
    for digits, unit in _NUMBER.findall(title):
        try:
            number = float(digits.replace(",", "").rstrip("."))
        except ValueError:
            continue
        unit = unit.lower()
        if unit in ("%", "percent") and number >= 10:
            return True
        if unit in ("k", "thousand") or (not unit and number >= 1000 and not _is_year(number)):
            return True
    return False


def _is_year(number: float) -> bool:
    return number.is_integer() and 1990 <= number <= 2100


def breaking_alerts(
    headlines: Sequence[StoredHeadline],
    sent: Sequence[Claimed],
    settings: BreakingSettings,
    now: datetime,
) -> list[Alert]:
    """The one breaking story to send now (the strongest), unless one went out within the
    cooldown or every qualifying story was sent before."""
    cooldown = timedelta(hours=settings.breaking_cooldown_hours)
    if any(a.kind == "breaking" and a.created_at > now - cooldown for a in sent):
        return []
    done = {a.dedup_key for a in sent}
    stories: dict[int, list[StoredHeadline]] = defaultdict(list)
    for h in headlines:
        if _qualifies(h, settings, now):
            stories[h.story_id].append(h)
    candidates = [
        (story, max(members, key=lambda h: h.score.confidence if h.score else 0.0))
        for story, members in stories.items()
        if f"breaking:{story}" not in done
    ]
    if not candidates:
        return []
    story, best = max(candidates, key=lambda c: (_rank(c[1]), -c[0]))
    assert best.score is not None
    ref = HeadlineRef(
        best.headline.title,
        best.headline.url,
        best.headline.source,
        best.score.label,
        best.score.confidence,
        best.headline.published,
        best.sources,
    )
    title = f"Breaking ({best.score.label.replace('_', ' ')}): {best.headline.title}"
    text = f"{best.headline.source}, reported by {best.sources} outlets"
    return [Alert("breaking", f"breaking:{story}", title, text, None, (ref,))]


def _qualifies(h: StoredHeadline, settings: BreakingSettings, now: datetime) -> bool:
    score = h.score
    if score is None or score.label not in BREAKING_LABELS:
        return False
    if score.confidence < settings.breaking_confidence:
        return False
    if h.sources < settings.breaking_min_sources:
        return False
    if not now - BREAKING_MAX_AGE <= h.headline.published <= now:
        return False
    return score.label != "layoffs" or is_large_layoff(h.headline.title)


def _rank(h: StoredHeadline) -> tuple[float, int, float]:
    confidence = h.score.confidence if h.score else 0.0
    return (confidence * h.sources, h.sources, h.headline.published.timestamp())
