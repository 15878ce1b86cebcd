"""Benchmark `classify --explain --real-news CORPUS "title"`: first call, repeat calls, new titles.

    PYTHONPATH=$PWD python benchmarks/bench_classify_explain.py [--runs 3] [--threads 1]
        [--corpus FILE] [--train]

Whole processes, wall time, each in a fresh data directory's state as a daily user meets it:
1. `--no-cache`: what every call cost before the data directory's embedding cache (the
   ~4,244 training texts embedded each time);
2. the first call with an empty cache (embeds them and keeps them);
3. the same title again (everything from the cache: the model is never loaded);
4. a title never seen (the cache gives the training texts; the model embeds the title
   and its one-word-out variants).
With `--train`, also `train --real-news CORPUS --out TMP` with an empty and a filled cache.
Children get OMP_NUM_THREADS=MKL_NUM_THREADS=1 and BUBBLE_MONITOR_TORCH_THREADS=--threads;
the report prints them with the load average, since the machine is shared, and each
child's CPU time (user + system), the steadier figure under load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"
TITLE = "Nvidia invests $100 billion in OpenAI"
NEW_TITLES = [
    "Meta to cut 5% of staff as AI spending climbs",
    "Oracle sells $18 billion of bonds to fund data centers",
    "Investor warns AI stocks are in a bubble",
    "Startup raises $300 million at a $4 billion valuation",
    "Microsoft cloud revenue beats estimates on AI demand",
]


#: CPU seconds (user + system) of each child, in run order: steadier than wall time on a
#: shared machine.
CPU: dict[str, list[float]] = {}


def run(args: list[str], env: dict[str, str], name: str) -> float:
    """Seconds of wall time for one `python -m monitor ...` process (which must succeed);
    its CPU time goes to CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "monitor", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU.setdefault(name, []).append(round(cpu, 2))
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def explain(corpus: Path, title: str, *extra: str) -> list[str]:
    return ["classify", "--explain", "--json", "--real-news", str(corpus), *extra, title]


def child_env(data_dir: Path, threads: int) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), BUBBLE_MONITOR_DATA_DIR=str(data_dir))
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["BUBBLE_MONITOR_TORCH_THREADS"] = str(threads)
    return env


def bench(corpus: Path, runs: int, threads: int, train: bool) -> dict[str, object]:
    figures: dict[str, object] = {"threads": threads, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as scratch:
        env = child_env(Path(scratch) / "data", threads)
        figures["no_cache_s"] = [run(explain(corpus, TITLE, "--no-cache"), env, "no_cache")]
        figures["first_call_s"] = [run(explain(corpus, TITLE), env, "first_call")]
        size = (Path(scratch) / "data" / "embedding-cache.sqlite").stat().st_size
        figures["cache_bytes"] = size
        figures["repeat_s"] = [run(explain(corpus, TITLE), env, "repeat") for _ in range(runs)]
        new = NEW_TITLES[:runs]
        figures["new_title_s"] = [run(explain(corpus, t), env, "new_title") for t in new]
        if train:
            figures.update(bench_train(corpus, Path(scratch), env, threads))
    figures["load_after"] = os.getloadavg()
    figures["cpu_seconds"] = dict(CPU)
    for key in [k for k in figures if k.endswith("_s")]:
        values = figures[key]
        assert isinstance(values, list)
        figures[key.removesuffix("_s") + "_median_s"] = round(statistics.median(values), 2)
    return figures


def bench_train(
    corpus: Path, scratch: Path, env: dict[str, str], threads: int
) -> dict[str, object]:
    """`train --real-news` with an empty cache, then with the one filled by `classify`
    above; whether each head is the package's head.json byte for byte."""
    shipped = (ROOT / "signals" / "classifier" / "head.json").read_bytes()
    figures: dict[str, object] = {}
    for name, child in (("empty", child_env(scratch / "empty", threads)), ("filled", env)):
        out = scratch / f"head-{name}.json"
        args = ["train", "--real-news", str(corpus), "--out", str(out)]
        figures[f"train_{name}_cache_s"] = [run(args, child, f"train_{name}_cache")]
        figures[f"train_{name}_cache_same_as_shipped"] = out.read_bytes() == shipped
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--train", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_file():
        raise SystemExit(f"corpus {args.corpus} not found (the shared ai_news_headlines JSONL)")
    print(json.dumps(bench(args.corpus, max(1, args.runs), args.threads, args.train), indent=1))


if __name__ == "__main__":
    main()
