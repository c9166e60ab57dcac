"""What each triage queue selects; a window of rows at a time (the queues hold 10^4–10^6)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, Department
from db.models.incidents import Incident, IncidentState, RiskColour

S = IncidentState


class Queue(enum.Enum):
    UNTRIAGED = "untriaged"  # 待分流
    MINE = "mine"  # 我的
    DUE = "due"  # 即将超期/已超期
    VERIFY = "verify"  # 待核实
    ESCALATED = "escalated"  # 已上报县级
    OPEN = "open"  # 全部在办
    ALL = "all"  # 全部


QUEUE_LABELS = {
    Queue.UNTRIAGED: "待分流", Queue.MINE: "我的", Queue.DUE: "即将超期/已超期",
    Queue.VERIFY: "待核实", Queue.ESCALATED: "已上报县级", Queue.OPEN: "全部在办",
    Queue.ALL: "全部事件",
}
_WORKING = (S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED, S.VERIFIED)


@dataclass(frozen=True)
class QueueRow:
    id: str
    case_no: str
    colour: RiskColour
    state: IncidentState
    category: str
    title: str
    place: str
    grid: str
    department: str
    reported_at: dt.datetime
    deadline: dt.datetime | None


@dataclass(frozen=True)
class QueueFilter:
    queue: Queue = Queue.UNTRIAGED
    search: str = ""  # substring of title, place, description or case number
    colour: RiskColour | None = None
    category: str | None = None


class IncidentQueries:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock,
                 township_code: str, due_soon_hours: int = 24) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code
        self._due_soon = dt.timedelta(hours=due_soon_hours)

    def _conditions(self, actor: Actor, flt: QueueFilter) -> list[ColumnElement[bool]]:
        now = self._clock.now()
        conditions: list[ColumnElement[bool]] = [Incident.township_code == self._township_code]
        match flt.queue:
            case Queue.UNTRIAGED:
                conditions.append(Incident.state == S.REPORTED)
            case Queue.MINE:
                conditions += [Incident.assignee == actor.username, Incident.state.in_(_WORKING)]
            case Queue.DUE:
                conditions += [Incident.state.in_(_WORKING),
                               Incident.deadline <= now + self._due_soon]
            case Queue.VERIFY:
                conditions.append(Incident.state == S.HANDLED)
            case Queue.ESCALATED:
                conditions.append(Incident.state == S.ESCALATED)
            case Queue.OPEN:
                conditions.append(Incident.state.in_((S.REPORTED, *_WORKING, S.ESCALATED)))
        if flt.colour is not None:
            conditions.append(Incident.colour == flt.colour)
        if flt.category:
            conditions.append(Incident.category == flt.category)
        term = flt.search.strip()
        if term:
            like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(Incident.title.like(like, escape="\\"),
                                  Incident.place.like(like, escape="\\"),
                                  Incident.description.like(like, escape="\\"),
                                  Incident.case_no.like(like, escape="\\")))
        return conditions

    def count_statement(self, actor: Actor, flt: QueueFilter) -> Select[int]:
        return select(func.count()).select_from(Incident).where(*self._conditions(actor, flt))

    def rows_statement(self, actor: Actor, flt: QueueFilter, *, offset: int, limit: int
                       ) -> Select[*tuple[Any, ...]]:
        """Only the columns a queue shows (no ORM objects): red first, then the nearest
        deadline, then the oldest."""
        colour_rank = case((Incident.colour == RiskColour.RED, 0),
                           (Incident.colour == RiskColour.YELLOW, 1), else_=2)
        return (select(Incident.id, Incident.case_no, Incident.colour, Incident.state,
                       Incident.category, Incident.subcategory, Incident.title, Incident.place,
                       func.coalesce(Area.name, ""), func.coalesce(Department.name, ""),
                       Incident.reported_at, Incident.deadline)
                .outerjoin(Area, Area.id == Incident.grid_id)
                .outerjoin(Department, Department.id == Incident.department_id)
                .where(*self._conditions(actor, flt))
                .order_by(colour_rank, Incident.deadline.is_(None), Incident.deadline,
                          Incident.reported_at, Incident.id)
                .offset(offset).limit(limit))

    def count(self, actor: Actor, flt: QueueFilter) -> int:
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return session.scalar(self.count_statement(actor, flt)) or 0

    def rows(self, actor: Actor, flt: QueueFilter, *, offset: int, limit: int) -> list[QueueRow]:
        actor.require(Permission.INCIDENT_VIEW)
        query = self.rows_statement(actor, flt, offset=offset, limit=limit)
        with self._session_factory() as session:
            return [QueueRow(str(r[0]), r[1], r[2], r[3], f"{r[4]}/{r[5]}", r[6], r[7], r[8],
                             r[9], r[10], r[11]) for r in session.execute(query)]

    def counts_by_queue(self, actor: Actor) -> dict[Queue, int]:
        return {q: self.count(actor, QueueFilter(queue=q)) for q in Queue}
