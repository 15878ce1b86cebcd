"""Which database a `--db` / BUBBLE_MONITOR_DB value names, and how to show it safely.

A `postgresql://` (or `postgres://`) URL selects the shared PostgreSQL store; anything
else is a SQLite file path. A URL may carry a password: `display_location` masks it, and
every log line, error and JSON document names the store through it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final, Literal

from monitor.config.secrets import URL_PASSWORD
from monitor.errors import InputError

Backend = Literal["sqlite", "postgresql"]
DbTarget = Path | str

_URL: Final = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)
_ANY_URL: Final = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_KEYWORDS: Final = re.compile(r"^\s*(host|hostaddr|dbname|user|port|service)\s*=", re.I)
_PASSWORD_PARAM: Final = re.compile(r"(?P<key>[?&]password=)[^&]*", re.IGNORECASE)


def is_postgres_url(target: DbTarget) -> bool:
    return isinstance(target, str) and _URL.match(target) is not None


def backend_of(target: DbTarget) -> Backend:
    return "postgresql" if is_postgres_url(target) else "sqlite"


def display_location(target: DbTarget) -> str:
    """The target with any password replaced by `***` (user, host and database kept)."""
    text = str(target)
    if not is_postgres_url(target):
        return text
    return _PASSWORD_PARAM.sub(r"\g<key>***", _masked_url_password(text))


def _masked_url_password(text: str) -> str:
    """The password of a URL's user part as `***` (the pattern `redact` uses for logs)."""
    return URL_PASSWORD.sub(lambda m: m.group(1) + "***@", text)


def as_target(value: DbTarget) -> DbTarget:
    """A URL stays a string; anything else becomes a Path. A libpq keyword string
    (`host=db dbname=x`), another kind of URL (`sqlite:///x.db`, which became a folder
    named `sqlite:`) or an empty value (the current folder) is refused rather than taken
    for a file name."""
    if is_postgres_url(value):
        return value
    if isinstance(value, str) and _KEYWORDS.match(value):
        raise InputError(
            "--db / BUBBLE_MONITOR_DB: give PostgreSQL as a URL "
            "(postgresql://user@host:5432/dbname), not as keyword=value pairs"
        )
    if isinstance(value, str) and _ANY_URL.match(value):
        shown = _masked_url_password(value)
        raise InputError(
            f"--db / BUBBLE_MONITOR_DB: {shown!r} is not a database the monitor can use; "
            "give a SQLite file path or a postgresql:// URL"
        )
    if isinstance(value, str) and not value.strip():
        raise InputError("--db / BUBBLE_MONITOR_DB: empty; give a SQLite file path or a URL")
    return Path(value)
