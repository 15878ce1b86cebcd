"""feeds.yaml validation: the bundled file is valid; bad files name the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config.feeds_yaml import default_feeds_path, feeds_path, load_config
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_feeds_yaml_is_valid() -> None:
    config = load_config(default_feeds_path())
    assert {"NVDA", "MSFT", "CRWV"} <= set(config.basket)
    assert {"SPY", "RSP", "HYG", "LQD", "^VIX"} <= set(config.benchmarks)
    assert len(config.feeds) >= 5
    assert all(str(f.url).startswith("https://") for f in config.feeds)
    assert config.tickers[0] == config.basket[0]
    assert len(config.tickers) == len(set(config.tickers))


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "basket: [NVDA]\nnews:\n  max_age_dayz: 3\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}:3: news.max_age_dayz: unknown key" in str(err.value)


def test_wrong_type_names_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "basket: [NVDA]\nprices:\n  history_days: lots\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}:3: prices.history_days" in message
    assert "integer" in message


def test_bad_feed_url_names_the_feed_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "basket: [NVDA]\nfeeds:\n  - name: ok\n    url: https://example.org/rss\n"
        "  - name: broken\n    url: not a url\n",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}:6: feeds.1.url" in str(err.value)


def test_missing_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found; pass --feeds"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize("text", ["basket: [NVDA\n", "- just\n- a list\n", ""])
def test_malformed_yaml_is_a_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match=str(tmp_path)):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("news:\n max_age_days: 3\n  story_window_hours: 72\n", ":3:21:", "mapping values"),
        ("news:\n\tmax_age_days: 3\n", ":2:1:", "found character '\\t'"),
    ],
)
def test_a_yaml_syntax_error_is_one_line_naming_file_line_and_column(
    tmp_path: Path, text: str, where: str, what: str
) -> None:
    """A mis-indented key or a tab (a newcomer's usual YAML slips) gave PyYAML's several
    lines calling the file "<unicode string>"; the CLI promises one `error:` line."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}{where} not valid YAML: {what}"), message
    assert "\n" not in message and "unicode string" not in message


def test_duplicate_feed_names_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "basket: [NVDA]\nfeeds:\n  - {name: a, url: 'https://x.org/1'}\n"
        "  - {name: a, url: 'https://x.org/2'}\n",
    )
    with pytest.raises(ConfigError, match="repeated: a"):
        load_config(path)


def test_env_var_chooses_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "basket: [AMD]\n")
    monkeypatch.setenv("BUBBLE_MONITOR_FEEDS", str(path))
    assert feeds_path(None) == path
    assert load_config().basket == ("AMD",)
    assert feeds_path(tmp_path / "explicit.yaml") == tmp_path / "explicit.yaml"


def test_validator_messages_are_shown_without_pydantic_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, "basket: [NVDA]\nschedule:\n  news: {every: 15m, cron: '* * * * *'}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}:3: schedule.news: give exactly one of 'every'" in message
    assert "Value error" not in message


def test_index_model_defaults_to_auto_and_accepts_the_shipped_horizons(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "basket: [NVDA]\n")).index.model == "auto"
    for choice in ("auto", "6m", "24m"):
        path = write(tmp_path, f"basket: [NVDA]\nindex:\n  model: {choice}\n")
        assert load_config(path).index.model == choice


@pytest.mark.parametrize("bad", ["12m", "6M", "model_6m.json", "[6m]"])
def test_an_unknown_index_model_names_the_key_and_the_allowed_values(
    tmp_path: Path, bad: str
) -> None:
    path = write(tmp_path, f"basket: [NVDA]\nindex:\n  model: {bad}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}:3: index.model" in message
    assert "'auto', '6m' or '24m'" in message
