"""A usage error never prints a password: click quotes the offending argument, so a
mistyped `migrate-store --to --db postgresql://u:pw@host/db` echoed the password in
"Got unexpected extra argument(s) (...)"; and `redact` now knows a URL's user password
(the job log and JSON logs go through it too)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.secrets import REDACTED, redact

URL = "postgresql://alice:s3cret-Pw@db.example:5432/monitor"
runner = CliRunner()


@pytest.mark.parametrize(
    "argv",
    [
        ["migrate-store", "--from", "x.db", "--to", "--db", URL],  # --to took "--db"
        [URL],  # taken for a command name
        ["report", "--no-collect", URL],
    ],
)
def test_a_usage_error_names_the_argument_without_its_password(argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert "s3cret-Pw" not in result.output
    assert f"postgresql://alice:{REDACTED}@db.example:5432/monitor" in result.output


def test_redact_keeps_the_user_and_host_and_leaves_urls_without_a_password() -> None:
    assert redact(f"cannot connect to {URL}: refused") == (
        f"cannot connect to postgresql://alice:{REDACTED}@db.example:5432/monitor: refused"
    )
    assert redact("https://feeds.example/rss?x=1") == "https://feeds.example/rss?x=1"
    assert redact("postgresql://alice@db/monitor") == "postgresql://alice@db/monitor"
    masked = "postgresql://alice:***@db/monitor"  # display_location's mask is kept
    assert redact(masked) == masked
    assert redact("see https://example.com/a:b@c") == "see https://example.com/a:b@c"
