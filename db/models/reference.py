"""Reference data every workspace needs: the administrative tree and the dispatch targets."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Replicated


class AreaLevel(enum.Enum):
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    GRID = "grid"


class Area(Replicated, Base):
    """One node of county → township → village → grid.

    Counties, townships and villages carry their 12-digit statistical division
    code (e.g. 330327102201); a grid carries its village code plus a 3-digit
    grid number (15 digits).
    """

    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[AreaLevel] = mapped_column(
        Enum(
            AreaLevel, values_callable=lambda e: [m.value for m in e], native_enum=False, length=16
        )
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("area.id"), index=True)
    # Grid worker (网格员) in charge of a grid; empty for other levels.
    grid_worker: Mapped[str | None] = mapped_column(String(32))
    grid_worker_phone: Mapped[str | None] = mapped_column(String(20))

    parent: Mapped[Area | None] = relationship(remote_side="Area.id", back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")


class DepartmentKind(enum.Enum):
    COUNTY_DEPARTMENT = "county_department"  # 县直部门
    TOWNSHIP_PLATFORM = "township_platform"  # 乡镇"四个平台"
    STATION = "station"  # 基层站所
    TOWNSHIP_OFFICE = "township_office"  # 乡镇内设科室


class Department(Replicated, Base):
    """A dispatch target. Departments form a tree (county department → its stations)."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[DepartmentKind] = mapped_column(
        Enum(
            DepartmentKind,
            values_callable=lambda e: [m.value for m in e],
            native_enum=False,
            length=24,
        )
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"), index=True)
    # The area it serves (a township for platforms and stations, the county for departments).
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("area.id"))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Department | None] = relationship(
        remote_side="Department.id", back_populates="children"
    )
    children: Mapped[list[Department]] = relationship(back_populates="parent")
