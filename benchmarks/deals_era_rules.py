"""Write tests/fixtures/deals/era_rule_pairs.tsv: for every labelled title, the pairs read
by the rules of the round that had NOT been tuned on it (round 4 of docs/circular-deals.md).

    PYTHONPATH=$PWD python benchmarks/deals_era_rules.py

The pair model learns how far to trust the rules. Today's rules were written from the
tune, test and test2 titles, so on those titles they are nearly always right, and a model
fitted on their output would trust them far more than they deserve on new titles (test3:
precision 0.558, recall 0.444). So the model is fitted on the output of the rules as they
were when each set was still unseen:
- test: round 1's frozen rules (8f7b8fa, measured on the test half: 0.898 / 0.667);
- test2: round 2's frozen rules (17595c7: 0.848 / 0.560);
- test3: round 3's frozen rules (2bfebea: 0.558 / 0.444);
- tune: round 1's rules too (8f7b8fa); tune was their development half, no round's rules
  are unseen there.
Each commit is checked out in a temporary git worktree and its own code reads the titles
(from ../shared). Keys and pairs only: no titles in the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl"
LABELS = ROOT / "tests/fixtures/deals/labels.tsv"
OUT = ROOT / "tests/fixtures/deals/era_rule_pairs.tsv"
HEADER = (
    "# key\thalf\tcommit\tpairs  (written by benchmarks/deals_era_rules.py: the rules "
    "of the round that had not seen each set; 'none' or 'Payer>Payee' joined by '; ')"
)
ERAS = {"tune": "8f7b8fa", "test": "8f7b8fa", "test2": "17595c7", "test3": "2bfebea"}

READER = """
import hashlib, json, sys
from pathlib import Path
root, corpus, keys = Path(sys.argv[1]), Path(sys.argv[2]), set(sys.argv[3].split(","))
sys.path.insert(0, str(root))
try:
    from monitor.config.feeds_yaml import load_config
except ImportError:
    from monitor.config import load_config
from monitor.reading.circular import entity_table
from signals.deals.extract import extract_deals
table = entity_table(load_config(root / "feeds.yaml"))
out = {}
with corpus.open(encoding="utf-8") as f:
    for line in f:
        row = json.loads(line)
        key = hashlib.sha1(f"{row['date']}|{row['title']}".encode()).hexdigest()[:12]
        if key in keys and key not in out:
            out[key] = [[d.payer, d.payee] for d in extract_deals(row["title"], table)]
print(json.dumps(out))
"""


def _halves() -> dict[str, str]:
    halves = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "key\t")):
            key, half, _ = line.split("\t")
            halves[key] = half
    return halves


def _read_at(commit: str, keys: list[str]) -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / commit
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                       check=True, capture_output=True)  # fmt: skip
        try:
            done = subprocess.run(
                [sys.executable, "-c", READER, str(tree), str(CORPUS), ",".join(keys)],
                check=True, capture_output=True, text=True, cwd=tree,
                env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
            )  # fmt: skip
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)  # fmt: skip
    found: dict[str, list[list[str]]] = json.loads(done.stdout)
    return found


def main() -> None:
    if not CORPUS.is_file():
        print(f"cannot read the titles: {CORPUS} is absent (../shared); nothing written",
              file=sys.stderr)  # fmt: skip
        raise SystemExit(2)
    halves = _halves()
    lines = [HEADER]
    for commit in sorted(set(ERAS.values())):
        wanted = sorted(k for k, h in halves.items() if ERAS[h] == commit)
        pairs = _read_at(commit, wanted)
        for key in wanted:
            text = "; ".join(f"{a}>{b}" for a, b in pairs[key]) or "none"
            lines.append(f"{key}\t{halves[key]}\t{commit}\t{text}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} titles written to {OUT}")


if __name__ == "__main__":
    main()
