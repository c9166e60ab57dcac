"""video: tour steps (cameras or village/site groups, each with its dwell time)

Revision ID: video_0002
Revises: video_0001
Create Date: 2026-11-23 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "video_0002"
down_revision: str | Sequence[str] | None = "video_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: tours saved before keep camera_ids + dwell_seconds and load as camera steps.
    with op.batch_alter_table("video_tour") as batch:
        batch.add_column(sa.Column("steps", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("video_tour") as batch:
        batch.drop_column("steps")
