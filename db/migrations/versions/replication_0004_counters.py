"""replication: number series shared by every desk (centre_counter)

Revision ID: replication_0004
Revises: replication_0003
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "replication_0004"
down_revision: str | Sequence[str] | None = "replication_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centre_counter",
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_centre_counter")),
    )


def downgrade() -> None:
    op.drop_table("centre_counter")
