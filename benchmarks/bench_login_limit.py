"""Benchmark the login limit under a flood of wrong bearer tokens from distinct addresses.

    .venv/bin/python benchmarks/bench_login_limit.py [--addresses 100000] [--cap 10000]

Sends one request with a wrong bearer token from each of N distinct IPv4 addresses through
the whole ASGI app in this process (security headers, gzip, auth, the limiter; no network),
then reports the server time per refused request, the table's size (it must stay at the
cap) and the memory the full table holds (tracemalloc: allocations still live after the
flood, less those before it).
Targets: the table never above the cap; a refused request well under 1 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.web.app import build_app  # noqa: E402
from monitor.web.ratelimit import LoginLimit, LoginLimiter  # noqa: E402
from monitor.web.settings import dashboard_settings  # noqa: E402

TOKEN = "benchmark-token-0123456789abcdef"


def _scope(address: str) -> dict[str, Any]:
    return {
        "type": "http", "method": "GET", "path": "/api/reading", "raw_path": b"/api/reading",
        "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
        "headers": [(b"authorization", b"Bearer wrong")], "client": (address, 1),
        "server": ("127.0.0.1", 8050),
    }  # fmt: skip


async def _flood(app: Any, count: int, statuses: dict[int, int]) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses[message["status"]] = statuses.get(message["status"], 0) + 1

    for n in range(count):
        await app(_scope(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"), receive, send)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--cap", type=int, default=LoginLimit().max_clients)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        Store(db).close()
        settings = dashboard_settings(
            db, load_config(), token=TOKEN, clock=lambda: datetime.now(UTC)
        )
        settings = replace(settings, login_limit=LoginLimit(max_clients=args.cap))
        statuses: dict[int, int] = {}
        t0 = time.perf_counter()
        asyncio.run(_flood(build_app(settings), args.addresses, statuses))
        seconds = time.perf_counter() - t0
        app = build_app(settings)  # again, fresh, with the memory traced
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        asyncio.run(_flood(app, args.addresses, {}))
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        table = len(app.state.login_limiter)
    print(f"{args.addresses} addresses, cap {args.cap}: statuses {statuses}")
    print(f"per refused request: {seconds / args.addresses * 1e6:.0f} µs")
    print(f"table: {table} entries, about {held / 1e6:.1f} MB held after the flood")
    print(f"the limiter alone, full: about {_limiter_bytes(args.cap) / 1e6:.1f} MB")
    if table > args.cap:
        raise SystemExit(f"table above its cap: {table} > {args.cap}")


def _limiter_bytes(cap: int) -> int:
    """Memory of a LoginLimiter filled to `cap` addresses, one failure each."""
    tracemalloc.start()
    limiter = LoginLimiter(LoginLimit(max_clients=cap))
    for n in range(cap):
        limiter.failed(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return held


if __name__ == "__main__":
    main()
