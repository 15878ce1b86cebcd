"""Headlines for the backtest: a JSONL file read, classified and grouped into stories.

One JSON object per line: `text` (or `title`), `published` (or `date`: an ISO date or
date-time; a date-time without a zone is UTC; a bare date is taken as noon UTC, so it
counts on its own day), and optionally `source` and `url`. Blank lines are skipped; any
other bad line stops the run with the file and line named.

Headlines are scored by the real classifier and grouped into stories as live ones are
(signals.stories.plan_stories on the same embeddings), so the news components see
the same de-duplicated, confidence-weighted stories they would have seen live.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from monitor.errors import InputError, not_utf8
from monitor.sources.archive.parse import parse_date
from monitor.store.db import Store
from monitor.store.headlines import list_headlines
from signals.classifier import HeadlineClassifier
from signals.models import Headline, StoredHeadline
from signals.stories import StoryRow, plan_stories
from signals.text import title_key

FEED = "backtest"
MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class StoryOptions:
    """How near two headlines must be to count as one story (feeds.yaml `news`)."""

    similarity: float = 0.72
    window: timedelta = timedelta(hours=72)


def read_headlines_jsonl(path: Path) -> list[Headline]:
    """Parse the file; InputError names the line of a bad record."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{path}: file not found") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(not_utf8(data, e, path)) from e
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            out.append(_headline(line, f"{path}:{number}"))
    return out


def _headline(line: str, where: str) -> Headline:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object with text and published")
    title = _text(record, where)
    published = _published(record, where)
    source = _optional(record, "source", where)
    url = _optional(record, "url", where)
    return Headline(
        title=title,
        url=url,
        source=source or "unknown",
        feed=FEED,
        published=published,
    )


def _text(record: dict[str, Any], where: str) -> str:
    value = record.get("text", record.get("title"))
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: field text (or title): expected a non-empty string")
    return " ".join(value.split())[:MAX_TEXT]


def _optional(record: dict[str, Any], key: str, where: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: field {key}: expected a string, got {type(value).__name__}")
    return value.strip()


def _published(record: dict[str, Any], where: str) -> datetime:
    value = record.get("published", record.get("date"))
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: field published (or date): expected an ISO date")
    text = value.strip()
    published = parse_date(text)
    if published is None:
        raise InputError(
            f"{where}: field published: {text!r} is not an ISO date (YYYY-MM-DD[THH:MM[:SS]])"
        )
    return published


def score_headlines(
    headlines: list[Headline],
    classifier: HeadlineClassifier,
    options: StoryOptions | None = None,
) -> list[StoredHeadline]:
    """Classify and group into stories; repeated titles (case and punctuation aside) count once."""
    options = options or StoryOptions()
    unique: dict[str, Headline] = {}
    for h in sorted(headlines, key=lambda h: h.published):
        unique.setdefault(title_key(h.title), h)
    items = list(unique.values())
    if not items:
        return []
    vectors = classifier.embed([h.title for h in items])
    scores = classifier.classify_vectors(vectors, [h.title for h in items])
    rows = [StoryRow(i, h.title, h.published, None) for i, h in enumerate(items, start=1)]
    story_of = plan_stories([], rows, vectors, similarity=options.similarity, window=options.window)
    return [
        StoredHeadline(id=r.id, headline=h, story_id=story_of[r.id], score=s)
        for r, h, s in zip(rows, items, scores, strict=True)
    ]


def stored_headlines(store: Store, end: date | None = None) -> list[StoredHeadline]:
    """The store's scored headlines published up to `end` (whole day), oldest first: each
    with its stored story, so the news components see stories as the store grouped them.
    Unscored rows are left out (run `report` or import-headlines to score them)."""
    rows = list_headlines(store)
    if end is not None:
        cutoff = datetime.combine(end + timedelta(days=1), time(), UTC)
        rows = [h for h in rows if h.headline.published < cutoff]
    return [h for h in reversed(rows) if h.score is not None]
