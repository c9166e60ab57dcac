"""The append-only audit trail: who did what, when.

A service records the audit entry in the same session (same transaction) as the
change it describes, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import AuditEntry


def record(
    session: Session,
    clock: Clock,
    actor: Actor,
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | uuid.UUID | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Add one audit entry to `session`; it commits with the caller's transaction.

    `at` is for a step taken earlier and recorded now (IncidentService.replay)."""
    entry = AuditEntry(
        at=at or clock.now(),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        summary=summary,
        detail=detail,
    )
    session.add(entry)
    return entry


class AuditLog:
    """Reads the trail (writes go through `record`, inside each service's transaction)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def recent(
        self,
        actor: Actor,
        *,
        limit: int = 200,
        action_prefix: str | None = None,
        username: str | None = None,
        target_id: str | None = None,
        since: dt.datetime | None = None,
    ) -> Sequence[AuditEntry]:
        """The newest entries first; reading the trail needs AUDIT_VIEW."""
        actor.require(Permission.AUDIT_VIEW)
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        if action_prefix:
            query = query.where(AuditEntry.action.startswith(action_prefix))
        if username:
            query = query.where(AuditEntry.username == username)
        if target_id:
            query = query.where(AuditEntry.target_id == target_id)
        if since:
            query = query.where(AuditEntry.at >= since)
        with self._session_factory() as session:
            return list(session.scalars(query))


class AuditTamperError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    # Second line of defence next to the database triggers: no ORM path edits the trail.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTamperError("audit entries are append-only")
