"""A year of reception-hall visits for the demo: weekdays, office hours, realistic purposes,
a few collective visits (e.g. unpaid wages before the Spring Festival)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from sqlalchemy import select
from stdnum.cn import ric

from centre_app.clock import LOCAL_TZ
from centre_app.demo.reference import person_name, phone_number
from centre_app.reception.visits import VisitDraft, VisitService
from centre_app.security.actor import SYSTEM_ACTOR
from db.models import Department, DepartmentKind, Room
from db.models.reception import QueueTicket, TicketState, VisitPurpose, VisitRoute

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

VISITS_PER_WORKDAY = 14  # at scale 1.0; the seeds' halls see 10–20 walk-ins a day

SUMMARIES: dict[VisitPurpose, tuple[str, ...]] = {
    VisitPurpose.CONSULTATION: (
        "咨询宅基地审批流程",
        "咨询养老保险补缴政策",
        "咨询低保申请条件",
        "咨询土地承包经营权流转",
        "咨询残疾人补贴办理",
        "咨询医保异地报销",
    ),
    VisitPurpose.DISPUTE: (
        "与邻居因排水沟堵塞发生纠纷",
        "与承包方因工程款结算发生纠纷",
        "家庭赡养纠纷，要求子女分担费用",
        "相邻宅基地界址纠纷",
        "婚姻家庭纠纷，要求调解",
        "租房押金退还纠纷",
    ),
    VisitPurpose.PETITION: (
        "反映村集体土地征收补偿款分配不公",
        "反映企业噪声扰民长期未解决",
        "反映村务公开不及时",
        "反映拆迁安置房交付延期",
        "反映道路修建占用承包地",
    ),
    VisitPurpose.SERVICE: (
        "办理居住证明",
        "开具无犯罪记录证明材料",
        "办理流动人口登记",
        "领取调解协议书",
    ),
    VisitPurpose.LEGAL_AID: (
        "工伤赔偿申请法律援助",
        "农民工讨薪申请法律援助",
        "交通事故赔偿咨询律师",
    ),
}
PURPOSE_WEIGHTS = {
    VisitPurpose.CONSULTATION: 30,
    VisitPurpose.DISPUTE: 30,
    VisitPurpose.PETITION: 15,
    VisitPurpose.SERVICE: 15,
    VisitPurpose.LEGAL_AID: 10,
}
# The hall of a township centre: a letter per service, four windows.
HALL_SERVICES = (
    ("A", "咨询", VisitPurpose.CONSULTATION),
    ("B", "信访接待", VisitPurpose.PETITION),
    ("C", "法律援助", VisitPurpose.LEGAL_AID),
    ("D", "矛盾纠纷受理", VisitPurpose.DISPUTE),
    ("E", "综合办事", VisitPurpose.SERVICE),
)
HALL_WINDOWS = (
    (1, "综合受理窗口", "AE"),
    (2, "综合受理窗口", "EA"),
    (3, "信访接待窗口", "B"),
    (4, "调解法援窗口", "DC"),
)
GROUP_SUMMARIES = (
    "某服装厂工人集体反映被拖欠工资",
    "某小区业主集体反映物业问题",
    "某村村民集体反映征地补偿标准",
)


def demo_id_number(rng: random.Random, today: dt.date) -> str:
    """A valid number from Cangnan (330327) for someone aged 18–85."""
    birth = today - dt.timedelta(days=rng.randrange(18 * 365, 85 * 365))
    body = f"330327{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum skips the last character


def seed_hall(ctx: AppContext) -> None:
    queue = ctx.hall
    for order, (letter, name, purpose) in enumerate(HALL_SERVICES):
        queue.add_service(SYSTEM_ACTOR, letter, name, purpose, sort_order=order)
    for number, name, letters in HALL_WINDOWS:
        queue.add_window(SYSTEM_ACTOR, number, name, letters)


def seed_visits(ctx: AppContext, rng: random.Random, scale: float) -> None:
    seed_hall(ctx)
    with ctx.session_factory() as session:
        rooms = list(session.scalars(select(Room.name).order_by(Room.name)))
        platforms = list(
            session.scalars(
                select(Department.name)
                .where(Department.kind == DepartmentKind.TOWNSHIP_PLATFORM)
                .order_by(Department.name)
            )
        )
    today = ctx.clock.now().astimezone(LOCAL_TZ).date()
    entries: list[tuple[dt.datetime, VisitDraft]] = []
    purposes, weights = list(PURPOSE_WEIGHTS), list(PURPOSE_WEIGHTS.values())
    workdays = [
        d for d in (today - dt.timedelta(days=b) for b in range(365, 0, -1)) if d.weekday() < 5
    ]
    total = max(1, round(len(workdays) * VISITS_PER_WORKDAY * scale))
    # Busier on Mondays and around the Spring Festival (wage claims before the holiday).
    weights_by_day = [
        (1.4 if d.weekday() == 0 else 1.0) * (1.6 if d.month in (1, 2) else 1.0) for d in workdays
    ]
    for day in rng.choices(workdays, weights_by_day, k=total):
        purpose = rng.choices(purposes, weights)[0]
        group = rng.random() < 0.02
        at = dt.datetime.combine(day, dt.time(8, 30), LOCAL_TZ) + dt.timedelta(
            minutes=rng.randrange(8 * 60)
        )
        if purpose is VisitPurpose.DISPUTE:
            route, target = VisitRoute.MEDIATION_ROOM, rng.choice(rooms)
        elif purpose is VisitPurpose.PETITION or group:
            route, target = VisitRoute.DEPARTMENT, rng.choice(platforms)
        else:
            route, target = VisitRoute.WINDOW, ""
        anonymous = purpose is VisitPurpose.CONSULTATION and rng.random() < 0.3
        entries.append(
            (
                at.astimezone(dt.UTC),
                VisitDraft(
                    visitor_name=person_name(rng),
                    id_number="" if anonymous else demo_id_number(rng, today),
                    phone=phone_number(rng),
                    purpose=VisitPurpose.PETITION if group else purpose,
                    summary=rng.choice(GROUP_SUMMARIES if group else SUMMARIES[purpose]),
                    route=route,
                    routed_to=target,
                    group_size=rng.randrange(5, 31) if group else rng.choice((1, 1, 1, 2, 3)),
                ),
            )
        )
    VisitService(ctx.session_factory, ctx.clock, ctx.township_code).import_register(
        SYSTEM_ACTOR, entries
    )
    _give_queue_times(ctx, rng)


def _give_queue_times(ctx: AppContext, rng: random.Random) -> None:
    """The demo year's tickets were served: waiting 2–40 minutes, serving 5–30."""
    with ctx.session_factory.begin() as session:
        tickets = list(
            session.scalars(
                select(QueueTicket).where(
                    QueueTicket.state == TicketState.SERVED, QueueTicket.finished_at.is_(None)
                )
            )
        )
        for ticket in tickets:
            called = ticket.issued_at + dt.timedelta(minutes=rng.triangular(2, 40, 8))
            ticket.first_called_at = ticket.last_called_at = ticket.serving_at = called
            ticket.finished_at = called + dt.timedelta(minutes=rng.triangular(5, 30, 10))
