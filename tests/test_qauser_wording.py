"""What a new user reads when a segment, a ticker or a deal amount is missing: the report,
`spread`, `segments` and the deals line say plainly what is missing and what to run.

Each test failed on the code before it (the old text is quoted in a comment)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.circular_json import circular_line
from signals.deals.graph import build_graph, firm_deals
from signals.stale import stale_lines
from tests.test_backtest_segment import FEEDS, _prices
from tests.test_deals_signals import _deal

runner = CliRunner()


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    (path := tmp_path / "feeds.yaml").write_text(FEEDS, encoding="utf-8")
    return path


@pytest.fixture
def llm_only_db(tmp_path: Path) -> Path:
    """A store with the LLM segment's and the market's closes, none of applied AI's (BBB)."""
    frame = pd.read_csv(_prices(tmp_path / "all.csv", days=400), index_col="date")
    prices = tmp_path / "no_bbb.csv"
    frame.drop(columns=["BBB"]).to_csv(prices)
    db = tmp_path / "m.db"
    result = runner.invoke(app, ["import-prices", str(prices), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_report_says_a_segment_without_prices_has_none_and_what_to_run(
    llm_only_db: Path, feeds: Path
) -> None:
    args = ["report", "--no-collect", "--db", str(llm_only_db), "--feeds", str(feeds)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    # Before: "LLM crash probability 18% vs applied AI no data yet: no gap without both".
    assert "no gap without both" not in out and "no data yet" not in out
    assert "applied AI has no prices: its ticker BBB has no stored closes" in out
    assert "`bubble-monitor collect prices` fetches it" in out
    assert "`bubble-monitor import-prices FILE` adds it from a CSV" in out
    # Before: "prices: 1 ticker stale (never collected): BBB".
    assert "prices: 1 ticker never collected: BBB" in out and "stale (never" not in out


@pytest.mark.parametrize("columns", [60, 80])
def test_narrow_report_keeps_commands_whole_and_fits(
    llm_only_db: Path, feeds: Path, columns: int
) -> None:
    args = ["report", "--no-collect", "--db", str(llm_only_db), "--feeds", str(feeds)]
    result = runner.invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    # Before: "`bubble-" at a line's end and "monitor import-prices FILE`" on the next.
    assert not any(line.rstrip().endswith("bubble-") for line in lines)
    full = runner.invoke(app, [*args, "--full"], env={"COLUMNS": str(columns)})
    assert full.exit_code == 0, full.output
    assert not any(line.rstrip().endswith("bubble-") for line in full.stdout.splitlines())
    assert "applied AI: regime no data; no prices: its ticker BBB" in " ".join(
        line.strip() for line in full.stdout.splitlines()
    )


def test_never_collected_tickers_are_not_called_stale() -> None:
    tickers = ["A", "B", "C", "D", "E", "F"]
    never = {t: None for t in tickers}
    # Before: "prices: 2 tickers stale (never collected): A, B".
    assert stale_lines(["A", "B"], tickers, never) == ["prices: 2 tickers never collected: A, B"]
    assert stale_lines(tickers, tickers, never) == ["prices: all 6 tickers never collected"]
    old = {"A": date(2026, 7, 13), "B": None, "C": date(2026, 7, 13)}
    # Before: "prices: 3 tickers stale since 2026-07-13 (1 never collected): A, B, C".
    assert stale_lines(["A", "B", "C"], tickers, old) == [
        "prices: 2 tickers stale since 2026-07-13; 1 never collected: A, B, C"
    ]
    same = {t: date(2026, 7, 13) for t in tickers}
    assert stale_lines(tickers, tickers, same) == ["prices: all 6 tickers stale since 2026-07-13"]
    assert stale_lines(["A"], tickers) == ["prices: 1 ticker stale: A"]  # dates unknown


def test_the_deals_line_says_what_each_number_counts() -> None:
    extracted = replace(_deal(2, "AMD", "OpenAI", None, date(2025, 10, 6)), status="extracted")
    deals = [_deal(1, "OpenAI", "AMD", 20e9, date(2025, 10, 6)), extracted]
    graph, firm = build_graph(deals), build_graph(firm_deals(deals))
    line = circular_line(graph, deals=2, simulated=False, firm=firm, priced=1) or ""
    # Before: "$20B of $20B in deal commitments lie on loops (100%; 2 deals; ...)": the
    # share of what, and 2 deals when one has no amount?
    assert line.startswith(
        "$20B of the $20B in 2 deals (1 with an amount) lie on loops (100%; 0% counting only "
        "deals with an amount or confirmed)"
    )
    both = circular_line(graph, deals=2, simulated=False, firm=graph, priced=2) or ""
    assert "$20B of the $20B in 2 deals (all with an amount) lie on loops (100%)" in both
    one = circular_line(build_graph(deals[:1]), deals=1, simulated=False, priced=1) or ""
    assert one == "$0 of the $20B in 1 deal (with an amount) lie on loops (0%)"


def test_the_deals_line_without_any_amount_says_so() -> None:
    amountless = [
        _deal(1, "Microsoft", "Qualcomm", None, date(2022, 1, 5)),
        _deal(2, "Meta", "Qualcomm", None, date(2022, 9, 2)),
    ]
    line = circular_line(build_graph(amountless), deals=2, simulated=False, priced=0)
    # Before: "$0 of $0 in deal commitments lie on loops (n/a; 2 deals)".
    assert line == "2 deals, none with an amount: no dollar share on loops yet"


def test_deals_graph_prints_the_counts(tmp_path: Path) -> None:
    from monitor.store import Store
    from monitor.store.deals import Report, record_deals
    from signals.deals.models import DealDraft

    db = tmp_path / "d.db"
    day = date(2025, 10, 6)
    found = [
        (DealDraft("OpenAI", "AMD", 20e9, "equity", 1.0), Report(day, "t1", "https://a/1", "a")),
        (DealDraft("AMD", "OpenAI", None, "chips", 1.0), Report(day, "t2", "https://a/2", "a")),
    ]
    with Store(db) as store:
        record_deals(store, found, now=datetime(2025, 10, 7, tzinfo=UTC))
    result = runner.invoke(app, ["deals", "graph", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "in 2 deals (1 with an amount) lie on loops" in result.stdout


def test_spread_names_segments_as_the_report_does(tmp_path: Path, feeds: Path) -> None:
    prices = _prices(tmp_path / "prices.csv", days=600)
    args = ["spread", "--prices", str(prices), "--feeds", str(feeds)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "llm run-up net of applied_ai", rows "llm" and "applied_ai".
    assert "LLM run-up net of applied AI" in result.stdout
    assert "applied_ai" not in result.stdout


def test_spread_without_a_segments_prices_says_what_to_run(llm_only_db: Path, feeds: Path) -> None:
    result = runner.invoke(app, ["spread", "--db", str(llm_only_db), "--feeds", str(feeds)])
    assert result.exit_code == 2
    # Before: "no prices of segment applied_ai's tickers (BBB)", with nothing to run.
    assert "segment applied AI (applied_ai) has no prices" in result.output
    assert "`bubble-monitor collect prices`" in result.output
    assert "compare other segments with --a/--b (llm, market)" in result.output
    market = runner.invoke(
        app, ["spread", "--b", "market", "--db", str(llm_only_db), "--feeds", str(feeds)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert market.exit_code == 0, market.output
    assert "LLM run-up net of market" in market.stdout


def test_segments_titles_give_the_display_name_and_the_key(feeds: Path) -> None:
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "llm" and "applied_ai" alone, names the report never uses.
    assert "LLM (llm)" in result.stdout and "applied AI (applied_ai)" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--no-collect"],
        ["report", "--no-collect", "--json"],
        ["backfill-readings", "--start", "2023-01-01"],
    ],
)
def test_reading_commands_refuse_a_missing_database_and_create_none(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 2, result.output
    # Before: the file was created empty and the error read "no reading can be computed:
    # prices: no close stored for any of the 43 configured tickers" (or "no stored close").
    assert f"{missing}: no such database: check --db or BUBBLE_MONITOR_DB" in result.output
    assert not missing.exists()


def test_deals_list_in_80_columns_names_its_fields() -> None:
    from monitor.present.deals_console import deal_lines

    deal = _deal(1, "Microsoft", "Qualcomm", None, date(2022, 1, 5))
    lines = deal_lines([deal], 80)
    # Before: "   1  2022-01-05  Microsoft → Qualcomm  -  equity  confirmed" with no heading.
    assert lines[0].split()[:6] == ["id", "date", "payer", "→", "payee", "amount"]
    assert "(- none stated)" in lines[0] and "1  2022-01-05  Microsoft → Qualcomm  -" in lines[1]
    assert deal_lines([], 80) == []


def test_backfill_says_how_many_days_it_reads_before_the_long_wait(
    llm_only_db: Path, feeds: Path
) -> None:
    args = ["backfill-readings", "--start", "2025-05-01", "--db", str(llm_only_db)]
    result = runner.invoke(app, [*args, "--feeds", str(feeds)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: minutes of silence (180 weekly readings since 2023 on the real prices).
    assert "reading 2 days (2025-05-30 .. 2025-06-30), skipping those already stored" in (
        result.stderr
    )
    assert "2 readings stored (2025-05-30 .. 2025-06-30)" in result.stdout


def test_bubbles_episode_heading_is_one_line_at_80_columns(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    calm = np.cumsum(rng.normal(0, 1, 150)) + 100
    boom = calm[-1] * 1.04 ** np.arange(1, 31)  # explosive: 4% a step for 30 steps
    series = pd.Series(np.concatenate([calm, boom]), name="price")
    series.index = pd.date_range("2000-01-31", periods=len(series), freq="ME").strftime("%Y-%m")
    path = tmp_path / "s.csv"
    series.rename_axis("date").to_csv(path)
    args = ["bubbles", str(path), "--column", "price", "--reps", "20", "--seed", "1"]
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    # Before: "Explosive episodes (BSADF > 95%" and "cv)" on two centred lines.
    assert "Explosive episodes (BSADF above its 95% critical value):" in result.stdout


def test_news_that_stops_months_before_the_prices_is_not_warming_up(
    llm_only_db: Path, feeds: Path, tmp_path: Path
) -> None:
    import json

    path = tmp_path / "h.jsonl"
    row = {"date": "2025-03-03", "title": "Microsoft to cut 6,000 jobs", "url": "https://h/1"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    imported = runner.invoke(app, ["import-headlines", str(path), "--db", str(llm_only_db)])
    assert imported.exit_code == 0, imported.output
    args = ["report", "--no-collect", "--db", str(llm_only_db), "--feeds", str(feeds)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "news components warming up (no value yet): layoffs, ..." as if time would
    # fill them; the prices run to 2025-07-11, the headlines stop on 2025-03-03.
    text = " ".join(line.strip() for line in result.stdout.splitlines())
    assert "warming up" not in text
    assert (
        "news components without a value (layoffs, circular deal, funding round, capex debt, "
        "bubble warning, ai demand): the newest stored headline is from 2025-03-03, 130 days "
        "before this reading; `bubble-monitor collect news` fetches new ones"
    ) in text


def test_a_store_without_headlines_is_not_warming_up(llm_only_db: Path, feeds: Path) -> None:
    args = ["report", "--no-collect", "--db", str(llm_only_db), "--feeds", str(feeds)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "news components warming up (no value yet)" with no headline stored at all.
    text = " ".join(line.strip() for line in result.stdout.splitlines())
    assert "warming up" not in text
    assert (
        "bubble warning, ai demand): no headline is stored yet; `bubble-monitor collect news` "
        "fetches them, or `bubble-monitor import-headlines FILE` adds a dated archive"
    ) in text


def test_deals_graph_lists_loops_by_what_makes_them_largest(tmp_path: Path) -> None:
    from monitor.store import Store
    from monitor.store.deals import Report, record_deals
    from signals.deals.models import DealDraft

    day = date(2025, 10, 6)
    pairs = [("Nvidia", "OpenAI", 100e9), ("OpenAI", "Nvidia", 1e9), ("Amazon", "Anthropic", 8e9)]
    pairs += [("Anthropic", "Amazon", 5e9)]
    found = [
        (DealDraft(a, b, usd, "equity", 1.0), Report(day, f"t{i}", f"https://a/{i}", "a"))
        for i, (a, b, usd) in enumerate(pairs)
    ]
    db = tmp_path / "d.db"
    with Store(db) as store:
        record_deals(store, found, now=datetime(2025, 10, 7, tzinfo=UTC))
    result = runner.invoke(app, ["deals", "graph", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "loop Amazon → Anthropic → Amazon: $13B" above "loop Nvidia → OpenAI → Nvidia:
    # $101B", under a line calling the first the largest: the order was by what can go round.
    lines = result.stdout.splitlines()
    at = lines.index("loops, largest first (by the money that can go all the way round):")
    assert lines[at + 1 : at + 3] == [
        "  Amazon → Anthropic → Amazon: $5.0B round, $13B on it",
        "  Nvidia → OpenAI → Nvidia: $1.0B round, $101B on it",
    ]
