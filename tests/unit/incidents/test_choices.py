"""What the filter bar offers: the township's villages with their grids, dispatch targets."""

from __future__ import annotations

from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.incidents.choices import CHANNEL_LABELS, dispatch_departments, villages
from db.models import Area, AreaLevel, Department, DepartmentKind
from db.models.incidents import Channel


def test_villages_come_with_their_own_grids_in_code_order(ctx: AppContext) -> None:
    found = villages(ctx.session_factory, ctx.township_code)
    with ctx.session_factory() as session:
        village_count = len(
            session.scalars(select(Area.id).where(Area.level == AreaLevel.VILLAGE)).all()
        )
        assert len(found) == village_count > 0
        for village in found:
            assert village.grids
            parents = {session.get(Area, grid_id).parent_id for grid_id, _ in village.grids}
            assert parents == {village.id}
            assert [name for _, name in village.grids] == sorted(
                (name for _, name in village.grids), key=lambda n: int(n.split("第")[1][:-2])
            )


def test_dispatch_targets_leave_out_county_departments(ctx: AppContext) -> None:
    targets = dispatch_departments(ctx.session_factory)
    with ctx.session_factory() as session:
        kinds = {session.get(Department, dept_id).kind for dept_id, _ in targets}
    assert targets and DepartmentKind.COUNTY_DEPARTMENT not in kinds


def test_every_channel_has_a_label() -> None:
    assert set(CHANNEL_LABELS) == set(Channel)
