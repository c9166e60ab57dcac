"""The append-only audit trail: who did what, when.

A service records the audit entry in the same session (same transaction) as the
change it describes, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock, to_local
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import AuditEntry, Camera, Evidence, Incident, SavedWall, Tour, User, Visit


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
        action: str | None = None,
        username: str | None = None,
        target_id: str | None = None,
        since: dt.datetime | None = None,
    ) -> Sequence[AuditEntry]:
        """The newest entries first; reading the trail needs AUDIT_VIEW."""
        actor.require(Permission.AUDIT_VIEW)
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        if action_prefix:
            query = query.where(AuditEntry.action.startswith(action_prefix))
        if action:
            query = query.where(AuditEntry.action == action)
        if username:
            query = query.where(AuditEntry.username == username)
        if target_id:
            query = query.where(AuditEntry.target_id == target_id)
        if since:
            query = query.where(AuditEntry.at >= since)
        with self._session_factory() as session:
            return list(session.scalars(query))

    def target_names(self, actor: Actor, entries: Sequence[AuditEntry]) -> dict[str, str]:
        """{target_id: how a person names the object} for the entries' targets: an incident
        by its case number, a user by name, a camera, wall or tour by its name, a visit by
        its ticket and day (not the visitor: the trail is not a way round masking). One
        query per kind of object; an id that no longer resolves is left out."""
        actor.require(Permission.AUDIT_VIEW)
        wanted: dict[str, set[uuid.UUID]] = {}
        names: dict[str, str] = {}
        for entry in entries:
            if not entry.target_id or not entry.target_type:
                continue
            if entry.target_type == "setting":
                names[entry.target_id] = _setting_label(entry.target_id)
                continue
            try:
                wanted.setdefault(entry.target_type, set()).add(uuid.UUID(entry.target_id))
            except ValueError:
                continue
        with self._session_factory() as session:
            for target_type, ids in wanted.items():
                lookup = _NAME_LOOKUPS.get(target_type)
                if lookup is None:
                    continue
                for chunk in _chunks(sorted(ids), 500):
                    for row_id, name in lookup(session, chunk):
                        names[str(row_id)] = name
        return names


def _chunks(items: list[uuid.UUID], size: int) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _setting_label(key: str) -> str:
    from centre_app.settings import Key

    for member in Key:
        if member.value.key == key:
            return member.value.label
    return key


def _visit_names(session: Session, ids: list[uuid.UUID]) -> Iterator[tuple[uuid.UUID, str]]:
    query = select(Visit.id, Visit.ticket_no, Visit.visited_at).where(Visit.id.in_(ids))
    for row_id, ticket, at in session.execute(query):
        yield row_id, f"{ticket} {to_local(at):%Y-%m-%d}"


def _named(
    query: Callable[[list[uuid.UUID]], Select[uuid.UUID, str]],
) -> Callable[[Session, list[uuid.UUID]], Iterator[tuple[uuid.UUID, str]]]:
    def lookup(session: Session, ids: list[uuid.UUID]) -> Iterator[tuple[uuid.UUID, str]]:
        return iter([(row_id, name) for row_id, name in session.execute(query(ids))])

    return lookup


_NAME_LOOKUPS: dict[str, Callable[[Session, list[uuid.UUID]], Iterator[tuple[uuid.UUID, str]]]] = {
    "incident": _named(
        lambda ids: select(Incident.id, Incident.case_no).where(Incident.id.in_(ids))
    ),
    "user": _named(lambda ids: select(User.id, User.display_name).where(User.id.in_(ids))),
    "camera": _named(lambda ids: select(Camera.id, Camera.name).where(Camera.id.in_(ids))),
    "video_wall": _named(
        lambda ids: select(SavedWall.id, SavedWall.name).where(SavedWall.id.in_(ids))
    ),
    "video_tour": _named(lambda ids: select(Tour.id, Tour.name).where(Tour.id.in_(ids))),
    "video_evidence": _named(
        lambda ids: (
            select(Evidence.id, Camera.name)
            .join(Camera, Camera.id == Evidence.camera_id)
            .where(Evidence.id.in_(ids))
        )
    ),
    "visit": _visit_names,
}


class AuditTamperError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    # Second line of defence next to the database triggers: no ORM path edits the trail.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTamperError("audit entries are append-only")
