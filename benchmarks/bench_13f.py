"""Benchmark the 13F path on a large filer: parse, store and aggregate a big information table.

    .venv/bin/python benchmarks/bench_13f.py [--rows 20000] [--runs 3]

The largest 13F filers list tens of thousands of rows a quarter (market makers and
multi-strategy funds). Target: parsing and storing a 20,000-row table well under the
time EDGAR's pacing takes to fetch it (a few seconds), and the per-reading smart-money
view over 8 such quarters under a second, so it never slows a report.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.config.smart_money import DEFAULT_CUSIPS  # noqa: E402
from monitor.reading.smart_money import smart_money_view  # noqa: E402
from monitor.sources.edgar.parse import INFO_TABLE_NS, parse_information_table  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.filings import save_filing  # noqa: E402
from signals.thirteenf import Filing  # noqa: E402

MAPPED = list(DEFAULT_CUSIPS)


def cusip(i: int) -> str:
    """One row in 500 is a basket name (as in a big filer's table); the rest unmapped."""
    return MAPPED[i % len(MAPPED)] if i % 500 == 0 else f"{i:08d}0"


def table(rows: int) -> bytes:
    parts = [f'<?xml version="1.0"?><informationTable xmlns="{INFO_TABLE_NS}">']
    for i in range(rows):
        put = "<putCall>Put</putCall>" if i % 7 == 0 else ""
        parts.append(
            f"<infoTable><nameOfIssuer>ISSUER {i}</nameOfIssuer><titleOfClass>COM</titleOfClass>"
            f"<cusip>{cusip(i)}</cusip><value>{1000 + i}</value><shrsOrPrnAmt>"
            f"<sshPrnamt>{10 + i}</sshPrnamt><sshPrnamtType>SH</sshPrnamtType></shrsOrPrnAmt>"
            f"{put}<investmentDiscretion>SOLE</investmentDiscretion><votingAuthority><Sole>0"
            "</Sole><Shared>0</Shared><None>0</None></votingAuthority></infoTable>"
        )
    parts.append("</informationTable>")
    return "".join(parts).encode()


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--rows", type=int, default=20_000)
    args.add_argument("--runs", type=int, default=3)
    opts = args.parse_args()
    body = table(opts.rows)
    config = load_config()
    parse_s, store_s, view_s = [], [], []
    for _ in range(opts.runs):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
            for q in range(8):
                start = time.perf_counter()
                holdings = parse_information_table(
                    body, "bench", multiplier=1, cusips=DEFAULT_CUSIPS
                )
                parse_s.append(time.perf_counter() - start)
                period = date(2024, 3, 31) + timedelta(days=91 * q)
                filing = Filing(
                    1, "Bench", f"bench-{q}", "13F-HR", period, period + timedelta(days=44)
                )
                start = time.perf_counter()
                save_filing(
                    store, filing, holdings, value_multiplier=1, fetched_at=datetime.now(UTC)
                )
                store_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            smart_money_view(store, config, now=datetime(2026, 6, 1, tzinfo=UTC))
            view_s.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{opts.rows:,}-row table ({len(body) / 1e6:.1f} MB): "
        f"parse median {statistics.median(parse_s):.2f}s, store {statistics.median(store_s):.2f}s"
    )
    print(f"smart-money view over 8 such quarters: median {statistics.median(view_s):.2f}s")
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
