"""The pair model: a logistic regression over the features of signals.deals.pairs that
decides which ordered pairs of a title are deals (round 4 of docs/circular-deals.md).

The model decides which pairs exist and their direction; amounts and kinds stay the
rules'. A pair the rules also read keeps the rules' draft; a pair only the model reads
gets its kind from the title's words (signals.deals.roles.kind_of) and no amount: it can
close a loop on the graph but adds no money. (Giving it the title's amount when it was
the title's one pair put $615B on 5 false pairs and $31B on 3 right ones of the labelled
titles: docs/circular-deals.md, round 4.)

The head is plain data (JSON): prediction is numpy, so loading it costs a JSON read and
no pickle is ever loaded. Pure: the head's text and the encoder are passed in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.models import DealDraft
from signals.deals.pairs import (
    MarkEncoder,
    TitlePairs,
    pair_matrix,
    settle,
    title_pairs,
    width,
)
from signals.deals.roles import EQUITY_WORDS, kind_of

FORMAT: Final = 1


@dataclass(frozen=True)
class PairHead:
    """A fitted head: P(A pays B) = sigmoid(features . coef + intercept); a pair is a deal
    when that is at least `threshold`. `names`: the parties with identity features."""

    model_id: str
    names: tuple[str, ...]
    coef: npt.NDArray[np.float64]
    intercept: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        z = np.clip(features @ self.coef + self.intercept, -50.0, 50.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def head_to_json(head: PairHead) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "model_id": head.model_id,
            "names": list(head.names),
            "threshold": head.threshold,
            "intercept": round(head.intercept, 7),
            "coef": [round(float(c), 7) for c in head.coef],
            "meta": head.meta,
        },
        sort_keys=True,
    )


def head_from_json(text: str, where: str) -> PairHead:
    """The head in `text`; ValueError naming `where` and the field when it is not one."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not JSON ({e})") from e
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError(f"{where}: not a deal pair head of format {FORMAT}")
    try:
        names = tuple(str(n) for n in raw["names"])
        coef = np.asarray(raw["coef"], dtype=np.float64)
        intercept = float(raw["intercept"])
        threshold = float(raw["threshold"])
        model_id = str(raw["model_id"])
        meta = dict(raw.get("meta") or {})
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{where}: bad or missing field ({e})") from e
    if coef.shape != (width(names),) or not np.all(np.isfinite(coef)):
        raise ValueError(f"{where}: coef must be {width(names)} finite numbers, got {coef.shape}")
    if not (math.isfinite(intercept) and 0.0 < threshold < 1.0):
        raise ValueError(f"{where}: intercept must be finite and threshold in (0, 1)")
    return PairHead(model_id, names, coef, intercept, threshold, meta)


def extract_many(
    titles: Sequence[str], table: EntityTable, head: PairHead, encoder: MarkEncoder
) -> list[list[DealDraft]]:
    """The deals of each title, rules + model: titles naming 2..MAX_PARTIES parties are
    encoded (in one call) and the model decides their pairs; the rules read the rest
    (fewer than two parties: no deal; more: the rules alone). A title the model may add
    nothing to and the rules read nothing in is not encoded: `settle` would give no pair
    whatever the probabilities (most titles naming two parties and no deal word)."""
    items = [title_pairs(t, table) for t in titles]
    read = [item for item in items if item is not None and (item.may_add or item.rules)]
    marks = encoder.encode_marks([item.marked for item in read]) if read else None
    out: list[list[DealDraft]] = []
    at = 0
    for title, item in zip(titles, items, strict=True):
        if item is None:
            out.append(extract_deals(title, table))
        elif not (item.may_add or item.rules):
            out.append([])
        else:
            assert marks is not None  # a title was read, so the encoder ran
            features = pair_matrix(item, marks[at], head.names)
            at += 1
            out.append(decide(item, head.probabilities(features), head.threshold))
    return out


def decide(
    item: TitlePairs, probabilities: npt.NDArray[np.float64], threshold: float
) -> list[DealDraft]:
    """The drafts of the pairs `settle` accepts (signals.deals.pairs)."""
    scored = {pair: float(p) for pair, p in zip(item.pairs, probabilities, strict=True)}
    by_rule = {(d.payer, d.payee): d for d in item.rules}
    kept = settle(scored, threshold, by_rule, may_add=item.may_add)
    accepted = [(pair, p) for pair, p in scored.items() if pair in kept]
    kind = kind_of(item.title, equity_verb=EQUITY_WORDS.search(item.title) is not None)
    return [
        by_rule.get((a, b)) or DealDraft(a, b, None, kind, round(p, 2)) for (a, b), p in accepted
    ]
