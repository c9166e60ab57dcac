"""Mediation rooms and mediators: reference data the calendar and the demo both need."""

from __future__ import annotations

import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Replicated


class Room(Replicated, Base):
    __tablename__ = "mediation_room"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    # e.g. 法律援助, 专家咨询, 心理咨询, 劳动争议, 医疗纠纷, 国土住建, 品牌调解室
    kind: Mapped[str] = mapped_column(String(32))
    capacity: Mapped[int] = mapped_column(default=8)
    location: Mapped[str | None] = mapped_column(String(64))
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("area.id"))
    active: Mapped[bool] = mapped_column(default=True)
    equipment: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Minutes kept free after every session (airing, the next parties kept apart).
    buffer_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    # Minutes kept free before every session (the room set up, the parties seated).
    buffer_before_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    # Local opening hours by ISO weekday ("1" = Monday): {"1": ["08:30", "17:30"], ...};
    # a missing day is closed. Null: the centre's default hours.
    opening_hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MediatorKind(enum.Enum):
    PEOPLES_MEDIATOR = "peoples_mediator"  # 人民调解员
    LAWYER = "lawyer"  # 律师
    EXPERT = "expert"  # 专家
    PSYCHOLOGIST = "psychologist"  # 心理咨询师


class Mediator(Replicated, Base):
    __tablename__ = "mediator"

    name: Mapped[str] = mapped_column(String(32))
    kind: Mapped[MediatorKind] = mapped_column(
        Enum(
            MediatorKind,
            values_callable=lambda e: [m.value for m in e],
            native_enum=False,
            length=24,
        )
    )
    specialties: Mapped[str] = mapped_column(Text, default="")  # comma-separated categories
    phone: Mapped[str | None] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(64))
    # Personal-brand room (e.g. 老娘舅调解室) where this mediator usually sits.
    home_room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_room.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Local hours the mediator can sit, by ISO weekday: {"2": [["09:00", "12:00"]], ...}.
    # Null: any time the room is open.
    availability: Mapped[dict[str, Any] | None] = mapped_column(JSON)
