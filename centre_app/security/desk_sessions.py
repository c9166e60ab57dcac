"""Who is signed in at which desk of the centre.

Each sign-in at a desk opens a `DeskSession` row; signing out (or quitting) closes it, and
a running desk marks it seen every `HEARTBEAT` so that a desk that died without signing
out stops counting after `STALE`. The same user signed in at a second desk is allowed — a
duty officer moving to the hall window should not be locked out by the desk she left — but
never silently: the second sign-in is told where else the account is open and since when
(and the audit record says so), and the first desk hears of it through the change notice.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.errors import ValidationError
from db.models.security import DeskSession

HEARTBEAT = dt.timedelta(seconds=60)
STALE = 3 * HEARTBEAT
DESK_CHARS = 64
TABLE = "desk_session"


@dataclass(frozen=True)
class OtherDesk:
    desk: str
    signed_in_at: dt.datetime


@dataclass(frozen=True)
class DeskSignIn:
    """This desk's session, and where else the account was already signed in."""

    session_id: uuid.UUID
    desk: str
    elsewhere: tuple[OtherDesk, ...]


def clean_desk_name(text: str) -> str:
    """A desk's name as typed by whoever set it up (`--desk`): printable, one line."""
    name = unicodedata.normalize("NFKC", text).strip()
    if not name:
        raise ValidationError("请填写工作站名称，例如“接待窗口1”。")
    if len(name) > DESK_CHARS:
        raise ValidationError("工作站名称最多 {limit} 个字。", limit=DESK_CHARS)
    for char in name:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ValidationError(
                "工作站名称含有不能显示的字符（{code}），请重新填写。", code=f"U+{ord(char):04X}"
            )
    return name


def active_elsewhere(
    session: Session, user_id: uuid.UUID, now: dt.datetime, except_id: uuid.UUID | None = None
) -> tuple[OtherDesk, ...]:
    """The user's open sessions seen within `STALE`, oldest first, other than `except_id`."""
    query = (
        select(DeskSession.desk, DeskSession.signed_in_at)
        .where(
            DeskSession.user_id == user_id,
            DeskSession.signed_out_at.is_(None),
            DeskSession.last_seen_at >= now - STALE,
        )
        .order_by(DeskSession.signed_in_at)
    )
    if except_id is not None:
        query = query.where(DeskSession.id != except_id)
    return tuple(OtherDesk(desk, since) for desk, since in session.execute(query))


def open_session(session: Session, user_id: uuid.UUID, desk: str, now: dt.datetime) -> DeskSignIn:
    """In the sign-in's transaction: the new row, and the desks already signed in."""
    from centre_app.replication.capture import note_changes

    elsewhere = active_elsewhere(session, user_id, now)
    row = DeskSession(user_id=user_id, desk=desk, signed_in_at=now, last_seen_at=now)
    session.add(row)
    session.flush()
    note_changes(session, [(TABLE, str(row.id))])  # the other desks' windows hear of it
    return DeskSignIn(row.id, desk, elsewhere)


def close_session(session: Session, session_id: uuid.UUID, now: dt.datetime) -> None:
    from centre_app.replication.capture import note_changes

    session.execute(
        update(DeskSession)
        .where(DeskSession.id == session_id, DeskSession.signed_out_at.is_(None))
        .values(signed_out_at=now)
    )
    note_changes(session, [(TABLE, str(session_id))])


class DeskSessions:
    """What a running desk does with its session: keep it alive, see the others."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def still_here(self, session_id: uuid.UUID) -> tuple[OtherDesk, ...]:
        """Mark this desk's session seen; the account's other live sessions."""
        now = self._clock.now()
        with self._session_factory.begin() as session:
            session.execute(
                update(DeskSession)
                .where(DeskSession.id == session_id, DeskSession.signed_out_at.is_(None))
                .values(last_seen_at=now)
            )
            user_id = session.scalar(
                select(DeskSession.user_id).where(DeskSession.id == session_id)
            )
            if user_id is None:
                return ()
            return active_elsewhere(session, user_id, now, except_id=session_id)
