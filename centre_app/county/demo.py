"""A county server on loopback for the demo, so a new user sees replication work.

Started by `main.py` only when no county is configured, or when the configured one is this
demo county (from an earlier start); a real county address in the settings is never
touched. The server runs in its own process (`python -m centre_app.county.demo`, which
serves `python -m centre_app.county serve`) over a SQLite file next to the township's data.

It ends with the app however the app ends (the kernel signals it when the app dies, see
centre_app/child_process.py), and two servers never share one database: the server holds
an exclusive lock on `demo-county.db.lock` while it serves, and a second server on the same
file refuses to start, in words. A second app on the same data directory reuses the server
that holds the lock.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from centre_app.child_process import spawn
from centre_app.net import free_loopback_port, loopback_port_free

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

log = logging.getLogger(__name__)

STATE_FILE = "demo-county.json"  # {"url": …} of the demo county this data directory runs
DB_FILE = "demo-county.db"
REFUSED = 3  # exit status of a server that found its database in use


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".lock")


def _try_lock(db_file: Path) -> IO[str] | None:
    """The lock file, exclusively locked by this process; None when another holds it."""
    handle = lock_path(db_file).open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def serving_pid(db_file: Path) -> int | None:
    """The pid of the server that holds `db_file` now, or None when nobody serves it."""
    handle = _try_lock(db_file)
    if handle is not None:
        handle.close()  # free: closing releases the lock at once
        return None
    with contextlib.suppress(OSError, ValueError):
        return int(lock_path(db_file).read_text().strip() or 0) or -1
    return -1


@dataclass
class DemoCounty:
    url: str
    process: subprocess.Popen[bytes] | None  # None: another app's server, reused

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return  # not ours: its own app stops it
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_demo_county(ctx: AppContext, directory: Path) -> DemoCounty | None:
    """Serve the demo county and point the township's settings at it; None when a real
    county is configured. Returns at once: the sync worker connects when the server is up."""
    from centre_app.county.store import CountyStore
    from centre_app.security.actor import SYSTEM_ACTOR
    from centre_app.settings import Key
    from db.engine import make_engine, make_session_factory
    from db.migrate import upgrade_to_head

    state_path = directory / STATE_FILE
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    configured = str(ctx.settings.get(Key.COUNTY_URL))
    if configured and configured != state.get("url"):
        return None  # a real county: leave it alone
    db_file = directory / DB_FILE
    db_url = f"sqlite:///{db_file}"
    holder = serving_pid(db_file)
    if holder is not None:
        url = str(state.get("url") or configured)
        if configured == url and _answers(url):
            log.info("demo county already served by pid %d on %s: reusing it", holder, url)
            return DemoCounty(url, None)
        log.error(
            "demo county database %s is held by pid %d, which does not answer on %s; "
            "not starting a second server on it",
            db_file,
            holder,
            url,
        )
        return None
    port = int(configured.rsplit(":", 1)[1]) if configured else 0
    if not port or not loopback_port_free(port):
        port = free_loopback_port()
    url = f"http://127.0.0.1:{port}"
    if not configured or not str(ctx.settings.get(Key.COUNTY_TOKEN)) or url != configured:
        engine = make_engine(db_url)
        upgrade_to_head(engine)
        store = CountyStore(make_session_factory(engine), ctx.clock)
        token = store.issue_token("township", ctx.township_code)
        engine.dispose()
        ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_URL, url)
        ctx.settings.set(SYSTEM_ACTOR, Key.COUNTY_TOKEN, token)
        state_path.write_text(json.dumps({"url": url}))
    log_file = (directory / "demo-county.log").open("ab")
    process = spawn(
        [
            sys.executable,
            "-m",
            "centre_app.county.demo",
            "--db-file",
            str(db_file),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )
    log_file.close()
    log.info("demo county server on %s (pid %d)", url, process.pid)
    return DemoCounty(url, process)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, with an error status: it is up
    except OSError:
        return False


def serve(argv: Sequence[str] | None = None) -> int:
    """The demo county's process: lock the database file, then serve it until killed."""
    parser = argparse.ArgumentParser(prog="python -m centre_app.county.demo")
    parser.add_argument("--db-file", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    held = _try_lock(args.db_file)
    if held is None:
        pid = serving_pid(args.db_file)
        print(
            f"县级演示服务器未启动：数据库 {args.db_file} 正由另一个服务进程（pid {pid}）使用，"
            "同一数据库文件不能由两个服务器同时使用。",
            file=sys.stderr,
            flush=True,
        )
        return REFUSED
    held.seek(0)
    held.truncate()
    held.write(str(os.getpid()))
    held.flush()
    from centre_app.county.__main__ import main as county_main

    try:
        return county_main(
            [
                "serve",
                "--db",
                f"sqlite:///{args.db_file}",
                "--host",
                args.host,
                "--port",
                str(args.port),
            ]
        )
    finally:
        held.close()


if __name__ == "__main__":
    raise SystemExit(serve())
