"""Benchmark import-headlines on the shared corpus: time, peak memory, idempotence.

    .venv/bin/python benchmarks/bench_import_headlines.py \
        [--file ../shared/data/ai_news_headlines_2022_2026.jsonl] [--limit N] [--keep DB]

Runs the command's own path (monitor.app.build + run_import_headlines: stream, embed
through the store's cache, score with the shipped head, group stories, one transaction
per batch) into a fresh SQLite file, then imports the same file again (it must store
nothing). Printed: rows stored and rejected by reason, wall time of each run (the first
includes loading the model), rows per second, CPU time (all threads) and CPU ms per row,
peak RSS of this process (model, torch and the import together), the database size, and
the load average before and after (the machine is shared: say how busy it was). `--keep
DB` keeps the database (benchmarks/news_history_report.py reads such a store);
`--limit N` imports only the first N lines (a quick check, written to a temporary copy).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.app import build  # noqa: E402
from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.stages.import_headlines import ImportResult, run_import_headlines  # noqa: E402
from monitor.store import Store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"


def one_run(db: Path, path: Path) -> tuple[ImportResult, float, float]:
    """(result, wall seconds, CPU seconds of this process, all threads)."""
    config = load_config(None)
    started, cpu = time.perf_counter(), time.process_time()
    with build(config, {}, store=Store(db)) as app:
        result = run_import_headlines(app, path, on_batch=_progress)
    return result, time.perf_counter() - started, time.process_time() - cpu


def _progress(result: ImportResult) -> None:
    if result.rows % 10_000 < 1000:
        print(f"  {result.rows} rows, {result.stored} stored", file=sys.stderr, flush=True)


def limited(path: Path, limit: int | None, folder: Path) -> Path:
    if limit is None:
        return path
    out = folder / f"first_{limit}.jsonl"
    with path.open("rb") as src, out.open("wb") as dst:
        dst.writelines(itertools.islice(src, limit))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database here")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file}: not found (the shared corpus lives in ../shared/data)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.keep or folder / "import.db"
        if db.exists():
            sys.exit(f"{db} exists: the benchmark needs a fresh database")
        path = limited(args.file, args.limit, folder)
        load_before = os.getloadavg()
        first, seconds, cpu = one_run(db, path)
        load_after = os.getloadavg()
        again, seconds_again, _ = one_run(db, path)
        report(first, (seconds, cpu), again, seconds_again, db, (load_before, load_after))


def report(
    first: ImportResult,
    times: tuple[float, float],
    again: ImportResult,
    seconds_again: float,
    db: Path,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> None:
    summary = first.summary()
    seconds, cpu = times
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
    print(f"file: {first.path}")
    print(f"rows read: {first.rows}; stored {first.stored}; already stored (duplicate URL or")
    print(f"  title) {first.already_stored}; rejected {summary['rejected']}:")
    for reason, count in summary["rejected_by_reason"].items():
        print(f"  {reason}: {count}")
    for row in first.rejections[:10]:
        print(f"  {row}")
    print(f"stories: {first.stories_joined} rows joined an earlier story")
    print(f"first import: {seconds:.1f} s ({first.rows / seconds:.0f} rows/s), model load included")
    print(
        f"CPU time of the first import: {cpu:.1f} s ({1000 * cpu / max(first.rows, 1):.1f} ms/row)"
    )
    print(f"re-import: {seconds_again:.1f} s, stored {again.stored} (must be 0)")
    print(f"peak RSS of the process: {peak_mb:.0f} MB; database {size_mb:.0f} MB")
    print(f"torch threads: {os.environ.get('OMP_NUM_THREADS', 'default (one per core)')}")
    print(f"OpenMP wait policy: {os.environ.get('OMP_WAIT_POLICY', 'unset')}")
    print(f"load average (1, 5, 15 min) before: {loads[0]}, after: {loads[1]}")


if __name__ == "__main__":
    main()
