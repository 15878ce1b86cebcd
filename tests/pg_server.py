"""A throwaway PostgreSQL server for the tests, from the machine's own binaries.

initdb and postgres refuse to run as root, so as root they run as the `postgres` user
(runuser). The data directory and the socket live in a temp dir; the server listens on
127.0.0.1 and a free port, trusts local connections, skips fsync (nothing here must
survive a power cut) and is stopped and deleted when the session ends.

The temp dir is in memory (/dev/shm) where the machine has one: every test database is a
copy of template1 (about 5 MB of files and as much WAL), and on the shared disk deleting
the ~100 of a full run took 5-68 s at the session's end (measured 2026-12-07).
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"
#: Where the data directory goes when it can: memory, since nothing in it must survive.
MEMORY_DIR = Path("/dev/shm")


class NoServerError(RuntimeError):
    """No PostgreSQL server can be started here (the message says why)."""


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    as_user: str | None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def stop(self) -> None:
        if self.root.exists():
            self._run("pg_ctl", "stop", "-D", str(self.root / "data"), "-m", "immediate", "-s")
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def find_bindir() -> Path:
    env = os.environ.get("BUBBLE_MONITOR_PG_BINDIR")
    candidates = [env] if env else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(str(Path(which).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise NoServerError(
        "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on "
        "PATH; install the postgresql package or set BUBBLE_MONITOR_PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise NoServerError("running as root and there is no `postgres` user") from None
    if shutil.which("runuser") is None:
        raise NoServerError("running as root and `runuser` is missing")
    return SERVER_USER


def start() -> PgServer:
    """Start a server or raise NoServerError with the reason."""
    bindir, user = find_bindir(), _server_user()
    in_memory = MEMORY_DIR.is_dir() and os.access(MEMORY_DIR, os.W_OK)
    root = Path(tempfile.mkdtemp(prefix="bubble-pg-", dir=MEMORY_DIR if in_memory else None))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PgServer(bindir, root, _free_port(), user)
    data = str(root / "data")
    init = server._run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                       "--no-sync", "--no-instructions")  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise NoServerError(f"initdb failed: {init.stderr.strip()[-500:]}")
    options = f"-h 127.0.0.1 -p {server.port} -k {root} -F -c max_connections=200"
    started = server._run("pg_ctl", "start", "-D", data, "-w", "-t", "30", "-s",
                          "-l", str(root / "server.log"), "-o", options)  # fmt: skip
    if started.returncode != 0:
        log = (
            (root / "server.log").read_text(errors="replace")[-800:]
            if (root / "server.log").exists()
            else ""
        )
        shutil.rmtree(root, ignore_errors=True)
        raise NoServerError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
    atexit.register(server.stop)  # an interrupted session must not leave a server behind
    return server
