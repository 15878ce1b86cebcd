"""The sampling rule of the real-news labelled set (seeded; rows in, chosen rows out).

From the shared headline corpus (`ai_news_headlines_2022_2026.jsonl`) the labelled set takes
(1) every keyword candidate of the rare labels circular_deal, capex_debt, bubble_warning and
ai_demand, (2) a seeded sample of the keyword candidates of `layoffs` (1,671 titles match its
pattern, most of them 2022-23 tech layoffs; all of them would crowd out everything else), and
(3) a seeded random sample of the remaining rows stratified by collection and year, each
stratum getting a share proportional to the square root of its size (at least MIN_STRATUM), so
that thin strata (2024, Hacker News) are not drowned by the 38,000 RSS rows of 2023.

The keyword patterns only pick candidates; the label of every title is read by a person.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Final

SEED: Final[int] = 22
N_LAYOFF_CANDIDATES: Final[int] = 500
N_RANDOM: Final[int] = 1200
MIN_STRATUM: Final[int] = 20

#: Candidate patterns of the rare labels (case-insensitive). Broad on purpose: a pattern
#: that also catches look-alikes (a consumer loan, a non-AI bond) yields hard negatives.
CANDIDATE_PATTERNS: Final[Mapping[str, str]] = {
    "circular_deal": (
        r"\b(circular|vendor financ|round[- ]trip|backstop|warrants?\b"
        r"|invests? in (openai|anthropic|xai|coreweave)"
        r"|stake in (openai|anthropic|coreweave|xai)"
        r"|(nvidia|amd|microsoft|google|amazon|oracle).{0,40}"
        r"(openai|anthropic|coreweave|xai|nebius|lambda).{0,40}(deal|invest|stake|billion|\$))"
    ),
    "capex_debt": (
        r"\b(capex|capital expenditure|data ?cent(er|re)s?|bond (sale|deal|offering)"
        r"|bonds?\b.{0,30}\b(ai|data)|private credit|credit[- ]default|\bcds\b|gigawatt|\bgw\b"
        r"|compute (deal|contract)|borrow|debt|loan)"
    ),
    "bubble_warning": (
        r"\b(bubble|overvalu|froth|short(s|ing|ed)? .{0,20}(ai|nvidia)|bet(s|ting)? against"
        r"|sell(s|ing)? (off|out) .{0,20}stake|dot[- ]?com|hype cycle|ai (winter|crash)"
        r"|no return on)"
    ),
    "ai_demand": (
        r"\b(revenue|earnings|beats|guidance|backlog|annuali[sz]ed|run[- ]rate"
        r"|weekly (active )?users|monthly (active )?users|arr\b|adoption|record (sales|quarter))"
    ),
    "layoffs": (
        r"\b(layoffs?|lay(s|ing)? off|laid off|job cuts?"
        r"|cut(s|ting)? .{0,25}(jobs|staff|workers|employees|workforce|headcount)"
        r"|headcount|buyouts?|hiring freeze|redundanc)"
    ),
}
_COMPILED: Final = {k: re.compile(p, re.IGNORECASE) for k, p in CANDIDATE_PATTERNS.items()}


def title_key(title: str) -> str:
    """The key of a corpus row: sha256 of its lowercased, whitespace-collapsed title.

    Titles are unique in the corpus under this key, and it is the key the project's other
    real-headline fixtures use, so no headline text has to enter the repository.
    """
    return hashlib.sha256(" ".join(title.lower().split()).encode("utf-8")).hexdigest()


def candidate_labels(title: str) -> list[str]:
    """The rare labels whose keyword pattern the title matches."""
    return [label for label, pattern in _COMPILED.items() if pattern.search(title)]


def stratum(row: Mapping[str, str]) -> str:
    return f"{row['collection']}/{row['date'][:4]}"


def sample_rows(rows: Sequence[Mapping[str, str]]) -> list[tuple[Mapping[str, str], str]]:
    """The labelled set's rows with the reason each was chosen, in corpus order.

    Reasons: `candidate:<label>` (the first matching rare label, layoffs last) or
    `random:<collection>/<year>`.
    """
    rng = random.Random(SEED)
    reason: dict[int, str] = {}
    layoff_only: list[int] = []
    for i, row in enumerate(rows):
        labels = candidate_labels(row["title"])
        rare = [label for label in labels if label != "layoffs"]
        if rare:
            reason[i] = f"candidate:{rare[0]}"
        elif labels:
            layoff_only.append(i)
    for i in rng.sample(layoff_only, min(N_LAYOFF_CANDIDATES, len(layoff_only))):
        reason[i] = "candidate:layoffs"
    rest: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if i not in reason:
            rest[stratum(row)].append(i)
    for name, quota in stratum_quotas({k: len(v) for k, v in rest.items()}).items():
        for i in rng.sample(rest[name], quota):
            reason[i] = f"random:{name}"
    return [(rows[i], reason[i]) for i in sorted(reason)]


def stratum_quotas(sizes: Mapping[str, int], total: int = N_RANDOM) -> dict[str, int]:
    """Random draws per stratum: proportional to sqrt(size), at least MIN_STRATUM, capped."""
    weights = {k: math.sqrt(n) for k, n in sizes.items()}
    scale = total / sum(weights.values())
    return {
        k: min(sizes[k], max(MIN_STRATUM, round(w * scale))) for k, w in sorted(weights.items())
    }
