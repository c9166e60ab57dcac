"""replication: township outbox/state/tombstones and the county's change log, tokens, owners

Revision ID: replication_0001
Revises: 0001_foundation
Create Date: 2026-11-23 01:40:08.598980
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "replication_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("replication",)
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "county_change",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("node", sa.String(16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("address", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("hlc", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_change")),
        sa.UniqueConstraint("node", "seq", name="uq_county_change_node_seq"),
    )
    op.create_index("ix_county_change_address_id", "county_change", ["address", "id"])
    op.create_table(
        "county_token",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(32), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_county_token")),
    )
    op.create_index(op.f("ix_county_token_subject"), "county_token", ["subject"])
    op.create_table(
        "county_row",
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("township", sa.String(16), nullable=False),
        sa.Column("hlc", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_county_row")),
    )
    op.create_index("ix_county_row_township_table", "county_row", ["township", "table_name"])
    op.create_table(
        "repl_outbox",
        sa.Column("seq", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("hlc", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_repl_outbox")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "repl_state",
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_repl_state")),
    )
    op.create_table(
        "repl_tombstone",
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("hlc", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id", name=op.f("pk_repl_tombstone")),
    )


def downgrade() -> None:
    for table in (
        "repl_tombstone",
        "repl_state",
        "repl_outbox",
        "county_row",
        "county_token",
        "county_change",
    ):
        op.drop_table(table)
