"""feeds.yaml `kind:`: the default, the bundled feeds' kinds, errors naming file/line/key,
and the per-kind thresholds a head applies to a feed's titles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.config.feeds_yaml import default_feeds_path, load_config
from monitor.errors import ConfigError
from monitor.reading.classifier_files import load_head, save_head
from signals.classifier.head import Head
from signals.classifier.realnews.kinds import DEFAULT_KIND, FEED_KINDS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_feed_without_kind_is_general_tech(tmp_path: Path) -> None:
    path = write(tmp_path, "basket: [NVDA]\nfeeds:\n  - name: a\n    url: https://x.org/rss\n")
    (feed,) = load_config(path).feeds
    assert feed.kind == DEFAULT_KIND == "general_tech"


def test_bundled_feeds_name_their_kinds() -> None:
    kinds = {f.name: f.kind for f in load_config(default_feeds_path()).feeds}
    assert kinds["techcrunch-ai"] == "ai"
    assert kinds["cnbc-technology"] == "finance"
    assert {k for n, k in kinds.items() if n.startswith("gnews-")} == {"search"}
    assert set(kinds.values()) <= set(FEED_KINDS)


def test_unknown_kind_names_file_line_key_and_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "basket: [NVDA]\nfeeds:\n  - name: a\n    url: https://x.org/rss\n    kind: crypto\n",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}:5: feeds.0.kind" in message
    assert "'general_tech', 'ai', 'finance' or 'search'" in message


def _head(by_kind: dict[str, dict[str, float]]) -> Head:
    classes = ("layoffs", "other")
    return Head(
        classes=classes,
        coef=np.array([[1.0, 0.0], [0.0, 1.0]]),
        intercept=np.zeros(2),
        model_id="m",
        data_hash="d",
        thresholds=by_kind.get(DEFAULT_KIND, {}),
        thresholds_by_kind=by_kind,
    )


def test_per_kind_thresholds_survive_json_and_pick_by_kind(tmp_path: Path) -> None:
    head = _head({"general_tech": {"layoffs": 0.9}, "search": {"layoffs": 0.3}})
    save_head(head, tmp_path / "h.json")
    loaded = load_head(tmp_path / "h.json")
    assert loaded.thresholds_by_kind == head.thresholds_by_kind
    assert loaded.thresholds_for("search") == {"layoffs": 0.3}
    assert loaded.thresholds_for("finance") == {"layoffs": 0.9}  # unknown kind: the default
    assert loaded.thresholds_for(None) == {"layoffs": 0.9}


def test_train_real_news_names_a_missing_corpus(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from monitor.cli.app import app

    missing = tmp_path / "nope.jsonl"
    result = CliRunner().invoke(app, ["train", "--real-news", str(missing)])
    assert result.exit_code == 2
    assert f"headline corpus {missing} not found" in result.output
