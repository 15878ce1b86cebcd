"""The deals table: one deal across outlets is one edge with several sources; re-running
changes nothing; confirm/reject; the sourced starting graph; extraction from stored
headlines (the step `collect news` runs)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.config.feeds_yaml import load_config
from monitor.errors import InputError
from monitor.reading.circular import circular_context, entity_table
from monitor.reading.deals_extract import extract_new_deals
from monitor.store import Store
from monitor.store.deals import (
    DealCounts,
    Report,
    count_deals,
    deal_sources,
    load_deals,
    record_deals,
    set_status,
)
from monitor.store.deals_seed import seed_deals, starting_deals
from monitor.store.headlines import insert_headlines
from signals.deals.models import DealDraft
from signals.models import Headline

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _report(day: date, outlet: str) -> Report:
    return Report(day, f"{outlet}: Nvidia to invest $100B in OpenAI", f"https://{outlet}/a", outlet)


def test_one_deal_from_several_outlets_is_one_edge_with_their_sources(store: Store) -> None:
    draft = DealDraft("Nvidia", "OpenAI", 100e9, "equity", 0.9)
    same = DealDraft("Nvidia", "OpenAI", 98e9, "equity", 0.9)  # rounded differently
    counts = record_deals(
        store,
        [
            (draft, _report(date(2025, 9, 22), "wsj.example")),
            (same, _report(date(2025, 9, 23), "cnbc.example")),
            (DealDraft("Nvidia", "OpenAI", None, "equity", 0.5), _report(date(2025, 10, 1), "x")),
        ],
        now=NOW,
    )
    assert (counts.new, counts.merged) == (1, 2)
    (deal,) = load_deals(store)
    assert deal.sources == 3 and deal.amount_usd == 100e9 and deal.status == "extracted"
    assert [s.source for s in deal_sources(store, deal.id)] == ["wsj.example", "cnbc.example", "x"]
    again = record_deals(store, [(draft, _report(date(2025, 9, 22), "wsj.example"))], now=NOW)
    assert (again.new, again.merged, again.unchanged) == (0, 0, 1)


def test_a_later_deal_of_the_same_pair_is_a_new_edge(store: Store) -> None:
    first = DealDraft("Amazon", "Anthropic", 4e9, "equity", 0.9)
    later = DealDraft("Amazon", "Anthropic", 25e9, "equity", 0.9)
    record_deals(store, [(first, _report(date(2023, 9, 25), "a"))], now=NOW)
    record_deals(store, [(later, _report(date(2026, 4, 21), "b"))], now=NOW)
    assert [d.amount_usd for d in load_deals(store)] == [4e9, 25e9]


def test_rejected_deals_leave_the_graph_and_stay_rejected(store: Store) -> None:
    draft = DealDraft("Nvidia", "OpenAI", 100e9, "equity", 0.9)
    record_deals(store, [(draft, _report(date(2025, 9, 22), "a"))], now=NOW)
    (deal,) = load_deals(store)
    set_status(store, deal.id, "rejected")
    record_deals(store, [(draft, _report(date(2025, 9, 23), "b"))], now=NOW)
    assert load_deals(store) == []
    (kept,) = load_deals(store, status="rejected")
    assert kept.sources == 2
    with pytest.raises(InputError, match="deal 999"):
        set_status(store, 999, "confirmed")


def test_starting_graph_is_sourced_confirmed_and_idempotent(store: Store) -> None:
    rows = starting_deals()
    assert len(rows) >= 30
    assert all(r.title and r.url.startswith("http") for _, r in rows)
    first = seed_deals(store, now=NOW)
    assert first.new == len(rows) and seed_deals(store, now=NOW).unchanged == len(rows)
    deals = load_deals(store)
    assert {d.status for d in deals} == {"confirmed"}
    context = circular_context(store, now=NOW)
    assert context is not None and context["fitted"] is False
    assert context["cycles"][0]["members"] == ["Nvidia", "OpenAI", "Oracle"]
    assert 0.5 < context["circular_share"] < 1


def test_a_confirmed_report_confirms_an_extracted_deal(store: Store) -> None:
    extracted = DealDraft("OpenAI", "Oracle", 300e9, "compute", 0.7)
    record_deals(store, [(extracted, _report(date(2025, 9, 11), "x"))], now=NOW)
    seed_deals(store, now=NOW)
    oracle = [d for d in load_deals(store) if (d.payer, d.payee) == ("OpenAI", "Oracle")]
    assert len(oracle) == 1 and oracle[0].status == "confirmed" and oracle[0].sources == 2


def test_extraction_from_stored_headlines_is_idempotent(store: Store) -> None:
    titles = [
        ("Nvidia to Invest Up to $100 Billion in OpenAI", "https://wsj.example/n"),
        ("Nvidia plans to invest $100bn in OpenAI, its biggest bet", "https://cnbc.example/n"),
        ("Oracle, OpenAI Sign $300 Billion Cloud Deal", "https://wsj.example/o"),
        ("More customers use Anthropic than OpenAI", "https://x.example/c"),
    ]
    headlines = [
        Headline(t, u, "outlet", "feed", datetime(2025, 9, 23, tzinfo=UTC)) for t, u in titles
    ]
    ids = insert_headlines(store, headlines, fetched_at=NOW)
    table = entity_table(load_config(None))
    counts = extract_new_deals(store, table, ids, now=NOW)
    assert (counts.new, counts.merged) == (2, 1)
    assert extract_new_deals(store, table, ids, now=NOW).unchanged == 3
    assert count_deals(store) == 2


def test_import_and_collect_news_record_the_same_deals_through_one_function(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """import-headlines (each committed batch) and collect news (the run's new rows)
    both go through monitor.reading.deals_extract.extract_new_deals: the same titles give
    the same deals, dated by the headline, whichever stage stored them."""
    import json

    from monitor.app import build
    from monitor.stages.import_headlines import run_import_headlines
    from monitor.stages.news import run_news
    from tests.test_news_collect import make_config, rss

    when = datetime(2026, 4, 30, 9, tzinfo=UTC)
    titles = [
        ("CoreWeave secures $11.9B contract with OpenAI", "https://investing.example/c"),
        ("Oracle, OpenAI Sign $300 Billion Cloud Deal", "https://wsj.example/o"),
        ("Apple unveils a new iPhone", "https://x.example/i"),
    ]
    archive = tmp_path / "archive.jsonl"
    rows = [{"date": when.isoformat(), "title": t, "source": "Outlet", "url": u} for t, u in titles]
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows))
    httpserver.expect_request("/feed").respond_with_data(
        rss("Outlet", [(t, u, when) for t, u in titles]), content_type="application/rss+xml"
    )
    feeds = make_config([("outlet", httpserver.url_for("/feed"))])
    config = load_config(None).model_copy(update={"feeds": feeds.feeds, "news": feeds.news})

    def deals_of(db: Path, run: str) -> set[tuple[str, str, float | None, date]]:
        with build(config, db=db, clock=lambda: NOW) as app:
            if run == "import":
                assert not run_import_headlines(app, archive).hook_errors
            else:
                assert (run_news(app).deals or DealCounts()).new == 2
            return {(d.payer, d.payee, d.amount_usd, d.day) for d in load_deals(app.store)}

    imported = deals_of(tmp_path / "import.db", "import")
    collected = deals_of(tmp_path / "news.db", "news")
    day = date(2026, 4, 30)
    expected = {("OpenAI", "CoreWeave", 11.9e9, day), ("OpenAI", "Oracle", 300e9, day)}
    assert imported == collected == expected


def test_the_news_stage_extracts_the_deals_of_new_headlines(
    httpserver: HTTPServer, db_path: Path
) -> None:
    from monitor.app import build
    from monitor.config.feeds_yaml import FeedConfig
    from monitor.stages.news import run_news
    from tests.test_news_collect import make_config, rss

    when = datetime(2026, 4, 30, tzinfo=UTC)
    body = rss(
        "Outlet",
        [
            ("Nvidia to Invest Up to $100 Billion in OpenAI", "https://a.example/1", when),
            ("Oracle, OpenAI Sign $300 Billion Cloud Deal", "https://a.example/2", when),
            ("Apple unveils a new iPhone", "https://a.example/3", when),
        ],
    )
    httpserver.expect_request("/feed").respond_with_data(body, content_type="application/rss+xml")
    base = load_config(None)
    feeds = make_config([("outlet", httpserver.url_for("/feed"))])
    config = base.model_copy(update={"feeds": feeds.feeds, "news": feeds.news})
    assert isinstance(config.feeds[0], FeedConfig)
    with build(config, db=db_path, clock=lambda: NOW) as app:
        result = run_news(app)
        assert result.summary()["deals_new"] == 2
        assert {(d.payer, d.payee) for d in load_deals(app.store)} == {
            ("Nvidia", "OpenAI"),
            ("OpenAI", "Oracle"),
        }
        assert run_news(app).deals is None  # nothing new the second time
