"""files: the centre's content-addressed file store (attachments, snapshots, clips)

Revision ID: files_0001
Revises: 0001_foundation
Create Date: 2026-12-01 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "files_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("files",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "centre_file",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("stored_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_centre_file")),
    )
    op.create_table(
        "centre_file_chunk",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["centre_file.sha256"],
            name=op.f("fk_centre_file_chunk_sha256_centre_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_centre_file_chunk")),
    )


def downgrade() -> None:
    op.drop_table("centre_file_chunk")
    op.drop_table("centre_file")
