"""Several desks writing at once on the centre's PostgreSQL: case numbers are handed out
once each, without gaps, and no save fails because another desk saved at the same instant;
every save keeps its audit entry."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from db.models import AuditEntry, Incident
from tests.support.incidents import hotline_draft
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.integration

DESKS = 4
EACH = 12


def test_desks_reporting_at_the_same_instant_get_distinct_gap_free_case_numbers(
    postgres: PostgresCluster,
) -> None:
    url = postgres.create_database(f"centre_{uuid.uuid4().hex[:8]}")
    AppContext.open(url, demo_scale=0.01).close()
    desks = [AppContext.open(url, seed_demo=False) for _ in range(DESKS)]
    start = threading.Barrier(DESKS)
    failures: list[BaseException] = []
    made: list[str] = []
    lock = threading.Lock()

    def desk(ctx: AppContext, number: int) -> None:
        duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
        start.wait()
        for i in range(EACH):
            try:
                incident = ctx.incidents.report(
                    duty,
                    hotline_draft(f"第{number}台 第{i}件"),
                )
            except BaseException as exc:  # every failure is the finding
                failures.append(exc)
                continue
            with lock:
                made.append(incident.case_no)

    try:
        threads = [threading.Thread(target=desk, args=(ctx, n)) for n, ctx in enumerate(desks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        assert len(made) == len(set(made)) == DESKS * EACH
        numbers = sorted(int(case.rsplit("-", 1)[1]) for case in made)
        assert numbers == list(range(numbers[0], numbers[0] + DESKS * EACH))
        with desks[0].session_factory() as session:
            titles = session.scalar(
                select(func.count()).select_from(Incident).where(Incident.title.like("第%台 第%件"))
            )
            audited = session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "incident.report", AuditEntry.summary.like("%台 第%件"))
            )
        assert titles == audited == DESKS * EACH
    finally:
        for ctx in desks:
            ctx.close()
