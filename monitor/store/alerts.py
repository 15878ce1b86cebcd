"""Alert deduplication: an alert is claimed by its dedup_key before it is sent.

`claim_alert` inserts the key and returns False when it was already there, so two runs
(or a run after a restart) can never both send the same alert. After sending, the
dispatcher records the channels (`mark_sent`); when every channel failed it releases the
claim (`release_alert`) so the next run tries again. A claim whose send was interrupted
by a crash stays claimed: the monitor prefers a missed alert to a repeated one, and says so
once (`cut_off_claims` marks the row's channel `unconfirmed` when it reports it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from monitor.store.db import Store
from monitor.store.payload import ref_to_dict
from monitor.store.stamps import stamp
from signals.alerts import SentAlert
from signals.models import Alert, AlertKind


def _payload(alert: Alert) -> str:
    reading = alert.reading
    data: dict[str, Any] = {
        "title": alert.title,
        "text": alert.text,
        "reading_as_of": None if reading is None else stamp(reading.as_of),
        "index": None if reading is None else reading.index,
        "regime": None if reading is None else reading.regime,
        "headlines": [ref_to_dict(h) for h in alert.headlines],
    }
    if alert.kind == "regime_change":
        # The key is regime:<to>:<as_of>; the policy needs <to> to know what was announced.
        data["announced_regime"] = alert.dedup_key.split(":", 2)[1]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def claim_alert(store: Store, alert: Alert, *, now: datetime) -> bool:
    """Claim the alert's dedup_key; False when it was claimed before (do not send)."""
    with store.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO alerts (dedup_key, kind, created_at, payload) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
            (alert.dedup_key, alert.kind, stamp(now), _payload(alert)),
        )
        return cursor.rowcount == 1


def mark_sent(store: Store, dedup_key: str, *, channels: Sequence[str], sent_at: datetime) -> None:
    """Record that the alert went out through `channels` (comma-joined in the row)."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE alerts SET sent_at = ?, channel = ? WHERE dedup_key = ?",
            (stamp(sent_at), ",".join(channels), dedup_key),
        )


def release_alert(store: Store, dedup_key: str) -> None:
    """Drop an unsent claim so that a later run may try again."""
    with store.writing() as conn:
        conn.execute("DELETE FROM alerts WHERE dedup_key = ? AND sent_at IS NULL", (dedup_key,))


UNCONFIRMED = "unconfirmed"


def cut_off_claims(store: Store, *, before: datetime) -> list[SentAlert]:
    """Claims made before `before` whose send never confirmed nor released (the process
    stopped mid-send), not reported yet; each is marked reported (channel `unconfirmed`,
    sent_at still empty), so a later call does not return it again."""
    with store.writing() as conn:
        rows = conn.execute(
            "SELECT * FROM alerts WHERE sent_at IS NULL AND channel IS NULL AND created_at < ? "
            "ORDER BY created_at, dedup_key",
            (stamp(before),),
        ).fetchall()
        conn.executemany(
            "UPDATE alerts SET channel = ? WHERE dedup_key = ? AND sent_at IS NULL",
            [(UNCONFIRMED, row["dedup_key"]) for row in rows],
        )
    return [_sent(row) for row in rows]


def sent_alerts(store: Store, *, since: datetime | None = None) -> list[SentAlert]:
    """Claimed and sent alerts (created at or after `since`), oldest first."""
    sql = "SELECT * FROM alerts"
    args: tuple[str, ...] = ()
    if since is not None:
        sql += " WHERE created_at >= ?"
        args = (stamp(since),)
    rows = store.conn.execute(sql + " ORDER BY created_at, dedup_key", args).fetchall()
    return [_sent(row) for row in rows]


def last_alert(store: Store, kind: AlertKind) -> SentAlert | None:
    """The newest alert of a kind, whatever its age (regime announcements need it)."""
    row = store.conn.execute(
        "SELECT * FROM alerts WHERE kind = ? ORDER BY created_at DESC LIMIT 1", (kind,)
    ).fetchone()
    return None if row is None else _sent(row)


def _sent(row: sqlite3.Row) -> SentAlert:
    payload = json.loads(row["payload"])
    as_of = payload.get("reading_as_of")
    return SentAlert(
        dedup_key=row["dedup_key"],
        kind=cast(AlertKind, row["kind"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        sent_at=datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None,
        reading_as_of=datetime.fromisoformat(as_of) if as_of else None,
        regime=payload.get("announced_regime"),
    )
