"""Real headline sets for the classifier's validation tests (texts read from ../shared/data).

Two background sets are drawn from the HuffPost News Category subsets. Their hand labels
live in tests/fixtures/classifier/ keyed by `headline_key`, so the fixtures hold no text.

- background v1 (`sample_v1`): 600 business headlines, random.seed(1). It guided the
  third round of training data and now serves as the calibration set of the abstention
  thresholds: a *tuning* set, not a test.
- background v2 (`sample_v2`): the untouched set. Rule, fixed and labelled before any
  tuning of this round: every distinct headline of the business and tech CSVs that is not
  in v1, then random.Random(20261201).sample of 250 business and 150 tech headlines.
  No training round, threshold calibration or configuration choice may read it.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path
from typing import Final

BUSINESS_CSV: Final[str] = "huffpost_business_news_2012_2022.csv"
TECH_CSV: Final[str] = "huffpost_tech_news_2012_2022.csv"
V1_SEED: Final[int] = 1
V1_SIZE: Final[int] = 600
V2_SEED: Final[int] = 20261201
V2_BUSINESS: Final[int] = 250
V2_TECH: Final[int] = 150


def headline_key(headline: str) -> str:
    """The fixture key of a headline: sha256 of its lowercased, whitespace-collapsed text."""
    return hashlib.sha256(" ".join(headline.lower().split()).encode("utf-8")).hexdigest()


def _headlines(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["headline"] for row in csv.DictReader(handle)]


def sample_v1(data_dir: Path) -> list[str]:
    """Background v1: random.seed(1), random.sample(business rows, 600), in sample order."""
    rows = _headlines(data_dir / BUSINESS_CSV)
    random.seed(V1_SEED)
    return random.sample(rows, V1_SIZE)


def _pool(rows: list[str], excluded: set[str]) -> list[str]:
    seen = set(excluded)
    out = []
    for headline in rows:
        key = headline_key(headline)
        if headline.strip() and key not in seen:
            seen.add(key)
            out.append(headline)
    return out


def sample_v2(data_dir: Path) -> list[str]:
    """Background v2 (never tuned on): 250 business then 150 tech headlines, disjoint from v1."""
    v1 = {headline_key(h) for h in sample_v1(data_dir)}
    business = _pool(_headlines(data_dir / BUSINESS_CSV), v1)
    taken = v1 | {headline_key(h) for h in business}
    tech = _pool(_headlines(data_dir / TECH_CSV), taken)
    rng = random.Random(V2_SEED)
    return rng.sample(business, V2_BUSINESS) + rng.sample(tech, V2_TECH)
