"""A county server on loopback for the demo, so a new user sees replication work.

Started by `main.py` only when no county is configured, or when the configured one is this
demo county (from an earlier start); a real county address in the settings is never
touched. The server runs in its own process (`python -m centre_app.county serve`) over a
SQLite file next to the township's data, and stops with the app.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from centre_app.net import free_loopback_port, loopback_port_free

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

log = logging.getLogger(__name__)

STATE_FILE = "demo-county.json"  # {"url": …} of the demo county this data directory runs


@dataclass
class DemoCounty:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self, timeout: float = 10.0) -> None:
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
    db_url = f"sqlite:///{directory / 'demo-county.db'}"
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
    process = subprocess.Popen(
        [sys.executable, "-m", "centre_app.county", "serve", "--db", db_url,
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log_file, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2])
    log_file.close()
    log.info("demo county server on %s (pid %d)", url, process.pid)
    return DemoCounty(url, process)
