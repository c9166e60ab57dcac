"""Which desk talks to the county: the sync leader.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own.
The lock lives exactly as long as that connection: when the leader's process dies the
server drops it at once; when the leader's machine loses the LAN the server's TCP keepalive
(set short on this connection) drops it within seconds, and the old leader notices its own
connection failing before it sends anything more. Every other desk tries the lock on each
tick, so one of them takes over within a tick of its release.

On SQLite (one PC) the single process is the leader.

The centre's link state, last success and last error are shared: the leader writes them to
`repl_state`, every desk's status bar reads them from there (`shared_status`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from centre_app.replication.outbox import backlog
from centre_app.replication.status import LinkState, StatusError, SyncStatus
from db.models.replication import ReplicationState

log = logging.getLogger(__name__)

# pg_advisory_lock key: "zz-sync" as a 64-bit number (one database per centre).
LOCK_KEY = 0x7A7A2D73796E63
LEADER_KEY = "sync_leader"
STATE_KEY = "link_state"
ERROR_KEY = "link_error"
ERROR_CHARS = 256  # repl_state.value
SUCCESS_KEY = "link_success"
KEEPALIVE_S = 2  # the server drops a silent leader after ~KEEPALIVE_S + 2 s
SERVER_KEEPALIVE = {
    "tcp_keepalives_idle": KEEPALIVE_S,
    "tcp_keepalives_interval": 1,
    "tcp_keepalives_count": 2,
}


def desk_name() -> str:
    """This desk as the other desks see it: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


class LeaderLock(Protocol):
    def try_lead(self) -> bool:
        """True while this desk is the leader (acquiring the lock when it is free)."""

    def release(self) -> None: ...


class SoleDesk:
    """SQLite: the only process is the leader."""

    def try_lead(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLeader:
    """The PostgreSQL advisory lock on a dedicated connection."""

    def __init__(self, engine: Engine, *, connect_timeout_s: int = 3) -> None:
        self._engine = create_engine(
            engine.url,
            poolclass=NullPool,
            connect_args={
                "connect_timeout": connect_timeout_s,
                "keepalives": 1,
                "keepalives_idle": KEEPALIVE_S,
                "keepalives_interval": 1,
                "keepalives_count": 2,
                "application_name": "zongzhi-sync-leader",
            },
        )
        self._conn: Any = None
        self.leading = False

    def try_lead(self) -> bool:
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                # The server's side of the keepalive: a leader cut off from the LAN loses the
                # lock within seconds instead of after the kernel's two hours.
                for setting, value in SERVER_KEEPALIVE.items():
                    self._conn.execute(text(f"SET {setting} = {value}"))
                self._conn.execute(text("SET statement_timeout = 5000"))
            if self.leading:
                self._conn.execute(text("SELECT 1"))  # still connected, so still holding it
            else:
                self.leading = bool(
                    self._conn.execute(
                        text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
                    ).scalar()
                )
        except Exception:
            log.warning("sync leader connection lost", exc_info=True)
            self._drop()
        return self.leading

    def _drop(self) -> None:
        self.leading = False
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:
                log.debug("closing a broken leader connection failed", exc_info=True)
        self._conn = None

    def release(self) -> None:
        if self._conn is not None and self.leading:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            except Exception:
                log.debug("unlock failed; the connection's end releases it", exc_info=True)
        self._drop()
        self._engine.dispose()


def leader_lock_for(engine: Engine) -> LeaderLock:
    return AdvisoryLeader(engine) if engine.dialect.name == "postgresql" else SoleDesk()


# --- shared link state ------------------------------------------------------------------


def publish_status(session_factory: sessionmaker[Session], status: SyncStatus, leader: str) -> None:
    """The leader records the centre's link state for every desk."""
    values = {
        LEADER_KEY: leader,
        STATE_KEY: status.state.value,
        # the template and its arguments as JSON, so every desk says it in its own language
        ERROR_KEY: status.error.stored(ERROR_CHARS) if status.error is not None else "",
    }
    if status.last_success is not None:
        values[SUCCESS_KEY] = status.last_success.isoformat()
    with session_factory.begin() as session:
        for key, value in values.items():
            session.merge(ReplicationState(key=key, value=value))


def shared_status(session_factory: sessionmaker[Session]) -> SyncStatus:
    """The centre's link state as the leader last recorded it, with the current backlog."""
    with session_factory() as session:
        values = {
            row.key: row.value
            for row in session.query(ReplicationState).filter(
                ReplicationState.key.in_((LEADER_KEY, STATE_KEY, ERROR_KEY, SUCCESS_KEY))
            )
        }
        pending = backlog(session)
    try:
        state = LinkState(values.get(STATE_KEY, LinkState.OFFLINE.value))
    except ValueError:
        state = LinkState.OFFLINE
    success = values.get(SUCCESS_KEY)
    return SyncStatus(
        state,
        backlog=pending,
        last_success=dt.datetime.fromisoformat(success) if success else None,
        error=StatusError.from_stored(values.get(ERROR_KEY, "")),
        leader=values.get(LEADER_KEY, ""),
    )
