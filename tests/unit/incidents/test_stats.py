"""The centre's figures count what the workflow did."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock, to_local
from centre_app.demo import DEMO_PASSWORD
from centre_app.errors import PermissionDenied
from db.models import Area, Department
from db.models.incidents import IncidentState
from tests.unit.incidents.test_workflow import drive_to


def test_closing_and_rejecting_move_the_figures(ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    before = ctx.incident_stats.figures(head)
    drive_to(ctx, duty, IncidentState.CLOSED)  # each also reports a second, untriaged case
    drive_to(ctx, duty, IncidentState.REJECTED)
    after = ctx.incident_stats.figures(head)
    # 受理 leaves out the rejected report: 3 of the 4 reports are received.
    assert after.received == before.received + 3
    assert after.handled == before.handled + 1
    assert after.open_now == before.open_now + 2
    assert after.by_category["矛盾纠纷"] == before.by_category.get("矛盾纠纷", 0) + 3
    assert after.success_rate == after.handled / after.received


def test_figures_by_grid_department_month_and_overdue(ctx: AppContext, clock: ManualClock) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    with ctx.session_factory() as session:
        grid = session.scalar(select(Area.name).where(Area.code == "330327102001001"))
        station = session.scalar(select(Department.name).where(Department.code == "ST-LBS"))
    assert grid is not None and station is not None
    before = ctx.incident_stats.figures(head)
    dispatched = drive_to(ctx, duty, IncidentState.DISPATCHED)  # + one untriaged case
    after = ctx.incident_stats.figures(head)
    assert after.by_grid[grid] == before.by_grid.get(grid, 0) + 2
    assert after.by_department[station] == before.by_department.get(station, 0) + 1
    month = f"{to_local(clock.now()):%Y-%m}"
    assert dict(after.by_month)[month] == dict(before.by_month).get(month, 0) + 2
    assert dispatched.deadline is not None
    clock.set(dispatched.deadline + dt.timedelta(minutes=1))
    overdue = ctx.incident_stats.figures(head)
    assert overdue.overdue_now >= after.overdue_now + 1
    with pytest.raises(PermissionDenied):
        ctx.incident_stats.figures(ctx.auth.login("jiedai", DEMO_PASSWORD))
