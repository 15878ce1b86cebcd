"""Opening a PostgreSQL session for the store: psycopg in autocommit mode, named, with a
connect timeout and dead-peer detection, and a StoreError that never shows the URL's
password (StoreUnavailableError when the server could not be reached: it may come back).
"""

from __future__ import annotations

import re
from typing import Any, Final

import psycopg

from monitor.config.db_target import display_location
from monitor.errors import StoreError, StoreUnavailableError

CONNECT_TIMEOUT_S: Final[int] = 10
APPLICATION_NAME: Final[str] = "bubble-monitor"


def connect(url: str, *, read_only: bool = False) -> psycopg.Connection[Any]:
    """An autocommit connection; a clear StoreError (password masked) when it fails.
    `read_only` makes every transaction of the session read-only from its first statement
    (a startup option, so a reconnected session is read-only too)."""
    options: dict[str, Any] = {}
    if read_only:
        options["options"] = "-c default_transaction_read_only=on"
    try:
        return psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=APPLICATION_NAME,
            **(_dead_peer_options(url) | options),
        )
    except psycopg.Error as e:
        where = display_location(url)
        # A URL libpq cannot parse is the operator's to fix; a refused connection may pass.
        kind = StoreUnavailableError if isinstance(e, psycopg.OperationalError) else StoreError
        why = mask_password(str(e), url)
        raise kind(
            f"cannot connect to PostgreSQL at {where}: {why}; check the server is running "
            "and the URL in --db / BUBBLE_MONITOR_DB (user, host, port, database)"
        ) from None


#: A server host that vanishes without closing its connections (a failover, a power cut, a
#: network partition) is noticed in about a minute, not the kernel's two hours and more: a
#: job's statement fails and its run is recorded as failed instead of hanging.
DEAD_PEER_DEFAULTS: Final[dict[str, int]] = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,  # ms of sent data left unacknowledged
}


def _dead_peer_options(url: str) -> dict[str, int]:
    """DEAD_PEER_DEFAULTS, except those the URL sets itself (its values win)."""
    try:
        given = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:  # connect() reports the malformed URL
        return {}
    return {k: v for k, v in DEAD_PEER_DEFAULTS.items() if k not in given}


def mask_password(message: str, url: str) -> str:
    """psycopg's message on one line (libpq adds a tab-indented hint line), with the URL's
    password taken out, should it quote it."""
    message = " ".join(message.split()).replace(url, display_location(url))
    try:
        password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    except psycopg.Error:  # a URL libpq cannot parse: its message quotes the whole URL
        password = _password_in(url)
    return message.replace(str(password), "***") if password else message


def _password_in(url: str) -> str | None:
    """The password of a URL libpq refused to parse: between the user's `:` and the `@`
    of the network location, or a `password=` parameter."""
    found = _NETLOC_PASSWORD.match(url) or _PARAM_PASSWORD.search(url)
    return found.group("password") if found and found.group("password") else None


_NETLOC_PASSWORD: Final = re.compile(r"^[a-z]+://[^:@/]*:(?P<password>[^@/]*)@", re.I)
_PARAM_PASSWORD: Final = re.compile(r"[?&]password=(?P<password>[^&]*)", re.I)
