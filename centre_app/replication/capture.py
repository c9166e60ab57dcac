"""Central change capture: SQLAlchemy session events write the outbox in the same transaction.

`install_change_capture(session_factory, node_id, clock)` hooks `before_flush` (stamp `hlc`
and `origin` on every new, changed or deleted `Replicated` object) and `after_flush` (one
executemany of outbox rows). A session with `info[APPLYING]` set (the pull applier) is left
alone, so pulled changes never re-enter the outbox.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import Clock
from centre_app.replication.hlc import HybridLogicalClock
from centre_app.replication.tables import encode_object
from db.ids import new_id
from db.models.replication import OutboxEntry, Tombstone

log = logging.getLogger(__name__)

APPLYING = "replication_applying"
_PENDING = "replication_pending"


class ChangeCapture:
    def __init__(self, node_id: str, hlc: HybridLogicalClock) -> None:
        self.node_id = node_id
        self.hlc = hlc

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
            if getattr(obj, "__replicated__", False) and session.is_modified(
                obj, include_collections=False
            ):
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
            outbox.append({"hlc": stamp, "table_name": table.name, "row_id": row_id,
                           "op": op, "data": data})
            if op == "delete":
                tombstones.append({"table_name": table.name, "row_id": row_id, "hlc": stamp,
                                   "origin": self.node_id})
        conn = session.connection()
        conn.execute(OutboxEntry.__table__.insert(), outbox)
        for tomb in tombstones:
            conn.execute(Tombstone.__table__.delete().where(
                Tombstone.table_name == tomb["table_name"], Tombstone.row_id == tomb["row_id"]))
        if tombstones:
            conn.execute(Tombstone.__table__.insert(), tombstones)

    def after_rollback(self, session: Session) -> None:
        session.info.pop(_PENDING, None)


def install_change_capture(
    session_factory: sessionmaker[Session], node_id: str, clock: Clock
) -> ChangeCapture:
    """Capture every replicated change made through sessions of `session_factory`."""
    with session_factory() as session:
        last = session.scalar(select(func.max(OutboxEntry.hlc)))
    capture = ChangeCapture(node_id, HybridLogicalClock(clock, last))
    event.listen(session_factory, "before_flush", capture.before_flush)
    event.listen(session_factory, "after_flush", capture.after_flush)
    event.listen(session_factory, "after_soft_rollback",
                 lambda s, _t: capture.after_rollback(s))
    return capture
