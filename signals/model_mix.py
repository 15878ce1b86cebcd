"""Where the models grow: new public models per week, by kind, as context for the thesis.

The thesis says the bubble is in large language models while the real growth is in
smaller specialised models (biology, chemistry, image and video, time series, robotics).
The share of LLMs among the week's new models on the Hugging Face Hub measures that
directly. It is context beside the reading, never part of the probability: no evaluation
links it to crashes.

Pure: data in, numbers and a sentence out; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

OTHER: Final[str] = "other"
LLM: Final[str] = "llm"


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of model: matched by any of its Hub tags, else by its pipeline tag."""

    name: str
    pipeline_tags: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class WeekMix:
    """New models created in the week starting `week_start` (a Monday), per category."""

    week_start: date
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, category: str) -> float | None:
        return self.counts.get(category, 0) / self.total if self.total else None


def categorize(
    pipeline_tag: str | None, tags: Iterable[str], categories: Sequence[Category]
) -> str:
    """The first category whose domain tags match, else the first whose pipeline tag does.

    Domain tags win: a protein language model tagged `biology` counts as biology even
    though its pipeline is text generation, because it is the specialised kind.
    """
    lowered = {t.lower() for t in tags}
    for category in categories:
        if category.tags & lowered:
            return category.name
    for category in categories:
        if pipeline_tag is not None and pipeline_tag in category.pipeline_tags:
            return category.name
    return OTHER


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def mix_line(series: Sequence[WeekMix], category: str = LLM) -> str | None:
    """ "LLMs were 31% of new models last week, 38% a year ago" from the stored weeks."""
    weeks = sorted((w for w in series if w.total), key=lambda w: w.week_start)
    if not weeks:
        return None
    last = weeks[-1]
    share = last.share(category) or 0.0
    label = "LLMs" if category == LLM else category
    text = f"{label} were {100 * share:.0f}% of the {last.total:,} new models"
    text += f" in the week of {last.week_start}"
    past = _year_ago(weeks, last.week_start)
    if past is not None:
        return f"{text}, {100 * (past.share(category) or 0.0):.0f}% a year ago"
    if len(weeks) > 1:
        first = weeks[0]
        return (
            f"{text}, {100 * (first.share(category) or 0.0):.0f}% in the week of {first.week_start}"
        )
    return text


def _year_ago(weeks: Sequence[WeekMix], last: date) -> WeekMix | None:
    """The stored week closest to 52 weeks before `last`, within two weeks of it."""
    target = last - timedelta(weeks=52)
    near = [w for w in weeks if abs((w.week_start - target).days) <= 14]
    return min(near, key=lambda w: abs((w.week_start - target).days), default=None)


def top_categories(week: WeekMix, n: int = 6) -> list[tuple[str, int, float]]:
    """The week's biggest categories with count and share, biggest first."""
    ranked = sorted(week.counts.items(), key=lambda kv: -kv[1])[:n]
    return [(name, count, count / week.total) for name, count in ranked if week.total]
