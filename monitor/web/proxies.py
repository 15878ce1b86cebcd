"""Which reverse proxies the dashboard believes about the client's address.

Behind a reverse proxy every request comes from the proxy's address, so the login limit
would count every client as one. The operator may name the proxies (`--trusted-proxies`
or BUBBLE_MONITOR_DASHBOARD_TRUSTED_PROXIES: addresses or networks, comma-separated);
only requests from those have their X-Forwarded-For and X-Forwarded-Proto believed,
through uvicorn's ProxyHeadersMiddleware (the client is the first address from the right
that is not a trusted proxy, so a client cannot forge it by sending its own header).
Nothing is trusted by default: a forged header from anyone else changes nothing.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Final

from monitor.errors import ConfigError

TRUSTED_PROXIES_ENV: Final[str] = "BUBBLE_MONITOR_DASHBOARD_TRUSTED_PROXIES"
OPTION: Final[str] = "--trusted-proxies"


def parse_trusted_proxies(value: str | None, *, source: str = OPTION) -> tuple[str, ...]:
    """Validated addresses and networks from a comma-separated list; () for none.
    ConfigError naming `source` and the entry for anything that is not an IP or network
    (uvicorn would silently treat it as a literal that never matches)."""
    entries = [part.strip() for part in (value or "").split(",") if part.strip()]
    out = []
    for entry in entries:
        if entry == "*":
            raise ConfigError(
                f"{source}: '*' would let any client choose its own address and escape the "
                "login limit; name the proxies' addresses or networks"
            )
        try:
            parsed = ipaddress.ip_network(entry.strip("[]"), strict=False)
        except ValueError as e:
            raise ConfigError(
                f"{source}: {entry!r} is not an IP address or network "
                "(e.g. 10.0.0.5, 10.0.0.0/24, ::1)"
            ) from e
        out.append(str(parsed) if parsed.num_addresses > 1 else str(parsed.network_address))
    return tuple(out)


def trusted_proxies_from_env() -> tuple[str, ...]:
    """The proxies named in the environment (how `serve` hands them to the web app)."""
    return parse_trusted_proxies(os.environ.get(TRUSTED_PROXIES_ENV), source=TRUSTED_PROXIES_ENV)
