"""How often each label occurs in real feed traffic: the prevalence the classifier faces.

A held-out set with a label per class in equal measure says little about a live feed, where
most titles are `other`. The default feed mix is estimated from real snapshots of the
configured feeds (../shared/data/feeds, hand-labelled in
tests/fixtures/classifier/realworld_labels.json; a validation test recomputes these numbers
from the files): titles per day = entries / days between the oldest and newest entry, and
each label's share of the hand labels. The five Google News searches in feeds.yaml have no
snapshot and are left out, which understates the bubble labels' prevalence (those searches
target them): thresholds calibrated on this mix are on the cautious side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from signals.labels import LABELS

#: A label that no snapshot title carries is given half a title of the pooled sample, so
#: that its prevalence is small but not zero (precision is undefined at zero prevalence).
UNSEEN_COUNT: Final[float] = 0.5


@dataclass(frozen=True)
class FeedSample:
    """One feed's labelled snapshot: its volume and the hand labels of its titles."""

    name: str
    titles_per_day: float
    counts: Mapping[str, int]

    @property
    def n(self) -> int:
        return sum(self.counts.values())


#: The configured feeds with a real snapshot (feeds.yaml name <- snapshot file):
#: techcrunch-ai <- techcrunch_ai_category_2026-08-17_rss.xml (20 titles over 4.15 days),
#: theverge-ai <- theverge_ai_2026-08-17_atom.xml (10 over 3.55 days), cnbc-technology <-
#: cnbc_world_top_news_2026-03-08_rss.xml (30 over 12.03 days; the nearest CNBC snapshot).
DEFAULT_FEEDS: Final[tuple[FeedSample, ...]] = (
    FeedSample(
        "techcrunch-ai",
        20 / 4.15,
        {"other": 14, "funding_round": 3, "circular_deal": 1, "capex_debt": 1, "ai_demand": 1},
    ),
    FeedSample("theverge-ai", 10 / 3.55, {"other": 10}),
    FeedSample("cnbc-technology", 30 / 12.03, {"other": 29, "ai_demand": 1}),
)


def titles_per_day(feeds: Sequence[FeedSample]) -> dict[str, float]:
    """Expected titles per day of each label from the whole mix."""
    rates = dict.fromkeys(LABELS, 0.0)
    for feed in feeds:
        for label, count in feed.counts.items():
            rates[label] += feed.titles_per_day * count / feed.n
    total = sum(f.titles_per_day for f in feeds)
    pooled = sum(f.n for f in feeds)
    for label in LABELS:
        if label != "other" and rates[label] == 0.0:
            rates[label] = total * UNSEEN_COUNT / pooled
    return rates


def prevalence(feeds: Sequence[FeedSample] = DEFAULT_FEEDS) -> dict[str, float]:
    """Each label's share of the mix's titles (sums to 1)."""
    rates = titles_per_day(feeds)
    total = sum(rates.values())
    return {label: rate / total for label, rate in rates.items()}
