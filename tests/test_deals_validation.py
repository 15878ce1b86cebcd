"""Deal extraction on real titles (../shared/data): precision, recall and amounts on the
hand-labelled sets, and the loops of the whole corpus's graph.

Targets (issue 23): pair precision >= 0.8, recall >= 0.7, amounts within 10% where the
label gives one. Round 1's test half missed recall (0.667); round 2 tuned on it and
measured a new set, test2, drawn and labelled before round 2's rules: recall missed again
(0.560). Round 3 tuned on test2 too, so both are development data here, checked as such;
the untouched set of round 3 (test3, drawn and labelled by someone else before round 3's
rules were frozen) missed both targets (precision 0.558, recall 0.444), and so did test4
(round 4: 0.708 / 0.540 by the rules, which stay the pipeline's reader; the pair model,
off by default, 0.591 / 0.619), stated below as strict xfails. docs/circular-deals.md has
the figures and the misses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config.feeds_yaml import load_config
from monitor.reading.circular import circular_document, entity_table
from monitor.reading.deals_extract import extract_new_deals
from monitor.research.deals_eval import corpus_headlines, load_labels, load_titles
from monitor.store import Store
from monitor.store.deals import load_deals
from monitor.store.deals_seed import seed_deals
from monitor.store.headlines import insert_headlines
from signals.deals.evaluate import Result, evaluate
from signals.deals.graph import build_graph
from tests.conftest import FIXTURES

pytestmark = pytest.mark.validation
CORPUS = "ai_news_headlines_2022_2026.jsonl"


def _scored(half: str) -> Result:
    from tests.conftest import SHARED_DATA

    if not (SHARED_DATA / CORPUS).is_file():
        pytest.skip(f"real data {SHARED_DATA / CORPUS} is absent (validation needs ../shared/data)")
    labels = [x for x in load_labels(FIXTURES / "deals" / "labels.tsv") if x.half == half]
    titles = load_titles(SHARED_DATA / CORPUS)
    return evaluate(labels, titles, entity_table(load_config(None)))


@pytest.fixture(scope="module")
def test_half() -> Result:
    """Round 1's test half: development data since round 2."""
    return _scored("test")


@pytest.fixture(scope="module")
def test2() -> Result:
    """Round 2's test set (measured once with round 2's rules frozen): development data
    since round 3."""
    return _scored("test2")


@pytest.fixture(scope="module")
def test3() -> Result:
    """Round 3's untouched set: drawn and labelled by another hand before round 3's rules
    were frozen (2bfebea), measured once after the freeze."""
    return _scored("test3")


@pytest.mark.xfail(
    strict=True,
    reason="missed: test3 precision 0.558 (24/43) measured once, 0.585 after later fixes < 0.8",
)
def test_pair_precision_on_test3(test3: Result) -> None:
    assert test3.precision >= 0.8, test3.summary()


@pytest.mark.xfail(
    strict=True, reason="missed: test3 recall 0.444 (24/54) < 0.7 (docs/circular-deals.md)"
)
def test_pair_recall_on_test3(test3: Result) -> None:
    assert test3.recall >= 0.7, test3.summary()


@pytest.fixture(scope="module")
def test4() -> Result:
    """Round 4's untouched set (drawn and labelled while the pair model was built, before
    its freeze), measured once on the pipeline's reader, the rules alone."""
    return _scored("test4")


@pytest.mark.xfail(
    strict=True,
    reason="missed: test4 precision 0.708 (34/48) measured once, 0.723 after later fixes < 0.8",
)
def test_pair_precision_on_test4(test4: Result) -> None:
    assert test4.precision >= 0.8, test4.summary()


@pytest.mark.xfail(
    strict=True, reason="missed: test4 recall 0.540 (34/63) < 0.7 (docs/circular-deals.md)"
)
def test_pair_recall_on_test4(test4: Result) -> None:
    assert test4.recall >= 0.7, test4.summary()


def test_the_labels_are_split_in_halves_and_later_test_sets() -> None:
    labels = load_labels(FIXTURES / "deals" / "labels.tsv")
    halves = ("tune", "test", "test2", "test3", "test4")
    sizes = [sum(1 for x in labels if x.half == h) for h in halves]
    assert sizes == [100, 100, 136, 180, 180] and len({x.key for x in labels}) == 696


def test_pair_precision_on_test2_now_development_data(test2: Result) -> None:
    # Round 2 measured 0.848 (56/66) here with its rules frozen; round 3's rules were made
    # on these titles (0.935, 87/93): a development figure, not a test.
    assert test2.precision >= 0.8, test2.summary()


def test_amounts_within_ten_percent_on_test2(test2: Result) -> None:
    # Round 2: 40/40; round 3: 48/48.
    assert test2.amounts_given >= 20 and test2.amount_accuracy >= 0.9, test2.summary()


def test_pair_recall_on_test2_now_development_data(test2: Result) -> None:
    # Round 2 measured 0.560 (56/100) here (missed, then a strict xfail); round 3's rules
    # were made on these titles (0.870, 87/100): a development figure, not a test.
    assert test2.recall >= 0.7, test2.summary()


def test_pair_precision_on_the_test_half(test_half: Result) -> None:
    assert test_half.precision >= 0.8, test_half.summary()


def test_amounts_within_ten_percent_on_the_test_half(test_half: Result) -> None:
    assert test_half.amounts_given >= 20 and test_half.amount_accuracy >= 0.9, test_half.summary()


def test_pair_recall_on_the_old_test_half_now_development_data(test_half: Result) -> None:
    # Round 1 measured 0.667 here (missed); round 2's rules were made on these titles, so
    # this is a development figure (0.833 after round 2, 0.864 after round 3), not a test.
    assert test_half.recall >= 0.7, test_half.summary()


@pytest.mark.slow
def test_the_corpus_graph_has_the_loops_the_articles_describe(
    shared_data: Path, tmp_path: Path
) -> None:
    now = datetime(2026, 7, 31, tzinfo=UTC)
    headlines = corpus_headlines(shared_data / CORPUS)
    with Store(tmp_path / "corpus.db") as store:
        ids = insert_headlines(store, headlines, fetched_at=now)
        extract_new_deals(store, entity_table(load_config(None)), ids, now=now)
        extracted = load_deals(store)
        seed_deals(store, now=now)
        both = load_deals(store)
    # CoreWeave pays no one in the extracted deals (no title says it buys Nvidia's chips
    # in deal words), so it is on a loop only with the starting graph.
    for deals, named in ((extracted, set()), (both, {"CoreWeave"})):
        doc = circular_document(deals, now=now)
        graph = build_graph(deals)
        loops = [set(c.members) for c in graph.cycles if c.amount_usd > 0]
        assert {"Nvidia", "OpenAI", "Oracle"} in loops
        on_loops = {n for e in graph.edges if e.on_cycle for n in (e.payer, e.payee)}
        assert {"Nvidia", "OpenAI", "Oracle", "AMD", "Microsoft"} | named <= on_loops
        assert doc["series"][0]["month"] == "2023-01"
        assert doc["circular_usd"] > 100e9 and 0.5 < doc["circular_share"] < 1
