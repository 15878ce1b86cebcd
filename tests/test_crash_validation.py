"""Index v2 on the real data in ../shared/data: the GSY replication and the walk-forward.

Rules stated before the first run (docs/index-v2.md, "Pre-registered evaluation rules"):
the replication holds when the episode count is within +-25% of the published 40 and the
crash share within +-15 points of the published 21/40; the model "beats" a baseline when
both its out-of-sample Brier skill and its AUC are higher.
"""

from __future__ import annotations

import pytest

from monitor.sources.french.industries49 import read_french49
from signals.crash.gsy import replication
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.validation
FRENCH = "ff49_industry_portfolios_1926_2014.csv"
PUBLISHED_EPISODES = 40
PUBLISHED_SHARE = 21 / 40


@pytest.fixture(scope="module")
def gsy() -> dict[str, object]:
    if not (SHARED_DATA / FRENCH).is_file():
        pytest.skip(f"{SHARED_DATA / FRENCH} is absent (validation needs ../shared/data)")
    return replication(read_french49(SHARED_DATA / FRENCH))


def test_gsy_episode_count_within_25_percent_of_published(gsy: dict[str, object]) -> None:
    assert 0.75 * PUBLISHED_EPISODES <= gsy["episodes"] <= 1.25 * PUBLISHED_EPISODES  # type: ignore[operator]


def test_gsy_crash_share_within_15_points_of_published(gsy: dict[str, object]) -> None:
    assert abs(gsy["crash_share"] - PUBLISHED_SHARE) <= 0.15  # type: ignore[operator]


def test_gsy_larger_run_ups_crash_more_often_from_50_to_100_percent(
    gsy: dict[str, object],
) -> None:
    # The published 150% share (80%) is NOT reproduced (ours: 50% of 24); see the docs.
    shares = {row["threshold"]: row["crash_share"] for row in gsy["by_threshold"]}  # type: ignore[attr-defined]
    assert shares[0.5] < shares[1.0]
