"""backtest --stored-headlines: headlines imported into the store (import-headlines) give
the same news components as the same headlines passed as a file, and the store path
needs a store and excludes --headlines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import Config, load_config
from monitor.errors import InputError
from monitor.reading.classifier_files import load_classifier
from monitor.reading.embedding_cache import CachedEmbedder
from monitor.research.backtest.run import BacktestInputs, run
from monitor.sources.archive.read import read_archive
from monitor.stages.import_headlines import import_headlines
from monitor.store import Store
from signals.classifier import HeadlineClassifier
from signals.labels import NEWS_COMPONENTS

FIXTURES = Path(__file__).parent / "fixtures" / "backtest"
runner = CliRunner()
BACKGROUND = (
    "City marathon draws a record crowd despite the rain",
    "Local library extends its weekend opening hours",
    "Recipe: a simple lemon cake for spring",
)


@pytest.fixture(scope="module")
def classifier() -> HeadlineClassifier:
    return load_classifier()


@pytest.fixture(scope="module")
def prices_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two tickers on every business day of 2021 (the days the backtest reports)."""
    days = pd.bdate_range("2021-01-01", "2021-12-31")
    rng = np.random.default_rng(4)
    closes = pd.DataFrame(
        {t: 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))) for t in ("NVDA", "MSFT")},
        index=days,
    )
    path = tmp_path_factory.mktemp("prices") / "prices.csv"
    closes.rename_axis("date").to_csv(path, date_format="%Y-%m-%d")
    return path


def _archive(tmp_path: Path) -> Path:
    """The backtest fixture's headlines plus one unrelated headline a day (so the news has
    a collected history) as an import archive, in date order, each with a URL."""
    rows = [
        json.loads(line)
        for line in (FIXTURES / "headlines.jsonl").read_text().splitlines()
        if line.strip()
    ]
    for i, day in enumerate(pd.date_range("2021-01-01", "2021-10-31")):
        rows.append(
            {
                "text": f"{BACKGROUND[i % len(BACKGROUND)]} ({day:%b %d})",
                "published": f"{day:%Y-%m-%d}T09:00:00Z",
                "source": "Local Times",
                "url": f"https://example.com/local/{i}",
            }
        )
    out = []
    for i, row in enumerate(sorted(rows, key=lambda r: str(r["published"]))):
        published = str(row["published"])
        title = row.get("text") or row.get("title")
        url = row.get("url") or f"https://example.com/fixture/{i}"
        out.append({"date": published, "title": title, "source": row.get("source"), "url": url})
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in out) + "\n")
    return path


def test_stored_headlines_match_the_file_path(
    tmp_path: Path, prices_csv: Path, classifier: HeadlineClassifier
) -> None:
    cfg: Config = load_config(None)
    archive = _archive(tmp_path)
    with Store(tmp_path / "m.db") as store:
        result = import_headlines(
            store,
            read_archive(archive, latest=pd.Timestamp("2030-01-01", tz="UTC").to_pydatetime()),
            str(archive),
            classifier=classifier,
            embedder=CachedEmbedder(classifier.embedder, store),
            now=pd.Timestamp("2026-01-01", tz="UTC").to_pydatetime(),
        )
        assert result.stored == result.rows
        stored = run(BacktestInputs(prices_csv, stored_headlines=True), cfg, store=store)
    from_file = run(BacktestInputs(prices_csv, headlines=archive), cfg, classifier=classifier)
    assert stored.headlines == from_file.headlines == result.rows
    news = list(NEWS_COMPONENTS)
    assert stored.frame[news].notna().sum().sum() > 1000
    pd.testing.assert_frame_equal(stored.frame[news], from_file.frame[news], atol=1e-6)


def test_stored_headlines_need_a_store_and_exclude_a_file(prices_csv: Path, tmp_path: Path) -> None:
    cfg = load_config(None)
    with pytest.raises(InputError, match="give --db"):
        run(BacktestInputs(prices_csv, stored_headlines=True), cfg)
    both = BacktestInputs(prices_csv, headlines=tmp_path / "h.jsonl", stored_headlines=True)
    with Store(tmp_path / "m.db") as store, pytest.raises(InputError, match="not both"):
        run(both, cfg, store=store)


def test_cli_backtest_reads_stored_headlines(prices_csv: Path, tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()  # backtest only reads: a missing file is refused, not created
    out = runner.invoke(
        app, ["backtest", "--prices", str(prices_csv), "--stored-headlines", "--db", str(db),
              "--json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["headlines"] == 0
    assert any("no headlines" in note for note in payload["notes"])
