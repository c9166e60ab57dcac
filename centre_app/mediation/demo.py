"""A year of mediation for the demo township, replayed through the service: cases accepted
on working days, one or two sessions each in the room of their kind with a mediator of that
speciality, held or missed, then an outcome — about 85 % resolved, as the county reports
(11,841 of 13,936, 84.97 %). Plus a weekly duty rota of the two lawyers (坐班制)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select

from centre_app.clock import LOCAL_TZ, ManualClock, to_local
from centre_app.demo.reference import person_name, phone_number
from centre_app.errors import DomainError
from centre_app.mediation.rota import RotaService, SeriesDraft
from centre_app.mediation.service import CaseDraft, MediationService, PartyDraft, SessionDraft
from centre_app.mediation.working_days import WorkingDays
from centre_app.security.actor import SYSTEM_ACTOR, Actor
from centre_app.security.roles import Role
from db.models import User
from db.models.mediation import CaseState, Selection, SessionStatus

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

CASES_PER_YEAR = 120  # at scale 1.0 (the county sees ~14,000; each case is ~6 service calls)
# category → (room, mediators of that speciality)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "劳资纠纷": ("劳动争议调解室", ("黄建平", "谢春生")),
    "邻里纠纷": ("老娘舅调解室", ("林阿土", "陈国华")),
    "婚姻家庭": ("法律援助服务室", ("郑美玲", "潘丽华", "陈国华")),
    "医疗纠纷": ("医疗纠纷调解室", ("周志强",)),
    "国土住建": ("国土住建信访调解室", ("蔡文斌",)),
    "交通事故": ("专家咨询服务室", ("吴晓东",)),
    "消费纠纷": ("劳动争议调解室", ("谢春生",)),
}
WEIGHTS = (30, 25, 18, 6, 8, 8, 5)
STARTS = ("08:30", "10:00", "13:30", "15:00")
# What the cases of the current fortnight are about (the calendar shows them).
SUMMARIES: dict[str, tuple[str, ...]] = {
    "劳资纠纷": ("车间工人讨要三个月工资", "装修工人工钱结算争议", "辞职后加班费未结清"),
    "邻里纠纷": ("排水沟堵塞污水流入邻家", "加盖房屋遮挡邻居采光", "楼上漏水损坏楼下装修"),
    "婚姻家庭": ("离婚后子女探望安排", "老人赡养费用分担", "分家析产争议"),
    "医疗纠纷": ("手术后并发症赔偿争议",),
    "国土住建": ("宅基地界址争议", "自建房施工损坏相邻房屋"),
    "交通事故": ("电动车与小货车相撞赔偿", "三轮车剐蹭行人赔偿"),
    "消费纠纷": ("预付卡健身房关门退款", "网购家电质量退换争议"),
}
ROTA = (("黄建平", "TU"), ("潘丽华", "TH"))  # 坐班制: each lawyer's weekly duty morning


def seed_mediation(ctx: AppContext, rng: random.Random, scale: float) -> None:
    svc = ctx.mediation
    rooms = {r.name: r.id for r in svc.rooms()}
    mediators = {m.name: m.id for m in svc.mediators()}
    if not rooms or not mediators:
        return
    today = to_local(ctx.clock.now()).date()
    calendar = WorkingDays()
    first = today - dt.timedelta(days=365)
    days = [first + dt.timedelta(days=i) for i in range(365 - 20)]
    working = [d for d in days if calendar.is_working_day(d)]
    count = max(1, round(CASES_PER_YEAR * scale))
    for accepted_day in sorted(rng.choice(working) for _ in range(count)):
        category = rng.choices(list(KINDS), WEIGHTS)[0]
        room, names = KINDS[category]
        accepted = dt.datetime.combine(
            accepted_day, dt.time(rng.randrange(9, 16), rng.choice((0, 30))), LOCAL_TZ
        )
        case_id = svc.open_case(SYSTEM_ACTOR, _case_draft(rng, category), at=accepted)
        held = []
        for attempt in range(rng.choice((1, 1, 2))):
            session_id = _book(
                svc,
                rng,
                calendar,
                case_id,
                rooms[room],
                [mediators[rng.choice(names)]],
                accepted_day,
                attempt,
            )
            if session_id is None:
                break
            missed = rng.random() < 0.06
            svc.set_status(
                SYSTEM_ACTOR, session_id, SessionStatus.NO_SHOW if missed else SessionStatus.HELD
            )
            if not missed:
                held.append(session_id)
        if not held:
            continue
        outcome_at = accepted + dt.timedelta(days=rng.randrange(3, 19))
        roll = rng.random()
        outcome = (
            CaseState.SUCCEEDED
            if roll < 0.85
            else CaseState.FAILED
            if roll < 0.93
            else CaseState.LITIGATION
            if roll < 0.97
            else CaseState.WITHDRAWN
        )
        svc.record_outcome(
            SYSTEM_ACTOR,
            case_id,
            outcome,
            at=outcome_at,
            agreement_text="双方自愿达成调解协议，按期履行。"
            if outcome is CaseState.SUCCEEDED
            else "",
        )
        if outcome is CaseState.SUCCEEDED and rng.random() < 0.2:
            svc.record_outcome(
                SYSTEM_ACTOR,
                case_id,
                CaseState.JUDICIAL_CONFIRMATION,
                at=outcome_at + dt.timedelta(days=2),
            )
    _seed_fortnight(ctx, rng, rooms, mediators, calendar)


def _book(
    svc: MediationService,
    rng: random.Random,
    calendar: WorkingDays,
    case_id: uuid.UUID,
    room_id: uuid.UUID,
    mediator_ids: list[uuid.UUID],
    accepted: dt.date,
    attempt: int,
) -> uuid.UUID | None:
    """A free slot a few working days on (the check decides, as at the desk)."""
    for _ in range(30):
        day = accepted + dt.timedelta(days=rng.randrange(1 + 5 * attempt, 8 + 5 * attempt))
        if not calendar.is_working_day(day):
            continue
        h, m = rng.choice(STARTS).split(":")
        start = dt.datetime.combine(day, dt.time(int(h), int(m)), LOCAL_TZ)
        draft = SessionDraft(
            room_id,
            start,
            start + dt.timedelta(minutes=rng.choice((60, 90))),
            mediator_ids,
            case_id,
        )
        try:
            return svc.book(SYSTEM_ACTOR, draft).session_id
        except DomainError:
            continue
    return None


def _seed_fortnight(
    ctx: AppContext,
    rng: random.Random,
    rooms: dict[str, uuid.UUID],
    mediators: dict[str, uuid.UUID],
    calendar: WorkingDays,
) -> None:
    """The week of the seeding day and the next, as the calendar opens on them: the
    lawyers' duty mornings from this Monday on (booked the week before), and a handful
    of cases accepted in the days before, each with a session this fortnight — those
    already over marked held (one no-show), the rest booked. Every step through the
    services with the clock at its time; a slot the check refuses is tried elsewhere."""
    now = ctx.clock.now()
    today = to_local(now).date()
    monday = today - dt.timedelta(days=today.weekday())
    clock = ManualClock(now)
    svc = MediationService(ctx.session_factory, clock, ctx.township_code)
    rota = RotaService(svc)
    with ctx.session_factory() as session:
        users = {u.username: u.id for u in session.scalars(select(User))}
    clerk = Actor.for_roles(users.get("jiedai"), "jiedai", "林小红", (Role.RECEPTION,))
    head = Actor.for_roles(users.get("zhuren"), "zhuren", "黄志明", (Role.HEAD,))
    set_up = _working_before(calendar, monday - dt.timedelta(days=10))
    clock.set(dt.datetime.combine(set_up, dt.time(16, 30), LOCAL_TZ))
    for name, weekday in ROTA:
        rota.book_series(
            head,
            SeriesDraft(
                rooms["法律援助服务室"],
                [mediators[name]],
                f"FREQ=WEEKLY;BYDAY={weekday};COUNT=12",
                dt.datetime.combine(monday, dt.time(8, 30)),
                180,
                "律师坐班",  # the calendar names the lawyer beside it
            ),
            skip_clashes=True,
        )
    # (time the clerk acts, what): cases accepted and booked, then sessions marked.
    days = [
        d for d in (monday + dt.timedelta(days=i) for i in range(12)) if calendar.is_working_day(d)
    ]
    bookings: list[tuple[dt.datetime, dt.date]] = []
    for day in days:
        for _ in range(rng.choice((1, 1, 2))):
            # Accepted in the week before the session (or before today, when it is later).
            last = min(day, today)
            first = max(last - dt.timedelta(days=7), set_up + dt.timedelta(days=1))
            choices = [
                first + dt.timedelta(days=i)
                for i in range((last - first).days)
                if calendar.is_working_day(first + dt.timedelta(days=i))
            ]
            if not choices:
                continue
            accepted = dt.datetime.combine(
                rng.choice(choices), dt.time(rng.randrange(9, 16), rng.choice((0, 30))), LOCAL_TZ
            )
            bookings.append((min(accepted, now - dt.timedelta(hours=1)), day))
    booked: list[tuple[uuid.UUID, uuid.UUID, dt.datetime]] = []  # (case, session, end)
    for accepted, day in sorted(bookings):
        clock.set(accepted)
        category = rng.choices(list(KINDS), WEIGHTS)[0]
        room, names = KINDS[category]
        case_id = svc.open_case(clerk, _case_draft(rng, category, SUMMARIES[category]), at=accepted)
        clock.set(accepted + dt.timedelta(minutes=rng.randrange(10, 40)))
        for start_text in rng.sample(STARTS, len(STARTS)):
            h, m = start_text.split(":")
            start = dt.datetime.combine(day, dt.time(int(h), int(m)), LOCAL_TZ)
            end = start + dt.timedelta(minutes=rng.choice((60, 90)))
            draft = SessionDraft(rooms[room], start, end, [mediators[rng.choice(names)]], case_id)
            try:
                session_id = svc.book(clerk, draft).session_id
            except DomainError:
                continue
            booked.append((case_id, session_id, end))
            break
    # Over by now: the clerk marks each soon after it ends (nobody came to the second).
    marks: list[tuple[dt.datetime, uuid.UUID | None, uuid.UUID]] = [
        (end, case_id, session_id) for case_id, session_id, end in booked
    ]
    marks += [
        (v.ends_at, None, v.id)
        for v in svc.sessions_between(clerk, dt.datetime.combine(monday, dt.time(0), LOCAL_TZ), now)
        if v.series_id is not None
    ]
    over = 0
    for end, case, session_id in sorted(marks, key=lambda m: m[0]):
        at = end + dt.timedelta(minutes=rng.randrange(5, 30))
        if at > now:
            continue
        clock.set(at)
        over += case is not None
        no_show = case is not None and over == 2
        svc.set_status(clerk, session_id, SessionStatus.NO_SHOW if no_show else SessionStatus.HELD)
        if case is not None and not no_show and rng.random() < 0.5:
            clock.set(at + dt.timedelta(minutes=10))
            svc.record_outcome(
                clerk,
                case,
                CaseState.SUCCEEDED,
                agreement_text="双方自愿达成调解协议，按期履行。",
            )


def _working_before(calendar: WorkingDays, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _case_draft(rng: random.Random, category: str, summaries: Sequence[str] = ()) -> CaseDraft:
    """A dispute between two people of the demo, as a clerk registers it (a summary drawn
    last, so the seeded demo stays the same)."""
    return CaseDraft(
        category,
        [
            PartyDraft(person_name(rng), "申请人", phone_number(rng)),
            PartyDraft(person_name(rng), "被申请人", phone_number(rng)),
        ],
        rng.choice(list(Selection)),
        amount=str(rng.choice((0, 3000, 8500, 20000))),
        summary=rng.choice(summaries) if summaries else "",
    )
