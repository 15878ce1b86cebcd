"""The sourced starting graph (monitor/store/data/starting_deals.tsv) into the store, as
confirmed deals, each with the real headline it came from. Idempotent: a second load
finds every row already stored as a source."""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from typing import Final

from monitor.errors import InputError
from monitor.store.db import Store
from monitor.store.deals import DealCounts, Report, record_deals
from signals.deals.models import KINDS, DealDraft, Kind

FILE: Final = "starting_deals.tsv"
COLUMNS: Final = ("day", "payer", "payee", "amount_usd", "kind", "source", "title", "url", "note")


def starting_deals() -> list[tuple[DealDraft, Report]]:
    """The rows of the bundled file, checked; a bad row names its line."""
    text = resources.files("monitor.store.data").joinpath(FILE).read_text(encoding="utf-8")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("day\t"):
            continue
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise InputError(f"{FILE}:{number}: {len(fields)} fields, expected {len(COLUMNS)}")
        row = dict(zip(COLUMNS, fields, strict=True))
        try:
            day = date.fromisoformat(row["day"])
            amount = float(row["amount_usd"]) if row["amount_usd"] else None
        except ValueError as e:
            raise InputError(f"{FILE}:{number}: {e}") from e
        draft = DealDraft(row["payer"], row["payee"], amount, _kind(row["kind"], number), 1.0)
        out.append((draft, Report(day, row["title"], row["url"], row["source"])))
    return out


def seed_deals(store: Store, *, now: datetime) -> DealCounts:
    return record_deals(store, starting_deals(), now=now, status="confirmed")


def _kind(text: str, number: int) -> Kind:
    for kind in KINDS:
        if kind == text:
            return kind
    raise InputError(f"{FILE}:{number}: kind {text!r} is not one of {', '.join(KINDS)}")
