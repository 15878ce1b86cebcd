"""The alert policy: which alerts to send now, given readings, sent alerts and headlines.

Pure: the caller passes the readings (oldest first, the last is the current one), the
alerts already claimed or sent (from the store), the recent headlines, the settings and
`now`. Every alert has a deterministic `dedup_key` built from what triggered it, so a
re-run or a restart that sees the same inputs produces the same keys, and the store's
dedup table turns a repeat into a no-op.

Rules (numbers from feeds.yaml `alerts:`):
- digest: once per local day (time zone of `schedule.timezone`) at or after `digest_time`;
  key `digest:YYYY-MM-DD`.
- regime change: the regime is tracked with hysteresis, moving from the regime last
  announced (before any announcement, from the regime the oldest reading says). A fitted
  reading's regime is its own word (signals.crash.regimes: the probability against the
  base rate b, edges at b and ELEVATED x b): the state changes level only when the
  probability passes an edge by `hysteresis` points of probability (up: p >= edge + h;
  down: p < edge - h); above the top edge the reading's word (frothy, bubble) is taken,
  and a switch between frothy and bubble (the GSY flag: a 2-year run-up of 100% or more)
  only once every reading on 5 session days in a row said the new word (signals.flag_hold:
  a run-up hovering at the 100% line flipped it back and forth). A
  v1 reading's (no crash model) regime is the band of its index, with the same margin in
  index points. "bursting" is entered as soon as a reading says so; it is left only after
  the readings have said otherwise for 24 hours (a drawdown hovering at 10% would flip it
  otherwise). An alert goes out when the confirmed regime of the current reading differs
  from the last regime announced (or, before any announcement, from the confirmed regime
  of the previous reading); key `regime:<to>:<as_of where it was confirmed>`.
- jump: the current index differs by >= `jump_points` from a reading within the previous
  24 hours, counting only readings at or after the last jump alert (so a move is
  announced once and the next alert needs another full jump); key `jump:<as_of>`.
- breaking: a large story of a bubble mechanism (signals.breaking); key `breaking:<story id>`.
Readings of another crash target than the current one (`index.model` changed), or of the
other kind (a v1 index of a run without the crash model beside fitted ones), are no
reference for a jump or a regime change: the index means another thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Final

from signals.breaking import BREAKING_LABELS, BREAKING_MAX_AGE, breaking_alerts, is_large_layoff
from signals.crash.regimes import ELEVATED
from signals.flag_hold import FlagHold
from signals.models import Alert, AlertKind, Component, IndexReading, StoredHeadline
from signals.regime import BANDS, BURSTING, band
from signals.stale import grouped_stale
from signals.wording import voice

__all__ = [
    "BREAKING_LABELS",
    "BREAKING_MAX_AGE",
    "AlertSettings",
    "SentAlert",
    "comparable",
    "confirmed_regimes",
    "decide",
    "is_large_layoff",
    "summary",
]

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
    alerts += breaking_alerts(headlines, sent, settings, now)
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


def confirmed_regimes(
    readings: Sequence[IndexReading], hysteresis: float, start: str | None = None
) -> list[str]:
    """The hysteresis-confirmed regime after each reading (see the module docstring),
    moving from `start` (the regime last announced) when given, else from the regime the
    oldest reading says on its own."""
    states: list[str] = []
    calm_since: datetime | None = None
    hold = FlagHold()
    for r in readings:
        if not states and start is not None:
            states.append(start)  # dropped below: the state before the first reading
        held, hold = hold, FlagHold()  # a pending flag switch lasts while readings say it
        if r.regime == BURSTING:
            states.append(BURSTING)
            calm_since = None
        elif states and states[-1] == BURSTING:
            # A drawdown hovering around 10% must not flip the regime back and forth.
            calm_since = calm_since or r.as_of
            left = r.as_of - calm_since >= BURSTING_EXIT
            states.append(_entered(r) if left else BURSTING)
        elif not states:
            states.append(_entered(r))
        elif _fitted(r):
            moved = _move_fitted(states[-1], r, hysteresis / 100)
            state, hold = held.step(states[-1], moved, r.as_of.date())
            states.append(state)
        else:
            states.append(_move(states[-1], r.index, hysteresis))
    return states[1:] if start is not None else states


#: A live (v3) reading's regime levels: calm below the base rate b, warming below
#: ELEVATED x b, then frothy, bubble (GSY flag) or bursting (signals.crash.regimes).
_LEVEL: Final[dict[str, int]] = {"calm": 0, "warming": 1, "frothy": 2, "bubble": 2, BURSTING: 2}


def _fitted(r: IndexReading) -> bool:
    return r.probability is not None and r.base_rate is not None and r.base_rate > 0


def _entered(r: IndexReading) -> str:
    """The regime a reading says on its own: its word when fitted (the rule on the
    probability against the base rate), else the band of its v1 index."""
    return r.regime if _fitted(r) and r.regime in _LEVEL else band(r.index)


def _move_fitted(current: str, r: IndexReading, margin: float) -> str:
    """A fitted reading's regime with hysteresis on the probability: a level's edge (b,
    ELEVATED x b) must be passed by `margin` (3 index points are 3 points of probability)
    to move; above the top edge the reading's own word says which (frothy or bubble)."""
    assert r.probability is not None and r.base_rate is not None
    edges = (0.0, r.base_rate, ELEVATED * r.base_rate)
    level = _LEVEL.get(current, _LEVEL.get(_entered(r), 0))
    while level < 2 and r.probability >= edges[level + 1] + margin:
        level += 1
    while level > 0 and r.probability < edges[level] - margin:
        level -= 1
    if level < 2:
        return ("calm", "warming")[level]
    if _LEVEL.get(r.regime) == 2:
        return r.regime
    return current if _LEVEL.get(current) == 2 else "frothy"


def _move(current: str, value: float, hysteresis: float) -> str:
    names = [name for _, name in BANDS]
    edges = [edge for edge, _ in BANDS]
    pos = names.index(current) if current in names else names.index(band(value))
    while pos + 1 < len(names) and value >= edges[pos + 1] + hysteresis:
        pos += 1
    while pos > 0 and value < edges[pos] - hysteresis:
        pos -= 1
    return names[pos]


def _regime_change(
    readings: Sequence[IndexReading], sent: Sequence[SentAlert], settings: AlertSettings
) -> list[Alert]:
    announced = [a for a in sent if a.kind == "regime_change" and a.regime]
    before = max(announced, key=lambda a: a.created_at).regime if announced else None
    # From the regime announced, not from the oldest reading of the window: re-derived from
    # a window start that crossed an edge, the state flapped inside the hysteresis zone.
    states = confirmed_regimes(readings, settings.hysteresis, start=before)
    if before is None and len(states) < 2:
        return []
    before = before or states[-2]
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
    minutes = (current.as_of - ref.as_of).total_seconds() / 60
    # `report` stores a reading whenever it runs: a move within the hour is no "0 h".
    took = f"{minutes:.0f} min" if minutes < 59.5 else f"{minutes / 60:.0f} h"
    title = (
        f"AI bubble index {'jumped' if move > 0 else 'fell'} {abs(move):.0f} points in "
        f"{took} to {current.index:.0f} ({current.regime})"
    )
    key = f"jump:{current.as_of.isoformat()}"
    return [Alert("jump", key, title, summary(current), current)]


def summary(reading: IndexReading) -> str:
    """A plain-text summary of a reading (channels format their own richer version)."""
    change = "" if reading.change is None else f" ({reading.change:+.1f})"
    parts = [f"Index {reading.index:.1f}{change}, regime {reading.regime}."]
    if reading.probability is not None and reading.base_rate is not None:
        # One voice: the sentences the terminal and the page open with (signals.wording).
        said = voice(reading.regime, reading.probability, reading.base_rate, reading.target)
        axes = (("froth", reading.froth), ("stress", reading.stress))
        shown = [f"{name} {value:.0f}" for name, value in axes if value is not None]
        parts.append(". ".join(said) + (f"; {', '.join(shown)}." if shown else "."))
        if reading.drivers:
            parts.append("Drivers: " + "; ".join(reading.drivers) + ".")
    top = sorted(
        (c for c in reading.components if c.value is not None), key=lambda c: -c.contribution
    )[:3]
    if top:
        parts.append(f"Largest contributions: {_contributions(top, reading.probability)}.")
    if reading.stale:
        names = [c.name for c in reading.components]
        grouped = grouped_stale(reading.stale, names, reading.notes)
        parts.append(f"Missing or stale: {'; '.join(grouped)}.")
    return " ".join(parts)


def _contributions(top: Sequence[Component], probability: float | None) -> str:
    """A fitted reading's components in index points, as the Slack fields show them (their
    values are in their own units: a run-up of 1.02, a short-interest rank of 95); a v1
    reading's as their values out of 100."""
    if probability is None:
        return ", ".join(f"{c.name.replace('_', ' ')} {c.value:.0f}/100" for c in top)
    points = ", ".join(f"{c.name.replace('_', ' ')} {c.contribution:+.1f}" for c in top)
    return f"{points} points"
