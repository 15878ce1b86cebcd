"""Feed kinds and the prevalence of each label in each kind, from the labelled corpus sample.

A feed's kind (feeds.yaml `kind:`) says what traffic it carries, and so how often each
label occurs in it: a Google News search for "AI bubble" is mostly bubble talk, a general
tech feed almost never. The abstention thresholds are calibrated per kind on these
prevalences. Corpus rows map to kinds as follows:

- `ai`: the AI-only collections (AI-filtered RSS of steviesims-ainewsdaily, TLDR AI/Tech);
- `finance`: rows whose outlet is a financial newsroom (FINANCE_SOURCES);
- `general_tech`: every other row (tech outlets, RSS snapshots, Hacker News);
- `search`: the keyword candidates (titles matching a label's search pattern, like the
  results of the configured searches). A candidate counts for its collection's kind too.

The sample is stratified, so each labelled row stands for 1 / (its inclusion probability)
corpus rows; prevalence is the weighted share of each label. Only the train/tune period is
used: the test period never sets a threshold.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Final

from signals.classifier.realnews.labels import LabelRow
from signals.classifier.realnews.sample import (
    N_LAYOFF_CANDIDATES,
    candidate_labels,
    stratum,
    stratum_quotas,
)
from signals.labels import LABELS

FEED_KINDS: Final[tuple[str, ...]] = ("general_tech", "ai", "finance", "search")
#: The kind of a feed whose feeds.yaml entry names none.
DEFAULT_KIND: Final[str] = "general_tech"
AI_COLLECTIONS: Final[frozenset[str]] = frozenset({"steviesims-ainewsdaily", "tldr-newsletter"})
FINANCE_SOURCES: Final[frozenset[str]] = frozenset(
    {"Bloomberg", "WSJ", "The Wall Street Journal", "FT", "CNBC", "Reuters", "Fortune"}
)
#: A label no weighted row carries gets this share, so precision stays defined.
FLOOR: Final[float] = 0.001


def row_kind(collection: str, source: str) -> str:
    """The kind of feed a corpus row was published in (see the module docstring)."""
    if collection in AI_COLLECTIONS:
        return "ai"
    if source in FINANCE_SOURCES:
        return "finance"
    return "general_tech"


def inclusion_weights(corpus: Sequence[Mapping[str, str]]) -> dict[str, float]:
    """Per sampling reason (`candidate:<label>` or `random:<stratum>`): rows per sampled row."""
    layoff_only = 0
    rest: Counter[str] = Counter()
    for row in corpus:
        labels = candidate_labels(row["title"])
        if labels == ["layoffs"]:
            layoff_only += 1
        elif not labels:
            rest[stratum(row)] += 1
    weights = {f"candidate:{label}": 1.0 for label in LABELS}
    weights["candidate:layoffs"] = layoff_only / min(N_LAYOFF_CANDIDATES, layoff_only or 1)
    quotas = stratum_quotas(rest)
    # Rows of a stratum that were neither candidates nor drawn are counted in `rest`.
    weights.update({f"random:{k}": rest[k] / q for k, q in quotas.items() if q})
    return weights


def kind_prevalence(
    rows: Sequence[LabelRow], sources: Mapping[str, str], weights: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    """Per feed kind, each label's weighted share (sums to 1) over `rows`.

    `sources`: corpus key -> outlet; `weights`: `inclusion_weights` of the corpus.
    """
    mass: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        weight = weights.get(row.reason, 1.0)
        mass[row_kind(row.collection, sources.get(row.key, ""))][row.label] += weight
        if row.reason.startswith("candidate:"):
            mass["search"][row.label] += weight
    out: dict[str, dict[str, float]] = {}
    for kind in FEED_KINDS:
        total = sum(mass[kind].values())
        shares = {
            label: max(mass[kind][label] / total if total else 0.0, FLOOR) for label in LABELS
        }
        norm = sum(shares.values())
        out[kind] = {label: round(v / norm, 5) for label, v in shares.items()}
    return out


def kind_counts(rows: Sequence[LabelRow], sources: Mapping[str, str]) -> dict[str, int]:
    """How many labelled rows stand for each kind (the sample behind each prevalence)."""
    counts = Counter(row_kind(r.collection, sources.get(r.key, "")) for r in rows)
    counts["search"] = sum(r.reason.startswith("candidate:") for r in rows)
    return {kind: counts[kind] for kind in FEED_KINDS}
