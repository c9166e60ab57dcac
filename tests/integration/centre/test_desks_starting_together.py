"""Desks started at the same instant on a centre database that a newer program version
must migrate: one migrates, the others wait; the baseline of existing rows is queued once."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from sqlalchemy import func, select, text

from centre_app.app_context import AppContext
from db.engine import make_engine
from db.models.replication import OutboxEntry
from tests.support.county import ROOT
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

OPEN = """
import sys
from centre_app.app_context import AppContext
AppContext.open(sys.argv[1], seed_demo=False).close()
print("opened")
"""


def test_three_desks_starting_together_migrate_once_and_queue_the_baseline_once(
    postgres: PostgresCluster,
) -> None:
    url = postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}")
    AppContext.open(url, demo_scale=0.01).close()
    engine = make_engine(url)
    with engine.begin() as conn:  # as an older version, before replication, left it
        conn.execute(text("DELETE FROM repl_outbox"))
        conn.execute(text("DELETE FROM repl_state WHERE key = 'baseline'"))
        conn.execute(
            text(
                "UPDATE alembic_version SET version_num = 'replication_0003' "
                "WHERE version_num = 'replication_0004'"
            )
        )
        conn.execute(text("DROP TABLE centre_counter"))
    engine.dispose()
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, url],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    answers = [desk.communicate(timeout=300) for desk in desks]
    assert [desk.returncode for desk in desks] == [0, 0, 0], [err for _, err in answers]
    ctx = AppContext.open(url, seed_demo=False)
    try:
        with ctx.session_factory() as session:
            queued = session.execute(
                select(OutboxEntry.table_name, OutboxEntry.row_id, func.count())
                .group_by(OutboxEntry.table_name, OutboxEntry.row_id)
                .having(func.count() > 1)
            ).all()
            assert queued == []  # no row queued twice
            assert session.scalar(text("SELECT count(*) FROM repl_outbox")) > 0
    finally:
        ctx.close()
