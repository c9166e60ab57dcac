"""Hearing the other desks: a thread LISTENing on the centre's PostgreSQL database.

Each committed transaction at any desk NOTIFYs `zz_change` with the tables and ids it wrote
(centre_app.replication.capture). This thread turns what the other desks sent into
`ChangeNotice`s on this desk's hub; its own process's notices are skipped (they were
published locally at the commit). When the connection drops it reconnects with backoff
and publishes one `everything` notice, since changes made meanwhile were not heard. It is
also the first to know that the server went away or came back, even while nobody types:
it tells the desk's `CentreConnection`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine

from centre_app.centre.connection import CentreConnection
from centre_app.centre.notice import CHANNEL, ChangeNotice, NoticeHub, Origin

log = logging.getLogger(__name__)


def _conninfo(engine: Engine) -> dict[str, Any]:
    url = engine.url
    info: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
        "connect_timeout": 3,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "application_name": "zongzhi-desk-listener",
    }
    info.update({k: v for k, v in url.query.items() if isinstance(v, str)})
    return {k: v for k, v in info.items() if v is not None}


class DeskListener:
    def __init__(
        self,
        engine: Engine,
        hub: NoticeHub,
        sender: str,
        connection: CentreConnection | None = None,
    ) -> None:
        self._conninfo = _conninfo(engine)
        self._connection = connection
        self._hub = hub
        self._sender = sender
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in force (tests wait on it)
        self._thread = threading.Thread(target=self._run, name="desk-listener", daemon=True)

    def start(self) -> DeskListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # here, not at module level: a one-PC desk on SQLite never loads it

        delay = 0.5
        missed = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(**self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if self._connection is not None:
                        self._connection.regained()
                    delay = 0.5
                    if missed:  # what happened while we were away was not heard
                        self._hub.publish(ChangeNotice(Origin.DESK, everything=True))
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._heard(note.payload)
            except psycopg.Error:
                log.warning(
                    "lost the centre database's change notices; reconnecting", exc_info=True
                )
                if self._connection is not None and not self._stop.is_set():
                    self._connection.lost()
            self.listening.clear()
            missed = True
            self._stop.wait(delay)
            delay = min(delay * 2, 10.0)

    def _heard(self, payload: str) -> None:
        decoded = ChangeNotice.from_payload(payload)
        if decoded is None:
            return
        sender, notice = decoded
        if sender != self._sender:
            self._hub.publish(notice)


def start_listening(
    engine: Engine, hub: NoticeHub, sender: str, connection: CentreConnection | None = None
) -> DeskListener | None:
    """A running listener on PostgreSQL; None on SQLite (one process: local commits say all)."""
    if engine.dialect.name != "postgresql":
        return None
    return DeskListener(engine, hub, sender, connection).start()
