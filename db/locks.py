"""Taking SQLite's write lock up front.

SQLite's reads lock no row (`FOR UPDATE` is dropped), so a check-then-write transaction of
one desk could interleave with another's. Such a transaction starts with this: on SQLite it
takes the database's one write lock before its first read (BEGIN IMMEDIATE), so the other
desk waits for the commit; on PostgreSQL it does nothing, the rows read `FOR UPDATE` are the
locks there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def take_write_lock(session: Session) -> None:
    """On SQLite, hold the database's write lock from now until the transaction ends."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
