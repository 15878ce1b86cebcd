"""`bubble-monitor collect [prices|news|positioning|filings|models|fundamentals|all]`:
collect into the store, with a summary. `all` runs them all; filings and fundamentals only
when BUBBLE_MONITOR_SEC_USER_AGENT is set (EDGAR refuses anonymous clients), and a failing
stage never stops the others."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    new_table,
    plain,
    print_json,
    progress,
    say_offline_next,
    styled,
)

if TYPE_CHECKING:
    from rich.table import Table

    from monitor.sources.news.collect import FeedResult, NewsCollectResult
    from monitor.sources.yahoo.collect_prices import PriceCollectResult


class What(StrEnum):
    prices = "prices"
    news = "news"
    positioning = "positioning"
    filings = "filings"
    models = "models"
    fundamentals = "fundamentals"
    all = "all"


def register(app: typer.Typer) -> None:
    app.command("collect")(collect)


def collect(
    what: What = typer.Argument(What.all, help="What to collect."),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
    weeks: int = typer.Option(
        1, "--weeks", min=1, max=8, help="models: whole weeks to count (backfill up to 8)."
    ),
) -> None:
    """Collect prices (yfinance), headlines (feeds), short interest (positioning), 13F
    filings (filings, needs BUBBLE_MONITOR_SEC_USER_AGENT), new Hugging Face models
    (models) or companies' XBRL fundamentals (fundamentals, SEC too); `all` runs every one,
    skipping the SEC ones without the SEC User-Agent.

    A failing ticker, feed or fund is recorded with its reason and never stops the others.
    """
    from monitor.app import build
    from monitor.errors import CollectError

    cfg = config(feeds)
    out: dict[str, Any] = {}
    with build(cfg, db=db) as app:
        _prices_and_news(app, what, out, show_progress=not as_json)
        if what in (What.positioning, What.filings, What.models):
            from monitor.cli.collect_smart_money import collect_smart_money

            out.update(collect_smart_money(app, what.value, weeks=weeks))
        elif what == What.all:
            from monitor.cli.collect_smart_money import collect_all_smart_money

            out.update(collect_all_smart_money(app, weeks=weeks))
        if what in (What.fundamentals, What.all):
            out.update(_fundamentals(app, skip_without_agent=what == What.all))
    if as_json:
        print_json(out)
    else:
        if "prices" in out and not _all_failed_alike(out["prices"]["tickers"]):
            console.print(_table("prices", out["prices"]["tickers"]))
        if "news" in out:
            title = f"feeds ({out['news']['new']} new headlines)"
            console.print(_table(title, out["news"]["feeds"]))
        _print_failures_and_smart_money(out, alone=what.value)
    if "failed_stage" in out.get("prices", {}):
        say_offline_next(str(out["prices"]["failed_stage"]))
    if what in (What.prices, What.news) and "failed_stage" in out[what.value]:
        # Like positioning, filings and fundamentals: a single source that failed entirely
        # exits 2 (after its table, which names each failure), so cron and scripts see it;
        # under `all` the other stages still ran and the run says which one failed.
        raise CollectError(f"{what.value}: {out[what.value]['failed_stage']}")


def _prices_and_news(app: Any, what: What, out: dict[str, Any], *, show_progress: bool) -> None:
    """Collect prices and news into `out` when `what` asks for them; a source whose every
    ticker or feed failed gets a `failed_stage`."""
    from monitor.stages.news import run_news
    from monitor.stages.prices import run_prices

    if what in (What.prices, What.all):
        prices = run_prices(app)
        out["prices"] = prices_summary(prices)
        if (why := prices.total_failure()) is not None:
            out["prices"]["failed_stage"] = why
    if what in (What.news, What.all):
        enabled = sum(f.enabled for f in app.config.feeds)
        with progress(show_progress) as bar:
            task = bar.add_task("feeds", total=enabled) if bar else None

            def advance(_: FeedResult) -> None:
                if bar is not None and task is not None:
                    bar.advance(task)

            news = run_news(app, on_feed_done=advance)
            out["news"] = news_summary(news.collected)
            if (why := news.total_failure()) is not None:
                out["news"]["failed_stage"] = why


def _all_failed_alike(rows: list[dict[str, Any]]) -> bool:
    """Every ticker failed for one reason (Yahoo unreachable): the failure line says it
    once; the table said it 43 times, five lines each, at 80 columns."""
    reasons = {re.sub(r" \(before asking for [^)]*\)", "", str(r["reason"])) for r in rows}
    return bool(rows) and all(r["status"] == "failed" for r in rows) and len(reasons) == 1


def _print_failures_and_smart_money(out: dict[str, Any], *, alone: str) -> None:
    # Failure texts quote feeds, URLs and servers: printed as written (no markup).
    for name in ("prices", "news", "positioning", "filings", "models"):
        if "skipped" in out.get(name, {}):
            console.print(styled(f"{name} skipped:", "yellow", out[name]["skipped"]))
        # `collect prices` alone, every ticker failed: its `error:` line says it (the news
        # table names each feed's own failure, so `news failed:` stays as it was).
        said = name == alone == "prices"
        if "failed_stage" in out.get(name, {}) and not said:
            console.print(styled(f"{name} failed:", "red", out[name]["failed_stage"]))
    if "tickers" in out.get("positioning", {}):
        console.print(_table("short interest", out["positioning"]["tickers"]))
    if "funds" in out.get("filings", {}):
        console.print(_table("13F filings", out["filings"]["funds"]))
        for event in out["filings"]["events"]:
            console.print(f"  {event}")
    if "skipped" in out.get("fundamentals", {}):
        console.print(styled("fundamentals skipped:", "yellow", out["fundamentals"]["skipped"]))
    if "failed_stage" in out.get("fundamentals", {}):
        console.print(styled("fundamentals failed:", "red", out["fundamentals"]["failed_stage"]))
    if "companies" in out.get("fundamentals", {}):
        console.print(_table("SEC fundamentals", out["fundamentals"]["companies"]))
    if "weeks" in out.get("models", {}):
        console.print(_table("new Hub models per week", out["models"]["weeks"]))
        if out["models"]["error"]:
            console.print(styled(str(out["models"]["error"]), "red"))


def _fundamentals(app: Any, *, skip_without_agent: bool) -> dict[str, Any]:
    """`collect fundamentals`; under `all`, skipped without the SEC User-Agent and a
    failure reported without stopping the rest."""
    from monitor.cli.collect_fundamentals import collect_fundamentals_summary
    from monitor.errors import BubbleMonitorError
    from monitor.sources.edgar.client import USER_AGENT_ENV

    if not skip_without_agent:
        return collect_fundamentals_summary(app)
    if not app.env.get(USER_AGENT_ENV, "").strip():
        return {"fundamentals": {"skipped": f"{USER_AGENT_ENV} is not set (SEC EDGAR requires it)"}}
    try:
        return collect_fundamentals_summary(app)
    except BubbleMonitorError as e:
        return {"fundamentals": {"failed_stage": str(e)}}


def prices_summary(result: PriceCollectResult) -> dict[str, Any]:
    return {
        "bars_written": result.bars_written,
        "failed": list(result.failed),
        "stale": list(result.stale),
        "tickers": [
            {
                "ticker": o.ticker,
                "status": o.status,
                "bars": o.bars_written,
                "last_day": o.last_day.isoformat() if o.last_day else None,
                "reason": o.reason,
            }
            for o in result.tickers
        ],
    }


def news_summary(result: NewsCollectResult) -> dict[str, Any]:
    return {
        "new": result.new,
        "failed": result.count("failed"),
        "feeds": [
            {
                "feed": f.name,
                "status": f.status,
                "new": f.new,
                "entries": f.entries,
                "error": f.error or f.warning or "",
            }
            for f in result.feeds
        ],
    }


def _table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = new_table(title=title)
    if not rows:
        table.add_column("nothing to report")
        return table
    for column in rows[0]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(plain("" if v is None else v) for v in row.values()))
    return table
