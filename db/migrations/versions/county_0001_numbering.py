"""county: county counters (numbering safe under several workers) and file holders

Revision ID: county_0001
Revises: replication_0002
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "county_0001"
down_revision: str | Sequence[str] | None = "replication_0002"
branch_labels: str | Sequence[str] | None = ("county",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county_counter",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_county_counter")),
    )
    op.create_table(
        "county_blob_holder",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("township", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "township", name=op.f("pk_county_blob_holder")),
    )
    op.execute(
        "INSERT INTO county_blob_holder (sha256, township) SELECT sha256, township FROM county_blob"
    )


def downgrade() -> None:
    op.drop_table("county_blob_holder")
    op.drop_table("county_counter")
