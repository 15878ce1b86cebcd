"""Several `serve` instances on one PostgreSQL database: readings written, duplicates
found, deliveries per alert, takeover time after kill -9 of the lock holder, and how soon
the killed run's open row was closed as abandoned.

    .venv/bin/python benchmarks/bench_multi_instance.py [--instances 3] [--interval 3]
        [--before 10] [--after 10] [--repeat 3]

Starts a throwaway PostgreSQL server (tests/pg_server.py), seeds each database with the
offline demo scenario, and runs tests/multi_instance.py's scenario `--repeat` times: the
instances fire the index job every `--interval` seconds; after `--before` completed runs
the instance holding the job's lock is killed mid-run; `--after` more runs follow.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import pg_server  # noqa: E402
from tests.multi_instance import run_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--interval", type=int, default=3)
    parser.add_argument("--before", type=int, default=10)
    parser.add_argument("--after", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = pg_server.start()
    takeovers: list[float] = []
    try:
        for n in range(args.repeat):
            url = server.create_database(f"bench{n}")
            with tempfile.TemporaryDirectory() as tmp:
                f = run_scenario(url, Path(tmp), instances=args.instances,
                                 interval=args.interval, runs_before_kill=args.before,
                                 runs_after_kill=args.after, timeout=60 + 10 * args.interval *
                                 (args.before + args.after))  # fmt: skip
            takeovers.append(f.takeover_s or float("nan"))
            print(
                f"run {n + 1}: {f.instances} instances, every {f.interval_s}s: "
                f"{f.ok_runs} runs, {f.readings_written} readings written, duplicate runs "
                f"{f.duplicate_runs}, duplicate readings {f.duplicate_readings}; alerts sent "
                f"{f.alerts_sent}, Slack deliveries {f.deliveries} (duplicates "
                f"{f.duplicate_deliveries}); skipped {dict(f.skipped)}; takeover after kill -9 "
                f"{f.takeover_s:.2f}s; killed run {f.killed_run_outcome} after "
                f"{f.killed_run_closed_s}s; exit codes {f.exit_codes}",
                flush=True,
            )
    finally:
        server.stop()
    print(f"takeover: median {statistics.median(takeovers):.2f}s, max {max(takeovers):.2f}s")


if __name__ == "__main__":
    main()
