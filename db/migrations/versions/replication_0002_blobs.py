"""replication: the county's store of files named by sha256 (attachments, video evidence)

Revision ID: replication_0002
Revises: replication_0001
Create Date: 2026-11-23 07:35:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "replication_0002"
down_revision: str | Sequence[str] | None = "replication_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county_blob",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("township", sa.String(16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_county_blob")),
    )
    op.create_index(op.f("ix_county_blob_township"), "county_blob", ["township"])


def downgrade() -> None:
    op.drop_index(op.f("ix_county_blob_township"), table_name="county_blob")
    op.drop_table("county_blob")
