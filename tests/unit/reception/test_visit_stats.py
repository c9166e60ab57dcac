"""Visit figures follow the local calendar and count what was registered."""

from __future__ import annotations

import datetime as dt

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.visits import VisitDraft
from db.models.reception import VisitPurpose, VisitRoute


def test_a_new_collective_visit_counts_today_this_month_and_as_collective(
    ctx: AppContext, clock: ManualClock
) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    before = ctx.visit_stats.figures(head)
    ctx.visits.register(
        head,
        VisitDraft(
            visitor_name="金小军",
            id_number="",
            phone="",
            purpose=VisitPurpose.PETITION,
            summary="集体反映拖欠工资",
            route=VisitRoute.WINDOW,
            routed_to="综合受理窗口1",
            group_size=8,
        ),
    )
    after = ctx.visit_stats.figures(head)
    assert after.today == before.today + 1
    assert after.this_month == before.this_month + 1
    assert after.collective_last_12_months == before.collective_last_12_months + 1
    assert after.by_purpose[VisitPurpose.PETITION] == before.by_purpose[VisitPurpose.PETITION] + 1
    assert len(after.by_month) == 12 and after.by_month[-1][0] == "2026-11"


def test_the_month_boundary_is_the_local_one(ctx: AppContext, clock: ManualClock) -> None:
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    # 2026-11-30 16:30 UTC is already 1 December 00:30 in Shanghai.
    clock.set(dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC))
    assert ctx.visit_stats.figures(head).by_month[-1][0] == "2026-12"
