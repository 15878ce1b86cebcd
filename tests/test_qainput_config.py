"""feeds.yaml written carelessly: each case used to load without a word and change what
the monitor does (or crash with a traceback); each now stops with one `error:` line that
names the file, the line and the key, through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # PyYAML keeps the last of two equal keys: the first feeds section vanished.
        ("basket: [NVDA]\nfeeds:\n  - {name: a, url: 'https://a.test/rss'}\n"
         "prices: {history_days: 400}\nfeeds:\n  - {name: b, url: 'https://b.test/rss'}\n",
         "feeds.yaml:5: feeds: repeated key (first at line 2)"),
        ("basket: [NVDA]\nnews:\n  max_age_days: 10\n  max_age_days: 20\n",
         "feeds.yaml:4: news.max_age_days: repeated key (first at line 3)"),
        # A misspelt weight weighed nothing; .nan moved the index, .inf made it null.
        ("basket: [NVDA]\nindex:\n  weights: {layofs: 1.0}\n",
         "feeds.yaml:3: index.weights: unknown component layofs"),
        ("basket: [NVDA]\nindex:\n  weights: {layoffs: .nan}\n",
         "feeds.yaml:3: index.weights: weights must be finite numbers >= 0 (not: layoffs)"),
        ("basket: [NVDA]\nindex:\n  weights: {overextension: .inf}\n",
         "feeds.yaml:3: index.weights: weights must be finite numbers >= 0 (not: overextension)"),
        # A repeated ticker counted twice in the basket's equal-weighted index.
        ("basket: [NVDA, AMD, NVDA]\n",
         "feeds.yaml:1: basket: tickers must be unique (repeated: NVDA)"),
        # Passed the check; the service then overflowed computing the next run at start.
        ("basket: [NVDA]\nschedule:\n  news: {every: 99999999d}\n",
         "feeds.yaml:3: schedule.news: every: '99999999d' is longer than 366d"),
        # APScheduler found no next run: the job silently never ran.
        ("basket: [NVDA]\nschedule:\n  digest: {cron: '0 9 31 2 *'}\n",
         "feeds.yaml:3: schedule.digest: cron: '0 9 31 2 *': day 31 is in no month 2: it never"),
        # Requested from EDGAR as CIK-000000005.json; a blank ticker was collected as '  '.
        ("basket: [NVDA]\nfundamentals:\n  ciks: {MSFT: -5}\n",
         "feeds.yaml:3: fundamentals.ciks.MSFT: Input should be greater than or equal to 1"),
        ("basket: [NVDA]\nfundamentals:\n  hyperscalers: [MSFT, '  ']\n",
         "feeds.yaml:3: fundamentals.hyperscalers.1: String should match pattern"),
        # A feed with no visible name, and one whose name sends ESC to the terminal.
        ("basket: [NVDA]\nfeeds:\n  - {name: '   ', url: 'https://a.test/rss'}\n",
         "feeds.yaml:3: feeds.0.name: '   ': give printable text without edge spaces"),
        ('basket: [NVDA]\nfeeds:\n  - {name: "a\\x1b[2J", url: "https://a.test/rss"}\n',
         "feeds.yaml:3: feeds.0.name: 'a\\x1b[2J': give printable text without edge spaces"),
        # A RecursionError traceback before.
        ("basket: [NVDA]\nx: " + "[" * 3000 + "]" * 3000 + "\n",
         "feeds.yaml: nested too deeply to be settings"),
    ],
)  # fmt: skip
def test_careless_settings_stop_with_one_line_naming_the_place(
    tmp_path: Path, text: str, message: str
) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_misspelt_fundamentals_segment_is_named_with_its_line(tmp_path: Path) -> None:
    # Before: the segment's companies were never collected, without a word.
    bundled = Path(__file__).resolve().parents[1] / "feeds.yaml"
    text = bundled.read_text(encoding="utf-8")
    assert "  segments: [llm, applied_ai]" in text
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(text.replace("  segments: [llm, applied_ai]", "  segments: [llm, aplied_ai]"))
    line = text[: text.index("  segments: [llm, applied_ai]")].count("\n") + 1
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f"error: {feeds}:{line}: fundamentals.segments: no segment named aplied_ai "
        "(segments: llm, applied_ai, market)"
    )
    # A config with `basket:` alone never named a segment: the default is not checked.
    basket_only = tmp_path / "basket.yaml"
    basket_only.write_text("basket: [NVDA, AMD]\n", encoding="utf-8")
    assert runner.invoke(app, ["segments", "--feeds", str(basket_only)]).exit_code == 0


def test_a_latin1_file_names_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    # Before: "cannot read: 'utf-8' codec can't decode byte 0xe9 in position 23", no line.
    feeds = tmp_path / "feeds.yaml"
    feeds.write_bytes("basket: [NVDA]\n# owner: Caf\u00e9 team\nfeeds: []\n".encode("latin-1"))
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)])
    assert result.exit_code == 2, result.output
    assert (
        result.output.strip() == f"error: {feeds}:2: not UTF-8 text (byte 0xe9); save it as UTF-8"
    )


def test_tickers_are_read_in_capitals_as_the_store_keeps_them(tmp_path: Path) -> None:
    # Before: `basket: [nvda]` collected under `nvda` while import-prices stores `NVDA`.
    from monitor.config.feeds_yaml import load_config

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [nvda, amd]\nfundamentals:\n  ciks: {msft: 789019}\n")
    config = load_config(feeds)
    assert config.basket == ("NVDA", "AMD") and config.segments[0].symbols == ("NVDA", "AMD")
    assert config.fundamentals.ciks == {"MSFT": 789019}
    feeds.write_text("basket: [nvda, NVDA]\n")
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)])
    assert result.exit_code == 2 and "tickers must be unique (repeated: NVDA)" in result.output
