"""The centre's figures count what the workflow did."""

from __future__ import annotations

from sqlalchemy import func, select

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from db.models.incidents import Incident, IncidentState
from tests.unit.incidents.test_workflow import drive_to


def test_closing_and_rejecting_move_the_figures(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    before = ctx.incident_stats.figures(head)
    drive_to(ctx, duty, IncidentState.CLOSED)  # each also reports a second, untriaged case
    drive_to(ctx, duty, IncidentState.REJECTED)
    after = ctx.incident_stats.figures(head)
    assert after.received == before.received + 4
    assert after.handled == before.handled + 1
    assert after.open_now == before.open_now + 2
    assert after.by_category["矛盾纠纷"] == before.by_category.get("矛盾纠纷", 0) + 4
    with ctx.session_factory() as session:
        not_counted = session.scalar(select(func.count()).where(
            Incident.state.in_([IncidentState.REJECTED, IncidentState.MERGED])))
    assert not_counted is not None
    assert after.success_rate == after.handled / (after.received - not_counted)
