"""Mediation centre: cases, their parties and history, sessions (bookings) and the rota.

A session names its room, its mediators and its parties; `mediation_booking` holds one
row per resource the session occupies (room, each mediator, each party) with the time it
holds it (a room's row reaches its buffer past the end). That table is derived on each
node from the session rows and never travels; on PostgreSQL an exclusion constraint on it
(btree_gist, added by the migration) makes a double booking impossible even when two desks
book the same slot at the same moment.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Replicated
from db.ids import new_id


def _enum(cls: type[enum.Enum], length: int) -> Enum:
    return Enum(
        cls, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length
    )


class CaseState(enum.Enum):
    ACCEPTED = "accepted"  # 已受理
    IN_MEDIATION = "in_mediation"  # 调解中 (a session booked)
    SUCCEEDED = "succeeded"  # 调解成功
    FAILED = "failed"  # 调解不成
    LITIGATION = "litigation"  # 转诉讼
    JUDICIAL_CONFIRMATION = "judicial_confirmation"  # 申请司法确认
    WITHDRAWN = "withdrawn"  # 撤回


class Selection(enum.Enum):
    """How the mediator came to the case: the four ways lawyers take part."""

    DUTY = "duty"  # 坐班制
    MENU = "menu"  # 自选制 (调解菜单)
    ASSIGNED = "assigned"  # 介入制
    APPOINTMENT = "appointment"  # 预约制


class SessionStatus(enum.Enum):
    PLANNED = "planned"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class MediationCase(Replicated, Base):
    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("township_code", "case_no", name="uq_mediation_case_no"),
        Index("ix_mediation_case_state", "township_code", "state", "accepted_at"),
        Index("ix_mediation_case_accepted", "township_code", "accepted_at"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    case_no: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(32))
    amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(14, 2))
    summary: Mapped[str] = mapped_column(Text, default="")
    incident_id: Mapped[uuid.UUID | None] = mapped_column()
    visit_id: Mapped[uuid.UUID | None] = mapped_column()
    selection: Mapped[Selection] = mapped_column(_enum(Selection, 16))
    state: Mapped[CaseState] = mapped_column(_enum(CaseState, 24))
    accepted_at: Mapped[dt.datetime] = mapped_column()
    outcome_at: Mapped[dt.datetime | None] = mapped_column()
    agreement_text: Mapped[str | None] = mapped_column(Text)
    agreed_amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(14, 2))
    created_by: Mapped[str] = mapped_column(String(32))


class CaseParty(Replicated, Base):
    __tablename__ = "mediation_party"
    __table_args__ = (Index("ix_mediation_party_case", "case_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_case.id"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))  # 申请人 / 被申请人 / 第三人
    phone: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(18))
    # Who the person is across cases (ID number, else phone, else the case and name): the
    # same person in two cases cannot sit in two sessions at once.
    person_key: Mapped[str] = mapped_column(String(64))


class CaseEvent(Replicated, Base):
    """Append-only history of a case (merged by union between nodes)."""

    __tablename__ = "mediation_case_event"
    __table_args__ = (Index("ix_mediation_case_event_case", "case_id", "at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_case.id"))
    at: Mapped[dt.datetime] = mapped_column()
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")


class RotaSeries(Replicated, Base):
    """A recurring duty or session rule (RRULE in local time), with its exceptions."""

    __tablename__ = "mediation_series"

    title: Mapped[str] = mapped_column(String(128))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_case.id"))
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_room.id"))
    mediator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    rrule: Mapped[str] = mapped_column(String(255))
    dtstart_local: Mapped[str] = mapped_column(String(19))  # ISO local date-time
    duration_minutes: Mapped[int] = mapped_column()
    exdates: Mapped[list[str]] = mapped_column(JSON, default=list)  # local ISO starts
    rdates: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class MediationSession(Replicated, Base):
    __tablename__ = "mediation_session"
    __table_args__ = (
        Index("ix_mediation_session_room_start", "room_id", "starts_at"),
        Index("ix_mediation_session_start", "starts_at"),
        Index("ix_mediation_session_case", "case_id", "starts_at"),
        Index("ix_mediation_session_series", "series_id", "starts_at"),
    )

    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_case.id"))
    series_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_series.id"))
    # The occurrence of the series this session is (local ISO start), and whether it was
    # edited on its own (an exception that series edits keep).
    occurrence: Mapped[str | None] = mapped_column(String(19))
    detached: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(128))
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_room.id"))
    mediator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    party_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    party_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()
    buffer_minutes: Mapped[int] = mapped_column(default=0)  # the room's, after the session
    buffer_before_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[SessionStatus] = mapped_column(_enum(SessionStatus, 16))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    booked_by: Mapped[str] = mapped_column(String(32))


class Booking(Base):
    """What a session holds: one row per resource ("room:<id>", "mediator:<id>",
    "party:<key>"), derived from the session row on every node (never replicated)."""

    __tablename__ = "mediation_booking"
    __table_args__ = (
        Index("ix_mediation_booking_resource", "resource", "starts_at", "ends_at"),
        Index("ix_mediation_booking_session", "session_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mediation_session.id", ondelete="CASCADE")
    )
    resource: Mapped[str] = mapped_column(String(80))
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()


class Closure(Replicated, Base):
    """A room (or, with no room, the whole centre) closed for a span of local days."""

    __tablename__ = "mediation_closure"

    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_room.id"))
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(128))


class WorkingDayCorrection(Replicated, Base):
    """The centre head's correction of the official calendar (a new year's holidays and
    调休 make-up days before the library knows them)."""

    __tablename__ = "mediation_working_day"

    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    working: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(64), default="")


JsonDict = dict[str, Any]
