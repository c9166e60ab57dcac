"""Hypothesis: no sequence of bookings, moves, cancellations, series bookings and series
edits ever leaves two overlapping sessions for one room (with its buffers), one mediator or
one party — checked from the session rows themselves, not from the booking table."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from centre_app.errors import DomainError
from centre_app.mediation.admin import MediationAdmin, RoomDraft
from centre_app.mediation.rota import EditScope, SeriesDraft
from centre_app.mediation.service import CaseDraft, PartyDraft, SessionDraft
from db.models.mediation import (
    Booking,
    CaseEvent,
    CaseParty,
    MediationCase,
    MediationSession,
    RotaSeries,
    SessionStatus,
)
from tests.unit.mediation.conftest import MONDAY, Centre, at

ROOMS = ["劳动争议调解室", "法律援助服务室", "老娘舅调解室"]
MEDIATORS = ["黄建平", "潘丽华", "林阿土"]
PEOPLE = ["张三", "李四", "王五"]

time_of_day = st.integers(min_value=17, max_value=33).map(lambda q: dt.time(q // 2, 30 * (q % 2)))
length = st.sampled_from([30, 45, 60, 90, 120])
weekday = st.integers(min_value=0, max_value=4)

book = st.tuples(
    st.just("book"),
    st.sampled_from(ROOMS),
    st.sampled_from(MEDIATORS),
    st.sampled_from([None, 0, 1, 2]),
    weekday,
    time_of_day,
    length,
)
move = st.tuples(
    st.just("move"), st.integers(0, 50), st.sampled_from(ROOMS), weekday, time_of_day, length
)
cancel = st.tuples(st.just("cancel"), st.integers(0, 50))
series = st.tuples(
    st.just("series"),
    st.sampled_from(ROOMS),
    st.sampled_from(MEDIATORS),
    weekday,
    time_of_day,
    length,
)
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 50),
    st.sampled_from([EditScope.THIS, EditScope.FOLLOWING, EditScope.ALL]),
    time_of_day,
    length,
)
steps = st.lists(st.one_of(book, move, cancel, series, edit), min_size=1, max_size=14)


def overlapping(rows: list[MediationSession]) -> list[tuple[str, str, str]]:
    held: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = {}
    for r in rows:
        before = dt.timedelta(minutes=r.buffer_before_minutes)
        buffer = dt.timedelta(minutes=r.buffer_minutes)
        held.setdefault(f"room:{r.room_id}", []).append(
            (r.starts_at - before, r.ends_at + buffer, r.title)
        )
        for key in [f"mediator:{m}" for m in r.mediator_ids] + [f"party:{p}" for p in r.party_keys]:
            held.setdefault(key, []).append((r.starts_at, r.ends_at, r.title))
    found = []
    for resource, spans in held.items():
        for (s1, e1, t1), (s2, e2, t2) in itertools.combinations(spans, 2):
            if s1 < e2 and s2 < e1:
                found.append((resource, t1, t2))
    return found


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_no_sequence_of_edits_leaves_two_overlapping_sessions(
    centre: Centre, plan: list[tuple[object, ...]]
) -> None:
    with centre.ctx.session_factory.begin() as s:
        for table in (Booking, MediationSession, RotaSeries, CaseEvent, CaseParty, MediationCase):
            s.execute(delete(table))
    cases = [
        centre.svc.open_case(
            centre.clerk,
            CaseDraft(
                "劳资纠纷", [PartyDraft(a, "申请人", f"1385771000{i}"), PartyDraft(b, "被申请人")]
            ),
        )
        for i, (a, b) in enumerate([("张三", "李四"), ("张三", "王五"), ("李四", "王五")])
    ]
    # one room also keeps 30 minutes free before each session (set-up)
    admin = MediationAdmin(centre.svc)
    room = next(r for r in admin.all_rooms() if r.name == ROOMS[0])
    admin.save_room(
        centre.head,
        RoomDraft(room.name, room.kind, room.capacity, buffer_before_minutes=30),
        room.id,
    )
    rota = centre.ctx.mediation_rota
    for step in plan:
        with centre.ctx.session_factory() as s:
            ids: list[uuid.UUID] = list(
                s.scalars(
                    select(MediationSession.id)
                    .where(MediationSession.status == SessionStatus.PLANNED)
                    .order_by(MediationSession.starts_at)
                )
            )
        try:
            match step:
                case ("book", room, mediator, case, day, start, minutes):
                    begin = dt.datetime.combine(
                        MONDAY + dt.timedelta(days=day), start, at(MONDAY, "00:00").tzinfo
                    )
                    centre.svc.book(
                        centre.clerk,
                        SessionDraft(
                            centre.rooms[room],
                            begin,
                            begin + dt.timedelta(minutes=minutes),
                            [centre.mediators[mediator]],
                            None if case is None else cases[case],
                        ),
                    )
                case ("move", index, room, day, start, minutes) if ids:
                    begin = dt.datetime.combine(
                        MONDAY + dt.timedelta(days=day), start, at(MONDAY, "00:00").tzinfo
                    )
                    centre.svc.move(
                        centre.clerk,
                        ids[index % len(ids)],
                        starts_at=begin,
                        ends_at=begin + dt.timedelta(minutes=minutes),
                        room_id=centre.rooms[room],
                    )
                case ("cancel", index) if ids:
                    centre.svc.set_status(
                        centre.clerk, ids[index % len(ids)], SessionStatus.CANCELLED, reason="改期"
                    )
                case ("series", room, mediator, day, start, minutes):
                    rota.book_series(
                        centre.clerk,
                        SeriesDraft(
                            centre.rooms[room],
                            [centre.mediators[mediator]],
                            "FREQ=WEEKLY;COUNT=3",
                            dt.datetime.combine(MONDAY + dt.timedelta(days=day), start),
                            minutes,
                        ),
                        skip_clashes=True,
                    )
                case ("edit", index, scope, start, minutes) if ids:
                    rota.edit_series(
                        centre.clerk,
                        ids[index % len(ids)],
                        scope,
                        start_time=start,
                        duration_minutes=minutes,
                    )
        except DomainError:
            pass  # refused in words; what matters is what is left
        with centre.ctx.session_factory() as s:
            rows = list(
                s.scalars(
                    select(MediationSession).where(
                        MediationSession.status != SessionStatus.CANCELLED
                    )
                )
            )
        assert overlapping(rows) == []
