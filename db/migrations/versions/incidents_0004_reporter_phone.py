"""incident: the reporter's phone in its own column; the 按部门 queue's priority index

Existing reporter values that clearly end in a phone number ("王晓燕 13857712345") are
split into name and phone (centre_app.incidents.phone.split_reporter); the rest stay as
they are. ADD COLUMN does not rebuild the SQLite table, so the search index and its
triggers (incidents_0003) are untouched.

Revision ID: incidents_0004
Revises: incidents_0003
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "incidents_0004"
down_revision: str | Sequence[str] | None = "incidents_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEPARTMENT_INDEX = (
    "ix_incident_department_priority",
    ["department_id", "priority_key", "reported_at", "id", "state", "township_code"],
)
BATCH = 5000


def upgrade() -> None:
    from centre_app.incidents.phone import split_reporter

    op.add_column(
        "incident",
        sa.Column("reporter_phone", sa.String(length=24), server_default="", nullable=False),
    )
    bind = op.get_bind()
    incident = sa.table(
        "incident",
        sa.column("id", sa.Uuid()),
        sa.column("reporter", sa.String),
        sa.column("reporter_phone", sa.String),
    )
    # Only values with a digit can end in a phone; the split itself is decided in Python.
    found = bind.execute(
        sa.select(incident.c.id, incident.c.reporter).where(
            incident.c.reporter.like("%1%") | incident.c.reporter.like("%0%")
        )
    ).all()
    changes = []
    for row_id, reporter in found:
        name, phone = split_reporter(reporter)
        if phone:
            changes.append({"row_id": row_id, "name": name, "phone": phone})
    update = (
        incident.update()
        .where(incident.c.id == sa.bindparam("row_id"))
        .values(reporter=sa.bindparam("name"), reporter_phone=sa.bindparam("phone"))
    )
    for start in range(0, len(changes), BATCH):
        bind.execute(update, changes[start : start + BATCH])
    name, columns = DEPARTMENT_INDEX
    op.create_index(name, "incident", columns, unique=False)
    if bind.dialect.name == "sqlite":
        op.execute("ANALYZE incident")


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index(DEPARTMENT_INDEX[0], table_name="incident")
    incident = sa.table(
        "incident", sa.column("reporter", sa.String), sa.column("reporter_phone", sa.String)
    )
    # Put the phone back where it was, so nothing is lost going down.
    bind.execute(
        incident.update()
        .where(incident.c.reporter_phone != "")
        .values(reporter=incident.c.reporter + " " + incident.c.reporter_phone)
    )
    if bind.dialect.name == "sqlite":
        # SQLite ≥ 3.35 drops a column in place: rowids and the search triggers stay.
        op.execute("ALTER TABLE incident DROP COLUMN reporter_phone")
    else:
        op.drop_column("incident", "reporter_phone")
