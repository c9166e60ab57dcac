"""Apply a batch of changes from other nodes with the per-table merge policy.

LWW tables: for every row the change with the greatest (hlc, origin) wins, whether it is
the stored row, a stored tombstone or one of the incoming changes; a winning delete leaves
a tombstone. UNION tables: a row is inserted once and never overwritten. The result does
not depend on the order in which changes arrive, which is what makes nodes converge.
Writes go through Core on the caller's session with `info[APPLYING]` set, so nothing here
re-enters the outbox.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, select, tuple_
from sqlalchemy.orm import Session

from centre_app.replication.capture import APPLYING
from centre_app.replication.policies import MergePolicy, after_apply_hooks, policy_for
from centre_app.replication.tables import decode_row, replicated_tables
from db.models.replication import Tombstone

log = logging.getLogger(__name__)

_CHUNK = 500


@dataclass(frozen=True)
class Change:
    origin: str
    hlc: str
    table_name: str
    row_id: str
    op: str  # insert | update | delete
    data: dict[str, Any] | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.hlc, self.origin)


class UnknownTable(ValueError):
    pass


def _id_value(table: Table, row_id: str) -> Any:
    kind = table.c.id.type.python_type
    return uuid.UUID(row_id) if kind is uuid.UUID else row_id


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _stored_versions(session: Session, table: Table, ids: list[str]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for part in _chunks(ids):
        rows = session.execute(
            select(table.c.id, table.c.hlc, table.c.origin).where(
                table.c.id.in_([_id_value(table, i) for i in part])
            )
        )
        for row_id, hlc, origin in rows:
            found[str(row_id)] = (hlc or "", origin or "")
    return found


def _tombstones(session: Session, table_name: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for part in _chunks(ids):
        rows = session.execute(
            select(Tombstone.row_id, Tombstone.hlc, Tombstone.origin).where(
                tuple_(Tombstone.table_name, Tombstone.row_id).in_([(table_name, i) for i in part])
            )
        )
        for row_id, hlc, origin in rows:
            found[row_id] = (hlc, origin)
    return found


def apply_changes(session: Session, changes: Sequence[Change]) -> dict[str, list[str]]:
    """Merge `changes` into the session's database; returns table -> row ids written."""
    session.info[APPLYING] = True
    tables = replicated_tables()
    by_table: dict[str, list[tuple[int, Change]]] = {}
    for position, change in enumerate(changes):
        if change.table_name not in tables:
            raise UnknownTable(change.table_name)
        by_table.setdefault(change.table_name, []).append((position, change))

    # (position of winning change, table, change, row exists) for every row that must be written
    writes: list[tuple[int, str, Change, bool]] = []
    for table_name, items in by_table.items():
        table = tables[table_name]
        ids = list(dict.fromkeys(c.row_id for _, c in items))
        stored = _stored_versions(session, table, ids)
        if policy_for(table_name) is MergePolicy.UNION:
            seen = set(stored)
            for position, change in items:
                if change.op == "insert" and change.row_id not in seen:
                    seen.add(change.row_id)
                    writes.append((position, table_name, change, False))
            continue
        tombs = _tombstones(session, table_name, ids)
        winners: dict[str, tuple[int, Change]] = {}
        for position, change in items:
            best = winners.get(change.row_id)
            if best is None or change.key > best[1].key:
                winners[change.row_id] = (position, change)
        for row_id, (position, change) in winners.items():
            current = max(stored.get(row_id, ("", "")), tombs.get(row_id, ("", "")))
            if change.key > current:
                writes.append((position, table_name, change, row_id in stored))

    written: dict[str, list[str]] = {}
    writes.sort(key=lambda w: w[0])  # the writers' own order keeps foreign keys satisfied
    run: list[dict[str, Any]] = []
    run_table: str | None = None

    def flush_run() -> None:
        if run and run_table is not None:
            session.execute(tables[run_table].insert(), list(run))
        run.clear()

    for _, table_name, change, exists in writes:
        table = tables[table_name]
        written.setdefault(table_name, []).append(change.row_id)
        if change.op == "delete":
            flush_run()
            if exists:
                session.execute(table.delete().where(table.c.id == _id_value(table, change.row_id)))
            session.execute(
                delete(Tombstone).where(
                    Tombstone.table_name == table_name, Tombstone.row_id == change.row_id
                )
            )
            session.execute(
                insert(Tombstone).values(
                    table_name=table_name,
                    row_id=change.row_id,
                    hlc=change.hlc,
                    origin=change.origin,
                )
            )
            continue
        row = decode_row(table, change.data or {})
        row["id"] = _id_value(table, change.row_id)
        row["hlc"], row["origin"] = change.hlc, change.origin
        if exists:
            flush_run()
            session.execute(table.update().where(table.c.id == row["id"]).values(row))
        else:
            if run_table != table_name:
                flush_run()
                run_table = table_name
            run.append(row)
    flush_run()

    # Hooks derive local state (e.g. an incident from its merged history) with capture on:
    # what a township derives is its own change and goes up like any other.
    session.info[APPLYING] = False
    for table_name, row_ids in written.items():
        for hook in after_apply_hooks(table_name):
            hook(session, row_ids)
    return written
