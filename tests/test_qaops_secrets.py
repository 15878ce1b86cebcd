"""An operator's secrets never reach a log, an error or a command's output.

Found by running the service and the CLI the way a team does (qaops walk, 2026-12-07):
a PostgreSQL URL with its password, mistyped in a way libpq cannot parse, printed the
whole URL, password included, in a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.errors import StoreError
from monitor.store.pg_connect import connect

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Sup3rS3cretPw"

#: URLs libpq refuses before connecting: an unclosed IPv6 bracket, an unknown parameter.
MALFORMED = (
    f"postgresql://bubble:{PASSWORD}@[::1/bubble",
    f"postgresql://bubble:{PASSWORD}@127.0.0.1:1/bubble?foo=bar",
    f"postgresql://bubble@127.0.0.1:1/bubble?password={PASSWORD}&foo=bar",
)


@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_postgresql_url_is_a_store_error_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        connect(url)
    message = str(caught.value)
    assert PASSWORD not in message
    assert "cannot connect to PostgreSQL at postgresql://bubble" in message
    assert "--db / BUBBLE_MONITOR_DB" in message


def test_a_command_given_a_malformed_url_names_it_masked_and_prints_no_traceback(
    tmp_path: Path,
) -> None:
    url = MALFORMED[0]
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "history", "--db", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert PASSWORD not in output
    assert "Traceback" not in output
    assert done.returncode != 0
    assert "postgresql://bubble:***@" in output


def test_json_log_lines_redact_secrets_nested_in_a_jobs_details() -> None:
    """The job log line carries its `details` as a nested mapping (failed feeds, refused
    alerts with their errors); the filter redacted only top-level string fields, so a
    token or webhook URL inside an error there reached the JSON line whole."""
    import io
    import json
    import logging

    from monitor.service.logging_setup import configure_logging

    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    try:
        logging.getLogger("monitor.service").info(
            "job news ok",
            extra={
                "details": {
                    "failed_feeds": {"f": "GET https://hooks.slack.com/services/T1/B2/abcSECRET"},
                    "tokens": ["xoxb-1234-abcdSECRET", 3],
                }
            },
        )
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue()
    assert "SECRET" not in line
    doc = json.loads(line)
    assert doc["details"]["failed_feeds"]["f"] == "GET [REDACTED]"
    assert doc["details"]["tokens"] == ["[REDACTED]", 3]


def test_json_log_lines_carry_no_terminal_colour_codes() -> None:
    """uvicorn passes `color_message` (its message with ANSI codes) as an extra; the JSON
    line carried it whole, escape codes and all."""
    import io
    import json
    import logging

    from monitor.service.logging_setup import configure_logging

    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    try:
        logging.getLogger("uvicorn.error").warning(
            "Started server", extra={"color_message": "\x1b[32mStarted\x1b[0m server"}
        )
    finally:
        logging.getLogger().removeHandler(handler)
    doc = json.loads(stream.getvalue().splitlines()[-1])
    assert doc["message"] == "Started server" and "color_message" not in doc
    assert "\x1b" not in stream.getvalue() and "\\u001b" not in stream.getvalue()
