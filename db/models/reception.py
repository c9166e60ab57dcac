"""Visits registered in the reception hall (来访登记)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Replicated


class VisitPurpose(enum.Enum):
    CONSULTATION = "consultation"  # 咨询
    DISPUTE = "dispute"  # 矛盾纠纷
    PETITION = "petition"  # 信访
    SERVICE = "service"  # 办事
    LEGAL_AID = "legal_aid"  # 法律援助


class VisitRoute(enum.Enum):
    WINDOW = "window"  # 综合受理窗口
    MEDIATION_ROOM = "mediation_room"  # 调解室
    DEPARTMENT = "department"  # 部门/站所


def _enum(kind: type[enum.Enum], length: int) -> Enum:
    return Enum(
        kind, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length
    )


class Visit(Replicated, Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_township_visited", "township_code", "visited_at"),
        Index("ix_visit_id_number", "id_number"),
        Index("ix_visit_name_initials", "name_initials"),
        Index("ix_visit_id_last4", "id_last4"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    ticket_no: Mapped[str] = mapped_column(String(8))  # per day: A001, A002, …
    visited_at: Mapped[dt.datetime]
    visitor_name: Mapped[str] = mapped_column(String(32))
    name_initials: Mapped[str] = mapped_column(String(16))  # pinyin initials, e.g. 王晓燕 → wxy
    id_number: Mapped[str | None] = mapped_column(String(18))  # masked in lists (see reception)
    id_last4: Mapped[str | None] = mapped_column(
        String(4), default=None
    )  # what a masked list shows
    phone: Mapped[str | None] = mapped_column(String(20))
    purpose: Mapped[VisitPurpose] = mapped_column(_enum(VisitPurpose, 16))
    summary: Mapped[str] = mapped_column(Text, default="")
    group_size: Mapped[int] = mapped_column(default=1)
    is_group_visit: Mapped[bool] = mapped_column(default=False)  # 集体访: 5 or more people
    route: Mapped[VisitRoute] = mapped_column(_enum(VisitRoute, 16))
    routed_to: Mapped[str] = mapped_column(String(64))  # shown name of the window/room/body
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("hall_service.id"), default=None
    )
    incident_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("incident.id"), default=None
    )  # the case it started
    # The mediation case it started (no foreign key: the case may replicate after the visit).
    mediation_case_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    registered_by: Mapped[str] = mapped_column(String(32))


class HallService(Replicated, Base):
    """A service the hall offers (咨询, 信访, 法律援助 …); its letter prefixes the tickets."""

    __tablename__ = "hall_service"
    __table_args__ = (UniqueConstraint("township_code", "letter"),)

    township_code: Mapped[str] = mapped_column(String(9))
    letter: Mapped[str] = mapped_column(String(1))  # A, B, C … on the ticket
    name: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[VisitPurpose] = mapped_column(_enum(VisitPurpose, 16))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class HallWindow(Replicated, Base):
    """A window (窗口) of the hall: its number, the services it calls in order, its hours
    and today's clerk."""

    __tablename__ = "hall_window"
    __table_args__ = (UniqueConstraint("township_code", "number"),)

    township_code: Mapped[str] = mapped_column(String(9))
    number: Mapped[int]  # 1, 2, 3 … as painted above the window
    name: Mapped[str] = mapped_column(String(32))
    service_letters: Mapped[str] = mapped_column(String(16))  # called in this order: "AB"
    opens: Mapped[dt.time] = mapped_column(Time, default=dt.time(8, 30))
    closes: Mapped[dt.time] = mapped_column(Time, default=dt.time(17, 0))
    clerk: Mapped[str | None] = mapped_column(String(32), default=None)  # today's clerk
    clerk_day: Mapped[dt.date | None] = mapped_column(Date, default=None)
    active: Mapped[bool] = mapped_column(default=True)


class TicketState(enum.Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    SERVED = "served"
    NO_SHOW = "no_show"
    LEFT = "left"


class TicketPriority(enum.IntEnum):
    """Higher is called first within a service (then by waiting time)."""

    NORMAL = 0
    APPOINTMENT = 1
    DISABLED = 2
    ELDERLY = 3


class TicketCounter(Base):
    """The last number handed out per service and local day; incremented under its row
    lock (UPDATE … RETURNING), so two desks never get the same number."""

    __tablename__ = "ticket_counter"

    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hall_service.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class QueueTicket(Replicated, Base):
    """A queue ticket (排队号). `issued_service_id` + `day` + `number` is unique; a transfer
    changes `service_id` and keeps `queued_at`, so the person keeps their place in time."""

    __tablename__ = "queue_ticket"
    __table_args__ = (
        UniqueConstraint("issued_service_id", "day", "number"),
        Index("ix_queue_ticket_waiting", "day", "state", "service_id", "queued_at"),
        Index("ix_queue_ticket_window", "window_id", "state"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"))
    issued_service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hall_service.id"))
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hall_service.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(8))  # A001
    priority: Mapped[int] = mapped_column(default=0)
    state: Mapped[TicketState] = mapped_column(_enum(TicketState, 16), default=TicketState.WAITING)
    issued_at: Mapped[dt.datetime]
    queued_at: Mapped[dt.datetime]  # the place in the queue; a transfer keeps it
    target_window_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hall_window.id"))
    window_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hall_window.id"))
    first_called_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_called_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    recalls: Mapped[int] = mapped_column(default=0)
    serving_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class QueueAction(enum.Enum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    SERVED = "served"
    NO_SHOW = "no_show"
    LEFT = "left"
    TRANSFER = "transfer"


class QueueEvent(Replicated, Base):
    """Every step of a ticket, timestamped: waiting and serving times are real figures and
    the hall display reads its last calls from here."""

    __tablename__ = "queue_event"
    __table_args__ = (Index("ix_queue_event_day_at", "day", "at"),)

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queue_ticket.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime]
    action: Mapped[QueueAction] = mapped_column(_enum(QueueAction, 16))
    window_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hall_window.id"))
    username: Mapped[str] = mapped_column(String(32))


class PetitionChannel(enum.Enum):
    VISIT = "visit"  # 走访
    LETTER = "letter"  # 来信
    HOTLINE = "hotline"  # 电话
    ONLINE = "online"  # 网上信访


class PetitionState(enum.Enum):
    RECEIVED = "received"  # 登记，待决定是否受理
    NOT_ACCEPTED = "not_accepted"  # 不予受理（书面告知）
    ACCEPTED = "accepted"  # 受理，办理中
    REPLIED = "replied"  # 书面答复（处理意见）已送达
    REVIEW_REQUESTED = "review_requested"  # 请求复查
    REVIEWED = "reviewed"  # 复查意见已答复
    RECHECK_REQUESTED = "recheck_requested"  # 请求复核
    RECHECKED = "rechecked"  # 复核意见已答复
    CLOSED = "closed"  # 办结/终结


class Petition(Replicated, Base):
    """A petition (信访事项) with the dates its legal time limits run from
    (centre_app/reception/petitions.py holds the limits and their articles)."""

    __tablename__ = "petition"
    __table_args__ = (
        UniqueConstraint("township_code", "number"),
        Index("ix_petition_state", "township_code", "state"),
        Index("ix_petition_id_number", "id_number"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    number: Mapped[str] = mapped_column(String(24))  # 330327-XF-2026-00012
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), default=None)
    channel: Mapped[PetitionChannel] = mapped_column(_enum(PetitionChannel, 16))
    petitioner_name: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str | None] = mapped_column(String(18), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    matter: Mapped[str] = mapped_column(Text)
    state: Mapped[PetitionState] = mapped_column(
        _enum(PetitionState, 20), default=PetitionState.RECEIVED
    )
    received_on: Mapped[dt.date] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")  # 受理/不予受理告知书
    handling_body: Mapped[str] = mapped_column(String(64), default="")
    extension_days: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    # 第三十四条: an extension needs the approval of the handling body's head (负责人)
    extension_approved_by: Mapped[str] = mapped_column(String(64), default="")
    # An earlier petition of the same person on the same matter (重复信访); no foreign key:
    # replicated rows may arrive in any order
    repeat_of_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    replied_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reply: Mapped[str] = mapped_column(Text, default="")
    review_requested_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    review_opinion: Mapped[str] = mapped_column(Text, default="")
    recheck_requested_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    rechecked_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    recheck_opinion: Mapped[str] = mapped_column(Text, default="")
    hearing_days: Mapped[int] = mapped_column(default=0)  # 听证: not counted in 复核's limit
    closed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    registered_by: Mapped[str] = mapped_column(String(32))


class VisitNameGram(Base):
    """Two-character pieces of each visitor's name with the visit's time: a name fragment
    is found through the index (gram, visited_at) instead of a scan of every visit.
    Local, derived data (written with the visit), never replicated."""

    __tablename__ = "visit_name_gram"
    __table_args__ = (Index("ix_visit_name_gram_gram_at", "gram", "visited_at"),)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), primary_key=True)
    visited_at: Mapped[dt.datetime]
