"""The deal pair model (round 4 of docs/circular-deals.md): the shipped head loads offline
from the package, a missing or bad head or a failing encoder leaves the rules alone with
a named warning, features are deterministic and (A, B) differs from (B, A), settling and
amounts follow the rules' conventions, hostile titles stay fast; and (validation) the
shipped head reproduces from `train` with the out-of-fold figures documented."""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from monitor.config.feeds_yaml import load_config
from monitor.reading.circular import entity_table
from monitor.reading.deals_extract import extract_new_deals, read_titles
from monitor.reading.deals_model import (
    DEFAULT_PAIR_HEAD,
    PairModel,
    PairModelWarning,
    load_pair_head,
    load_pair_model,
)
from monitor.reading.minilm import default_model_id
from monitor.store import Store
from monitor.store.deals import load_deals
from monitor.store.headlines import insert_headlines
from signals.classifier.encoder import DIM, Vectors
from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.pairmodel import PairHead, decide, extract_many, head_from_json, head_to_json
from signals.deals.pairs import MARKS, pair_matrix, settle, title_pairs, width
from signals.models import Headline

NOW = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def table() -> EntityTable:
    return entity_table(load_config(None))


class HashEncoder:
    """A deterministic stand-in encoder: each (text, mark) gets a fixed pseudo-random unit
    vector. Counts the texts it was asked for."""

    model_id = "hash-encoder"

    def __init__(self) -> None:
        self.texts = 0

    def encode_marks(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        out = np.zeros((len(texts), len(MARKS), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for j, mark in enumerate(MARKS):
                if mark in text:
                    seed = int(hashlib.sha1(f"{text}|{mark}".encode()).hexdigest()[:8], 16)
                    v = np.random.default_rng(seed).standard_normal(DIM)
                    out[i, j] = v / np.linalg.norm(v)
        return out


class BrokenEncoder:
    model_id = "broken"

    def encode_marks(self, texts: Sequence[str]) -> Vectors:
        raise RuntimeError("encoder down")


def _head(names: tuple[str, ...] = (), *, rule_weight: float = 4.0) -> PairHead:
    """A head that follows the rules' A -> B feature only (the rest weighs nothing)."""
    coef = np.zeros(width(names))
    coef[2 * DIM + 10 + 2 * len(names)] = rule_weight  # rule_ab
    return PairHead("hash-encoder", names, coef, -2.0, 0.5, {})


# --- the shipped head ----------------------------------------------------------------------


def test_shipped_head_loads_from_the_package_and_names_its_encoder() -> None:
    head = load_pair_head()
    assert DEFAULT_PAIR_HEAD.parent.name == "deals" and DEFAULT_PAIR_HEAD.is_file()
    assert head.model_id == default_model_id()
    assert head.coef.shape == (width(head.names),) and 0 < head.threshold < 1
    assert DEFAULT_PAIR_HEAD.stat().st_size < 50_000  # a small JSON file, no pickle


def test_shipped_model_reads_the_issues_examples_offline(table: EntityTable) -> None:
    """The packaged all-MiniLM-L6-v2 is read from local files (sockets are disabled in
    tests): the examples of issue 23 come out as the rules read them."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PairModelWarning)
        model = load_pair_model()
    assert isinstance(model, PairModel)
    titles = [
        "Oracle, OpenAI Sign $300 Billion Cloud Deal",
        "Microsoft invests $10 billion in OpenAI",
        "More customers use Anthropic than OpenAI",
        "Other income at Amazon and Alphabet",
        "Nvidia reports record revenue",
    ]
    read = read_titles(titles, table, model)
    pairs = [[(d.payer, d.payee, d.amount_usd) for d in ds] for ds in read]
    assert pairs == [
        [("OpenAI", "Oracle", 300e9)],
        [("Microsoft", "OpenAI", 10e9)],
        [],
        [],
        [],
    ]


def test_pair_rows_of_a_and_b_differ_from_b_and_a_with_the_real_encoder(
    table: EntityTable,
) -> None:
    model = load_pair_model()
    assert model is not None
    item = title_pairs("Nvidia to invest in OpenAI", table)
    assert item is not None and item.pairs == (("Nvidia", "OpenAI"), ("OpenAI", "Nvidia"))
    marks = model.encoder.encode_marks([item.marked])
    rows = pair_matrix(item, marks[0], model.head.names)
    assert not np.allclose(rows[0], rows[1])
    p = model.head.probabilities(rows)
    assert p[0] > model.head.threshold > p[1]


# --- without the model ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read deal pair head"),
        ("{not json", "not JSON"),
        ('{"format": 1, "names": [], "coef": [1, 2], "intercept": 0, "threshold": 0.5,'
         ' "model_id": "x"}', "coef must be"),
        ('{"format": 9}', "not a deal pair head"),
    ],
)  # fmt: skip
def test_a_missing_or_bad_head_leaves_the_rules_alone_with_a_named_warning(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "pair_head.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.warns(PairModelWarning, match=reason) as caught:
        assert load_pair_model(path) is None
    message = str(caught[0].message)
    assert str(path) in message and "rules alone" in message


def test_a_head_of_another_encoder_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "pair_head.json"
    path.write_text(head_to_json(_head()), encoding="utf-8")  # fitted on "hash-encoder"
    with pytest.warns(PairModelWarning, match="was fitted on 'hash-encoder'"):
        assert load_pair_model(path) is None
    assert load_pair_model(path, encoder=HashEncoder()) is not None


def test_a_nan_coefficient_is_refused() -> None:
    text = head_to_json(_head()).replace('"intercept": -2.0', '"intercept": NaN')
    with pytest.raises(ValueError, match="intercept must be finite"):
        head_from_json(text, "x.json")


def test_a_failing_encoder_falls_back_to_the_rules_with_a_warning(table: EntityTable) -> None:
    titles = ["Microsoft invests $10 billion in OpenAI", "Nvidia reports record revenue"]
    model = PairModel(_head(), BrokenEncoder())
    with pytest.warns(PairModelWarning, match="RuntimeError: encoder down"):
        read = read_titles(titles, table, model)
    assert read == [extract_deals(t, table) for t in titles]


def test_extract_new_deals_reads_by_the_rules_alone_when_told(
    store: Store, table: EntityTable
) -> None:
    headline = Headline("Microsoft invests $10 billion in OpenAI", "https://x.example/1",
                        "outlet", "feed", NOW)  # fmt: skip
    ids = insert_headlines(store, [headline], fetched_at=NOW)
    counts = extract_new_deals(store, table, ids, now=NOW, model=None)
    assert counts.new == 1
    (deal,) = load_deals(store)
    assert (deal.payer, deal.payee, deal.amount_usd) == ("Microsoft", "OpenAI", 10e9)


# --- features, settling, amounts -----------------------------------------------------------


def test_features_are_deterministic_and_marks_hide_the_names(table: EntityTable) -> None:
    title = "Oracle, OpenAI Sign $300 Billion Cloud Deal with Nvidia chips"
    first, second = title_pairs(title, table), title_pairs(title, table)
    assert first is not None and first == second
    assert (
        first.marked == "Alpha Corp, Beta Corp Sign $300 Billion Cloud Deal with Gamma Corp chips"
    )
    encoder = HashEncoder()
    a = pair_matrix(first, encoder.encode_marks([first.marked])[0], ("OpenAI",))
    b = pair_matrix(first, encoder.encode_marks([first.marked])[0], ("OpenAI",))
    assert np.array_equal(a, b) and a.shape == (6, width(("OpenAI",)))
    ab, ba = first.pairs.index(("Oracle", "OpenAI")), first.pairs.index(("OpenAI", "Oracle"))
    assert not np.array_equal(a[ab], a[ba])


def test_settle_keeps_one_direction_unless_the_rules_read_both() -> None:
    p = {("A", "B"): 0.9, ("B", "A"): 0.7, ("A", "C"): 0.6, ("C", "A"): 0.6}
    assert settle(p, 0.5, set(), may_add=True) == {("A", "B")}
    assert settle(p, 0.5, {("A", "B"), ("B", "A")}, may_add=True) == {("A", "B"), ("B", "A")}
    # a closed title: the model can only keep what the rules read
    assert settle(p, 0.5, {("B", "A")}, may_add=False) == {("B", "A")}
    assert settle(p, 0.95, {("A", "B")}, may_add=True) == set()


def test_titles_the_rules_close_or_that_compare_parties_are_closed(table: EntityTable) -> None:
    closed = [
        "More customers use Anthropic than OpenAI",
        "Microsoft has no plans to invest in OpenAI",
        "Google pays Apple $20 billion for Safari search",
        "Nvidia and AMD report earnings",
    ]
    for title in closed:
        item = title_pairs(title, table)
        assert item is not None and not item.may_add, title
    item = title_pairs("Amazon expands partnership with Anthropic", table)
    assert item is not None and item.may_add


def test_a_pair_only_the_model_reads_carries_no_amount(table: EntityTable) -> None:
    read = title_pairs("Amazon and Anthropic expand $4 billion partnership", table)
    assert read is not None and read.rules  # the rules read it: their draft is kept
    (kept,) = decide(read, np.array([0.9, 0.1]), 0.5)
    assert kept == read.rules[0] and kept.amount_usd == 4e9
    one = replace(read, rules=())  # as if the rules had read nothing: the model adds it
    (draft,) = decide(one, np.array([0.9, 0.1]), 0.5)
    assert (draft.payer, draft.payee, draft.amount_usd) == ("Amazon", "Anthropic", None)
    assert draft.kind == "compute" and draft.confidence == 0.9  # no equity word: compute


def test_extract_many_matches_the_rules_when_the_head_only_follows_them(
    table: EntityTable,
) -> None:
    titles = [
        "Microsoft invests $10 billion in OpenAI",
        "Oracle, OpenAI Sign $300 Billion Cloud Deal",
        "Nvidia and AMD report earnings",
        "Nvidia reports record revenue",
    ]
    encoder = HashEncoder()
    read = extract_many(titles, table, _head(), encoder)
    assert read == [extract_deals(t, table) for t in titles]
    assert encoder.texts == 2  # the closed title and the one-party title are not encoded


# --- hostile titles ------------------------------------------------------------------------


def test_hostile_titles_stay_fast_and_fall_to_the_rules(table: EntityTable) -> None:
    names = ", ".join(["Nvidia", "OpenAI", "AMD", "Oracle", "Microsoft", "Google"] * 3_334)
    titles = [
        f"{names} invest $10 billion in Anthropic",  # 20,004 party names
        "Microsoft invests $10 billion in OpenAI " + "and more " * 20_000,  # very long
        "x" * 1_000_000,
        "",
    ]
    encoder = HashEncoder()
    started = time.perf_counter()
    read = extract_many(titles, table, _head(), encoder)
    assert time.perf_counter() - started < 5.0
    assert read[0] == extract_deals(titles[0], table)  # more than six parties: the rules
    assert [(d.payer, d.payee) for d in read[1]] == [("Microsoft", "OpenAI")]
    assert read[2:] == [[], []]
    assert encoder.texts == 1


# --- validation: the shipped head reproduces -----------------------------------------------


@pytest.mark.validation
@pytest.mark.slow
def test_train_reproduces_the_shipped_head_and_its_out_of_fold_figures() -> None:
    from monitor.reading.deals_model import MiniLMMarkEncoder
    from monitor.research.deals_train import train
    from tests.conftest import FIXTURES, SHARED_DATA

    corpus = SHARED_DATA / "ai_news_headlines_2022_2026.jsonl"
    if not corpus.is_file():
        pytest.skip(f"real data {corpus} is absent (validation needs ../shared/data)")
    result = train(
        FIXTURES / "deals" / "labels.tsv",
        FIXTURES / "deals" / "era_rule_pairs.tsv",
        corpus,
        entity_table(load_config(None)),
        MiniLMMarkEncoder(threads=1),
    )
    shipped = load_pair_head()
    assert result.head.names == shipped.names
    assert result.head.meta["C"] == shipped.meta["C"] == 30.0
    assert result.head.threshold == shipped.threshold == 0.52
    # The same head by what it decides: with C = 30 (little shrinkage) the weights move with
    # the encoder's float noise between installs (up to 0.096 of weights near 6 on a fresh
    # clone), so the rows' decisions are compared, not the weights: at most 1% may differ.
    assert result.features is not None
    t = shipped.threshold
    new = result.head.probabilities(result.features) >= t
    old = shipped.probabilities(result.features) >= t
    assert np.mean(new != old) <= 0.01
    # docs/circular-deals.md, round 4 (out of fold, development figures)
    every = result.by_half["all"]
    assert (every["rules of its era"].correct, every["rules of its era"].predicted) == (176, 212)
    model = every["rules + model"]
    assert abs(model.correct - 218) <= 3 and abs(model.predicted - 295) <= 4
    assert model.gold == 276
    test3 = result.by_half["test3"]
    # today's rules: 24/43 when test3 was measured, 24/41 after the later guards
    assert (test3["rules today"].correct, test3["rules today"].predicted) == (24, 41)
    assert abs(test3["rules + model"].correct - 36) <= 2
    assert json.loads(DEFAULT_PAIR_HEAD.read_text(encoding="utf-8"))["meta"]["rows"] == 1546


def test_the_pipeline_reads_by_the_rules_alone_unless_feeds_yaml_asks_for_the_model(
    tmp_path: Path,
) -> None:
    """Off by default: on the untouched test4 the model found more deals and more wrong
    ones (docs/circular-deals.md, round 4); `news.deal_pair_model: true` turns it on."""
    from monitor.reading.deals_extract import configured_model

    assert configured_model(load_config(None)) is None
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA]\nnews: {deal_pair_model: true}\n", encoding="utf-8")
    model = configured_model(load_config(feeds))
    assert model is not None and model.head.threshold > 0
