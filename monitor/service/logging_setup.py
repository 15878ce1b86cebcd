"""Logging for the service: text or JSON lines on stderr, secrets redacted from every line.

The redaction runs as a filter on the handler, so it covers every logger (ours, httpx,
slack-sdk, APScheduler) and exception tracebacks too: a Slack token (xox?-...), a webhook
URL or the value of a secret environment variable never reaches the log.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final, Literal, TextIO

from monitor.config.secrets import env_secrets, redact

LogFormat = Literal["text", "json"]
#: Loggers whose per-request, per-run or per-job INFO lines would break "one line per job
#: run" (httpx2 and httpcore2: huggingface_hub 2.x's fork of httpx); warnings still show.
QUIET_LOGGERS: Final[tuple[str, ...]] = (
    "apscheduler.executors",
    "apscheduler.scheduler",  # "Added job ..." per job at start: ours say "job X scheduled"
    "httpx",
    "httpcore",
    "httpx2",
    "httpcore2",
    "urllib3",
)
#: Libraries that give their logger a stderr handler of their own when imported (logger,
#: the module that adds it). Their lines skipped the JSON format and the redaction, and
#: printed twice: huggingface_hub's retry warnings during `collect models`.
OWN_HANDLER_LOGGERS: Final[tuple[tuple[str, str], ...]] = (
    ("huggingface_hub", "huggingface_hub.utils.logging"),
)
_RECORD_FIELDS: Final[frozenset[str]] = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime"}


class RedactSecrets(logging.Filter):
    """Rewrites each record's message, exception text and string extras without secrets."""

    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        super().__init__()
        self.secrets = tuple(secrets) if secrets is not None else env_secrets()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        for key, value in list(record.__dict__.items()):
            if key not in _RECORD_FIELDS and isinstance(value, str | Mapping | list | tuple):
                setattr(record, key, self._redacted(value))
        return True

    def _redacted(self, value: Any) -> Any:
        """Strings redacted at any depth of the extras (a job's `details` holds feed and
        channel errors in nested mappings, which the JSON format writes out whole)."""
        if isinstance(value, str):
            return redact(value, self.secrets)
        if isinstance(value, Mapping):
            return {k: self._redacted(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._redacted(v) for v in value]
        return value


#: Extras meant for a terminal only: uvicorn's `color_message` is the message with ANSI
#: colour codes, which a JSON log line must not carry.
_TERMINAL_ONLY: Final[frozenset[str]] = frozenset({"color_message"})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, the record's extras, exc."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        doc.update(
            (k, v)
            for k, v in record.__dict__.items()
            if k not in _RECORD_FIELDS and k not in _TERMINAL_ONLY and k[0] != "_"
        )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            doc["exc"] = record.exc_text
        return json.dumps(doc, default=str, ensure_ascii=False)


TEXT_FORMAT: Final[str] = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(
    fmt: LogFormat = "text", *, level: int = logging.INFO, stream: TextIO | None = None
) -> logging.Handler:
    """Send the root logger to `stream` (stderr) in `fmt`; replaces a handler set before."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name("bubble-monitor")
    handler.addFilter(RedactSecrets())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "bubble-monitor"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    for name, module in OWN_HANDLER_LOGGERS:
        _only_through_root(name, module)
    return handler


def _only_through_root(name: str, module: str) -> None:
    """Drop the handler `module` gave logger `name`, so its records reach ours alone."""
    try:
        importlib.import_module(module)  # adds the handler now, not after we looked
    except ImportError:
        return
    logger = logging.getLogger(name)
    for own in list(logger.handlers):
        logger.removeHandler(own)
    logger.propagate = True
