"""The alert policy: which alerts to send now, given readings, sent alerts and headlines.

Pure: the caller passes the readings (oldest first, the last is the current one), the
alerts already claimed or sent (from the store), the recent headlines, the settings and
`now`. Every alert has a deterministic `dedup_key` built from what triggered it, so a
re-run or a restart that sees the same inputs produces the same keys, and the store's
dedup table turns a repeat into a no-op.

Rules (numbers from feeds.yaml `alerts:`):
- digest: once per local day (time zone of `schedule.timezone`) at or after `digest_time`;
  key `digest:YYYY-MM-DD`.
- regime change: the regime is tracked with hysteresis. Starting from the band of the
  oldest reading, the confirmed regime moves to a new band only when the reading passes
  that band's edge by `hysteresis` points (up: value >= edge + h; down: value < edge - h).
  "bursting" is entered as soon as a reading says so; it is left only after the readings
  have said otherwise for 24 hours (a drawdown hovering at 10% would flip it otherwise).
  An alert goes out when the confirmed regime of the current reading differs from the last
  regime announced (or, before any announcement, from the confirmed regime of the
  previous reading); key `regime:<to>:<as_of where it was confirmed>`.
- jump: the current index differs by >= `jump_points` from a reading within the previous
  24 hours, counting only readings at or after the last jump alert (so a move is
  announced once and the next alert needs another full jump); key `jump:<as_of>`.
- breaking: a story labelled circular_deal, bubble_warning or layoffs (layoffs only when
  large: a number >= 1,000 jobs, >= 10%, or "thousands"), confidence >=
  `breaking_confidence`, reported by >= `breaking_min_sources` outlets, published in the
  last 24 hours; at most one per `breaking_cooldown_hours`; key `breaking:<story id>`.
Readings of another crash target than the current one (`index.model` changed), or of the
other kind (a v1 index of a run without the crash model beside fitted ones), are no
reference for a jump or a regime change: the index means another thing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Final

from signals.models import Alert, AlertKind, HeadlineRef, IndexReading, StoredHeadline
from signals.regime import BANDS, BURSTING, band
from signals.stale import grouped_stale
from signals.wording import voice

BREAKING_LABELS: Final[frozenset[str]] = frozenset({"circular_deal", "bubble_warning", "layoffs"})
BREAKING_MAX_AGE: Final[timedelta] = timedelta(hours=24)
JUMP_WINDOW: Final[timedelta] = timedelta(hours=24)
BURSTING_EXIT: Final[timedelta] = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """The values of feeds.yaml `alerts:` the policy needs, plus the local time zone."""

    digest_time: time
    tz: tzinfo
    jump_points: float = 10.0
    hysteresis: float = 3.0
    breaking_confidence: float = 0.8
    breaking_min_sources: int = 2
    breaking_cooldown_hours: float = 6.0


@dataclass(frozen=True, slots=True)
class SentAlert:
    """An alert already claimed in the store (sent_at None: claimed, send not confirmed)."""

    dedup_key: str
    kind: AlertKind
    created_at: datetime
    sent_at: datetime | None = None
    reading_as_of: datetime | None = None
    regime: str | None = None


def decide(
    readings: Sequence[IndexReading],
    sent: Sequence[SentAlert],
    headlines: Sequence[StoredHeadline],
    settings: AlertSettings,
    *,
    now: datetime,
) -> list[Alert]:
    """The alerts to send now, none of whose keys is in `sent`."""
    done = {a.dedup_key for a in sent}
    alerts: list[Alert] = []
    readings = comparable(readings)
    if readings:
        alerts += _regime_change(readings, sent, settings)
        alerts += _jump(readings, sent, settings)
        alerts += _digest(readings[-1], settings, now)
    alerts += _breaking(headlines, sent, settings, now)
    return [a for a in alerts if a.dedup_key not in done]


def comparable(readings: Sequence[IndexReading]) -> list[IndexReading]:
    """The readings on the same scale as the newest one: after `index.model` changes, an
    index of another model is no reference for a jump or a regime change; nor is the v1
    index of a run that could not read the crash model (no probability), whose 62 beside
    a fitted 15 once sent "fell 47 points" (a reading without a target is a legacy one of
    the same kind)."""
    if not readings:
        return []
    current = readings[-1]
    fitted = current.probability is not None
    return [
        r
        for r in readings
        if (r.probability is not None) == fitted and r.target in (current.target, None)
    ]


def _digest(reading: IndexReading, settings: AlertSettings, now: datetime) -> list[Alert]:
    local = now.astimezone(settings.tz)
    if local.time() < settings.digest_time:
        return []
    day = local.date().isoformat()
    title = f"Daily digest {day}: AI bubble index {reading.index:.0f} ({reading.regime})"
    return [Alert("digest", f"digest:{day}", title, summary(reading), reading)]


def confirmed_regimes(readings: Sequence[IndexReading], hysteresis: float) -> list[str]:
    """The hysteresis-confirmed regime after each reading (see the module docstring)."""
    states: list[str] = []
    calm_since: datetime | None = None
    for r in readings:
        if r.regime == BURSTING:
            states.append(BURSTING)
            calm_since = None
        elif states and states[-1] == BURSTING:
            # A drawdown hovering around 10% must not flip the regime back and forth.
            calm_since = calm_since or r.as_of
            left = r.as_of - calm_since >= BURSTING_EXIT
            states.append(band(r.index) if left else BURSTING)
        elif not states:
            states.append(band(r.index))
        else:
            states.append(_move(states[-1], r.index, hysteresis))
    return states


def _move(current: str, value: float, hysteresis: float) -> str:
    names = [name for _, name in BANDS]
    edges = [edge for edge, _ in BANDS]
    pos = names.index(current)
    while pos + 1 < len(names) and value >= edges[pos + 1] + hysteresis:
        pos += 1
    while pos > 0 and value < edges[pos] - hysteresis:
        pos -= 1
    return names[pos]


def _regime_change(
    readings: Sequence[IndexReading], sent: Sequence[SentAlert], settings: AlertSettings
) -> list[Alert]:
    states = confirmed_regimes(readings, settings.hysteresis)
    announced = [a for a in sent if a.kind == "regime_change" and a.regime]
    if announced:
        before = max(announced, key=lambda a: a.created_at).regime
    elif len(states) >= 2:
        before = states[-2]
    else:
        return []
    current = states[-1]
    if current == before:
        return []
    since = len(states) - 1
    while since > 0 and states[since - 1] == current:
        since -= 1
    reading = readings[-1]
    key = f"regime:{current}:{readings[since].as_of.isoformat()}"
    title = f"AI bubble index regime: {before} -> {current} ({reading.index:.0f})"
    return [Alert("regime_change", key, title, summary(reading), reading)]


def _jump(
    readings: Sequence[IndexReading], sent: Sequence[SentAlert], settings: AlertSettings
) -> list[Alert]:
    current = readings[-1]
    floor = current.as_of - JUMP_WINDOW
    last_jump = [a.reading_as_of for a in sent if a.kind == "jump" and a.reading_as_of]
    if last_jump:
        floor = max(floor, *last_jump)
    window = [r for r in readings[:-1] if floor <= r.as_of < current.as_of]
    if not window:
        return []
    ref = max(window, key=lambda r: abs(current.index - r.index))
    move = current.index - ref.index
    if abs(move) < settings.jump_points:
        return []
    hours = (current.as_of - ref.as_of).total_seconds() / 3600
    title = (
        f"AI bubble index {'jumped' if move > 0 else 'fell'} {abs(move):.0f} points in "
        f"{hours:.0f} h to {current.index:.0f} ({current.regime})"
    )
    key = f"jump:{current.as_of.isoformat()}"
    return [Alert("jump", key, title, summary(current), current)]


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


def _breaking(
    headlines: Sequence[StoredHeadline],
    sent: Sequence[SentAlert],
    settings: AlertSettings,
    now: datetime,
) -> list[Alert]:
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


def _qualifies(h: StoredHeadline, settings: AlertSettings, now: datetime) -> bool:
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


def summary(reading: IndexReading) -> str:
    """A plain-text summary of a reading (channels format their own richer version)."""
    change = "" if reading.change is None else f" ({reading.change:+.1f})"
    parts = [f"Index {reading.index:.1f}{change}, regime {reading.regime}."]
    if reading.probability is not None and reading.base_rate is not None:
        # One voice: the sentences the terminal and the page open with (signals.wording).
        said = voice(reading.regime, reading.probability, reading.base_rate, reading.target)
        parts.append(". ".join(said) + f"; froth {reading.froth:.0f}, stress {reading.stress:.0f}.")
        if reading.drivers:
            parts.append("Drivers: " + "; ".join(reading.drivers) + ".")
    top = sorted(
        (c for c in reading.components if c.value is not None), key=lambda c: -c.contribution
    )[:3]
    if top:
        parts.append(
            "Largest contributions: "
            + ", ".join(f"{c.name} {c.value:.0f}" for c in top if c.value is not None)
            + "."
        )
    if reading.stale:
        names = [c.name for c in reading.components]
        grouped = grouped_stale(reading.stale, names, reading.notes)
        parts.append(f"Missing or stale: {'; '.join(grouped)}.")
    return " ".join(parts)
