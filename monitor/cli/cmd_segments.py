"""`bubble-monitor segments`: the configured segments, why each ticker is in its segment,
its benchmark and listing currency, and the news alias table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import FeedsOption, JsonOption, config, console, new_table, print_json

if TYPE_CHECKING:
    from monitor.config.feeds_yaml import Config


def register(app: typer.Typer) -> None:
    app.command("segments")(segments)


def segments(as_json: JsonOption = False, feeds: FeedsOption = None) -> None:
    """The segments of feeds.yaml: tickers with their reasons, benchmarks, aliases."""
    from signals.wording import display_name

    cfg = config(feeds)
    if as_json:
        print_json(segments_payload(cfg))
        return
    for segment in cfg.segments:
        # The name the report gives it, then the key --a/--b and feeds.yaml use.
        name = display_name(segment.name)
        name = name if name == segment.name else f"{name} ({segment.name})"
        table = new_table(title=f"{name}: {segment.description}" if segment.description else name)
        for column in ("ticker", "currency", "benchmark", "why it is here"):
            table.add_column(column)
        for ticker, member in segment.tickers.items():
            table.add_row(
                ticker,
                segment.currency_of(ticker),
                segment.benchmark_of(ticker) or "–",
                member.reason,
            )
        console.print(table)
        news = {"all": "every headline", "none": "no news"}.get(segment.news)
        console.print(f"news: {news or ', '.join(segment.aliases)}\n")


def segments_payload(cfg: Config) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "description": s.description,
            "benchmark": s.benchmark,
            "in_index": s.in_index,
            "news": s.news,
            "aliases": list(s.aliases),
            "tickers": [
                {
                    "ticker": t,
                    "reason": m.reason,
                    "benchmark": s.benchmark_of(t),
                    "currency": s.currency_of(t),
                }
                for t, m in s.tickers.items()
            ],
        }
        for s in cfg.segments
    ]
