"""county: requests taken by Idempotency-Key (a retried report is not a second case)

Revision ID: county_0002
Revises: county_0001
Create Date: 2026-12-01 20:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "county_0002"
down_revision: str | Sequence[str] | None = "county_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "county_request",
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("incident_id", sa.String(length=36), nullable=True),
        sa.Column("case_no", sa.String(length=32), nullable=True),
        sa.Column("township", sa.String(length=16), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "key", name=op.f("pk_county_request")),
    )


def downgrade() -> None:
    op.drop_table("county_request")
