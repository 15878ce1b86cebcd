"""Loading the hand-labelled deal titles for signals.deals.evaluate: the label file
(keys + labels, in the project) and the titles (from the shared corpus, by key); and the
candidate draw a labelled set is sampled from."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from monitor.errors import ConfigError
from signals.deals.entities import EntityTable
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


#: The candidate procedure of the labelled sets (docs/circular-deals.md, "Labels"): a title
#: is a candidate when it names two distinct parties and a deal keyword. It uses neither
#: the extraction rules nor their amount reader, so the draw does not lean on what the
#: rules already find.
DEAL_KEYWORDS: Final = re.compile(
    r"\b(?:invest\w*|stakes?|deals?|compute|chips?|cloud|warrants?|backstop\w*|loans?"
    r"|billions?|funding|fund\w*|raises?|raised|backs?|backed|buys?|bought|acquir\w*"
    r"|contracts?|partner\w*|agreements?|commit\w*|spend\w*|pays?|paid|purchas\w*)\b",
    re.IGNORECASE,
)
HAS_AMOUNT: Final = re.compile(
    r"[$€£]\s?\d|\b\d+(?:\.\d+)?\s?(?:billion|bn|million|trillion)\b", re.IGNORECASE
)


def deal_candidates(
    rows: Iterable[tuple[str, str]], table: EntityTable, labelled_titles: set[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key, title) of every candidate among `rows` (date, title), one per distinct title,
    leaving out every title in `labelled_titles`: (with an amount, without one), sorted
    by key so a seeded sample is reproducible."""
    seen = set(labelled_titles)
    with_amount: list[tuple[str, str]] = []
    without: list[tuple[str, str]] = []
    for day, title in rows:
        if title in seen or not DEAL_KEYWORDS.search(title):
            continue
        if len({m.name for m in table.mentions(title)}) < 2:
            continue
        seen.add(title)
        (with_amount if HAS_AMOUNT.search(title) else without).append(
            (headline_key(day, title), title)
        )
    return sorted(with_amount), sorted(without)


def wordless_candidates(
    rows: Iterable[tuple[str, str]], table: EntityTable, labelled_titles: set[str]
) -> list[tuple[str, str]]:
    """(key, title) of every title among `rows` (date, title) that names two distinct
    parties but no deal keyword, one per distinct title, leaving out `labelled_titles`,
    sorted by key. The second stratum of a labelled set: deals worded in ways the keyword
    list misses ("supply X with", "team up") can only be found, and counted against
    recall, if some titles are drawn without the keyword filter."""
    seen = set(labelled_titles)
    out: list[tuple[str, str]] = []
    for day, title in rows:
        if title in seen or DEAL_KEYWORDS.search(title):
            continue
        if len({m.name for m in table.mentions(title)}) < 2:
            continue
        seen.add(title)
        out.append((headline_key(day, title), title))
    return sorted(out)


def draw_sample(
    candidates: tuple[list[tuple[str, str]], list[tuple[str, str]]],
    sizes: tuple[int, int],
    seed: int,
) -> list[tuple[str, str]]:
    """A seeded sample: sizes[0] candidates with an amount, sizes[1] without."""
    rng = random.Random(seed)
    return [x for group, n in zip(candidates, sizes, strict=True) for x in rng.sample(group, n)]


def corpus_rows(path: Path) -> list[tuple[str, str]]:
    """(date, title) of every row of the corpus, in file order."""
    with path.open(encoding="utf-8") as f:
        return [(r["date"], r["title"]) for r in map(json.loads, f)]
