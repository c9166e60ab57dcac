"""What each triage queue selects; a window of rows at a time (the queues hold 10^4–10^6)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import Select, case, func, or_, select
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

    def _select(self, actor: Actor, flt: QueueFilter) -> Select[Incident, str, str]:
        query = (select(Incident, func.coalesce(Area.name, ""), func.coalesce(Department.name, ""))
                 .outerjoin(Area, Area.id == Incident.grid_id)
                 .outerjoin(Department, Department.id == Incident.department_id)
                 .where(Incident.township_code == self._township_code))
        now = self._clock.now()
        match flt.queue:
            case Queue.UNTRIAGED:
                query = query.where(Incident.state == S.REPORTED)
            case Queue.MINE:
                query = query.where(Incident.assignee == actor.username,
                                    Incident.state.in_(_WORKING))
            case Queue.DUE:
                query = query.where(Incident.state.in_(_WORKING),
                                    Incident.deadline <= now + self._due_soon)
            case Queue.VERIFY:
                query = query.where(Incident.state == S.HANDLED)
            case Queue.ESCALATED:
                query = query.where(Incident.state == S.ESCALATED)
            case Queue.OPEN:
                query = query.where(Incident.state.in_((S.REPORTED, *_WORKING, S.ESCALATED)))
        if flt.colour is not None:
            query = query.where(Incident.colour == flt.colour)
        if flt.category:
            query = query.where(Incident.category == flt.category)
        term = flt.search.strip()
        if term:
            like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(Incident.title.like(like, escape="\\"),
                                    Incident.place.like(like, escape="\\"),
                                    Incident.description.like(like, escape="\\"),
                                    Incident.case_no.like(like, escape="\\")))
        return query

    def count(self, actor: Actor, flt: QueueFilter) -> int:
        actor.require(Permission.INCIDENT_VIEW)
        query = select(func.count()).select_from(self._select(actor, flt).subquery())
        with self._session_factory() as session:
            return session.scalar(query) or 0

    def rows(self, actor: Actor, flt: QueueFilter, *, offset: int, limit: int) -> list[QueueRow]:
        """One window of the queue; red first, then the nearest deadline, then the oldest."""
        actor.require(Permission.INCIDENT_VIEW)
        colour_rank = case((Incident.colour == RiskColour.RED, 0),
                           (Incident.colour == RiskColour.YELLOW, 1), else_=2)
        query = self._select(actor, flt).order_by(
            colour_rank, Incident.deadline.is_(None), Incident.deadline, Incident.reported_at,
            Incident.id).offset(offset).limit(limit)
        with self._session_factory() as session:
            return [QueueRow(str(i.id), i.case_no, i.colour, i.state, f"{i.category}/{i.subcategory}",
                             i.title, i.place, grid, dept, i.reported_at, i.deadline)
                    for i, grid, dept in session.execute(query)]

    def counts_by_queue(self, actor: Actor) -> dict[Queue, int]:
        return {q: self.count(actor, QueueFilter(queue=q)) for q in Queue}
