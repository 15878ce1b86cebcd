"""`bubble-monitor collect [prices|news|all]`: collect into the store, with a summary."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    open_store,
    print_json,
    progress,
)


class What(StrEnum):
    prices = "prices"
    news = "news"
    all = "all"


def register(app: typer.Typer) -> None:
    app.command("collect")(collect)


def collect(
    what: What = typer.Argument(What.all, help="What to collect."),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Collect prices (yfinance) and/or headlines (feeds) into the store.

    A failing ticker or feed is recorded with its reason and never stops the others.
    """
    from monitor.pipeline import Context, run_news, run_prices

    cfg = config(feeds)
    out: dict[str, Any] = {}
    with open_store(db) as store:
        ctx = Context(cfg, store)
        if what in (What.prices, What.all):
            prices = run_prices(ctx)
            out["prices"] = _plain(prices)
        if what in (What.news, What.all):
            enabled = [f for f in cfg.feeds if f.enabled]
            with progress(not as_json) as bar:
                task = bar.add_task("feeds", total=len(enabled)) if bar else None

                def advance(_: object) -> None:
                    if bar is not None and task is not None:
                        bar.advance(task)

                news = run_news(ctx, on_feed_done=advance)
            out["news"] = _plain(news)
    if as_json:
        print_json(out)
        return
    if "prices" in out:
        console.print(_table("prices", out["prices"].get("tickers", [])))
    if "news" in out:
        console.print(_table("feeds", out["news"].get("feeds", [])))


def _plain(result: Any) -> dict[str, Any]:
    plain = dataclasses.asdict(result) if dataclasses.is_dataclass(result) else dict(result)
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in plain.items()}


def _table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    if not rows:
        table.add_column("nothing to report")
        return table
    for column in rows[0]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    return table
