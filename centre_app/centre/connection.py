"""Whether this desk reaches the centre's database server, and what a user action meets
when it does not.

On PostgreSQL the server lives on another machine: it may be restarted, or the LAN cut,
while a clerk is typing. `watch_engine` hooks the engine so that a statement failing for
that reason raises `CentreDatabaseDown`, a `DomainError`: every form that already shows a
refusal in words and keeps what was typed does the same for a lost server, and the
transaction it was in is rolled back whole (nothing half-saved). The engine's pool checks a
connection before handing it out (`pool_pre_ping`), so the first action after the server is
back simply works.

A link lost while the server was committing is different: the server may have committed
before the answer was lost, so "not saved" could be false and saving again could save
twice (two visits, two petitions). That case raises `CentreCommitUnknown`, which tells the
user to look before saving again.

`CentreConnection` is the desk's view of the link to the server (up or down since when):
the failing statements and the change listener report to it, and the status bar shows it
and retries (`probe`) until the server answers again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import ExceptionContext

from centre_app.errors import DomainError, msg

log = logging.getLogger(__name__)

NOT_SAVED = msg(
    "无法连接中心数据库服务器，本次操作未保存；已填写的内容仍在窗口中，连接恢复后请再保存一次。"
)
COMMIT_UNKNOWN = msg(
    "保存时与中心数据库服务器的连接中断，无法确认是否已保存。连接恢复后请先刷新查看，"
    "确认没有保存再重新保存，以免重复登记。"
)
# Connection failures (class 08), and the server shutting down or still starting (57P0x).
_LINK_STATES = ("08", "57P01", "57P02", "57P03")


class CentreDatabaseDown(DomainError):
    """The centre's database server did not answer; the action was not saved."""

    def __init__(self) -> None:
        super().__init__(NOT_SAVED)


class CentreCommitUnknown(DomainError):
    """The link was lost during COMMIT: the action may or may not have been saved."""

    def __init__(self) -> None:
        super().__init__(COMMIT_UNKNOWN)


_COMMITTING = "zongzhi_committing"  # in a connection's info from COMMIT sent until the next BEGIN

Listener = Callable[[bool], None]


class CentreConnection:
    """Up or down, as last seen by anything on this desk that talked to the server."""

    def __init__(self, now: Callable[[], dt.datetime] | None = None) -> None:
        self._lock = threading.Lock()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._listeners: list[Listener] = []
        self.up = True
        self.down_since: dt.datetime | None = None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """`listener(up)` on every change, on the thread that saw it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def lost(self) -> None:
        self._set(False)

    def regained(self) -> None:
        self._set(True)

    def _set(self, up: bool) -> None:
        with self._lock:
            if self.up == up:
                return
            self.up = up
            self.down_since = None if up else self._now()
            listeners = list(self._listeners)
        log.warning("centre database server %s", "reachable again" if up else "unreachable")
        for listener in listeners:
            try:
                listener(up)
            except Exception:  # one broken receiver must not hide the state from the others
                log.exception("centre connection listener failed")


def is_link_failure(error: BaseException, disconnect: bool = False) -> bool:
    """True when `error` (a driver error) says the server cannot be reached or went away,
    not that a statement was wrong or waited too long for a lock."""
    import psycopg

    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    return disconnect or state is None or state.startswith(_LINK_STATES)


def watch_engine(engine: Engine, connection: CentreConnection) -> None:
    """Turn a lost server into `CentreDatabaseDown` and keep `connection` up to date."""

    def failed(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping:  # the pool replaces the stale connection itself
            return None
        if not is_link_failure(context.original_exception, context.is_disconnect):
            return None
        connection.lost()
        conn = context.connection
        committing = conn is not None and not conn.invalidated and conn.info.get(_COMMITTING)
        return CentreCommitUnknown() if committing else CentreDatabaseDown()

    def committing(conn: Connection) -> None:
        conn.info[_COMMITTING] = True

    def beginning(conn: Connection) -> None:
        if not conn.invalidated:  # `info` of a dropped connection would reconnect it
            conn.info.pop(_COMMITTING, None)

    def connected(_dbapi_connection: Any, _record: Any) -> None:
        connection.regained()

    event.listen(engine, "handle_error", failed)
    event.listen(engine, "commit", committing)
    event.listen(engine, "begin", beginning)
    event.listen(engine, "rollback", beginning)
    event.listen(engine, "connect", connected)


def probe(engine: Engine) -> bool:
    """One round trip to the server (off the GUI thread): True when it answered."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except CentreDatabaseDown:
        return False
    return True
