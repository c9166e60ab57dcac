"""Engine and session factory.

SQLite (the township's embedded default) runs in WAL mode with foreign keys on
and a busy timeout, so the sync worker and the GUI can share the file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from db import search_grams

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_configurer(busy_timeout_ms: int) -> Any:
    def configure(dbapi_connection: Any, _record: Any) -> None:
        _configure_sqlite(dbapi_connection, busy_timeout_ms)

    return configure


def _configure_sqlite(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    search_grams.register(dbapi_connection)  # the incident search triggers call it
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        # WAL can only be switched on by a writer; a read-only file keeps its mode.
        with contextlib.suppress(Exception):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(
    url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any
) -> Engine:
    """An engine for `url`; SQLite gets the pragmas above on every connection."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = kwargs.pop("connect_args", {})
        connect_args.setdefault("timeout", busy_timeout_ms / 1000)
        connect_args.setdefault("check_same_thread", False)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_configurer(busy_timeout_ms))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if url.startswith("postgresql"):
        # A server across the LAN that does not answer: give up after seconds, not minutes.
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", 5)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """One Session per unit of work: `with factory.begin() as session: ...`."""
    return sessionmaker(engine, expire_on_commit=False)
