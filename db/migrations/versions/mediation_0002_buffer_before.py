"""mediation: a room's buffer before each session (set-up), kept on each session too

Revision ID: mediation_0002
Revises: mediation_0001
Create Date: 2026-12-01 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "mediation_0002"
down_revision: str | Sequence[str] | None = "mediation_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mediation_room", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("buffer_before_minutes", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("buffer_before_minutes", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_column("buffer_before_minutes")
    with op.batch_alter_table("mediation_room", schema=None) as batch_op:
        batch_op.drop_column("buffer_before_minutes")
