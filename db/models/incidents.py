"""Incidents (事件) and their append-only history; the incident row caches the state its
events lead to (see centre_app.incidents.history)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from db.base import Base, Replicated


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length
    )


class IncidentState(enum.Enum):
    REPORTED = "reported"  # 已上报，待分流
    ACCEPTED = "accepted"  # 已立案
    REJECTED = "rejected"  # 不予受理
    MERGED = "merged"  # 重复，已合并
    DISPATCHED = "dispatched"  # 已派遣
    IN_PROGRESS = "in_progress"  # 处置中
    HANDLED = "handled"  # 已处置，待核实
    VERIFIED = "verified"  # 已核实
    CLOSED = "closed"  # 已结案
    ESCALATED = "escalated"  # 已上报县级


class Channel(enum.Enum):
    GRID_WORKER = "grid_worker"  # 网格员上报
    HOTLINE = "hotline"  # 电话/热线
    WALK_IN = "walk_in"  # 来访
    VIDEO = "video"  # 视频巡查
    CITIZEN_APP = "citizen_app"  # 群众APP
    DEPARTMENT = "department"  # 部门转办


class RiskColour(enum.Enum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class Incident(Replicated, Base):
    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("case_no", name="uq_incident_case_no"),
        Index("ix_incident_state_reported", "state", "reported_at"),
        Index("ix_incident_deadline", "state", "deadline"),
        Index("ix_incident_department", "department_id", "state"),
        # The queues: one index per (queue, sort) that reads the first window in order and
        # counts without touching the table (see centre_app.incidents.queries).
        Index(
            "ix_incident_queue_priority",
            "township_code",
            "state",
            "priority_key",
            "reported_at",
            "id",
        ),
        Index("ix_incident_priority", "township_code", "priority_key", "reported_at", "id"),
        Index("ix_incident_queue_due", "township_code", "state", "due_key", "id"),
        Index("ix_incident_due", "township_code", "due_key", "id"),
        Index("ix_incident_reported", "township_code", "reported_at", "id"),
        Index("ix_incident_category", "township_code", "category", "state"),
        Index("ix_incident_grid", "grid_id", "state", "township_code"),
        Index("ix_incident_department_queue", "department_id", "state", "township_code"),
        # 按部门 in priority order: the department's rows read in order, state checked in
        # the index (incidents_0004).
        Index(
            "ix_incident_department_priority",
            "department_id",
            "priority_key",
            "reported_at",
            "id",
            "state",
            "township_code",
        ),
        Index("ix_incident_assignee", "township_code", "assignee", "state"),
        Index("ix_incident_case_no", "township_code", "case_no", "id"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    case_no: Mapped[str] = mapped_column(String(24))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, 16))
    category: Mapped[str] = mapped_column(String(16))  # first level, e.g. 矛盾纠纷
    subcategory: Mapped[str] = mapped_column(String(16))  # second level, e.g. 劳资纠纷
    colour: Mapped[RiskColour] = mapped_column(_enum(RiskColour, 8))
    grid_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("area.id"))
    place: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    people_involved: Mapped[int] = mapped_column(default=1)
    reporter: Mapped[str] = mapped_column(String(64))
    # The reporter's phone, normalised (centre_app.incidents.phone); "" when not given.
    reporter_phone: Mapped[str] = mapped_column(String(24), default="", server_default="")
    reported_at: Mapped[dt.datetime]
    # The fields below are derived from the history (cache; rebuilt by history.rebuild_incident).
    state: Mapped[IncidentState] = mapped_column(_enum(IncidentState, 16))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"))
    assignee: Mapped[str | None] = mapped_column(String(32))  # duty officer who owns it
    deadline: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    merged_into_id: Mapped[uuid.UUID | None]
    # When the case became red (report or raise), for the tray alert (new_red_since).
    red_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    # 群体性事件预警: why the case was flagged as a possible group event (None: not flagged).
    group_warning: Mapped[str | None] = mapped_column(String(200))
    # Sort keys derived from colour and deadline, so one index orders each sort
    # (set by sort_keys() on every ORM insert/update and by history.apply_events). Local:
    # each node derives them, they are not replicated (replication.tables.replicated_columns).
    priority_key: Mapped[int | None] = mapped_column(BigInteger, info={"local": True})
    due_key: Mapped[int | None] = mapped_column(BigInteger, info={"local": True})

    def refresh_sort_keys(self) -> None:
        self.priority_key, self.due_key = sort_keys(self.colour, self.deadline)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
NO_DEADLINE = 10**16 - 1  # after every real deadline (microseconds since 1970 < 10**16)
_COLOUR_RANK = {RiskColour.RED: 0, RiskColour.YELLOW: 1, RiskColour.GREEN: 2}


def colour_rank(colour: RiskColour | str) -> int:
    return _COLOUR_RANK[RiskColour(colour)]


def sort_keys(colour: RiskColour | str, deadline: dt.datetime | None) -> tuple[int, int]:
    """(priority_key, due_key). due_key orders like the old `deadline IS NULL, deadline`
    (microseconds since 1970, no deadline last); priority_key puts the colour rank in front
    (red, yellow, green), so `priority_key, reported_at, id` is the PRIORITY order."""
    if deadline is None:
        due = NO_DEADLINE
    else:
        if deadline.tzinfo is None:  # stored naive UTC
            deadline = deadline.replace(tzinfo=dt.UTC)
        due = (deadline - _EPOCH) // dt.timedelta(microseconds=1)
    return colour_rank(colour) * 10**16 + due, due


@event.listens_for(Incident, "before_insert")
@event.listens_for(Incident, "before_update")
def _keep_sort_keys(_mapper: Mapper[Incident], _connection: Connection, target: Incident) -> None:
    # Every ORM write of an incident passes here, whoever changed colour or deadline.
    target.refresh_sort_keys()


class IncidentEvent(Replicated, Base):
    """One step of an incident's history. Never updated or deleted (merged by union)."""

    __tablename__ = "incident_event"
    __table_args__ = (Index("ix_incident_event_incident", "incident_id", "at"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(32))
    actor_name: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IncidentAttachment(Replicated, Base):
    """A file attached to an incident; the bytes live in the content-addressed store
    (centre_app.incidents.attachments) under their sha256."""

    __tablename__ = "incident_attachment"
    __table_args__ = (
        UniqueConstraint("incident_id", "sha256", name="uq_incident_attachment_content"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[dt.datetime]
    note: Mapped[str] = mapped_column(Text, default="")


class IncidentSlaLimit(Base):
    """限时处结: hours allowed from acceptance to closure for a category × colour; the
    category "*" is the default for any category without its own row."""

    __tablename__ = "incident_sla_limit"

    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    colour: Mapped[RiskColour] = mapped_column(_enum(RiskColour, 8), primary_key=True)
    hours: Mapped[int]
