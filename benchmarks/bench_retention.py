"""Benchmark retention: the database size after a simulated year (or more) of service,
with and without the retention rules of feeds.yaml.

    .venv/bin/python benchmarks/bench_retention.py [--days 365] [--headlines 150]

Each simulated day stores `--headlines` new headlines (about what the default dozen feeds
bring) with a score and a 384-float embedding each, and a reading every hour (the index
job's schedule), as the service would. One database keeps everything; the other runs the
retention rules (headlines_days 400, readings_full_days 90) every `--prune-every` days (7:
the service prunes daily, but each prune hashes every kept title to spare shared
embeddings, about a second at 100,000 headlines, which a 730-day simulation would repeat
730 times; the final size differs by at most a week of rows). Printed per database:
the file size and the live data (pages in use; SQLite reuses freed pages rather than
shrinking the file), and the row counts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.config.feeds_yaml import RetentionConfig
from monitor.store import Store
from monitor.store.embeddings import put_embeddings, text_hash
from monitor.store.headlines import insert_headlines
from monitor.store.readings import save_reading
from monitor.store.retention import prune
from monitor.store.scores import save_scores
from signals.models import Component, Headline, HeadlineRef, HeadlineScore, IndexReading
from signals.text import normalise

START = datetime(2026, 1, 1, tzinfo=UTC)
MODEL = "all-MiniLM-L6-v2"
NAMES = (
    "overextension", "explosiveness", "concentration", "fragility", "credit",
    "layoffs", "circular_deal", "funding_round", "capex_debt", "bubble_warning", "ai_demand",
)  # fmt: skip


def simulate(
    db: Path, days: int, per_day: int, retention: RetentionConfig | None, every: int
) -> Store:
    rng = np.random.default_rng(7)
    store = Store(db)
    serial = 0
    for day in range(days):
        midnight = START + timedelta(days=day)
        items = []
        for k in range(per_day):
            serial += 1
            items.append(
                Headline(
                    f"Headline {serial}: company {k % 97} news about AI spending and jobs",
                    f"https://news.example/{serial}",
                    f"Outlet {k % 23}",
                    f"feed-{k % 12}",
                    midnight + timedelta(minutes=k * 1440 // per_day),
                )
            )
        ids = insert_headlines(store, items, fetched_at=midnight)
        score = HeadlineScore("other", 0.8, {"other": 0.8, "layoffs": 0.2}, "head-1")
        save_scores(store, [(i, score) for i in ids], scored_at=midnight)
        vectors = rng.standard_normal((len(items), 384)).astype(np.float32)
        put_embeddings(
            store,
            MODEL,
            {text_hash(normalise(h.title)): v for h, v in zip(items, vectors, strict=True)},
        )
        for hour in range(24):
            as_of = midnight + timedelta(hours=hour)
            save_reading(store, _reading(as_of, items[:3]), computed_at=as_of)
        if retention is not None and (day % every == every - 1 or day == days - 1):
            prune(
                store,
                now=midnight + timedelta(hours=23, minutes=59),
                headlines_days=retention.headlines_days,
                readings_full_days=retention.readings_full_days,
            )
    return store


def _reading(as_of: datetime, top: list[Headline]) -> IndexReading:
    components = tuple(
        Component(n, "market" if i < 5 else "news", 50.0, 0.1, 5.0, f"{n}: detail text " * 3)
        for i, n in enumerate(NAMES)
    )
    refs = tuple(HeadlineRef(h.title, h.url, h.source, "other", 0.8, h.published) for h in top)
    return IndexReading(as_of, 50.0, "warming", 0.5, components, top_headlines=refs)


def report(name: str, store: Store, seconds: float) -> None:
    conn = store.conn
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    used = (
        conn.execute("PRAGMA page_count").fetchone()[0]
        - conn.execute("PRAGMA freelist_count").fetchone()[0]
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = store.path.stat().st_size
    rows = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (
        "headlines", "headline_scores", "embeddings", "index_readings")}  # fmt: skip
    print(
        f"{name:>18}: file {size / 1e6:7.1f} MB, live data {used * page / 1e6:7.1f} MB, "
        f"{seconds:5.0f} s; rows {rows}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--headlines", type=int, default=150)
    parser.add_argument("--prune-every", type=int, default=7)
    args = parser.parse_args()
    print(f"{args.days} days, {args.headlines} headlines/day, a reading every hour")
    with tempfile.TemporaryDirectory() as folder:
        for name, rules in (("keep everything", None), ("retention", RetentionConfig())):
            t0 = time.perf_counter()
            db = Path(folder) / f"{name}.db"
            store = simulate(db, args.days, args.headlines, rules, args.prune_every)
            report(name, store, time.perf_counter() - t0)
            store.close()


if __name__ == "__main__":
    main()
