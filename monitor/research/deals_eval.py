"""Loading the hand-labelled deal titles for signals.deals.evaluate: the label file
(keys + labels, in the project) and the titles (from the shared corpus, by key)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from monitor.errors import ConfigError
from signals.deals.evaluate import Labelled, LabelledDeal
from signals.models import Headline


def headline_key(day: str, title: str) -> str:
    """The key of a corpus row: sha1("date|title"), 12 hex digits."""
    return hashlib.sha1(f"{day}|{title}".encode()).hexdigest()[:12]


def load_labels(path: Path) -> list[Labelled]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith(("#", "key\t")):
            continue
        try:
            key, half, label = line.split("\t")
            out.append(Labelled(key, half, _deals(label)))
        except ValueError as e:
            raise ConfigError(f"{path}:{number}: {e}") from e
    return out


def _deals(label: str) -> tuple[LabelledDeal, ...]:
    if label.strip() == "none":
        return ()
    deals = []
    for part in label.split(";"):
        pair, amount, _kind = part.strip().rsplit(" ", 2)
        payer, payee = pair.split(">")
        deals.append(LabelledDeal(payer, payee, None if amount == "-" else float(amount)))
    return tuple(deals)


def load_titles(path: Path) -> dict[str, str]:
    """Key -> title of every row of the corpus (JSON lines with `date` and `title`)."""
    titles = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            titles[headline_key(row["date"], row["title"])] = row["title"]
    return titles


def corpus_headlines(path: Path, *, feed: str = "corpus") -> list[Headline]:
    """Every row of the corpus as a Headline dated at its day's midnight UTC."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [
        Headline(r["title"], r["url"], r["source"], feed,
                 datetime.fromisoformat(r["date"]).replace(tzinfo=UTC))
        for r in rows
    ]  # fmt: skip
