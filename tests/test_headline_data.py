"""Checks on the team-written headline data: the classifier's training and held-out sets
and the demo scenario's headlines.

These files are written by hand, so a typo (a misspelt label, a pasted duplicate, a held-out
headline that leaks into training) would silently weaken the classifier or its evaluation.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from signals.labels import LABELS

ROOT = Path(__file__).parents[1]
TRAIN = ROOT / "signals" / "classifier" / "data" / "train.jsonl"
HELDOUT = ROOT / "signals" / "classifier" / "data" / "heldout.jsonl"
DEMO = ROOT / "monitor" / "ops" / "demo_data" / "headlines.jsonl"

MIN_TRAIN_PER_LABEL = 80
MIN_HELDOUT_PER_LABEL = 20
DEMO_MAX_DAYS = 400
DEMO_FIELDS = {"days_before_end", "title", "source", "url", "label"}

# A trailing " - Publisher" (hyphen, en or em dash) as news feeds append it.
_PUBLISHER_SUFFIX = re.compile(r"\s+[-–—]\s+[^-–—]{1,40}$")


def _norm(text: str) -> str:
    """The identity of a headline for duplicate checks: lowercased, publisher suffix dropped."""
    return _PUBLISHER_SUFFIX.sub("", text.strip().lower()).strip()


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            pytest.fail(f"{path.name}:{number}: not valid JSON ({e.msg})")
        assert isinstance(obj, dict), f"{path.name}:{number}: not a JSON object"
        rows.append(obj)
    return rows


@pytest.mark.parametrize("path", [TRAIN, HELDOUT], ids=["train", "heldout"])
def test_labelled_rows_are_well_formed(path: Path) -> None:
    for number, row in enumerate(_read_jsonl(path), start=1):
        where = f"{path.name}:{number}"
        assert set(row) == {"text", "label"}, f"{where}: keys {sorted(row)}"
        assert isinstance(row["text"], str), f"{where}: text is not a string"
        assert row["text"] == row["text"].strip() and row["text"], f"{where}: empty or padded"
        assert row["label"] in LABELS, f"{where}: unknown label {row['label']!r}"


@pytest.fixture(scope="module")
def train() -> list[dict[str, Any]]:
    return _read_jsonl(TRAIN)


@pytest.fixture(scope="module")
def heldout() -> list[dict[str, Any]]:
    return _read_jsonl(HELDOUT)


@pytest.fixture(scope="module")
def demo() -> list[dict[str, Any]]:
    return _read_jsonl(DEMO)


def test_norm_drops_case_and_publisher_suffix() -> None:
    assert _norm("Nvidia Beats Estimates - Reuters") == "nvidia beats estimates"
    assert _norm("Citi to cut 20,000 jobs — Bloomberg") == "citi to cut 20,000 jobs"
    # A hyphen inside a word is not a publisher separator.
    assert _norm("AI-first: Klarna's CEO on jobs") == "ai-first: klarna's ceo on jobs"


def test_train_has_enough_of_every_label(train: list[dict[str, Any]]) -> None:
    counts = Counter(row["label"] for row in train)
    short = {label: counts[label] for label in LABELS if counts[label] < MIN_TRAIN_PER_LABEL}
    assert not short, f"labels below {MIN_TRAIN_PER_LABEL} training examples: {short}"


def test_heldout_covers_every_label(heldout: list[dict[str, Any]]) -> None:
    counts = Counter(row["label"] for row in heldout)
    short = {label: counts[label] for label in LABELS if counts[label] < MIN_HELDOUT_PER_LABEL}
    assert not short, f"labels below {MIN_HELDOUT_PER_LABEL} held-out examples: {short}"


@pytest.mark.parametrize("path", [TRAIN, HELDOUT], ids=["train", "heldout"])
def test_no_duplicate_headlines(path: Path) -> None:
    seen: dict[str, str] = {}
    for row in _read_jsonl(path):
        key = _norm(row["text"])
        assert key not in seen, f"{path.name}: {row['text']!r} duplicates {seen[key]!r}"
        seen[key] = row["text"]


def test_heldout_never_appears_in_train(
    train: list[dict[str, Any]], heldout: list[dict[str, Any]]
) -> None:
    train_keys = {_norm(row["text"]) for row in train}
    leaked = [row["text"] for row in heldout if _norm(row["text"]) in train_keys]
    assert not leaked, f"held-out headlines also in train: {leaked}"


def test_publisher_suffixes_are_common_but_not_universal(train: list[dict[str, Any]]) -> None:
    # Real feed titles often end in " - Publisher"; the classifier must see both forms.
    share = sum(bool(_PUBLISHER_SUFFIX.search(row["text"])) for row in train) / len(train)
    assert 0.2 <= share <= 0.5, f"{share:.0%} of training headlines carry a publisher suffix"


def test_demo_rows_are_valid(demo: list[dict[str, Any]]) -> None:
    assert 70 <= len(demo) <= 110, f"{len(demo)} demo headlines"
    for number, row in enumerate(demo, start=1):
        where = f"{DEMO.name}:{number}"
        assert set(row) == DEMO_FIELDS, f"{where}: keys {sorted(row)}"
        days = row["days_before_end"]
        assert type(days) is int and 0 <= days <= DEMO_MAX_DAYS, f"{where}: days {days!r}"
        for field in ("title", "source"):
            assert isinstance(row[field], str) and row[field].strip(), f"{where}: empty {field}"
        assert isinstance(row["url"], str), f"{where}: url is not a string"
        assert re.fullmatch(r"https://demo\.invalid/[a-z0-9-]+", row["url"]), f"{where}: url"
        assert row["label"] in LABELS, f"{where}: unknown label {row['label']!r}"


def test_demo_urls_are_unique(demo: list[dict[str, Any]]) -> None:
    counts = Counter(row["url"] for row in demo)
    assert not [url for url, n in counts.items() if n > 1]


def test_demo_scenario_shape(demo: list[dict[str, Any]]) -> None:
    assert {row["label"] for row in demo} == set(LABELS)
    last_week = [row for row in demo if row["days_before_end"] < 7]
    assert len(last_week) >= 12, f"only {len(last_week)} headlines in the final week"
    # Several outlets carry the same story on the same day, so story de-duplication has work.
    same_day_label = Counter((row["days_before_end"], row["label"]) for row in demo)
    assert sum(n >= 2 for n in same_day_label.values()) >= 5
    risky = ("bubble_warning", "layoffs", "circular_deal")
    late = Counter(row["label"] for row in demo if row["days_before_end"] <= 60)
    early = Counter(row["label"] for row in demo if row["days_before_end"] > 60)
    assert sum(late[label] for label in risky) > sum(early[label] for label in risky)


def test_demo_titles_are_not_training_headlines(
    train: list[dict[str, Any]], heldout: list[dict[str, Any]], demo: list[dict[str, Any]]
) -> None:
    known = {_norm(row["text"]) for row in train + heldout}
    reused = [row["title"] for row in demo if _norm(row["title"]) in known]
    assert not reused, f"demo titles copied from the labelled sets: {reused}"
