"""The backtest: the replayed index agrees with live combine, never looks ahead, reweights
missing inputs, accepts one series, names bad lines, feeds headlines on their dates, and
stands high before the peak of a planted bubble."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import Config, load_config
from monitor.errors import InputError
from monitor.reading.classifier_files import load_examples
from monitor.reading.minilm import MiniLMEncoder
from monitor.research.backtest.run import BacktestInputs, run
from signals.backtest import find_episodes, index_series, run_backtest
from signals.classifier import HeadlineClassifier
from signals.classifier.head import HeadParams
from signals.classifier.training import train_head
from signals.crash.regimes import REGIMES
from signals.index import MARKET_COMPONENTS, combine
from signals.labels import NEWS_COMPONENTS
from signals.market import market_component_frame
from signals.models import Signal
from signals.regime import basket_drawdown

WEIGHTS = {
    "overextension": 1.5,
    "explosiveness": 1.5,
    "concentration": 1.0,
    "fragility": 1.0,
    "credit": 0.75,
    "layoffs": 0.75,
}


def synthetic_closes(days: int = 420, seed: int = 3) -> pd.DataFrame:
    """Three tickers: a steady rise, a sharp fall in the last fifth, and a late listing."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=days)
    drift = np.where(np.arange(days) < days * 0.8, 0.002, -0.01)
    paths = {}
    for ticker in ("AAA", "BBB", "CCC"):
        paths[ticker] = 100 * np.exp(np.cumsum(drift + rng.normal(0, 0.01, days)))
    closes = pd.DataFrame(paths, index=index)
    closes.iloc[:100, 2] = np.nan
    return closes


def synthetic_components(days: pd.DatetimeIndex, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        rng.uniform(-10, 110, (len(days), 5)),
        index=days,
        columns=["overextension", "explosiveness", "fragility", "credit", "layoffs"],
    )
    frame = frame.mask(rng.uniform(size=frame.shape) < 0.3)  # holes in single cells
    frame.iloc[:30, 0:2] = np.nan
    return frame


def test_index_and_regime_equal_combine_on_every_day() -> None:
    closes = synthetic_closes()
    components = synthetic_components(pd.DatetimeIndex(closes.index))
    components.iloc[7] = np.nan  # a day without any component: no reading
    result = run_backtest(components, WEIGHTS, closes=closes, basket=["AAA", "BBB", "CCC"])
    checked = 0
    for day in components.index:
        row = components.loc[day]
        signals = [
            Signal(str(n), "market", None if np.isnan(v) else float(v), "") for n, v in row.items()
        ]
        got = result.frame.loc[day]
        if row.isna().all():
            assert np.isnan(got["index"]) and got["regime"] == ""
            continue
        drawdown = basket_drawdown(closes, ["AAA", "BBB", "CCC"], as_of=day.date())
        # As the live stage reads it from the store: earlier readings since the peak day.
        since = result.frame["index"].loc[: day - pd.Timedelta(days=1)]
        since = since.loc[pd.Timestamp(drawdown.peak_day) :].dropna() if drawdown else since[:0]
        reading = combine(
            signals,
            WEIGHTS,
            as_of=datetime.combine(day.date(), datetime.min.time(), UTC),
            previous=None,
            drawdown=drawdown,
            recent_high=float(since.max()) if drawdown and drawdown.fresh and len(since) else None,
        )
        assert got["index"] == pytest.approx(reading.index, abs=1e-9)
        assert got["regime"] == reading.regime
        checked += 1
    assert checked == int(components.notna().any(axis=1).sum()) > 400
    assert "bursting" in set(result.frame["regime"])  # the fall after the rise is seen


def test_missing_component_listed_empty_and_weight_spread() -> None:
    days = pd.bdate_range("2021-01-01", periods=5)
    components = pd.DataFrame({"overextension": [80.0] * 5, "layoffs": [20.0] * 5}, index=days)
    result = run_backtest(components, WEIGHTS)
    assert result.missing == ("explosiveness", "concentration", "fragility", "credit")
    assert list(result.frame.columns) == [
        "index",
        "regime",
        "overextension",
        "explosiveness",
        "concentration",
        "fragility",
        "credit",
        "layoffs",
    ]
    assert result.frame["concentration"].isna().all()
    expected = (80 * 1.5 + 20 * 0.75) / (1.5 + 0.75)
    assert result.frame["index"].to_numpy() == pytest.approx([expected] * 5)
    assert result.coverage["overextension"] == 1.0 and result.coverage["credit"] == 0.0


def test_unweighted_component_is_kept_but_not_counted() -> None:
    days = pd.bdate_range("2021-01-01", periods=3)
    components = pd.DataFrame({"overextension": [40.0] * 3, "extra": [100.0] * 3}, index=days)
    index = index_series(components, {"overextension": 1.0})
    assert index.to_numpy() == pytest.approx([40.0] * 3)


def test_values_are_clipped_like_combine() -> None:
    days = pd.bdate_range("2021-01-01", periods=1)
    components = pd.DataFrame({"overextension": [140.0], "credit": [-20.0]}, index=days)
    index = index_series(components, {"overextension": 1.0, "credit": 1.0})
    assert index.iloc[0] == pytest.approx(50.0)


def test_start_keeps_history_for_trailing_windows_but_drops_rows() -> None:
    closes = synthetic_closes()
    components = synthetic_components(pd.DatetimeIndex(closes.index))
    basket = ["AAA", "BBB", "CCC"]
    full = run_backtest(components, WEIGHTS, closes=closes, basket=basket)
    late = run_backtest(components, WEIGHTS, closes=closes, basket=basket, start=date(2021, 1, 4))
    assert late.frame.index[0] == pd.Timestamp("2021-01-04")
    pd.testing.assert_frame_equal(late.frame, full.frame.loc["2021-01-04":])


def test_episodes_bridge_short_gaps_and_drop_short_runs() -> None:
    days = pd.bdate_range("2022-01-03", periods=60)
    labels = ["calm"] * 60
    for i in range(5, 20):  # 15 days, with a 3-day dip inside
        labels[i] = "bubble"
    for i in (11, 12, 13):
        labels[i] = "frothy"
    for i in range(22, 30):  # 8 days of bursting after a 2-day gap: joins the run
        labels[i] = "bursting"
    for i in range(45, 50):  # 5 days alone: too short
        labels[i] = "bubble"
    values = pd.Series(np.linspace(50, 80, 60), index=days)
    values.iloc[18] = 99.0
    episodes = find_episodes(values, pd.Series(labels, index=days))
    assert len(episodes) == 1
    only = episodes[0]
    assert (only.start, only.end, only.days) == (days[5].date(), days[29].date(), 25)
    assert only.peak == days[18].date() and only.peak_index == 99.0


# --- the stage and the command, on price files -------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "backtest"
BASKET = ("NVDA", "MSFT", "AMD")
runner = CliRunner()


def market_closes(days: int = 560, seed: int = 11) -> pd.DataFrame:
    """A basket of three configured tickers with every benchmark the components use."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=days)
    columns = (*BASKET, "SPY", "RSP", "QQQ", "QQQE", "HYG", "LQD")
    paths = 100 * np.exp(np.cumsum(rng.normal(0.0004, 0.012, (days, len(columns))), axis=0))
    closes = pd.DataFrame(paths, index=index, columns=list(columns))
    closes["^VIX"] = 18 * np.exp(np.cumsum(rng.normal(0, 0.05, days)) * 0.3)
    closes.iloc[:60, 2] = np.nan  # AMD listed late
    return closes


def write_prices(path: Path, closes: pd.DataFrame) -> Path:
    closes.to_csv(path, index_label="date", float_format="%.6f", date_format="%Y-%m-%d")
    return path


@pytest.fixture(scope="module")
def cfg() -> Config:
    return load_config(None)


@pytest.fixture(scope="module")
def prices_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_prices(tmp_path_factory.mktemp("prices") / "prices.csv", market_closes())


def test_truncating_the_input_does_not_change_earlier_rows(
    prices_csv: Path, tmp_path: Path, cfg: Config
) -> None:
    full = run(BacktestInputs(prices_csv), cfg).frame
    cut = pd.Timestamp("2021-07-15")
    short_csv = write_prices(tmp_path / "short.csv", market_closes().loc[:cut])
    short = run(BacktestInputs(short_csv), cfg).frame
    assert short.index[-1] == cut
    assert short["index"].notna().sum() > 200
    pd.testing.assert_frame_equal(short, full.loc[:cut])
    # --end reads the same file only up to that day: the same rows again.
    ended = run(BacktestInputs(prices_csv, end=cut.date()), cfg).frame
    pd.testing.assert_frame_equal(ended, short)


def test_every_market_component_present_with_full_inputs(prices_csv: Path, cfg: Config) -> None:
    result = run(BacktestInputs(prices_csv, start=date(2021, 10, 1)), cfg)
    assert result.frame.index[0] == pd.Timestamp("2021-10-01")
    market = ["overextension", "explosiveness", "concentration", "fragility", "credit"]
    assert result.frame[market].notna().all().all()
    assert result.absent_inputs == ()
    assert result.basket == BASKET
    assert set(result.frame["regime"]) <= {"calm", "warming", "frothy", "bubble", "bursting"}


def test_missing_pairs_and_vix_are_reported_and_reweighted(tmp_path: Path, cfg: Config) -> None:
    closes = market_closes()[[*BASKET, "QQQ", "QQQE"]]
    result = run(BacktestInputs(write_prices(tmp_path / "p.csv", closes)), cfg)
    assert "credit" in result.result.missing
    assert result.absent_inputs == (
        "concentration: SPY/RSP",
        "fragility: ^VIX or VIXY",
        "credit: HYG/LQD",
    )
    assert any("^VIX" in n and "SPY/RSP" in n for n in result.notes)
    assert any("missing, weight spread" in n and "credit" in n for n in result.notes)
    frame = result.frame.dropna(subset=["index"])
    present = ["overextension", "explosiveness", "concentration", "fragility"]
    w = np.array([cfg.index.weights[n] for n in present])
    rows = frame[present].dropna()
    expected = (rows.to_numpy() @ w) / w.sum()
    assert frame.loc[rows.index, "index"].to_numpy() == pytest.approx(expected)


def test_a_single_series_is_a_valid_input(tmp_path: Path, cfg: Config) -> None:
    closes = market_closes()[["SPY"]]
    result = run(BacktestInputs(write_prices(tmp_path / "spy.csv", closes)), cfg)
    assert result.basket == ("SPY",)
    assert result.frame[["overextension", "explosiveness", "fragility"]].iloc[-1].notna().all()
    assert {"concentration", "credit"} <= set(result.result.missing)
    assert result.frame["index"].iloc[-1] == pytest.approx(
        index_series(result.frame.iloc[-1:, 2:], cfg.index.weights).iloc[0]
    )


def test_malformed_price_csv_names_the_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backtest", "--prices", str(FIXTURES / "prices_bad.csv")])
    assert result.exit_code == 2
    assert "prices_bad.csv:4: column 'MSFT': 'n/a?' is not a number" in result.output


def test_bad_dates_and_empty_range_are_input_errors(prices_csv: Path, cfg: Config) -> None:
    bad = runner.invoke(app, ["backtest", "--prices", str(prices_csv), "--start", "2021-13-01"])
    assert bad.exit_code == 2 and "--start: '2021-13-01' is not a date" in bad.output
    with pytest.raises(InputError, match="no closes on or before 2019-01-01"):
        run(BacktestInputs(prices_csv, end=date(2019, 1, 1)), cfg)


def test_planted_bubble_reads_high_before_the_peak_and_bursting_after(cfg: Config) -> None:
    rng = np.random.default_rng(7)
    n, start, climb, crash = 1300, 900, 250, 60
    days = pd.bdate_range("2015-01-01", periods=n)
    returns = rng.normal(0.0003, 0.012, (n, 3))
    returns[start : start + climb] += (0.0005 + 0.008 * (np.arange(climb) / climb) ** 2)[:, None]
    returns[start + climb : start + climb + crash] -= 0.012
    closes = pd.DataFrame(100 * np.exp(np.cumsum(returns, axis=0)), index=days, columns=BASKET)
    market = market_component_frame(closes, list(BASKET))
    result = run_backtest(market, cfg.index.weights, closes=closes, basket=BASKET)
    index, regime = result.frame["index"], result.frame["regime"]
    peak = start + climb - 1
    calm = index.iloc[500:start].mean()
    before = index.iloc[peak - 63 : peak + 1]  # the three months before the peak
    assert before.mean() > calm + 25
    assert (regime.iloc[peak - 63 : peak + 1] == "bubble").mean() > 0.7
    assert "bursting" in set(regime.iloc[peak : peak + crash])
    episode = next(e for e in result.episodes if e.start <= days[peak].date() <= e.end)
    assert episode.start <= days[peak - 63].date()


def layoffs_csv(path: Path) -> Path:
    """Layoff events in the synthetic price range: a steady trickle, then a wave."""
    lines = ["company,location,total_laid_off,date,industry,source"]
    for i, day in enumerate(pd.bdate_range("2021-02-01", "2021-11-30", freq="7B")):
        lines.append(f"Co{i},Seattle,{100 + i},{day.month}/{day.day}/{day.year},Tech,")
    for i in range(30):
        lines.append(f"Wave{i},SF Bay Area,5000,12/{1 + i % 20}/2021,Tech,https://example.com/{i}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_writes_csv_chart_and_json(prices_csv: Path, tmp_path: Path) -> None:
    out, chart = tmp_path / "out" / "bt.csv", tmp_path / "bt.png"
    args = ["backtest", "--prices", str(prices_csv), "--start", "2021-10-01"]
    args += ["--layoffs", str(layoffs_csv(tmp_path / "l.csv"))]
    result = runner.invoke(app, [*args, "--out", str(out), "--chart", str(chart), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    with out.open() as handle:
        rows = list(csv.reader(handle))
    v2 = ["probability", "base_rate", "froth", "stress", "regime_v2", "index_v2"]
    assert rows[0] == ["date", "index", "regime", *MARKET_COMPONENTS, *NEWS_COMPONENTS, *v2]
    assert len(rows) - 1 == payload["days"] == len(payload["readings"])
    assert rows[1][0] == payload["start"] == "2021-10-01"
    first = payload["readings"][0]
    assert float(rows[1][1]) == pytest.approx(first["index"], abs=0.01)
    assert rows[1][2] == first["regime"]
    last = payload["readings"][-1]
    assert 0 < last["probability"] < 1 and last["regime_v2"] in REGIMES
    assert 0 < last["base_rate"] < 1  # of units as volatile, what the regime is judged on
    assert set(payload["v2"]) == {"base_rate", "target", "drivers", "model", "validated", "caution"}
    assert len(payload["v2"]["drivers"]) == 3
    trickle = len(pd.bdate_range("2021-02-01", "2021-11-30", freq="7B"))
    assert payload["layoff_events"] == trickle + 30 and payload["headlines"] == 0
    assert "circular_deal" in payload["missing"] and "layoffs" not in payload["missing"]
    december = [r for r in payload["readings"] if "2021-12-06" <= r["date"] <= "2021-12-24"]
    november = [r for r in payload["readings"] if "2021-11-01" <= r["date"] <= "2021-11-30"]
    wave = np.mean([r["components"]["layoffs"] for r in december])
    assert wave > np.mean([r["components"]["layoffs"] for r in november]) + 20
    png = chart.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(png) < 300_000


def test_layoff_events_from_the_store_start_on_their_first_day(
    prices_csv: Path, tmp_path: Path
) -> None:
    db = tmp_path / "m.db"
    imported = runner.invoke(
        app, ["import-layoffs", str(layoffs_csv(tmp_path / "l.csv")), "--db", str(db)]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app, ["backtest", "--prices", str(prices_csv), "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    layoffs = {r["date"]: r["components"]["layoffs"] for r in json.loads(result.output)["readings"]}
    # The import starts 2021-02-01; its baseline needs 30 days before a 30-day window.
    assert layoffs["2021-01-29"] is None and layoffs["2021-03-31"] is None
    assert layoffs["2021-04-05"] is not None
    plain = runner.invoke(app, ["backtest", "--prices", str(prices_csv), "--db", str(db)])
    assert plain.exit_code == 0 and "last reading" in plain.output


def test_warmup_ends_when_every_market_component_has_a_value() -> None:
    days = pd.bdate_range("2021-01-01", periods=6)
    components = pd.DataFrame(
        {
            "overextension": [np.nan, np.nan, 50, 50, 50, 50],
            "fragility": [10, 10, 10, np.nan, 10, 10],
            "layoffs": [np.nan] * 5 + [70.0],
        },
        index=days,
    )
    result = run_backtest(components, WEIGHTS)
    assert result.warmup_end == days[2].date()
    assert result.frame["index"].iloc[0] == pytest.approx(10.0)


# --- headlines: classified by the real model, fed to the news components on their dates ----


@pytest.fixture(scope="module")
def classifier() -> HeadlineClassifier:
    """The real MiniLM encoder with a head trained on the classifier's own fixture set."""
    encoder = MiniLMEncoder()
    examples = load_examples(FIXTURES.parent / "classifier" / "labelled.jsonl")
    return HeadlineClassifier(train_head(examples, encoder, HeadParams(C=8.0)), encoder)


BACKGROUND = (
    "City marathon draws a record crowd despite the rain",
    "Local library extends its weekend opening hours",
    "Recipe: a simple lemon cake for spring",
    "Museum reopens its dinosaur hall after renovation",
    "High school orchestra wins regional music award",
)


def _with_daily_background(path: Path, out: Path) -> Path:
    """The fixture's headlines plus one unrelated headline a day (2021-01-01 .. 10-31), so
    the news has a collected history: with gaps of days it would read missing."""
    lines = path.read_text().splitlines()
    for i, day in enumerate(pd.date_range("2021-01-01", "2021-10-31")):
        title = BACKGROUND[i % len(BACKGROUND)]
        lines.append(
            json.dumps(
                {
                    "text": f"{title} ({day:%b %d})",
                    "published": f"{day:%Y-%m-%d}T09:00:00Z",
                    "source": "Local Times",
                    "url": f"https://example.com/local/{i}",
                }
            )
        )
    out.write_text("\n".join(lines) + "\n")
    return out


def test_headlines_feed_news_components_on_their_dates(
    prices_csv: Path, tmp_path: Path, cfg: Config, classifier: HeadlineClassifier
) -> None:
    headlines = _with_daily_background(FIXTURES / "headlines.jsonl", tmp_path / "h.jsonl")
    result = run(BacktestInputs(prices_csv, headlines=headlines), cfg, classifier=classifier)
    frame = result.frame
    assert result.headlines == 10 + 304
    # Nothing until a baseline exists (60 days of history, 2 March 2021), values from then
    # until the headlines stop, missing again two days after the last (feeds silent).
    assert frame.loc[:"2021-03-01", list(NEWS_COMPONENTS)].isna().all().all()
    assert frame.loc["2021-03-02":"2021-10-29", list(NEWS_COMPONENTS)].notna().all().all()
    assert frame.loc["2021-11-03":, list(NEWS_COMPONENTS)].isna().all().all()
    # The warnings of 15 June and the layoffs of 1 September move their components that day.
    warn, cuts = frame["bubble_warning"].to_dict(), frame["layoffs"].to_dict()
    day = pd.Timestamp
    assert warn[day("2021-06-15")] > warn[day("2021-06-14")] + 10
    assert cuts[day("2021-09-01")] > cuts[day("2021-08-31")] + 10
    # Headlines after a day never change it: the file cut before September gives the same rows.
    lines = headlines.read_text().splitlines()
    early = tmp_path / "early.jsonl"
    early.write_text("\n".join(line for line in lines if '"2021-09' not in line) + "\n")
    cut = run(BacktestInputs(prices_csv, headlines=early), cfg, classifier=classifier).frame
    pd.testing.assert_frame_equal(cut.loc[:"2021-08-31"], frame.loc[:"2021-08-31"])
    assert cut["layoffs"].to_dict()[day("2021-09-01")] != cuts[day("2021-09-01")]


def test_bad_headline_line_is_named(prices_csv: Path, cfg: Config) -> None:
    bad = BacktestInputs(prices_csv, headlines=FIXTURES / "headlines_bad.jsonl")
    with pytest.raises(InputError, match=r"headlines_bad.jsonl:3: field published"):
        run(bad, cfg)
