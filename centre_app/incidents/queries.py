"""What each triage queue selects; a window of rows at a time (the queues hold 10^4–10^6)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, Clock
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db.models import Area, Department
from db.models.incidents import Channel, Incident, IncidentState, RiskColour

S = IncidentState


class Queue(enum.Enum):
    UNTRIAGED = "untriaged"  # 待分流
    MINE = "mine"  # 我的
    DUE = "due"  # 即将超期/已超期
    VERIFY = "verify"  # 待核实
    ESCALATED = "escalated"  # 已上报县级
    OPEN = "open"  # 全部在办
    ALL = "all"  # 全部
    DEPARTMENT = "department"  # 按部门: open incidents of QueueFilter.department_id


class SortKey(enum.Enum):
    PRIORITY = "priority"  # red first, then nearest deadline, then oldest
    REPORTED = "reported"
    DEADLINE = "deadline"
    CASE_NO = "case_no"


QUEUE_LABELS = {
    Queue.UNTRIAGED: "待分流", Queue.MINE: "我的", Queue.DUE: "即将超期/已超期",
    Queue.VERIFY: "待核实", Queue.ESCALATED: "已上报县级", Queue.OPEN: "全部在办",
    Queue.ALL: "全部事件", Queue.DEPARTMENT: "按部门",
}
SORT_LABELS = {SortKey.PRIORITY: "优先级", SortKey.REPORTED: "上报时间",
               SortKey.DEADLINE: "处置时限", SortKey.CASE_NO: "案件编号"}
_WORKING = (S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED, S.VERIFIED)
_OPEN = (S.REPORTED, *_WORKING, S.ESCALATED)


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
    group_warning: str | None = None  # 群体性事件预警 reason, shown by the UI


@dataclass(frozen=True)
class QueueFilter:
    """What a queue shows. Every field narrows the queue; None means "any"."""

    queue: Queue = Queue.UNTRIAGED
    search: str = ""  # substring of title, place, description or case number
    colour: RiskColour | None = None
    category: str | None = None
    department_id: uuid.UUID | None = None  # also selects the Queue.DEPARTMENT queue
    grid_id: uuid.UUID | None = None  # a grid, or a village (= all its grids)
    channel: Channel | None = None
    state: IncidentState | None = None
    reported_from: dt.date | None = None  # local date, inclusive
    reported_to: dt.date | None = None  # local date, inclusive
    sort: SortKey = SortKey.PRIORITY
    descending: bool = False


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
                conditions.append(Incident.state.in_(_OPEN))
            case Queue.DEPARTMENT:
                conditions.append(Incident.state.in_(_OPEN))
                if flt.department_id is None:
                    conditions.append(Incident.department_id.is_(None))
        if flt.colour is not None:
            conditions.append(Incident.colour == flt.colour)
        if flt.category:
            conditions.append(Incident.category == flt.category)
        if flt.department_id is not None:
            conditions.append(Incident.department_id == flt.department_id)
        if flt.grid_id is not None:
            # A village selects its grids; a grid selects itself.
            grids = select(Area.id).where(Area.parent_id == flt.grid_id)
            conditions.append(or_(Incident.grid_id == flt.grid_id, Incident.grid_id.in_(grids)))
        if flt.channel is not None:
            conditions.append(Incident.channel == flt.channel)
        if flt.state is not None:
            conditions.append(Incident.state == flt.state)
        if flt.reported_from is not None:
            conditions.append(Incident.reported_at >= local_day_start(flt.reported_from))
        if flt.reported_to is not None:
            conditions.append(Incident.reported_at < local_day_start(
                flt.reported_to + dt.timedelta(days=1)))
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
        """Only the columns a queue shows (no ORM objects), in the filter's order."""
        return (select(Incident.id, Incident.case_no, Incident.colour, Incident.state,
                       Incident.category, Incident.subcategory, Incident.title, Incident.place,
                       func.coalesce(Area.name, ""), func.coalesce(Department.name, ""),
                       Incident.reported_at, Incident.deadline, Incident.group_warning)
                .outerjoin(Area, Area.id == Incident.grid_id)
                .outerjoin(Department, Department.id == Incident.department_id)
                .where(*self._conditions(actor, flt))
                .order_by(*_order(flt.sort, flt.descending))
                .offset(offset).limit(limit))

    def count(self, actor: Actor, flt: QueueFilter) -> int:
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return session.scalar(self.count_statement(actor, flt)) or 0

    def rows(self, actor: Actor, flt: QueueFilter, *, offset: int, limit: int) -> list[QueueRow]:
        actor.require(Permission.INCIDENT_VIEW)
        query = self.rows_statement(actor, flt, offset=offset, limit=limit)
        with self._session_factory() as session:
            return [_row(r) for r in session.execute(query)]

    def iter_rows(self, actor: Actor, flt: QueueFilter, *, batch: int = 5000
                  ) -> Iterator[list[QueueRow]]:
        """The whole queue in order, `batch` rows at a time (for export)."""
        actor.require(Permission.INCIDENT_VIEW)
        query = self.rows_statement(actor, flt, offset=0, limit=-1).limit(None).offset(None)
        with self._session_factory() as session:
            result = session.execute(query.execution_options(yield_per=batch))
            for part in result.partitions(batch):
                yield [_row(r) for r in part]

    def counts_by_queue(self, actor: Actor) -> dict[Queue, int]:
        return {q: self.count(actor, QueueFilter(queue=q)) for q in Queue}

    def new_red_since(self, actor: Actor, since: dt.datetime) -> list[QueueRow]:
        """Open red incidents reported, or raised to red, after `since` (the tray alert);
        group-event warnings carry their reason in QueueRow.group_warning."""
        actor.require(Permission.INCIDENT_VIEW)
        query = (select(Incident.id, Incident.case_no, Incident.colour, Incident.state,
                        Incident.category, Incident.subcategory, Incident.title, Incident.place,
                        func.coalesce(Area.name, ""), func.coalesce(Department.name, ""),
                        Incident.reported_at, Incident.deadline, Incident.group_warning)
                 .outerjoin(Area, Area.id == Incident.grid_id)
                 .outerjoin(Department, Department.id == Incident.department_id)
                 .where(Incident.township_code == self._township_code,
                        Incident.colour == RiskColour.RED, Incident.state.in_(_OPEN),
                        Incident.red_at > since)
                 .order_by(Incident.red_at, Incident.id))
        with self._session_factory() as session:
            return [_row(r) for r in session.execute(query)]


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight of a local (Asia/Shanghai) date, as an aware instant."""
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def _row(r: Any) -> QueueRow:
    return QueueRow(str(r[0]), r[1], r[2], r[3], f"{r[4]}/{r[5]}", r[6], r[7], r[8], r[9],
                    r[10], r[11], r[12])


def _order(key: SortKey, descending: bool) -> list[ColumnElement[Any]]:
    """ORDER BY for a sort key; the id breaks ties so windows never overlap."""
    columns: list[Any]
    if key is SortKey.PRIORITY:
        colour_rank = case((Incident.colour == RiskColour.RED, 0),
                           (Incident.colour == RiskColour.YELLOW, 1), else_=2)
        columns = [colour_rank, Incident.deadline.is_(None), Incident.deadline,
                   Incident.reported_at]
    elif key is SortKey.REPORTED:
        columns = [Incident.reported_at]
    elif key is SortKey.DEADLINE:
        columns = [Incident.deadline.is_(None), Incident.deadline]
    else:
        columns = [Incident.case_no]
    columns.append(Incident.id)
    return [c.desc() for c in columns] if descending else columns
