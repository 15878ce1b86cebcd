"""Benchmark the fundamentals path on a 4 MB companyfacts body: parse, measure, store.

    .venv/bin/python benchmarks/bench_fundamentals.py [--body FILE] [--runs 5]

Target (issue 25): a 4 MB body parsed in under 1 s and under 200 MB. The body is the real
Nvidia companyfacts (4,039,082 bytes) from ../shared/data/sec when present, else one
made here of the same size (every row of a few tags repeated over other tag names, as big
filers' bodies are mostly tags we never read). Time is the median of `--runs`; memory is
the peak Python allocation during one parse + measures (tracemalloc) and the process's
peak resident size (ru_maxrss, interpreter and imports included). Then the reading's
fundamentals part (every reading computes it) over a store holding the body's facts for
each of the default configuration's companies.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.fundamentals import fundamentals_view  # noqa: E402
from monitor.sources.edgar.fundamentals import fundamentals_tickers  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.fundamentals import Company, save_company, save_facts  # noqa: E402
from signals.fundamentals.facts import CompanyFacts, parse_companyfacts  # noqa: E402
from signals.fundamentals.measures import fundamentals  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "sec" / "companyfacts_CIK0001045810_2026-07-09.json"
TARGET_BYTES = 4_000_000


def made_body() -> bytes:
    rows = [
        {
            "start": f"{y}-01-01",
            "end": f"{y}-12-31",
            "val": 1e9 + y,
            "accn": f"0000000001-{y % 100:02d}-000001",
            "fy": y,
            "fp": "FY",
            "form": "10-K",
            "filed": f"{y + 1}-02-15",
        }
        for y in range(1990, 2026)
    ]
    gaap: dict[str, object] = {"Revenues": {"units": {"USD": rows}}}
    i = 0
    while len(json.dumps(gaap)) < TARGET_BYTES:
        gaap[f"OtherTag{i}"] = {"units": {"USD": rows}}
        i += 1
    return json.dumps({"cik": 1, "entityName": "Made", "facts": {"us-gaap": gaap}}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--body", type=Path, default=REAL if REAL.is_file() else None)
    parser.add_argument("--made", action="store_true", help="use a made 4 MB body")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # imports, no body
    if args.made:
        args.body = None
    body = args.body.read_bytes() if args.body else made_body()
    source = str(args.body) if args.body else "made body"
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parsed = parse_companyfacts(body, source)
        fundamentals(parsed.cik, parsed.facts)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    parsed = parse_companyfacts(body, source)
    fundamentals(parsed.cik, parsed.facts)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        start = time.perf_counter()
        save_facts(store, parsed.facts, source="sec", fetched_at=datetime.now(UTC))
        stored = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        reading, companies = reading_time(store, parsed)
    print(f"body: {source}, {len(body):,} bytes, {len(parsed.facts):,} facts kept")
    print(f"parse + measures: median {statistics.median(times):.3f} s over {args.runs} runs")
    print(f"peak Python allocation (tracemalloc): {peak / 1e6:.1f} MB")
    print(
        f"process peak RSS: {rss:.0f} MB ({before:.0f} MB before the body was read: "
        f"interpreter and imports); storing the facts: {stored:.3f} s"
    )
    print(f"reading's fundamentals part over {companies} companies: {reading:.3f} s")


def reading_time(store: Store, parsed: CompanyFacts) -> tuple[float, int]:
    """Seconds for one `fundamentals_view` with every default company holding the facts."""
    config = load_config(None)
    tickers = fundamentals_tickers(config)
    now = datetime.now(UTC)
    for i, ticker in enumerate(tickers):
        cik = 900_000_000 + i
        facts = [replace(f, cik=cik) for f in parsed.facts]
        save_facts(store, facts, source="sec", fetched_at=now)
        save_company(store, Company(ticker, cik, ticker, "sec"), fetched_at=now)
    start = time.perf_counter()
    fundamentals_view(store, config, now=now)
    return time.perf_counter() - start, len(tickers)


if __name__ == "__main__":
    main()
