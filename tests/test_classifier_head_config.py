"""`news.classifier_head` in feeds.yaml: the head every job, `report` and `doctor` use.
`train --out` writes a head (with its delta beside it when fine-tuned), but the service and
`report` could only use the package's head, so a retrained one (corrections, background
titles) reached only `classify --head` and `evaluate --head`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config.feeds_yaml import Config, NewsConfig
from monitor.ops.doctor import run_checks
from monitor.reading.classifier_files import DEFAULT_HEAD_PATH
from monitor.store import Store
from tests.fakes import make_app


def _own_head(tmp_path: Path) -> Path:
    """The shipped head with its per-kind thresholds dropped: a head that differs in what
    it loads, on the same encoder."""
    doc = json.loads(DEFAULT_HEAD_PATH.read_text(encoding="utf-8"))
    doc["thresholds_by_kind"] = {}
    path = tmp_path / "my-head.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_the_app_labels_with_the_configured_head(tmp_path: Path, store: Store) -> None:
    head = _own_head(tmp_path)
    config = Config(basket=("NVDA",), news=NewsConfig(classifier_head=head))
    classifier = make_app(config, store).classifier()
    assert classifier.head.thresholds_by_kind == {}
    shipped = make_app(Config(basket=("NVDA",)), store).classifier()
    assert shipped.head.thresholds_by_kind  # the default stays the shipped head


def test_a_missing_head_is_named_by_the_app_and_by_doctor(tmp_path: Path, store: Store) -> None:
    missing = tmp_path / "nope.json"
    config = Config(basket=("NVDA",), news=NewsConfig(classifier_head=missing))
    with pytest.raises(ValueError, match=f"cannot read classifier head {missing}"):
        make_app(config, store).classifier()
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"basket: [NVDA]\nnews:\n  classifier_head: {missing}\n", encoding="utf-8")
    now = datetime(2026, 3, 2, tzinfo=UTC)
    checks = {c.name: c for c in run_checks(feeds, tmp_path / "m.db", now=now)}
    assert checks["model"].status == "fail" and str(missing) in checks["model"].detail
