"""How the workspaces' tables merge: imported with the package, on townships and county.

Append-only logs (the audit trail, incident histories) merge by union. An incident's
state, department, colour and deadline are derived from its history, so whenever events or
the incident row arrive, the incident is rebuilt from the merged history; the rebuild runs
outside the applying flag, so a township publishes the state it derived like any change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from centre_app.incidents.history import rebuild_incident
from centre_app.mediation.replication import register_mediation
from centre_app.replication.policies import (
    MergePolicy,
    register_after_apply,
    register_blob,
    register_table_policy,
)
from db.models.incidents import IncidentEvent

if TYPE_CHECKING:
    from centre_app.files.store import FileStore


def _rebuild_from_events(session: Session, event_ids: Sequence[str]) -> None:
    ids = [uuid.UUID(i) for i in event_ids]
    incidents: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        incidents.update(
            session.scalars(
                select(IncidentEvent.incident_id).where(
                    IncidentEvent.id.in_(ids[start : start + 500])
                )
            )
        )
    _rebuild(session, incidents)


def _rebuild_incidents(session: Session, incident_ids: Sequence[str]) -> None:
    _rebuild(session, {uuid.UUID(i) for i in incident_ids})


def _rebuild(session: Session, incident_ids: set[uuid.UUID]) -> None:
    for incident_id in sorted(incident_ids):
        rebuild_incident(session, incident_id)
    session.flush()


register_table_policy("audit_entry", MergePolicy.UNION)
register_table_policy("incident_event", MergePolicy.UNION)
register_after_apply("incident_event", _rebuild_from_events)
register_after_apply("incident", _rebuild_incidents)
register_mediation()  # mediation: case history by union, bookings rebuilt from sessions


def _attachment_file(data: dict[str, Any], files: FileStore) -> Path | None:
    sha = data.get("sha256")
    return files.find(sha) if isinstance(sha, str) else None


def _evidence_file(data: dict[str, Any], files: FileStore) -> Path | None:
    sha, path = data.get("sha256"), data.get("file_path")
    if not isinstance(sha, str):
        return None
    return files.find(sha, fallback=Path(path) if isinstance(path, str) and path else None)


# The county receives the files the rows name (photos, documents, snapshots, clips), read
# from the centre's file store (or, for files of older versions, this desk's disk).
register_blob("incident_attachment", _attachment_file)
register_blob("video_evidence", _evidence_file)
