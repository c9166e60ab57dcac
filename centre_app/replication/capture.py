"""Central change capture: SQLAlchemy session events write the outbox in the same transaction.

`install_change_capture(session_factory, node_id, clock)` hooks `before_flush` (stamp `hlc`
and `origin` on every new, changed or deleted `Replicated` object) and `after_flush` (one
executemany of outbox rows). A session with `info[APPLYING]` set (the pull applier) is left
alone, so pulled changes never re-enter the outbox.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, event, func, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from centre_app.centre.notice import CHANNEL, ChangeNotice, NoticeHub, Origin
from centre_app.clock import Clock
from centre_app.replication.hlc import HybridLogicalClock
from centre_app.replication.outbox import SEQ_KEY
from centre_app.replication.tables import (
    encode_mapping,
    encode_object,
    replicated_columns,
    replicated_tables,
)
from db.ids import new_id
from db.models.replication import OutboxEntry, ReplicationState, Tombstone

log = logging.getLogger(__name__)

APPLYING = "replication_applying"
_PENDING = "replication_pending"
_WROTE = "replication_wrote"  # this transaction added outbox entries
_TOUCHED = "replication_touched"  # (table, row id) written, for the change notice
_ORIGIN = "replication_origin"  # Origin of the notice (LOCAL unless a pull says COUNTY)
BASELINE_KEY = "baseline"


class ChangeCapture:
    def __init__(self, node_id: str, hlc: HybridLogicalClock) -> None:
        self.node_id = node_id
        self.hlc = hlc
        # Called (on the committing thread) after a commit that queued changes, so the sync
        # worker can send them at once instead of at its next timer tick.
        self.commit_listeners: list[Callable[[], None]] = []
        # Every committed change as one typed notice (this desk's, other desks', pulls).
        self.notices = NoticeHub()
        self.sender = uuid.uuid4().hex  # tells this process's NOTIFYs from other desks'

    def committed(self) -> None:
        for listener in list(self.commit_listeners):
            try:
                listener()
            except Exception:  # a broken listener must not break the write that succeeded
                log.exception("commit listener failed")

    def before_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        if session.info.get(APPLYING):
            return
        pending: list[tuple[str, Any, str]] = session.info.setdefault(_PENDING, [])
        for obj in session.new:
            if getattr(obj, "__replicated__", False):
                stamp = self.hlc.now()
                if obj.id is None:
                    obj.id = new_id()  # the outbox row needs the id before the INSERT runs
                obj.hlc, obj.origin = stamp, self.node_id
                pending.append(("insert", obj, stamp))
        for obj in session.dirty:
            if getattr(obj, "__replicated__", False) and _content_changed(obj):
                stamp = self.hlc.now()
                obj.hlc, obj.origin = stamp, self.node_id
                pending.append(("update", obj, stamp))
        for obj in session.deleted:
            if getattr(obj, "__replicated__", False):
                pending.append(("delete", obj, self.hlc.now()))

    def after_flush(self, session: Session, _ctx: Any) -> None:
        pending: list[tuple[str, Any, str]] = session.info.pop(_PENDING, [])
        if not pending:
            return
        outbox: list[dict[str, Any]] = []
        tombstones: list[dict[str, Any]] = []
        for op, obj, stamp in pending:
            table = obj.__table__
            row_id = str(obj.id)
            data = None if op == "delete" else encode_object(obj, table)
            outbox.append(
                {"hlc": stamp, "table_name": table.name, "row_id": row_id, "op": op, "data": data}
            )
            if op == "delete":
                tombstones.append(
                    {
                        "table_name": table.name,
                        "row_id": row_id,
                        "hlc": stamp,
                        "origin": self.node_id,
                    }
                )
        conn = session.connection()
        conn.execute(insert(OutboxEntry), outbox)
        _write_tombstones(conn, tombstones)
        session.info[_WROTE] = True
        note_changes(session, [(e["table_name"], e["row_id"]) for e in outbox])

    def on_execute(self, state: ORMExecuteState) -> Any:
        """Bulk `update(...)`/`delete(...)` statements on replicated tables bypass the flush;
        stamp them and record every affected row here, so no write path escapes capture."""
        if not (state.is_update or state.is_delete) or state.session.info.get(APPLYING):
            return None
        mapper = state.bind_mapper
        if mapper is None or not getattr(mapper.class_, "__replicated__", False):
            return None
        table = mapper.local_table
        assert isinstance(table, Table)
        statement: Any = state.statement
        where = statement.whereclause
        conn = state.session.connection()
        select_ids = select(table.c.id) if where is None else select(table.c.id).where(where)
        ids = [row_id for (row_id,) in conn.execute(select_ids)]
        stamp = self.hlc.now()
        if state.is_update:
            state.statement = statement.values(hlc=stamp, origin=self.node_id)
        result = state.invoke_statement()
        if not ids:
            return result
        outbox: list[dict[str, Any]] = []
        if state.is_update:
            for part in _chunks(ids):
                for row in conn.execute(select(table).where(table.c.id.in_(part))).mappings():
                    outbox.append(
                        {
                            "hlc": stamp,
                            "table_name": table.name,
                            "row_id": str(row["id"]),
                            "op": "update",
                            "data": encode_mapping(row, table),
                        }
                    )
        else:
            tombstones = []
            for row_id in ids:
                outbox.append(
                    {
                        "hlc": stamp,
                        "table_name": table.name,
                        "row_id": str(row_id),
                        "op": "delete",
                        "data": None,
                    }
                )
                tombstones.append(
                    {
                        "table_name": table.name,
                        "row_id": str(row_id),
                        "hlc": stamp,
                        "origin": self.node_id,
                    }
                )
            _write_tombstones(conn, tombstones)
        conn.execute(insert(OutboxEntry), outbox)
        state.session.info[_WROTE] = True
        note_changes(state.session, [(e["table_name"], e["row_id"]) for e in outbox])
        return result


def _content_changed(obj: Any) -> bool:
    """A change to a column that travels: re-deriving a local column (a sort key after a
    replicated row arrived) is not a change of this node's."""
    state = inspect(obj)
    for column in replicated_columns(obj.__table__):
        prop = state.mapper.get_property_by_column(column)
        if state.attrs[prop.key].history.has_changes():
            return True
    return False


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_tombstones(conn: Connection, tombstones: list[dict[str, Any]]) -> None:
    for tomb in tombstones:
        conn.execute(
            delete(Tombstone).where(
                Tombstone.table_name == tomb["table_name"], Tombstone.row_id == tomb["row_id"]
            )
        )
    if tombstones:
        conn.execute(insert(Tombstone), tombstones)


def enqueue_baseline(session_factory: sessionmaker[Session], capture: ChangeCapture) -> int:
    """Rows written before capture existed (a database older than replication) are queued
    once as inserts, parents before children, so the county can accept what refers to them.
    Returns the number of rows queued."""
    from db.base import Base

    tables = replicated_tables()
    queued = 0
    with session_factory.begin() as session:
        # Desks starting together on a new centre database: the first takes the outbox
        # counter's row lock and queues the baseline, the others then find it done.
        session.execute(
            select(ReplicationState.key).where(ReplicationState.key == SEQ_KEY).with_for_update()
        )
        if session.get(ReplicationState, BASELINE_KEY, populate_existing=True) is not None:
            return 0
        conn = session.connection()
        for table in Base.metadata.sorted_tables:
            if table.name not in tables:
                continue
            rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
            # Rows keep their (empty) stamps: append-only tables cannot be touched, and any
            # later change outranks an unstamped row everywhere.
            batch = [
                {
                    "hlc": row["hlc"] or capture.hlc.now(),
                    "table_name": table.name,
                    "row_id": str(row["id"]),
                    "op": "insert",
                    "data": encode_mapping(row, table),
                }
                for row in rows
            ]
            if batch:
                conn.execute(insert(OutboxEntry), batch)
                queued += len(batch)
        session.add(ReplicationState(key=BASELINE_KEY, value=str(queued)))
    return queued


_captures: weakref.WeakKeyDictionary[Engine, ChangeCapture] = weakref.WeakKeyDictionary()
_listening = False


def capture_for(session: Session) -> ChangeCapture | None:
    """The capture of the database `session` writes to, whatever sessionmaker made it."""
    try:
        bind = session.get_bind()
    except Exception:  # an unbound session writes nowhere we replicate
        return None
    engine = bind.engine if isinstance(bind, Connection) else bind
    return _captures.get(engine) if isinstance(engine, Engine) else None


def _before_flush(session: Session, ctx: Any, instances: Any) -> None:
    capture = capture_for(session)
    if capture is not None:
        capture.before_flush(session, ctx, instances)


def _after_flush(session: Session, ctx: Any) -> None:
    capture = capture_for(session)
    if capture is not None:
        capture.after_flush(session, ctx)


def note_changes(
    session: Session, pairs: list[tuple[str, str]], origin: Origin = Origin.LOCAL
) -> None:
    """Rows this transaction wrote, announced when it commits (the pull applier calls it
    with COUNTY; captured writes are noted by the capture itself)."""
    session.info.setdefault(_TOUCHED, []).extend(pairs)
    if origin is not Origin.LOCAL:
        session.info[_ORIGIN] = origin


def _after_soft_rollback(session: Session, _transaction: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WROTE, None)
    session.info.pop(_TOUCHED, None)
    session.info.pop(_ORIGIN, None)


def _before_commit(session: Session) -> None:
    """On PostgreSQL the other desks hear of the rows through NOTIFY, which the server
    delivers when (and only if) this transaction commits."""
    touched = session.info.get(_TOUCHED)
    if not touched:
        return
    capture = capture_for(session)
    if capture is None:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        notice = ChangeNotice.of(session.info.get(_ORIGIN, Origin.LOCAL), touched)
        conn.execute(select(func.pg_notify(CHANNEL, notice.payload(capture.sender))))


def _after_commit(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    origin = session.info.pop(_ORIGIN, Origin.LOCAL)
    capture = capture_for(session) if touched or session.info.get(_WROTE) else None
    if session.info.pop(_WROTE, False) and capture is not None:
        capture.committed()
    if touched and capture is not None:
        capture.notices.publish(ChangeNotice.of(origin, touched))


def _do_orm_execute(state: ORMExecuteState) -> Any:
    capture = capture_for(state.session)
    return None if capture is None else capture.on_execute(state)


def install_change_capture(
    session_factory: sessionmaker[Session], node_id: str, clock: Clock
) -> ChangeCapture:
    """Capture every replicated change written to the database of `session_factory` — by
    any session of any sessionmaker bound to that engine or to one of its connections (the
    listeners sit on the Session class, so no write path can go around them)."""
    global _listening
    engine = session_factory.kw["bind"]
    assert isinstance(engine, Engine)
    with session_factory() as session:
        last = session.scalar(select(func.max(OutboxEntry.hlc)))
    capture = ChangeCapture(node_id, HybridLogicalClock(clock, last))
    _captures[engine] = capture
    if not _listening:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        _listening = True
    return capture
