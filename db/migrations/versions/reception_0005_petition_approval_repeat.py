"""petition: who approved the extension of the handling period; the petition it repeats

Revision ID: reception_0005
Revises: reception_0004
Create Date: 2026-12-01 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reception_0005"
down_revision: str | Sequence[str] | None = "reception_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("petition", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extension_approved_by", sa.String(64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("repeat_of_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("petition", schema=None) as batch_op:
        batch_op.drop_column("repeat_of_id")
        batch_op.drop_column("extension_approved_by")
