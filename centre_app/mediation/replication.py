"""How the mediation tables replicate: a case's history merges by union; the booking rows
(what each session holds) are local and rebuilt from the session rows that arrive."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.orm import Session

from centre_app.replication.policies import (
    MergePolicy,
    register_after_apply,
    register_table_policy,
)
from db.models.mediation import Booking, MediationSession


def rebuild_bookings(session: Session, session_ids: Sequence[str]) -> None:
    # Imported here: registration runs at every start, the booking service only on a pull.
    from centre_app.mediation.service import write_bookings

    for raw in session_ids:
        session_id = uuid.UUID(raw)
        session.execute(delete(Booking).where(Booking.session_id == session_id))
        row = session.get(MediationSession, session_id)
        if row is not None:
            write_bookings(session, row)
    session.flush()


def register_mediation() -> None:
    register_table_policy("mediation_case_event", MergePolicy.UNION)
    register_after_apply("mediation_session", rebuild_bookings)
