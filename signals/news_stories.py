"""Stories as they were known at each moment: a story's label and weight from the members
published by then, and the changes later members bring (for window sums without look-ahead).

A story is dated by its first headline. Its label is the label with the largest summed
classifier confidence among its members so far ("other" stories count for no label); its
weight is

    weight = confidence * min(1 + 0.25 * (outlets - 1), 2.0) * (0.5 if every date is estimated)

with confidence the best confidence of that label among the members so far (below 0.35 the
story weighs 0) and `outlets` the number of DISTINCT outlets among them. A member published
later may change the label or the weight; that change is a `StoryChange` dated when it
happened, so a reading at time t counts the story as it stood at t.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from signals.labels import NEWS_COMPONENTS
from signals.models import HeadlineRef, StoredHeadline


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The documented constants of a story's weight (see the module docstring)."""

    min_confidence: float = 0.35
    estimated_date_factor: float = 0.5
    outlet_bonus: float = 0.25
    max_outlet_factor: float = 2.0


@dataclass(frozen=True, slots=True)
class Story:
    """One de-duplicated story as of its newest member: label, weight, first publication."""

    key: int
    label: str
    weight: float
    published: datetime
    ref: HeadlineRef


@dataclass(frozen=True, slots=True)
class StoryChanges:
    """For one label: each change of a story's weight for that label, as arrays of the
    story's date (POSIX s), the moment of the change and the change of weight."""

    story_time: np.ndarray
    change_time: np.ndarray
    delta: np.ndarray


def group_members(headlines: Iterable[StoredHeadline]) -> dict[int, list[StoredHeadline]]:
    """Scored headlines by story, each story's members in publication order."""
    groups: dict[int, list[StoredHeadline]] = defaultdict(list)
    for h in headlines:
        if h.score is not None:
            groups[h.story_id if h.story_id > 0 else -h.id].append(h)
    for members in groups.values():
        members.sort(key=lambda h: (h.headline.published, h.id))
    return groups


def build_stories(headlines: Iterable[StoredHeadline], params: StoryParams) -> list[Story]:
    """Every story with a news label, as its given members make it."""
    out = []
    for key, members in group_members(headlines).items():
        label, weight, ref = story_state(members, params)
        if label in NEWS_COMPONENTS:
            out.append(Story(key, label, weight, members[0].headline.published, ref))
    return out


def story_state(
    members: Sequence[StoredHeadline], params: StoryParams
) -> tuple[str, float, HeadlineRef]:
    """(label, weight, best headline) of a story made of exactly these members."""
    totals: dict[str, float] = defaultdict(float)
    for h in members:
        assert h.score is not None
        totals[h.score.label] += h.score.confidence
    label = max(sorted(totals), key=lambda name: totals[name])
    best = max((h for h in members if h.score and h.score.label == label), key=_confidence)
    confidence = _confidence(best)
    outlets = len({h.headline.source for h in members})
    weight = confidence if confidence >= params.min_confidence else 0.0
    weight *= min(1.0 + params.outlet_bonus * (outlets - 1), params.max_outlet_factor)
    if all(h.headline.published_estimated for h in members):
        weight *= params.estimated_date_factor
    item = best.headline
    ref = HeadlineRef(item.title, item.url, item.source, label, confidence, item.published, outlets)
    return label, weight, ref


def story_changes(
    headlines: Iterable[StoredHeadline], params: StoryParams
) -> dict[str, StoryChanges]:
    """Per news label, every change of a story's weight, dated when its member appeared."""
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for members in group_members(headlines).values():
        start = members[0].headline.published.timestamp()
        before: tuple[str, float] = ("", 0.0)
        for i, member in enumerate(members):
            if (
                i + 1 < len(members)
                and members[i + 1].headline.published == member.headline.published
            ):
                continue  # members published at the same instant arrive together
            label, weight, _ = story_state(members[: i + 1], params)
            if (label, weight) == before:
                continue
            at = member.headline.published.timestamp()
            if before[0] in NEWS_COMPONENTS and before[1]:
                rows[before[0]].append((start, at, -before[1]))
            if label in NEWS_COMPONENTS:
                rows[label].append((start, at, weight))
            before = (label, weight)
    return {label: _as_arrays(rows.get(label, [])) for label in NEWS_COMPONENTS}


def story_window_sums(
    changes: StoryChanges, ends: np.ndarray, lo_days: float, hi_days: float
) -> np.ndarray:
    """For each end time E (sorted): the summed weight of stories dated in (E-hi, E-lo], each
    as it stood at E (changes after E are left out)."""
    lo, hi = lo_days * 86400.0, hi_days * 86400.0
    dated = window_sums(changes.story_time, changes.delta, ends, lo_days, hi_days)
    late = changes.change_time > changes.story_time
    start, when, delta = changes.story_time[late], changes.change_time[late], changes.delta[late]
    # A change is counted by `dated` for E in [start+lo, start+hi) but only exists from
    # `when` on: take it back out for E in [start+lo, min(start+hi, when)).
    first = np.searchsorted(ends, start + lo, side="left")
    stop = np.searchsorted(ends, np.minimum(start + hi, when), side="left")
    pending = np.zeros(len(ends) + 1)
    keep = first < stop
    np.add.at(pending, first[keep], delta[keep])
    np.add.at(pending, stop[keep], -delta[keep])
    return np.asarray(dated - np.cumsum(pending)[:-1], dtype=float)


def window_sums(
    times: np.ndarray, weights: np.ndarray, ends: np.ndarray, lo_days: float, hi_days: float
) -> np.ndarray:
    """Sum of weights with time in (end - hi_days, end - lo_days] for each end."""
    order = np.argsort(times, kind="stable")
    t, cum = times[order], np.concatenate([[0.0], np.cumsum(weights[order])])
    upper = np.searchsorted(t, ends - lo_days * 86400.0, side="right")
    lower = np.searchsorted(t, ends - hi_days * 86400.0, side="right")
    return np.asarray(cum[upper] - cum[lower], dtype=float)


def _as_arrays(rows: list[tuple[float, float, float]]) -> StoryChanges:
    data = np.array(rows, dtype=float).reshape(-1, 3)
    return StoryChanges(data[:, 0], data[:, 1], data[:, 2])


def _confidence(h: StoredHeadline) -> float:
    return h.score.confidence if h.score is not None else 0.0
