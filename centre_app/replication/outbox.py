"""Numbering the outbox in commit order (the sync leader's collection step).

Capture writes `repl_outbox` rows with an `id` handed out at insert and no `seq`. On
PostgreSQL, desks commit in any order: a transaction holding id 7 can commit after one
holding id 9, so "everything after the last number sent" would skip it. The leader
therefore numbers entries itself, only once they are committed: under the row lock of the
counter `repl_state['outbox_seq']`, every committed unnumbered entry gets the next numbers,
gap-free, in id order. A late commit is simply numbered at the next collection. The counter
and the numbers change in one transaction, and `seq` is unique, so nothing is numbered
twice; the push sends numbered entries only, so nothing is sent before it is numbered.

Id order inside one collection keeps every row after the rows it refers to: a row can only
refer to a row that had committed, and so had its id, before the referring row was inserted.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from db.models.replication import OutboxEntry, ReplicationState

SEQ_KEY = "outbox_seq"

_NUMBER = text("""
UPDATE repl_outbox SET seq = numbered.base + numbered.n
FROM (SELECT id, :base AS base, row_number() OVER (ORDER BY id) AS n
      FROM repl_outbox WHERE seq IS NULL) AS numbered
WHERE repl_outbox.id = numbered.id
""")


def collect(session_factory: sessionmaker[Session]) -> int:
    """Number every committed, unnumbered outbox entry; returns how many were numbered."""
    with session_factory.begin() as session:
        base = _lock_counter(session)
        result = session.execute(_NUMBER, {"base": base})
        numbered = result.rowcount if isinstance(result, CursorResult) else 0
        if numbered:
            counter = session.get(ReplicationState, SEQ_KEY)
            assert counter is not None
            counter.value = str(base + numbered)
        return int(numbered)


def _lock_counter(session: Session) -> int:
    """The last number handed out, with the counter row locked until the commit (one
    collector at a time, whichever desk it runs on)."""
    row = session.scalar(
        select(ReplicationState).where(ReplicationState.key == SEQ_KEY).with_for_update()
    )
    if row is None:  # a schema made without the migration (tests that build tables directly)
        top = session.scalar(select(func.max(OutboxEntry.seq))) or 0
        session.add(ReplicationState(key=SEQ_KEY, value=str(top)))
        session.flush()
        return int(top)
    return int(row.value)


def backlog(session: Session) -> int:
    """Entries not yet acknowledged by the county, numbered or not."""
    return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
