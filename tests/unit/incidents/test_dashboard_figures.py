"""The dashboard's figures on a hand-made township: one period (the twelve local calendar
months up to this one) for incidents and visits, bars that add up to the totals, and
受理 without rejected and merged reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.incidents.stats import IncidentStats, Period
from centre_app.reception.stats import VisitStats
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from db.models.reception import Visit, VisitPurpose, VisitRoute

S = IncidentState
TOWN = "330399001"  # a township of its own: nothing seeded there
NOW = dt.datetime(2026, 11, 15, 10, 0, tzinfo=LOCAL_TZ)
HEAD = Actor.for_roles(None, "zhuren", "主任", (Role.HEAD,))


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LOCAL_TZ)  # type: ignore[misc]


# (reported, state, deadline)
CASES = [
    (local(2025, 11, 20, 9), S.CLOSED, None),  # last year's November: outside the period
    (local(2025, 12, 1, 0, 0), S.CLOSED, None),  # the period's first minute
    (local(2025, 12, 15, 9), S.REJECTED, None),  # not received
    (local(2026, 1, 31, 23, 59), S.CLOSED, None),
    (local(2026, 3, 10, 9), S.MERGED, None),  # a duplicate: not received
    (local(2026, 6, 1, 9), S.DISPATCHED, local(2026, 6, 5, 9)),  # open, overdue
    (local(2026, 11, 14, 9), S.ESCALATED, local(2026, 11, 14, 10)),  # paused: not overdue
    (local(2026, 11, 15, 9), S.ACCEPTED, local(2026, 11, 16, 9)),  # open, on time
]
VISITS = [  # (visited, group size)
    (local(2025, 11, 30, 23, 59), 1),  # outside
    (local(2025, 12, 1, 8), 6),
    (local(2026, 7, 7, 9), 1),
    (local(2026, 11, 1, 0, 0), 1),
    (local(2026, 11, 15, 8), 5),
]


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'figures.db'}")
    upgrade_to_head(engine)
    made = sessionmaker(engine)
    with made.begin() as session:
        for n, (reported, state, deadline) in enumerate(CASES):
            session.add(
                Incident(
                    township_code=TOWN,
                    case_no=f"{TOWN}-{n:06d}",
                    channel=Channel.HOTLINE,
                    category="矛盾纠纷" if n % 2 else "环境卫生",
                    subcategory="",
                    colour=RiskColour.GREEN,
                    place="某地",
                    title="事件",
                    description="事件经过。",
                    reporter="群众",
                    reported_at=reported,
                    state=state,
                    deadline=deadline,
                )
            )
        for n, (visited, size) in enumerate(VISITS):
            session.add(
                Visit(
                    township_code=TOWN,
                    ticket_no=f"A{n:03d}",
                    visited_at=visited,
                    visitor_name="来访人",
                    name_initials="lfr",
                    purpose=VisitPurpose.PETITION,
                    group_size=size,
                    is_group_visit=size >= 5,
                    route=VisitRoute.WINDOW,
                    routed_to="综合受理窗口1",
                    registered_by="jiedai",
                )
            )
    yield made
    engine.dispose()


def test_the_period_is_the_twelve_local_months_up_to_this_one() -> None:
    period = Period.last_months(NOW)
    assert period.start == local(2025, 12, 1) and period.end == local(2026, 12, 1)
    assert period.months[0] == (2025, 12) and period.months[-1] == (2026, 11)
    assert len(period.months) == 12


def test_incident_figures_match_the_hand_count(factory: sessionmaker[Session]) -> None:
    figures = IncidentStats(factory, ManualClock(NOW), TOWN).figures(HEAD)
    assert figures.received == 5  # 2025-12-01, 2026-01-31, 06-01, 11-14, 11-15
    assert figures.handled == 2
    assert figures.success_rate == pytest.approx(2 / 5)
    assert (figures.open_now, figures.overdue_now) == (3, 1)
    months = dict(figures.by_month)
    assert len(figures.by_month) == 12 and figures.by_month[0][0] == "2025-12"
    assert (months["2025-12"], months["2026-01"], months["2026-06"], months["2026-11"]) == (
        1,
        1,
        1,
        2,
    )
    assert sum(months.values()) == figures.received  # the bars add up to the total
    assert sum(figures.by_category.values()) == figures.received


def test_visit_figures_cover_the_same_period(factory: sessionmaker[Session]) -> None:
    clock = ManualClock(NOW)
    period = IncidentStats(factory, clock, TOWN).period()
    visits = VisitStats(factory, clock, TOWN).figures(HEAD, period)
    assert [m for m, _ in visits.by_month] == [Period.label(m) for m in period.months]
    assert visits.last_12_months == 4 == sum(n for _, n in visits.by_month)
    assert (visits.today, visits.this_month, visits.collective_last_12_months) == (1, 2, 2)
