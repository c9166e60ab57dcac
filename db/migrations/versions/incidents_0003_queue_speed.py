"""incident queues at 10^6 rows: stored sort keys, per-queue indexes, bigram search index

The sort keys are filled in SQL from colour and deadline (the same integers as
db.models.incidents.sort_keys). On SQLite the local search index is an FTS5 table of
character bigrams (db.search_grams) keyed by incident.rowid and kept current by triggers;
PostgreSQL (the county) has no such index and searches with LIKE.

A later migration that rebuilds the incident table on SQLite (batch_alter_table) renumbers
rowids and drops the triggers: it must end with `create_search_index()` again.

Revision ID: incidents_0003
Revises: incidents_0002
Create Date: 2026-11-23 10:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "incidents_0003"
down_revision: str | Sequence[str] | None = "incidents_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_DEADLINE = 10**16 - 1
RANK = "(CASE colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END)"
# Microseconds since 1970 of the stored naive-UTC deadline, per dialect.
DUE = {
    "sqlite": "(CAST(strftime('%s', deadline) AS INTEGER) * 1000000"
    " + CAST(substr(deadline, 21, 6) AS INTEGER))",
    "postgresql": "CAST(EXTRACT(EPOCH FROM deadline) * 1000000 AS BIGINT)",
}
INDEXES = [
    ("ix_incident_queue_priority", ["township_code", "state", "priority_key", "reported_at", "id"]),
    ("ix_incident_priority", ["township_code", "priority_key", "reported_at", "id"]),
    ("ix_incident_queue_due", ["township_code", "state", "due_key", "id"]),
    ("ix_incident_due", ["township_code", "due_key", "id"]),
    ("ix_incident_reported", ["township_code", "reported_at", "id"]),
    ("ix_incident_category", ["township_code", "category", "state"]),
    ("ix_incident_grid", ["grid_id", "state", "township_code"]),
    ("ix_incident_department_queue", ["department_id", "state", "township_code"]),
    ("ix_incident_assignee", ["township_code", "assignee", "state"]),
    ("ix_incident_case_no", ["township_code", "case_no", "id"]),
]
GRAMS = "incident_grams({0}.title, {0}.place, {0}.description, {0}.case_no)"
TRIGGERS = {
    "incident_search_insert": "AFTER INSERT ON incident BEGIN "
    f"INSERT INTO incident_search(rowid, grams) VALUES (new.rowid, {GRAMS.format('new')}); END",
    "incident_search_update": "AFTER UPDATE OF title, place, description, case_no ON incident "
    "BEGIN INSERT INTO incident_search(incident_search, rowid, grams) "
    f"VALUES ('delete', old.rowid, {GRAMS.format('old')}); "
    f"INSERT INTO incident_search(rowid, grams) VALUES (new.rowid, {GRAMS.format('new')}); END",
    "incident_search_delete": "AFTER DELETE ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, grams) "
    f"VALUES ('delete', old.rowid, {GRAMS.format('old')}); END",
}


def create_search_index() -> None:
    """(Re)build the SQLite search index and its triggers from the incident rows."""
    from db import search_grams

    bind = op.get_bind()
    search_grams.register(bind.connection.driver_connection)  # e.g. the alembic CLI's engine
    drop_search_index()
    op.execute(
        "CREATE VIRTUAL TABLE incident_search USING fts5(grams, content='',"
        " detail='none', tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(
        "INSERT INTO incident_search(rowid, grams) "
        f"SELECT rowid, {GRAMS.format('incident')} FROM incident"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def drop_search_index() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS incident_search")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("incident", sa.Column("priority_key", sa.BigInteger(), nullable=True))
    op.add_column("incident", sa.Column("due_key", sa.BigInteger(), nullable=True))
    due = f"COALESCE({DUE.get(dialect, DUE['postgresql'])}, {NO_DEADLINE})"
    op.execute(
        f"UPDATE incident SET due_key = {due}, priority_key = {RANK} * 10000000000000000 + {due}"
    )
    for name, columns in INDEXES:
        op.create_index(name, "incident", columns, unique=False)
    if dialect == "sqlite":
        create_search_index()
        # Statistics tell the planner that township_code matches every row, so a search is
        # driven from its few matches and a queue from its sort index (seconds at 10^6 rows).
        op.execute("ANALYZE incident")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        drop_search_index()
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="incident")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("due_key")
        batch_op.drop_column("priority_key")
