"""Numbers that several desks take at once (case numbers): one atomic statement each.

`next_number` increments the scope's row in `centre_counter` with an UPDATE … RETURNING;
the row stays locked until the caller's transaction ends, so a second desk waits for the
first one's commit (or rollback, which gives the number back) and never reads the same
value. A scope used for the first time starts after `floor` (numbers given before the
counter existed); two desks starting it at once meet in INSERT … ON CONFLICT.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

_TAKE = text("UPDATE centre_counter SET value = value + 1 WHERE scope = :scope RETURNING value")
_START = text("""
INSERT INTO centre_counter (scope, value) VALUES (:scope, :first)
ON CONFLICT (scope) DO UPDATE SET value = centre_counter.value + 1
RETURNING value
""")


def next_number(session: Session, scope: str, floor: Callable[[Session], int]) -> int:
    """The next number of `scope`, in the caller's transaction."""
    value = session.execute(_TAKE, {"scope": scope}).scalar()
    if value is None:
        value = session.execute(_START, {"scope": scope, "first": floor(session) + 1}).scalar()
    assert value is not None
    return int(value)
