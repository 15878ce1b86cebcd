"""The classifier's training and loading never reach for the network, and training is
reproducible: the same texts and seed give the same encoder delta, byte for byte.

The network check is an audit hook (sys.addaudithook): it sees every socket connect and
name lookup, even one a library would catch and retry quietly after pytest-socket refused
it. The fine-tune is the real one (sentence-transformers' trainer on the packaged model),
on 32 of the team's lines: one step, a few seconds.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import pytest

from monitor.reading.classifier_files import TRAIN_FILE, load_classifier, load_examples
from monitor.reading.minilm import default_model_path
from monitor.research.realnews.finetune import finetune, save_delta

_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname")
_seen: list[tuple[str, str]] = []
_watching: list[bool] = [False]


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _watching[0] and event in _NETWORK_EVENTS:
        _seen.append((event, repr(args)[:200]))


sys.addaudithook(_hook)  # audit hooks cannot be removed; it records only while watching


@pytest.fixture
def network_watch() -> Any:
    _seen.clear()
    _watching[0] = True
    yield _seen
    _watching[0] = False


@pytest.mark.slow
def test_fine_tuning_is_offline_and_reproducible(tmp_path: Path, network_watch: Any) -> None:
    examples = load_examples(TRAIN_FILE)[::60][:32]
    texts, labels = [e.text for e in examples], [e.label for e in examples]
    digests = []
    for run in (1, 2):
        model, report = finetune(texts, labels, default_model_path(), threads=1)
        assert report.steps >= 1
        path = tmp_path / f"delta-{run}.safetensors"
        save_delta(model, path)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert network_watch == []


def test_loading_and_classifying_is_offline(network_watch: Any) -> None:
    scores = load_classifier().classify(["Intel to cut 15% of staff"])
    assert scores[0].label == "layoffs"
    assert network_watch == []
