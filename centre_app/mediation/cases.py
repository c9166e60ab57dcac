"""The case list: filters (state, room, mediator, category, month) and keyset windows,
newest accepted first, so a list of years of cases reads one window at a time."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ
from centre_app.errors import ValidationError
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models.mediation import Booking, CaseState, MediationCase, MediationSession


@dataclass(frozen=True)
class CaseFilter:
    state: CaseState | None = None
    category: str = ""
    month: str = ""  # "2026-11", local
    room_id: uuid.UUID | None = None
    mediator_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    case_no: str
    title: str
    category: str
    state: CaseState
    accepted_at: dt.datetime


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.datetime(year, number, 1, tzinfo=LOCAL_TZ)
    except ValueError:
        raise ValidationError(
            "月份应写成 年-月，例如 2026-11，“{month}”不对", month=month[:20]
        ) from None
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


class CaseList:
    def __init__(self, session_factory: sessionmaker[Session], township_code: str) -> None:
        self._session_factory = session_factory
        self._township_code = township_code

    def window(
        self,
        actor: Actor,
        where: CaseFilter,
        *,
        after: tuple[dt.datetime, uuid.UUID] | None = None,
        limit: int = 200,
    ) -> list[CaseRow]:
        """The next `limit` cases after the (accepted_at, id) of the last row shown."""
        actor.require(Permission.MEDIATION_VIEW)
        query = select(
            MediationCase.id,
            MediationCase.case_no,
            MediationCase.title,
            MediationCase.category,
            MediationCase.state,
            MediationCase.accepted_at,
        ).where(MediationCase.township_code == self._township_code)
        if where.state is not None:
            query = query.where(MediationCase.state == where.state)
        if where.category:
            query = query.where(MediationCase.category == where.category)
        if where.month:
            first, following = month_bounds(where.month)
            query = query.where(
                MediationCase.accepted_at >= first, MediationCase.accepted_at < following
            )
        if where.room_id is not None:
            query = query.where(
                MediationCase.id.in_(
                    select(MediationSession.case_id).where(
                        MediationSession.room_id == where.room_id
                    )
                )
            )
        if where.mediator_id is not None:
            query = query.where(
                MediationCase.id.in_(
                    select(MediationSession.case_id)
                    .join(Booking, Booking.session_id == MediationSession.id)
                    .where(Booking.resource == f"mediator:{where.mediator_id}")
                )
            )
        if after is not None:
            at, last_id = after
            query = query.where(
                or_(
                    MediationCase.accepted_at < at,
                    and_(MediationCase.accepted_at == at, MediationCase.id < last_id),
                )
            )
        query = query.order_by(MediationCase.accepted_at.desc(), MediationCase.id.desc()).limit(
            limit
        )
        with self._session_factory() as session:
            return [CaseRow(*row) for row in session.execute(query)]
