""" "What changed" between two stored readings, in the words of signals.wording.

One function for the terminal report and the dashboard (Slack's report carries the same
lines). A reading with a fitted probability explains each input's move by what that move
alone did to the probability (signals.crash.moves, with the model that made the reading,
found by its target); a v1 reading by the move of each component's contribution.
Readings are the stored payloads (plain JSON types), read defensively.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from signals.crash.model import CrashModel
from signals.wording import move_sentence, words

Payload = dict[str, Any]
#: Moves smaller than this (index or probability points) are not worth a sentence.
MIN_MOVE: Final[float] = 0.05
MAX_SENTENCES: Final[int] = 5


def what_changed(
    latest: Payload, previous: Payload | None, limit: int = MAX_SENTENCES, *, index: bool = True
) -> list[str]:
    """The moves since the previous reading, biggest first, as sentences. `index=False`
    leaves out the index's own move when a channel says it elsewhere (the compact report's
    Index line); an index that cannot be compared is still said."""
    if previous is None:
        return ["This is the first stored reading: nothing to compare with yet."]
    comparable = (
        _number(latest.get("index")) is not None and _number(previous.get("index")) is not None
    )
    sentences = [index_sentence(latest, previous)] if index or not comparable else []
    probability = _probability_sentence(latest, previous)
    if probability:
        sentences.append(probability)
    if latest.get("regime") != previous.get("regime"):
        sentences.append(
            f"The regime changed from {previous.get('regime')} to {latest.get('regime')}."
        )
    model = _model(latest, previous)
    moves = _v2_moves(latest, previous, model) if model is not None else _v1_moves(latest, previous)
    moves.sort(key=lambda m: -m[0])
    sentences.extend(text for _, text in moves[:limit])
    if not moves:
        sentences.append(f"No input moved by {MIN_MOVE} points or more.")
    return sentences


def index_sentence(latest: Payload, previous: Payload) -> str:
    now_i, old_i = _number(latest.get("index")), _number(previous.get("index"))
    since = _stamp(previous.get("as_of"))
    if now_i is None or old_i is None:
        return f"The previous reading ({since}) has no comparable index."
    if round(now_i, 1) == round(old_i, 1):
        return f"The index is unchanged at {now_i:.1f} since {since}."
    direction = "up" if now_i > old_i else "down"
    moved = f"{abs(now_i - old_i):.1f} points since {since} ({old_i:.1f} → {now_i:.1f})"
    return f"The index is {direction} {moved}."


def _probability_sentence(latest: Payload, previous: Payload) -> str | None:
    now_p, old_p = _number(latest.get("probability")), _number(previous.get("probability"))
    if now_p is None or old_p is None or latest.get("target") != previous.get("target"):
        return None
    delta = 100 * (now_p - old_p)
    if abs(delta) < MIN_MOVE:
        return f"The crash probability is unchanged at {now_p:.0%}."
    verb = "rose" if delta > 0 else "fell"
    return f"The crash probability {verb} {abs(delta):.1f} points ({old_p:.1%} → {now_p:.1%})."


def _v2_moves(latest: Payload, previous: Payload, model: CrashModel) -> list[tuple[float, str]]:
    from signals.crash.moves import input_effects

    before, after = _components(previous), _components(latest)
    values = {n: _number(c.get("value")) for n, c in after.items()}
    effects = input_effects(model, {n: _number(c.get("value")) for n, c in before.items()}, values)
    out: list[tuple[float, str]] = []
    for name, effect in effects.items():
        if abs(effect) * 100 >= MIN_MOVE:
            old = _number(before.get(name, {}).get("value"))
            out.append(
                (abs(effect) * 100, move_sentence(name, old, values.get(name), effect) + ".")
            )
    for name, comp in after.items():
        if name in model.features or not comp.get("unfitted"):
            continue
        if name not in before:
            points = _number(comp.get("contribution")) or 0.0
            if abs(points) >= MIN_MOVE:
                text = f"{words(name)} enters this reading: outside the fitted model, it moves "
                out.append(
                    (abs(points), f"{text}the index {points:+.1f} points, not the probability.")
                )
            continue
        delta = _delta(comp, before[name])
        if delta is not None and abs(delta) >= MIN_MOVE:
            old, new = _number(before[name].get("value")), values.get(name)
            text = move_sentence(name, old, new, None, unfitted=True, index_points=delta)
            out.append((abs(delta), text + "."))
    return out


def _v1_moves(latest: Payload, previous: Payload) -> list[tuple[float, str]]:
    before = _components(previous)
    out: list[tuple[float, str]] = []
    for name, comp in _components(latest).items():
        if name not in before:
            out.append((float("inf"), f"{_title(name)} is new in this reading."))
            continue
        delta = _delta(comp, before[name])
        if delta is not None and abs(delta) >= MIN_MOVE:
            verb = "added" if delta > 0 else "took away"
            values = f"value {_value(before[name].get('value'))} → {_value(comp.get('value'))}"
            out.append((abs(delta), f"{_title(name)} {verb} {abs(delta):.1f} points ({values})."))
    return out


def _model(latest: Payload, previous: Payload) -> CrashModel | None:
    """The shipped model that made both readings (by their target), else None."""
    target = latest.get("target")
    if not target or target != previous.get("target") or latest.get("probability") is None:
        return None
    from monitor.errors import ModelError
    from monitor.reading.crash_model import SHIPPED, shipped
    from signals.basket import target_text

    for name in SHIPPED:
        try:
            model = shipped(name)
        except ModelError:
            continue
        if target_text(model) == target:
            return model
    return None


def _delta(now: dict[str, Any], old: dict[str, Any]) -> float | None:
    a, b = _number(now.get("contribution")), _number(old.get("contribution"))
    return None if a is None or b is None else a - b


def _components(payload: Payload) -> dict[str, dict[str, Any]]:
    comps = payload.get("components")
    rows = [c for c in comps if isinstance(c, dict)] if isinstance(comps, list) else []
    return {str(c.get("name")): c for c in rows}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None


def _value(value: Any) -> str:
    n = _number(value)
    if n is None:
        return "n/a"
    return f"{n:.1f}" if abs(n) >= 10 else f"{n:.2f}"


def _title(name: str) -> str:
    text = " ".join("AI" if w.lower() == "ai" else w for w in name.split("_"))
    return text[:1].upper() + text[1:]


def _stamp(value: Any) -> str:
    if not isinstance(value, str):
        return "n/a"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return "n/a"
    stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")
