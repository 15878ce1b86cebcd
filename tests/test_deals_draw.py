"""The candidate draws of the labelled deal sets (monitor.research.deals_eval): the
keyword candidates and the second stratum of titles naming two parties without a deal
keyword. A tiny in-test corpus; no shared data."""

from __future__ import annotations

from monitor.research.deals_eval import (
    deal_candidates,
    headline_key,
    wordless_candidates,
)
from signals.deals.entities import EntityTable

TABLE = EntityTable.build(["OpenAI", "Oracle", "CoreWeave", "Nvidia"])
ROWS = [
    ("2025-09-10", "Oracle to Supply OpenAI With 2 Million AI Chips"),  # keyword: chips
    ("2025-09-11", "Microsoft and OpenAI team up on new models"),  # two parties, no keyword
    ("2025-09-12", "Microsoft and OpenAI team up on new models"),  # same title, later day
    ("2025-09-12", "OpenAI team up with a startup"),  # one party
    ("2025-09-13", "Nvidia supplies CoreWeave with Blackwell racks"),  # two parties
    ("2025-09-14", "Microsoft to invest in OpenAI"),  # keyword: invest
    ("2025-09-15", "Amazon and Google face a regulator"),  # labelled elsewhere
]


def test_wordless_candidates_name_two_parties_and_no_deal_keyword() -> None:
    got = wordless_candidates(ROWS, TABLE, {"Amazon and Google face a regulator"})
    assert got == sorted(
        [
            (headline_key("2025-09-11", ROWS[1][1]), ROWS[1][1]),
            (headline_key("2025-09-13", ROWS[4][1]), ROWS[4][1]),
        ]
    )


def test_the_two_strata_do_not_overlap() -> None:
    with_amount, without = deal_candidates(ROWS, TABLE, set())
    wordless = wordless_candidates(ROWS, TABLE, set())
    keyword_titles = {t for _, t in with_amount + without}
    assert keyword_titles == {ROWS[0][1], ROWS[5][1]}
    assert keyword_titles.isdisjoint(t for _, t in wordless)
    assert len(wordless) == 3  # the two above and the unlabelled Amazon-Google title
