"""A year of mediation for the demo township, replayed through the service: cases accepted
on working days, one or two sessions each in the room of their kind with a mediator of that
speciality, held or missed, then an outcome — about 85 % resolved, as the county reports
(11,841 of 13,936, 84.97 %). Plus a weekly duty rota of the two lawyers (坐班制)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import TYPE_CHECKING

from centre_app.clock import LOCAL_TZ, to_local
from centre_app.demo.reference import person_name, phone_number
from centre_app.errors import DomainError
from centre_app.mediation.rota import SeriesDraft
from centre_app.mediation.service import CaseDraft, MediationService, PartyDraft, SessionDraft
from centre_app.mediation.working_days import WorkingDays
from centre_app.security.actor import SYSTEM_ACTOR
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
        case_id = svc.open_case(
            SYSTEM_ACTOR,
            CaseDraft(
                category,
                [
                    PartyDraft(person_name(rng), "申请人", phone_number(rng)),
                    PartyDraft(person_name(rng), "被申请人", phone_number(rng)),
                ],
                rng.choice(list(Selection)),
                amount=str(rng.choice((0, 3000, 8500, 20000))),
            ),
            at=accepted,
        )
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
    # 坐班制: the two lawyers' weekly duty mornings for the next three months.
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    for name, weekday in (("黄建平", "TU"), ("潘丽华", "TH")):
        ctx.mediation_rota.book_series(
            SYSTEM_ACTOR,
            SeriesDraft(
                rooms["法律援助服务室"],
                [mediators[name]],
                f"FREQ=WEEKLY;BYDAY={weekday};COUNT=12",
                dt.datetime.combine(monday, dt.time(8, 30)),
                180,
                f"律师坐班 {name}",
            ),
            skip_clashes=True,
        )


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
