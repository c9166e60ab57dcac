"""Tables of the replication machinery (not themselves replicated).

Township side: `repl_outbox` (captured changes waiting for the county's ack, numbered
by the sync leader when it collects them),
`repl_state` (HLC high-water mark, pull cursor, last success/error) and `repl_tombstone`
(the HLC of each delete so an older write cannot resurrect the row).
County side: `county_change` (every accepted change, the pull log; its id is the cursor)
and `county_token` (hashes of the township credentials).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class OutboxEntry(Base):
    """One captured change. `id` is handed out at insert (capture order); `seq`, the number
    the county sees, is given later by the sync leader when it collects committed entries
    (`centre_app.replication.outbox.collect`): gap-free and in commit order, so a
    transaction that took its ids early but committed late is numbered after the ones that
    committed before it, never skipped (PostgreSQL hands out identities at insert, and
    concurrent desks commit in any order)."""

    __tablename__ = "repl_outbox"
    # AUTOINCREMENT: SQLite never reuses an id after the outbox is emptied.
    __table_args__ = (
        Index("ix_repl_outbox_seq", "seq", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    hlc: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReplicationState(Base):
    __tablename__ = "repl_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Tombstone(Base):
    __tablename__ = "repl_tombstone"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))


class CountyChange(Base):
    __tablename__ = "county_change"
    __table_args__ = (
        UniqueConstraint("node", "seq", name="uq_county_change_node_seq"),
        Index("ix_county_change_address_id", "address", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    node: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(BigInteger)
    address: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    hlc: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CountyToken(Base):
    __tablename__ = "county_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # township | county | channel
    subject: Mapped[str] = mapped_column(String(32), index=True)  # township code, user, channel
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked: Mapped[bool] = mapped_column(default=False)


class CountyRow(Base):
    """The county's copy of every replicated row, partitioned by township: the row data as
    JSON, last writer by (hlc, origin); deleted rows stay as tombstones (data null)."""

    __tablename__ = "county_row"
    __table_args__ = (Index("ix_county_row_township_table", "township", "table_name"),)

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township: Mapped[str] = mapped_column(String(16))
    hlc: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(16))
    deleted: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CountyBlob(Base):
    """A file a township's rows refer to by sha256 (incident attachments, video evidence),
    held once per content; uploaded before the rows that name it."""

    __tablename__ = "county_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    township: Mapped[str] = mapped_column(String(16), index=True)  # first uploader
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CountyBlobHolder(Base):
    """Which township holds (has uploaded) which file: a township is told about, and may
    read, only the files it holds itself (issue 15, defect 5)."""

    __tablename__ = "county_blob_holder"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    township: Mapped[str] = mapped_column(String(16), primary_key=True)


class CountyCounter(Base):
    """Numbering shared by every county worker: `UPDATE … SET value = value + 1 RETURNING`
    takes the row lock, so two workers never hand out the same number (county change
    sequence, case numbers of routed reports); `push:<township>` serialises one township's
    pushes."""

    __tablename__ = "county_counter"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Counter(Base):
    """A number series shared by every desk of the centre (case numbers per township and
    year): taken with one atomic upsert whose row lock lasts until the commit, so two desks
    never get the same number and a rolled-back save gives its number back."""

    __tablename__ = "centre_counter"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class CountyRequest(Base):
    """An outside report or county task already taken, by the caller's `Idempotency-Key`:
    a retried POST (the answer was lost on the way) gets the first answer again instead of
    a second case. `body_hash` tells a retry from a different request reusing the key."""

    __tablename__ = "county_request"

    subject: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    incident_id: Mapped[str | None] = mapped_column(String(36))
    case_no: Mapped[str | None] = mapped_column(String(32))
    township: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
