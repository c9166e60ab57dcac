"""incident triage: attachments, configurable time limits, red/group-warning columns

Revision ID: incidents_0002
Revises: incidents_0001
Create Date: 2026-11-23 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "incidents_0002"
down_revision: str | Sequence[str] | None = "incidents_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The defaults the centre starts with (hours from acceptance to closure); editable later.
DEFAULT_LIMITS = [
    ("*", "red", 24),
    ("*", "yellow", 72),
    ("*", "green", 168),
    ("群体性事件苗头", "red", 4),
    ("群体性事件苗头", "yellow", 24),
    ("安全生产", "red", 8),
    ("消防安全", "red", 8),
    ("信访问题", "green", 15 * 24),  # 信访工作条例: decide within 15 days
]


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("red_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("group_warning", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_incident_red_at", ["red_at"], unique=False)
    op.execute("UPDATE incident SET red_at = reported_at WHERE colour = 'red'")

    op.create_table(
        "incident_attachment",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("hlc", sa.String(length=32), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_attachment_incident_id_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_attachment")),
        sa.UniqueConstraint("incident_id", "sha256", name="uq_incident_attachment_content"),
    )
    with op.batch_alter_table("incident_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_attachment_incident_id"), ["incident_id"], unique=False
        )

    limits = op.create_table(
        "incident_sla_limit",
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column(
            "colour",
            sa.Enum("red", "yellow", "green", name="riskcolour", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", "colour", name=op.f("pk_incident_sla_limit")),
    )
    op.bulk_insert(limits, [{"category": c, "colour": k, "hours": h} for c, k, h in DEFAULT_LIMITS])


def downgrade() -> None:
    op.drop_table("incident_sla_limit")
    with op.batch_alter_table("incident_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_attachment_incident_id"))
    op.drop_table("incident_attachment")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_red_at")
        batch_op.drop_column("group_warning")
        batch_op.drop_column("red_at")
