"""What each triage queue selects; a window of rows at a time (the queues hold 10^4–10^6).

Every sort is served by an index over stored keys (Incident.priority_key, due_key), so the
first window of a queue is an index range, and later windows seek from a neighbouring
window's first or last row (keyset) instead of counting rows with OFFSET. Search uses the
local bigram index (db.search_grams) on SQLite and LIKE elsewhere.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, Clock
from centre_app.incidents.phone import mask_phone
from centre_app.security.actor import Actor
from centre_app.security.roles import Permission
from db import search_grams
from db.models import Area, Department
from db.models.incidents import (
    Channel,
    Incident,
    IncidentState,
    RiskColour,
    colour_rank,
    sort_keys,
)

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
    Queue.UNTRIAGED: "待分流",
    Queue.MINE: "我的",
    Queue.DUE: "即将超期/已超期",
    Queue.VERIFY: "待核实",
    Queue.ESCALATED: "已上报县级",
    Queue.OPEN: "全部在办",
    Queue.ALL: "全部事件",
    Queue.DEPARTMENT: "按部门",
}
SORT_LABELS = {
    SortKey.PRIORITY: "优先级",
    SortKey.REPORTED: "上报时间",
    SortKey.DEADLINE: "处置时限",
    SortKey.CASE_NO: "案件编号",
}
# A queue with at most this many windows' worth of rows is read through its filter and
# sorted; a bigger one in sort order (a sparse filter would read far down the sort index).
FEW_ROWS_FACTOR = 50
_WORKING = (S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED, S.VERIFIED)
_OPEN = (S.REPORTED, *_WORKING, S.ESCALATED)


@dataclass(frozen=True)
class ExportDetails:
    """What an export shows beyond the queue's columns."""

    description: str
    channel: Channel
    reporter: str
    reporter_phone: str  # masked for a viewer who may not see personal data
    people_involved: int
    closed_at: dt.datetime | None


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
    # The row's values of its queue's sort columns: where the next/previous window seeks.
    position: tuple[Any, ...] = field(default=(), compare=False, repr=False)


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

    def same_rows(self, other: QueueFilter) -> bool:
        """Whether `other` selects the same rows, perhaps in another order."""
        return replace(other, sort=self.sort, descending=self.descending) == self


class IncidentQueries:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock,
        township_code: str,
        due_soon_hours: int = 24,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._township_code = township_code
        self._due_soon = dt.timedelta(hours=due_soon_hours)
        self._bigram_index: bool | None = None  # found on first search (SQLite only)
        self._sqlite: bool | None = None

    def _is_sqlite(self) -> bool:
        if self._sqlite is None:
            with self._session_factory() as session:
                self._sqlite = session.get_bind().dialect.name == "sqlite"
        return self._sqlite

    def _has_bigram_index(self) -> bool:
        if self._bigram_index is None:
            with self._session_factory() as session:
                self._bigram_index = session.get_bind().dialect.name == "sqlite" and bool(
                    session.scalar(
                        text("SELECT count(*) FROM sqlite_master WHERE name = :n"),
                        {"n": search_grams.TABLE},
                    )
                )
        return self._bigram_index

    def _conditions(
        self, actor: Actor, flt: QueueFilter, *, in_order: bool = False, by_department: bool = False
    ) -> list[ColumnElement[bool]]:
        now = self._clock.now()
        # A big department queue reads faster down the sort index than through its own
        # index and a sort of every row: unary + (SQLite) hides the column from the planner.
        department: ColumnElement[Any] = (
            literal_column("+incident.department_id", Incident.department_id.type)
            if in_order
            else Incident.department_id.expression
        )
        # A department's queue in priority order: unary + hides the state from the planner,
        # so ix_incident_department_queue (department, state) and a sort of every row lose
        # to ix_incident_department_priority read in order (the state checked in it).
        state: ColumnElement[Any] = (
            literal_column("+incident.state", Incident.state.type)
            if by_department
            else Incident.state.expression
        )
        # Likewise the township, so the township's priority index does not win either.
        township: ColumnElement[Any] = (
            literal_column("+incident.township_code", Incident.township_code.type)
            if by_department
            else Incident.township_code.expression
        )
        conditions: list[ColumnElement[bool]] = [township == self._township_code]
        match flt.queue:
            case Queue.UNTRIAGED:
                conditions.append(state == S.REPORTED)
            case Queue.MINE:
                conditions += [Incident.assignee == actor.username, state.in_(_WORKING)]
            case Queue.DUE:
                # due_key orders like deadline (no deadline: never due) and is indexed.
                conditions += [
                    state.in_(_WORKING),
                    Incident.due_key <= sort_keys(RiskColour.RED, now + self._due_soon)[1],
                ]
            case Queue.VERIFY:
                conditions.append(state == S.HANDLED)
            case Queue.ESCALATED:
                conditions.append(state == S.ESCALATED)
            case Queue.OPEN:
                conditions.append(state.in_(_OPEN))
            case Queue.DEPARTMENT:
                conditions.append(state.in_(_OPEN))
                if flt.department_id is None:
                    conditions.append(department.is_(None))
        if flt.colour is not None:
            # The colour is the leading digit of the priority key (sort_keys): a range of
            # the priority indexes, counted without reading the table.
            rank = colour_rank(flt.colour) * 10**16
            conditions += [Incident.priority_key >= rank, Incident.priority_key < rank + 10**16]
        if flt.category:
            conditions.append(Incident.category == flt.category)
        if flt.department_id is not None:
            conditions.append(department == flt.department_id)
        if flt.grid_id is not None:
            # A village selects its grids; a grid selects itself.
            # One IN list (not an OR), so the grid index serves it.
            grids = select(Area.id).where(
                or_(Area.parent_id == flt.grid_id, Area.id == flt.grid_id)
            )
            conditions.append(Incident.grid_id.in_(grids))
        if flt.channel is not None:
            conditions.append(Incident.channel == flt.channel)
        if flt.state is not None:
            conditions.append(state == flt.state)
        if flt.reported_from is not None:
            conditions.append(Incident.reported_at >= local_day_start(flt.reported_from))
        if flt.reported_to is not None:
            conditions.append(
                Incident.reported_at < local_day_start(flt.reported_to + dt.timedelta(days=1))
            )
        term = flt.search.strip()
        if term:
            conditions += self._search_conditions(term, in_order=in_order)
        return conditions

    def _search_conditions(self, term: str, *, in_order: bool = False) -> list[ColumnElement[bool]]:
        like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = or_(
            Incident.title.like(like, escape="\\"),
            Incident.place.like(like, escape="\\"),
            Incident.description.like(like, escape="\\"),
            Incident.case_no.like(like, escape="\\"),
        )
        grams = search_grams.term_grams(term)
        if not grams or not self._has_bigram_index():
            return [matches]  # one character, or no index (PostgreSQL): scan
        candidates = self._index_matches(grams, literal_column("rowid"))
        # Unary + keeps SQLite from driving the query by rowid lookups: with many matches,
        # reading the sort index in order and probing the match set finds a window sooner.
        rowid: ColumnElement[Any] = literal_column(
            "+incident.rowid" if in_order else "incident.rowid"
        )
        found: list[ColumnElement[bool]] = [rowid.in_(candidates)]
        # One bigram found in the index is the substring itself; longer terms are checked,
        # since the index does not keep the order of the bigrams.
        if [term.lower()] != grams:
            found.append(matches)
        return found

    def _by_department(self, flt: QueueFilter) -> bool:
        """Whether ix_incident_department_priority serves the window (SQLite): 按部门 or a
        chosen department (none chosen: the undispatched, department IS NULL), in priority
        order, no search."""
        return (
            (flt.department_id is not None or flt.queue is Queue.DEPARTMENT)
            and flt.sort is SortKey.PRIORITY
            and not flt.search.strip()
            and self._is_sqlite()
        )

    def _plan(self, flt: QueueFilter, total: int | None, limit: int) -> tuple[bool, bool]:
        """(few, many) on SQLite: few rows are found through the filter's own index and
        sorted; many are read down the sort index. A department's queue in priority order
        is neither: its own index reads it in order however big it is."""
        if total is None or not self._is_sqlite() or self._by_department(flt):
            return False, False
        few = total <= limit * FEW_ROWS_FACTOR
        return few, not few

    def count_statement(self, actor: Actor, flt: QueueFilter) -> Select[int]:
        return select(func.count()).select_from(Incident).where(*self._conditions(actor, flt))

    def rows_statement(
        self,
        actor: Actor,
        flt: QueueFilter,
        *,
        offset: int,
        limit: int,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        from_end: bool = False,
        total: int | None = None,
    ) -> Select[*tuple[Any, ...]]:
        """Only the columns a queue shows (no ORM objects), in the filter's order, from
        `offset`, or seeking past the sort position `after` / up to `before`. With `before`
        or `from_end` the statement reads backwards (rows come out last first).

        `total` (the queue's count, when known) picks the plan on SQLite: few rows are
        found through the filter's own index and sorted; many are read in sort order."""
        columns = _sort_columns(flt.sort)
        backwards = before is not None or from_end
        few, many = self._plan(flt, total, limit)
        query = (
            _row_select(*columns)
            .where(
                *self._conditions(actor, flt, in_order=many, by_department=self._by_department(flt))
            )
            .order_by(*_order(flt.sort, flt.descending != backwards, unindexed=few))
            .offset(offset)
            .limit(limit)
        )
        for position, later in ((after, True), (before, False)):
            if position is not None:
                row, seek = (
                    tuple_(*columns),
                    tuple_(*(literal(v, c.type) for v, c in zip(position, columns, strict=True))),
                )
                query = query.where(row > seek if later != flt.descending else row < seek)
        return query

    def position_statement(
        self,
        actor: Actor,
        flt: QueueFilter,
        *,
        offset: int,
        from_end: bool = False,
        total: int | None = None,
    ) -> Select[*tuple[Any, ...]]:
        """The sort position of the row `offset` rows from the start (or the end)."""
        few, many = self._plan(flt, total, 200)
        return (
            select(*_sort_columns(flt.sort))
            .where(
                *self._conditions(actor, flt, in_order=many, by_department=self._by_department(flt))
            )
            .order_by(*_order(flt.sort, flt.descending != from_end, unindexed=few))
            .offset(offset)
            .limit(1)
        )

    def count(self, actor: Actor, flt: QueueFilter) -> int:
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            return session.scalar(self.count_statement(actor, flt)) or 0

    def search_bound(self, actor: Actor, flt: QueueFilter) -> int | None:
        """An upper bound of the rows a search can match, from the bigram index alone (a few
        ms however many match); None without a search or an index. Exact counting checks
        every match against the incident rows, which takes ~2 µs a match."""
        actor.require(Permission.INCIDENT_VIEW)
        grams = search_grams.term_grams(flt.search.strip())
        if not grams or not self._has_bigram_index():
            return None
        with self._session_factory() as session:
            return session.scalar(self._index_matches(grams, func.count())) or 0

    @staticmethod
    def _index_matches(grams: list[str], column: ColumnElement[Any]) -> Select[tuple[Any]]:
        """`column` over the bigram index's documents holding every one of `grams`."""
        return (
            select(column)
            .select_from(text(search_grams.TABLE))
            .where(
                text(f"{search_grams.TABLE} MATCH :grams").bindparams(
                    grams=search_grams.match_expression(grams)
                )
            )
        )

    def rows(self, actor: Actor, flt: QueueFilter, *, offset: int, limit: int) -> list[QueueRow]:
        actor.require(Permission.INCIDENT_VIEW)
        query = self.rows_statement(actor, flt, offset=offset, limit=limit)
        with self._session_factory() as session:
            return [_row(r) for r in session.execute(query)]

    def window(
        self,
        actor: Actor,
        flt: QueueFilter,
        *,
        limit: int,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        from_end: bool = False,
        offset: int = 0,
        total: int | None = None,
    ) -> list[QueueRow]:
        """`limit` rows in queue order: the first (offset 0), the ones right after or before
        a row's `position` (an index seek, however deep), or the last ones (`from_end`,
        with `offset` counted from the end)."""
        actor.require(Permission.INCIDENT_VIEW)
        with self._session_factory() as session:
            if offset and after is None and before is None:
                # Deep OFFSET: skip through the sort index alone (sort columns only, no
                # joins), then seek from the row found, like any keyset window.
                edge = session.execute(
                    self.position_statement(
                        actor, flt, offset=offset - 1, from_end=from_end, total=total
                    )
                ).first()
                if edge is None:
                    return []
                after, before = (None, tuple(edge)) if from_end else (tuple(edge), None)
                offset = 0
            query = self.rows_statement(
                actor,
                flt,
                offset=offset,
                limit=limit,
                after=after,
                before=before,
                from_end=from_end,
                total=total,
            )
            rows = [_row(r) for r in session.execute(query)]
        if before is not None or from_end:
            rows.reverse()
        return rows

    def iter_export_rows(
        self, actor: Actor, flt: QueueFilter, *, batch: int = 5000
    ) -> Iterator[list[tuple[QueueRow, ExportDetails]]]:
        """The whole queue in order with what an export adds to each row, `batch` rows
        at a time. The phone is masked unless `actor` may see personal data."""
        actor.require(Permission.INCIDENT_VIEW)
        unmasked = actor.can(Permission.PERSONAL_DATA_VIEW)
        extra = (
            Incident.description,
            Incident.channel,
            Incident.reporter,
            Incident.reporter_phone,
            Incident.people_involved,
            Incident.closed_at,
        )
        query = (
            self.rows_statement(actor, flt, offset=0, limit=-1)
            .limit(None)
            .offset(None)
            .add_columns(*extra)
        )
        with self._session_factory() as session:
            result = session.execute(query.execution_options(yield_per=batch))
            for part in result.partitions(batch):
                yield [
                    (
                        _row(r[: -len(extra)]),
                        ExportDetails(
                            r[-6],
                            r[-5],
                            r[-4],
                            r[-3] if unmasked else mask_phone(r[-3]),
                            r[-2],
                            r[-1],
                        ),
                    )
                    for r in part
                ]

    def counts_by_queue(self, actor: Actor) -> dict[Queue, int]:
        return {q: self.count(actor, QueueFilter(queue=q)) for q in Queue}

    def new_red_since(self, actor: Actor, since: dt.datetime) -> list[QueueRow]:
        """Open red incidents reported, or raised to red, after `since` (the tray alert);
        group-event warnings carry their reason in QueueRow.group_warning."""
        actor.require(Permission.INCIDENT_VIEW)
        query = (
            _row_select()
            .where(
                Incident.township_code == self._township_code,
                Incident.colour == RiskColour.RED,
                Incident.state.in_(_OPEN),
                Incident.red_at > since,
            )
            .order_by(Incident.red_at, Incident.id)
        )
        with self._session_factory() as session:
            return [_row(r) for r in session.execute(query)]


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight of a local (Asia/Shanghai) date, as an aware instant."""
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def _row_select(*extra: Any) -> Select[*tuple[Any, ...]]:
    """The columns of a QueueRow (grid and department by name), then `extra`."""
    return (
        select(
            Incident.id,
            Incident.case_no,
            Incident.colour,
            Incident.state,
            Incident.category,
            Incident.subcategory,
            Incident.title,
            Incident.place,
            func.coalesce(Area.name, ""),
            func.coalesce(Department.name, ""),
            Incident.reported_at,
            Incident.deadline,
            Incident.group_warning,
            *extra,
        )
        .outerjoin(Area, Area.id == Incident.grid_id)
        .outerjoin(Department, Department.id == Incident.department_id)
    )


def _row(r: Any) -> QueueRow:
    return QueueRow(
        str(r[0]),
        r[1],
        r[2],
        r[3],
        f"{r[4]}/{r[5]}",
        r[6],
        r[7],
        r[8],
        r[9],
        r[10],
        r[11],
        r[12],
        tuple(r[13:]),
    )


def _sort_columns(key: SortKey) -> list[Any]:
    """The columns of a sort, each served by an index; the id breaks ties so windows never
    overlap. PRIORITY is red first, then the nearest deadline (none last), then the oldest
    report; DEADLINE is the nearest deadline first, none last (see sort_keys)."""
    if key is SortKey.PRIORITY:
        return [Incident.priority_key, Incident.reported_at, Incident.id]
    if key is SortKey.REPORTED:
        return [Incident.reported_at, Incident.id]
    if key is SortKey.DEADLINE:
        return [Incident.due_key, Incident.id]
    return [Incident.case_no, Incident.id]


def _order(key: SortKey, descending: bool, *, unindexed: bool = False) -> list[ColumnElement[Any]]:
    columns: list[Any] = _sort_columns(key)
    if unindexed:  # SQLite: unary + hides the column from the planner (the value is the same)
        columns = [literal_column(f"+incident.{c.key}") for c in columns]
    return [c.desc() for c in columns] if descending else columns
