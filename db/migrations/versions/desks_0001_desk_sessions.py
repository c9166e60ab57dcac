"""desks: one row per sign-in at a desk (the same user at two desks is seen by both)

Revision ID: desks_0001
Revises: 0001_foundation
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "desks_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("desks",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("desk", sa.String(length=128), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_desk_session_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_session")),
    )
    op.create_index(op.f("ix_desk_session_user_id"), "desk_session", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_desk_session_user_id"), table_name="desk_session")
    op.drop_table("desk_session")
