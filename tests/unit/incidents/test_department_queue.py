"""The 按部门 queue reads its own index in priority order (ix_incident_department_priority)
and gives the same rows, in the same order, as the priority sort of the whole queue."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue, QueueFilter
from centre_app.incidents.workflow import OPEN_STATES
from db.models.incidents import Incident
from tests.unit.incidents.test_workflow import draft


def busiest(ctx: AppContext) -> uuid.UUID | None:
    with ctx.session_factory() as session:
        return session.scalar(
            select(Incident.department_id)
            .where(Incident.state.in_(OPEN_STATES), Incident.department_id.is_not(None))
            .group_by(Incident.department_id)
            .order_by(func.count().desc())
            .limit(1)
        )


@pytest.mark.parametrize("chosen", [True, False])
def test_the_department_queue_is_read_in_priority_order_from_its_index(
    ctx: AppContext, chosen: bool
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    for _ in range(3):  # undispatched open cases for 按部门 with none chosen
        ctx.incidents.report(duty, draft())
    department = busiest(ctx) if chosen else None
    flt = QueueFilter(queue=Queue.DEPARTMENT, department_id=department)
    queries = ctx.incident_queries
    total = queries.count(duty, flt)
    assert total > 0
    rows = queries.window(duty, flt, limit=200, total=total)
    with ctx.session_factory() as session:
        expected = [
            str(i)
            for i in session.scalars(
                select(Incident.id)
                .where(
                    Incident.township_code == ctx.township_code,
                    Incident.state.in_(OPEN_STATES),
                    Incident.department_id.is_(None)
                    if department is None
                    else Incident.department_id == department,
                )
                .order_by(Incident.priority_key, Incident.reported_at, Incident.id)
                .limit(200)
            )
        ]
        statement = queries.rows_statement(duty, flt, offset=0, limit=200, total=total)
        sql = str(
            statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        )
        plan = " ".join(r[3] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert [r.id for r in rows] == expected
    assert "ix_incident_department_priority" in plan and "TEMP B-TREE" not in plan
