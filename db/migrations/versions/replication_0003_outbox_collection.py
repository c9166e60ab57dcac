"""replication: outbox entries numbered by the sync leader when it collects them

`repl_outbox.seq` was handed out at insert; on PostgreSQL with several desks a transaction
can take a lower number and commit after a higher one, and a worker that sends "everything
after the last acknowledged number" skips it. Entries now get an `id` at insert and their
`seq` (what the county sees) later, gap-free in commit order, from the counter row
`repl_state['outbox_seq']` that the collector locks.

Revision ID: replication_0003
Revises: replication_0002
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "replication_0003"
down_revision: str | Sequence[str] | None = "replication_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COLUMNS = "hlc, table_name, row_id, op, data"


def _last_number(bind: sa.Connection) -> int:
    """The highest sequence ever handed out, so no number is used twice (the county would
    take a new change for a duplicate of an acknowledged one)."""
    top = bind.scalar(sa.text("SELECT max(seq) FROM repl_outbox"))
    if top is not None:
        return int(top)
    if bind.dialect.name == "sqlite":
        has = bind.scalar(
            sa.text("SELECT count(*) FROM sqlite_master WHERE name='sqlite_sequence'")
        )
        if has:
            value = bind.scalar(sa.text("SELECT seq FROM sqlite_sequence WHERE name='repl_outbox'"))
            return int(value or 0)
        return 0
    name = bind.scalar(sa.text("SELECT pg_get_serial_sequence('repl_outbox', 'seq')"))
    if name is None:
        return 0
    row = bind.execute(sa.text(f"SELECT last_value, is_called FROM {name}")).one()
    return int(row[0]) if row[1] else 0


def upgrade() -> None:
    bind = op.get_bind()
    last = _last_number(bind)
    op.rename_table("repl_outbox", "repl_outbox_old")
    if bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE repl_outbox_old RENAME CONSTRAINT pk_repl_outbox TO pk_repl_outbox_old"
        )
    op.create_table(
        "repl_outbox",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("hlc", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repl_outbox")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_repl_outbox_seq", "repl_outbox", ["seq"], unique=True)
    op.execute(
        f"INSERT INTO repl_outbox (id, seq, {COLUMNS}) "
        f"SELECT seq, seq, {COLUMNS} FROM repl_outbox_old ORDER BY seq"
    )
    op.drop_table("repl_outbox_old")
    if bind.dialect.name == "postgresql" and last:
        op.execute(f"SELECT setval(pg_get_serial_sequence('repl_outbox', 'id'), {last})")
    elif bind.dialect.name == "sqlite" and last:
        op.execute(f"UPDATE sqlite_sequence SET seq = max(seq, {last}) WHERE name = 'repl_outbox'")
    op.execute(
        sa.text("INSERT INTO repl_state (key, value) VALUES ('outbox_seq', :v)").bindparams(
            v=str(last)
        )
    )


def downgrade() -> None:
    raise NotImplementedError("the outbox numbering cannot be undone")
