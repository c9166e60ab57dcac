"""video: evidence records the stream (main/sub) and the picture size it was taken at

Revision ID: video_0003
Revises: video_0002
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "video_0003"
down_revision: str | Sequence[str] | None = "video_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("video_evidence") as batch:
        batch.add_column(sa.Column("stream", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("width", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("height", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("video_evidence") as batch:
        batch.drop_column("height")
        batch.drop_column("width")
        batch.drop_column("stream")
