"""What a fresh demo shows on the day it is seeded (and the days after): petitions in every
state of the procedure with non-empty due-soon and overdue lists, and a mediation calendar
whose current week holds the duty mornings and the week's sessions. Seeded on several
days of the week and just after a long holiday, since every date is chosen against the
seeding day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from centre_app.app_context import AppContext
from centre_app.clock import LOCAL_TZ, ManualClock, to_local
from centre_app.reception.id_numbers import validate_id_number
from centre_app.reception.petitions import DUE_SOON_DAYS, Limit
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.models.mediation import MediationSession, SessionStatus
from db.models.reception import Petition, PetitionChannel, PetitionState, Visit
from tests.conftest import DEMO_NOW
from tests.support.demo_db import DemoTemplates
from tests.unit.mediation.test_no_overlap_property import overlapping

HEAD = Actor.for_roles(None, "zhuren", "黄志明", (Role.HEAD,))
SEEDING_DAYS = [
    pytest.param(DEMO_NOW, id="friday-10h"),
    pytest.param(dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC), id="monday-8h30"),
    pytest.param(dt.datetime(2026, 10, 9, 7, 0, tzinfo=dt.UTC), id="after-national-day"),
    pytest.param(dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC), id="saturday"),
]


@pytest.fixture(params=SEEDING_DAYS)
def demo(
    request: pytest.FixtureRequest, tmp_path: Path, demo_templates: DemoTemplates
) -> Iterator[AppContext]:
    context = demo_templates.open_copy(tmp_path, ManualClock(request.param), scale=0.02)
    yield context
    context.close()


def _petitions(ctx: AppContext) -> list[Petition]:
    with ctx.session_factory() as session:
        rows = list(session.scalars(select(Petition)))
        session.expunge_all()
    return rows


def test_a_fresh_demo_has_petitions_in_every_state_of_the_procedure(demo: AppContext) -> None:
    petitions = _petitions(demo)
    states = Counter(p.state for p in petitions)
    assert 20 <= len(petitions) <= 30
    assert set(states) == set(PetitionState) - {PetitionState.RECHECKED}, states
    assert states[PetitionState.RECEIVED] >= 3 and states[PetitionState.ACCEPTED] >= 4
    refused = [p for p in petitions if p.state is PetitionState.NOT_ACCEPTED]
    assert all("不予受理" in p.decision_note for p in refused)
    assert [p.extension_days for p in petitions if p.extension_days] == [30]
    recheck = next(p for p in petitions if p.state is PetitionState.RECHECK_REQUESTED)
    assert recheck.reviewed_on is not None and recheck.hearing_days > 0
    assert {p.channel for p in petitions} >= {PetitionChannel.LETTER, PetitionChannel.HOTLINE}
    today = to_local(demo.clock.now()).date()
    for p in petitions:
        assert today - dt.timedelta(days=95) <= p.received_on < today
        assert p.id_number is not None
        assert validate_id_number(p.id_number, today=today) == p.id_number


def test_a_petition_from_a_visit_is_the_visitors_own(demo: AppContext) -> None:
    linked = [p for p in _petitions(demo) if p.visit_id is not None]
    assert linked  # even the small test demo has a petition visit to take one from
    with demo.session_factory() as session:
        for p in linked:
            visit = session.get(Visit, p.visit_id)
            assert visit is not None and p.channel is PetitionChannel.VISIT
            assert (p.petitioner_name, p.id_number, p.phone) == (
                visit.visitor_name,
                visit.id_number,
                visit.phone,
            )
            assert to_local(visit.visited_at).date() == p.received_on


def test_every_step_of_a_demo_petition_is_in_the_audit_trail_at_its_own_time(
    demo: AppContext,
) -> None:
    petitions = {str(p.id): p for p in _petitions(demo)}
    trail = demo.audit_log.recent(HEAD, limit=10_000, action_prefix="petition.")
    assert {e.target_id for e in trail} == set(petitions)
    steps = Counter(e.action for e in trail)
    assert steps["petition.register"] == len(petitions)
    assert steps["petition.extend"] == 1 and steps["petition.hearing"] == 1
    for entry in trail:
        petition = petitions[str(entry.target_id)]
        assert to_local(entry.at).date() >= petition.received_on
        assert entry.at < demo.clock.now()
        if entry.action == "petition.close":
            assert to_local(entry.at).date() == petition.closed_on


@pytest.mark.parametrize("later", [0, 3, 7])
def test_the_due_soon_and_overdue_lists_are_not_empty_on_the_day_and_after(
    demo: AppContext, later: int
) -> None:
    clock = demo.clock
    assert isinstance(clock, ManualClock)
    clock.advance(dt.timedelta(days=later))
    due_soon = demo.petitions.open_list(HEAD, due_within=DUE_SOON_DAYS)
    overdue = demo.petitions.open_list(HEAD, overdue_only=True)
    assert overdue and due_soon
    assert all(r.days_left is not None and r.days_left >= -7 - later for r in overdue)
    if later == 0:  # both kinds of limit: the acceptance decision and the handling
        assert len(due_soon) > len(overdue)
        coming = [r for r in due_soon if r.days_left is not None and r.days_left >= 0]
        assert {r.running.limit for r in coming if r.running} == {Limit.ACCEPTANCE, Limit.HANDLING}
        assert {r.running.limit for r in overdue if r.running} == {
            Limit.ACCEPTANCE,
            Limit.HANDLING,
        }


def test_the_current_week_has_the_duty_mornings_and_the_weeks_sessions(demo: AppContext) -> None:
    now = demo.clock.now()
    today = to_local(now).date()
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time(0), LOCAL_TZ)
    week = demo.mediation.sessions_between(HEAD, start, start + dt.timedelta(days=7))
    following = demo.mediation.sessions_between(
        HEAD, start + dt.timedelta(days=7), start + dt.timedelta(days=14)
    )
    calendar = demo.mediation.working_days()
    for first, sessions in ((monday, week), (monday + dt.timedelta(days=7), following)):
        duty = sorted(to_local(v.starts_at).weekday() for v in sessions if v.series_id)
        # Tuesday and Thursday mornings from this week on (a holiday has none).
        rota = [d for d in (1, 3) if calendar.is_working_day(first + dt.timedelta(days=d))]
        assert duty == rota
        assert any(v.case_id is not None for v in sessions)
    assert sum(1 for v in week + following if v.case_id is not None) >= 5
    for v in week + following:
        over = v.ends_at + dt.timedelta(minutes=30) <= now
        if v.starts_at >= now:
            assert v.status is SessionStatus.PLANNED, v.title
        elif over:
            assert v.status in (SessionStatus.HELD, SessionStatus.NO_SHOW), v.title
    past = [v for v in week if v.case_id and v.ends_at + dt.timedelta(minutes=30) <= now]
    if len(past) >= 2:  # earlier this week: held, and once nobody came
        assert {v.status for v in past} == {SessionStatus.HELD, SessionStatus.NO_SHOW}
    if today.weekday() < 4:
        assert any(v.starts_at > now and v.case_id for v in week)  # later this week: booked
    with demo.session_factory() as session:
        rows = list(
            session.scalars(
                select(MediationSession).where(MediationSession.status != SessionStatus.CANCELLED)
            )
        )
    assert overlapping(rows) == []
