"""A throwaway PostgreSQL cluster on loopback, started with initdb/pg_ctl as the postgres user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


@dataclass
class PostgresCluster:
    root: Path
    port: int
    bindir: Path
    user: str

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str) -> str:
        """Create database `name` and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"

    def halt(self) -> None:
        """Stop the server as an administrator's restart does: every session is cut at once
        (`-m fast`), the data stays; `resume` starts it again."""
        _run_as(
            self.user,
            [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop"],
        )

    def resume(self) -> None:
        """Start the halted server again on the same port."""
        _start(self.user, self.bindir, self.root, self.port)

    def stop(self) -> None:
        _run_as(
            self.user,
            [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"],
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run_as(user: str, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0 and user != "root":
        argv = ["runuser", "-u", user, "--", *argv]
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)


def start_cluster() -> PostgresCluster | None:
    """Start a cluster, or return None when PostgreSQL's server programs are not installed."""
    bindir = _pg_bindir()
    if bindir is None:
        return None
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    root = Path(tempfile.mkdtemp(prefix="zz-pg-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, user=user)
    port = free_port()
    data = root / "data"
    _run_as(
        user,
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
    )
    _start(user, bindir, root, port)
    return PostgresCluster(root, port, bindir, user)


def _start(user: str, bindir: Path, root: Path, port: int) -> None:
    _run_as(
        user,
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        ],
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start; see {root / 'log'}")
