"""feeds.yaml `segments:`: the defaults, `basket:` as the segment `ai`, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config.feeds_yaml import load_config
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_segments_have_reasons_and_benchmarks() -> None:
    config = load_config()
    names = [s.name for s in config.segments]
    assert names == ["llm", "applied_ai", "market"]
    for segment in config.segments:
        assert segment.benchmark, segment.name
        assert segment.description, segment.name
        for ticker, member in segment.tickers.items():
            assert len(member.reason) >= 10, f"{segment.name}.{ticker}: reason too thin"
    llm = config.segment("llm")
    assert {"NVDA", "CRWV", "ORCL", "9984.T"} <= set(llm.symbols)
    assert llm.currency_of("9984.T") == "JPY" and llm.currency_of("NVDA") == "USD"
    applied = config.segment("applied_ai")
    assert applied.benchmark_of("RXRX") == "XBI"  # drug discovery against biotech
    assert config.segment("market").news == "none"


def test_default_basket_is_the_in_index_segments_and_tickers_include_fx() -> None:
    config = load_config()
    llm, applied = config.segment("llm"), config.segment("applied_ai")
    assert config.basket == (*llm.symbols, *applied.symbols)
    assert "SPY" not in config.basket  # the market segment is not in_index
    assert "JPY=X" in config.tickers
    assert {"XBI", "IHI", "XLI", "IGV"} <= set(config.tickers)
    assert len(config.tickers) == len(set(config.tickers))


def test_basket_alone_is_one_segment_named_ai(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "basket: [NVDA, AMD]\n"))
    (segment,) = config.segments
    assert segment.name == "ai" and segment.symbols == ("NVDA", "AMD")
    assert segment.news == "all"
    assert config.basket == ("NVDA", "AMD")


def test_segments_with_an_explicit_basket_keep_it(tmp_path: Path) -> None:
    text = (
        "basket: [NVDA]\n"
        "segments:\n"
        "  - name: chips\n"
        "    benchmark: SOXX\n"
        "    news: none\n"
        "    tickers: {AMD: GPUs, 6758.T: {reason: sensors, currency: JPY}}\n"
    )
    config = load_config(write(tmp_path, text))
    assert config.basket == ("NVDA",)
    assert [s.name for s in config.segments] == ["chips"]
    assert config.tickers[-1] == "JPY=X"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # news: aliases (the default) without an alias table
        ("  - name: x\n    tickers: {NVDA: GPUs}\n", ":2: segments.0: segment x: news: aliases"),
        # a reason is required
        (
            "  - name: x\n    news: none\n    tickers: {NVDA: {benchmark: SPY}}\n",
            "segments.0.tickers.NVDA.reason: Field required",
        ),
        # names are identifiers
        (
            "  - name: LLM Stocks\n    news: none\n    tickers: {NVDA: GPUs}\n",
            ":2: segments.0.name",
        ),
        # an alias with a wildcard in the middle cannot be matched sensibly
        ("  - name: x\n    aliases: ['ro*bot']\n    tickers: {NVDA: GPUs}\n", "alias 'ro*bot'"),
        # unknown keys are errors, as everywhere in feeds.yaml
        ("  - name: x\n    news: none\n    tickerz: {NVDA: GPUs}\n", "tickerz: unknown key"),
    ],
)
def test_bad_segments_name_the_line_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, "segments:\n" + body)
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert str(path) in str(e.value)
    assert expected in str(e.value)


def test_repeated_segment_names_are_refused(tmp_path: Path) -> None:
    seg = "  - {name: a, news: none, tickers: {NVDA: GPUs}}\n"
    with pytest.raises(ConfigError, match=r"segment names must be unique \(repeated: a\)"):
        load_config(write(tmp_path, "segments:\n" + seg + seg))


def test_unknown_segment_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"no segment named 'llms'.*llm, applied_ai, market"):
        load_config().segment("llms")


def test_a_list_of_tickers_asks_for_reasons(tmp_path: Path) -> None:
    path = write(tmp_path, "segments:\n  - name: llm\n    news: none\n    tickers: [NVDA, AMD]\n")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert str(e.value) == (
        f"{path}:4: segments.0.tickers: give each ticker a one-line reason, as a mapping: "
        "`NVDA: why it is here`"
    )
