"""The fine-tune imports sentence-transformers' trainer parts from their supported paths:
`sentence_transformers.losses` and `.training_args` became deprecated aliases in v5.4 and
printed two DeprecationWarnings in every run (and in the suite's warnings summary)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A fresh interpreter: the deprecated-path finder warns only on the first import of a path.
SCRIPT = """
import json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from monitor.reading.minilm import default_model_path
    from monitor.research.realnews.finetune import finetune
    from signals.labels import LABELS
    texts = [f"{label} headline number {i}" for label in LABELS for i in range(2)]
    labels = [label for label in LABELS for _ in range(2)]
    model, report = finetune(texts, labels, default_model_path(), threads=1)
print(json.dumps({"steps": report.steps,
                  "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}))
"""


def test_a_fine_tune_prints_no_sentence_transformers_deprecation() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["steps"] >= 1  # the trainer really ran
    deprecated = [
        w for w in result["warnings"] if "deprecated" in w.lower() and "sentence_transformers" in w
    ]
    assert deprecated == []
