"""The hall's figures on hand-computed fixtures."""

from __future__ import annotations

import datetime as dt

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.hall_stats import (
    HallStats,
    nearest_rank,
    per_day_and_hour,
    petition_timeliness,
    repeat_visitors,
    spread,
)
from centre_app.reception.visits import VisitDraft
from db.models.reception import Petition, PetitionState, VisitPurpose, VisitRoute

UTC = dt.UTC


def test_median_and_p90_by_nearest_rank() -> None:
    # 10 waits: sorted 1 2 3 4 5 6 7 8 9 30 → median (5+6)/2 = 5.5, p90 = 9th = 9.
    assert spread([30, 1, 2, 3, 4, 5, 6, 7, 8, 9]) == spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 30])
    figures = spread([30, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert (figures.count, figures.median, figures.p90) == (10, 5.5, 9)
    # 3 values: ceil(2.7) = 3rd → the largest.
    assert nearest_rank([4, 1, 2], 0.9) == 4
    assert spread([]).median is None and nearest_rank([], 0.9) is None


def test_visits_per_local_day_and_hour() -> None:
    # 01:30 UTC = 09:30 Shanghai; 16:30 UTC on the 19th = 00:30 on the 20th.
    days, hours = per_day_and_hour(
        [
            dt.datetime(2026, 11, 20, 1, 30, tzinfo=UTC),
            dt.datetime(2026, 11, 20, 1, 45, tzinfo=UTC),
            dt.datetime(2026, 11, 19, 16, 30, tzinfo=UTC),
            dt.datetime(2026, 11, 19, 1, 0, tzinfo=UTC),
        ]
    )
    assert days == {dt.date(2026, 11, 19): 1, dt.date(2026, 11, 20): 3}
    assert hours == {0: 1, 9: 3}


def test_repeat_visitors_are_people_who_came_twice_or_more() -> None:
    assert repeat_visitors(["A", "B", "A", None, "C", "A", "B", ""]) == (3, 2)


def test_petitions_on_time_late_and_overdue_open() -> None:
    today = dt.date(2026, 11, 20)
    on_time = Petition(
        state=PetitionState.REPLIED,
        received_on=dt.date(2026, 8, 1),
        decided_on=dt.date(2026, 8, 10),
        replied_on=dt.date(2026, 9, 1),
        extension_days=0,
        hearing_days=0,
    )  # acceptance ✓, handling ✓
    late = Petition(
        state=PetitionState.ACCEPTED,
        received_on=dt.date(2026, 9, 1),
        decided_on=dt.date(2026, 9, 20),
        extension_days=0,
        hearing_days=0,
    )  # acceptance 19 days: late; handling due 11-19: overdue
    fresh = Petition(
        state=PetitionState.RECEIVED,
        received_on=dt.date(2026, 11, 18),
        extension_days=0,
        hearing_days=0,
    )  # acceptance running, not due
    result = petition_timeliness([on_time, late, fresh], today)
    assert (result.on_time, result.late, result.overdue_open) == (2, 1, 1)


def test_figures_from_the_database_for_one_day(ctx: AppContext, clock: ManualClock) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    head = ctx.auth.login("zhuren", DEMO_PASSWORD)
    window = next(w.id for w in ctx.hall.windows() if w.number == 1)
    for minutes_waited, minutes_served in ((4, 10), (8, 20)):
        ctx.visits.register(
            clerk,
            VisitDraft(
                visitor_name="郑美玲",
                id_number="",
                phone="",
                purpose=VisitPurpose.CONSULTATION,
                summary="咨询",
                route=VisitRoute.WINDOW,
                service_letter="A",
            ),
        )
        clock.advance(dt.timedelta(minutes=minutes_waited))
        ticket = ctx.hall.call_next(clerk, window)
        assert ticket is not None
        ctx.hall.start(clerk, ticket.id)
        clock.advance(dt.timedelta(minutes=minutes_served))
        ctx.hall.served(clerk, ticket.id)
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    stats = HallStats(ctx.session_factory, clock, ctx.township_code)
    figures = stats.figures(head, today, today)
    assert figures.per_day == {today: 2}
    assert (figures.waiting.count, figures.waiting.median, figures.waiting.p90) == (2, 6, 8)
    assert (figures.serving.median, figures.serving.p90) == (15, 20)
    assert figures.per_service == {"A 咨询": 2}
