"""The headline corpus is read once per rebuild (monitor.research.realnews.corpus): a file
that changes is read again, and a broken one is still named by its line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.research.realnews.corpus import read_corpus


def _write(path: Path, titles: list[str]) -> None:
    path.write_text("".join(json.dumps({"title": t}) + "\n" for t in titles), encoding="utf-8")


def test_a_changed_corpus_is_read_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _write(corpus, ["Acme cuts 300 jobs", "Globex raises $2B"])
    first = read_corpus(corpus)
    assert [r["title"] for r in read_corpus(corpus)] == [r["title"] for r in first]
    first.clear()  # a caller's list is its own
    assert len(read_corpus(corpus)) == 2
    _write(corpus, ["Initech sells bonds"])
    os.utime(corpus, ns=(1, 1))  # a new mtime even on a coarse clock
    assert [r["title"] for r in read_corpus(corpus)] == ["Initech sells bonds"]


def test_a_broken_or_missing_corpus_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"title": "ok"}\n{"title": 3}\n', encoding="utf-8")
    with pytest.raises(InputError, match=f"{corpus}:2: expected an object"):
        read_corpus(corpus)
    with pytest.raises(InputError, match="cannot read the headline corpus"):
        read_corpus(tmp_path / "missing.jsonl")
