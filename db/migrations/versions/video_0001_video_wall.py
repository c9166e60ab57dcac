"""video: cameras, camera health, saved walls, tours, evidence

Revision ID: video_0001
Revises: 0001_foundation
Create Date: 2026-11-23 00:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "video_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("video",)
depends_on: str | Sequence[str] | None = None


def _replicated() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("hlc", sa.String(length=32), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "video_camera",
        sa.Column("national_code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.Uuid(), nullable=True),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("main_url", sa.String(length=512), nullable=False),
        sa.Column("sub_url", sa.String(length=512), nullable=True),
        sa.Column("location", sa.String(length=128), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *_replicated(),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_video_camera_area_id_area")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_camera")),
        sa.UniqueConstraint("national_code", name=op.f("uq_video_camera_national_code")),
    )
    op.create_index("ix_video_camera_area_site", "video_camera", ["area_id", "site"])
    op.create_table(
        "video_camera_health",
        sa.Column("camera_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("offline_since", sa.DateTime(), nullable=True),
        sa.Column("last_ok_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["video_camera.id"],
            ondelete="CASCADE",
            name=op.f("fk_video_camera_health_camera_id_video_camera"),
        ),
        sa.PrimaryKeyConstraint("camera_id", name=op.f("pk_video_camera_health")),
    )
    op.create_table(
        "video_wall",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_wall")),
        sa.UniqueConstraint("name", name=op.f("uq_video_wall_name")),
    )
    op.create_table(
        "video_tour",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("dwell_seconds", sa.Integer(), nullable=False),
        sa.Column("camera_ids", sa.JSON(), nullable=False),
        *_replicated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_tour")),
        sa.UniqueConstraint("name", name=op.f("uq_video_tour_name")),
    )
    op.create_table(
        "video_evidence",
        sa.Column("camera_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("snapshot", "clip", name="evidencekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("file_path", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        *_replicated(),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["video_camera.id"],
            name=op.f("fk_video_evidence_camera_id_video_camera"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_evidence")),
    )
    op.create_index("ix_video_evidence_camera_id", "video_evidence", ["camera_id"])
    op.create_index("ix_video_evidence_incident_id", "video_evidence", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_video_evidence_incident_id", table_name="video_evidence")
    op.drop_index("ix_video_evidence_camera_id", table_name="video_evidence")
    op.drop_table("video_evidence")
    op.drop_table("video_tour")
    op.drop_table("video_wall")
    op.drop_table("video_camera_health")
    op.drop_index("ix_video_camera_area_site", table_name="video_camera")
    op.drop_table("video_camera")
