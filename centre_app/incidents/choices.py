"""What the queue filters and bulk actions offer to choose from: channels, the township's
villages and their grids, and the departments a case can be dispatched to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Area, AreaLevel, Department, DepartmentKind
from db.models.incidents import Channel

CHANNEL_LABELS = {
    Channel.GRID_WORKER: "网格员上报",
    Channel.HOTLINE: "电话/热线",
    Channel.WALK_IN: "来访",
    Channel.VIDEO: "视频巡查",
    Channel.CITIZEN_APP: "群众APP",
    Channel.DEPARTMENT: "部门转办",
}


@dataclass(frozen=True)
class Village:
    id: uuid.UUID
    name: str
    grids: tuple[tuple[uuid.UUID, str], ...]  # (grid id, grid name), in code order


def villages(session_factory: sessionmaker[Session], township_code: str) -> list[Village]:
    """The township's villages (division codes start with the township's) and their grids."""
    with session_factory() as session:
        rows = session.execute(
            select(Area.id, Area.name, Area.level, Area.parent_id)
            .where(
                Area.code.startswith(township_code),
                Area.level.in_((AreaLevel.VILLAGE, AreaLevel.GRID)),
            )
            .order_by(Area.code)
        ).all()
    grids: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
    for area_id, name, level, parent_id in rows:
        if level is AreaLevel.GRID and parent_id is not None:
            grids.setdefault(parent_id, []).append((area_id, name))
    return [
        Village(area_id, name, tuple(grids.get(area_id, ())))
        for area_id, name, level, _ in rows
        if level is AreaLevel.VILLAGE
    ]


def dispatch_departments(session_factory: sessionmaker[Session]) -> list[tuple[uuid.UUID, str]]:
    """Active township platforms, stations and offices (county departments are reached by
    escalation, not dispatch)."""
    with session_factory() as session:
        return [
            (dept_id, name)
            for dept_id, name in session.execute(
                select(Department.id, Department.name)
                .where(Department.active, Department.kind != DepartmentKind.COUNTY_DEPARTMENT)
                .order_by(Department.kind, Department.name)
            )
        ]
