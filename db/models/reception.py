"""Visits registered in the reception hall (来访登记)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, Index, String, Text
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
    return Enum(kind, values_callable=lambda e: [m.value for m in e], native_enum=False,
                length=length)


class Visit(Replicated, Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_township_visited", "township_code", "visited_at"),
        Index("ix_visit_id_number", "id_number"),
        Index("ix_visit_name_initials", "name_initials"),
    )

    township_code: Mapped[str] = mapped_column(String(9))
    ticket_no: Mapped[str] = mapped_column(String(8))  # per day: A001, A002, …
    visited_at: Mapped[dt.datetime]
    visitor_name: Mapped[str] = mapped_column(String(32))
    name_initials: Mapped[str] = mapped_column(String(16))  # pinyin initials, e.g. 王晓燕 → wxy
    id_number: Mapped[str | None] = mapped_column(String(18))  # masked in lists (see reception)
    phone: Mapped[str | None] = mapped_column(String(20))
    purpose: Mapped[VisitPurpose] = mapped_column(_enum(VisitPurpose, 16))
    summary: Mapped[str] = mapped_column(Text, default="")
    group_size: Mapped[int] = mapped_column(default=1)
    is_group_visit: Mapped[bool] = mapped_column(default=False)  # 集体访: 5 or more people
    route: Mapped[VisitRoute] = mapped_column(_enum(VisitRoute, 16))
    routed_to: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(32))
