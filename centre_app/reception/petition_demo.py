"""Three months of petitions (信访事项) for the demo, replayed through PetitionService the way
the clerks took them: registered from a visit of the demo year (the visitor's own name,
ID number and phone), a letter or the hotline, then decided, handled, replied to, reviewed
and closed, each step with the clock at its own day — so the audit trail and the
replication outbox are those of real work, and every deadline is the service's own.

The step days are chosen against the seeding day so that on that day (and the following
days) the lists the clerk works from are not empty: petitions awaiting the acceptance
decision and petitions being handled are due within the due-soon window, one of each
is a few days overdue, one has its handling period extended, one 复查 is running and one
decided, one 复核 is running (with a hearing), and a few are closed or not accepted."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from centre_app.clock import LOCAL_TZ, ManualClock, to_local
from centre_app.demo.reference import person_name, phone_number
from centre_app.mediation.working_days import WorkingDays
from centre_app.reception.demo import demo_id_number
from centre_app.reception.petitions import TIME_LIMITS, Limit, PetitionDraft, PetitionService
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.models import User
from db.models.reception import PetitionChannel, Visit, VisitPurpose

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

C = PetitionChannel
ACCEPTANCE = TIME_LIMITS[Limit.ACCEPTANCE].days
HANDLING = TIME_LIMITS[Limit.HANDLING].days
EARLIEST = 92  # days before the seeding day: the demo's petitions span about three months
VILLAGES = ("南门村", "北门村", "湖里村", "石砰村", "大渔村", "坊下村", "炎亭村")


@dataclass(frozen=True)
class Matter:
    """What a petition is about, with what the handling body writes at each step."""

    text: str  # {village} is filled in
    body: str  # 办理机关、单位
    reply: str
    accept: str = ""  # the acceptance notice; a standard one when empty
    refuse: str = ""  # the notice of 不予受理 (a matter with a legal procedure of its own)
    review: str = ""  # 复查意见
    recheck: str = ""  # 复核意见


MATTERS: dict[str, Matter] = {
    "征地补偿": Matter(
        "反映{village}集体土地被征收后，村里制定的补偿款分配方案未将户口仍在村的外嫁女及其"
        "子女列入分配名单，本人一家三口未分到补偿款，认为分配不公，要求按在册人口重新核定并"
        "补发应得部分。",
        "金乡镇农业农村办公室",
        "经调查核实，{village}征地补偿款分配方案虽经村民代表会议表决，但将户籍在村的外嫁女"
        "及其子女排除在外，不符合有关规定。已责成村委会重新核定分配名单，补发您家三人应得"
        "部分，预计本月底前发放到位。",
        review="经复查，原处理意见认定事实清楚，村委会已按在册人口重新核定名单并补发款项，"
        "维持原处理意见。",
    ),
    "噪声扰民": Matter(
        "反映{village}工业区一家五金加工厂夜间开机生产，冲床噪声持续到凌晨一两点，附近居民"
        "长期无法正常休息，多次找厂方交涉无果，要求有关部门依法处理。",
        "金乡综合执法中队",
        "经执法人员夜间到现场检测，该厂厂界噪声超过排放标准。已责令其停止夜间生产、在车间"
        "加装隔音设施，整改期满后将再次检测，检测结果将告知您。",
    ),
    "村务公开": Matter(
        "反映{village}近两年村务、财务公开栏长期未更新，村集体厂房出租收入和支出情况村民"
        "无从知晓，要求公开收支明细，并对村集体账目进行审计。",
        "金乡镇农业农村办公室",
        "已督促{village}在村务公开栏补公开近两年财务收支明细；镇农村集体“三资”管理服务"
        "中心已对该村账目开展专项审计，审计结果将另行书面告知。",
    ),
    "安置房": Matter(
        "反映{village}旧村改造安置房原定去年年底交付，至今仍未交房，过渡安置费自今年起停发，"
        "一家五口只能在外租房居住，要求明确交房时间并继续发放过渡安置费。",
        "金乡镇征收办",
        "经核实，安置房因施工单位变更而延期，现主体已完工，预计明年六月交付；过渡安置费已"
        "恢复发放，停发月份一并补发。",
    ),
    "占用承包地": Matter(
        "反映村道拓宽工程占用其家承包地约一亩二分，施工前未与其签订用地协议，青苗和地上"
        "附着物也未作补偿，要求按标准给予补偿。",
        "金乡镇村镇建设办公室",
        "经现场核实，该工程占用您家承包地1.2亩。镇村镇建设办公室已与您补签用地协议，青苗"
        "及地上附着物补偿款按县定标准计算，已拨付到您的账户。",
        review="经复查，补偿面积经双方现场确认，补偿标准符合县定标准，维持原处理意见。",
    ),
    "欠薪": Matter(
        "反映本人在{village}一家服装厂做车工，厂里自今年三月起拖欠工资共计二万三千余元，"
        "老板以订单减少为由一拖再拖，要求帮助追讨。",
        "金乡劳动保障所",
        "经劳动保障监察调查，该厂确有拖欠工资行为，已责令其限期支付。厂方已于近日支付您"
        "被拖欠的工资，请核对。如有异议，可申请劳动争议仲裁。",
    ),
    "物业": Matter(
        "反映所住小区物业公司照收物业费，却长期不及时清运垃圾，电梯多次困人不修，业主要求"
        "更换物业公司，请求镇里协调。",
        "金乡镇城镇社区管理办公室",
        "已约谈物业公司，电梯已完成维修并经检验合格，垃圾清运恢复每日一次；业主大会筹备组"
        "已成立，选聘物业事宜由社区居委会指导依法进行。",
    ),
    "养老金": Matter(
        "反映其父亲已年满六十周岁，按规定缴满十五年城乡居民基本养老保险，至今未领到养老金，"
        "多次询问未得到答复，要求查明原因。",
        "金乡镇社会保障服务中心",
        "经查，因您父亲身份信息与参保登记信息不一致，待遇核定未通过。现已更正信息，养老金"
        "自其年满六十周岁次月起补发。",
    ),
    "低保": Matter(
        "反映其丈夫患尿毒症长期透析，家中无劳动收入，申请最低生活保障被村里评议否决，认为"
        "评议不公，要求重新审核。",
        "金乡镇社会事务办公室",
        "经入户核查，您家庭人均收入低于本地最低生活保障标准，符合条件，已纳入最低生活保障，"
        "自下月起发放。",
    ),
    "宅基地": Matter(
        "反映邻居翻建房屋时将墙基向其家一侧移出约四十公分，占用其宅基地，经村里调解未果，"
        "要求有关部门处理。",
        "金乡自然资源所",
        "经现场测量，邻居新建墙基超出审批范围约0.4米。已责令其拆除超出部分，村调委会将跟踪落实。",
    ),
    "土地承包": Matter(
        "反映其家原承包的二亩三分耕地在第二轮承包到期延包时被村里调整给他人，承包经营权证"
        "上的面积减少，要求恢复原承包面积。",
        "金乡镇农业农村办公室",
        "经调取承包档案核实，延包时将您家部分承包地调整给他人缺乏依据。已责成村委会恢复您家"
        "原承包面积，并更正承包经营权证。",
    ),
    "征收评估": Matter(
        "反映其家房屋在老街改造中被列入征收范围，评估单价明显低于周边同类房屋市场价，"
        "要求重新评估并提高补偿。",
        "金乡镇征收办",
        "已委托评估机构对评估结果进行复核，复核维持原评估价格。您如对征收补偿决定不服，"
        "可依法申请行政复议或者提起行政诉讼。",
        review="经复查，评估机构资质合法，评估程序和方法符合规定，评估单价与同期同区位房屋"
        "成交价相当，维持原处理意见。",
        recheck="经复核并组织听证，原处理意见和复查意见认定事实清楚、处理适当，予以维持。"
        "本复核意见为信访终结意见。",
    ),
    "养殖污染": Matter(
        "反映{village}一家生猪养殖场粪污直排河道，周边气味刺鼻、河水发黑，要求依法查处。",
        "县生态环境分局",
        "经现场检查，该养殖场粪污处理设施未正常运行，已责令停止排放并限期整改，立案处罚；"
        "河道已组织清淤。",
    ),
    "路灯": Matter(
        "反映{village}主干道路灯损坏半年无人维修，夜间出行不便，已有村民骑电动车摔倒。",
        "金乡镇村镇建设办公室",
        "损坏路灯已全部修复，并已落实专人每月巡查维护。",
    ),
    "残疾补贴": Matter(
        "反映其儿子持二级残疾证，今年起重度残疾人护理补贴停发，要求恢复发放。",
        "金乡镇社会事务办公室",
        "经查，因年度资格复核材料未按时录入导致停发。现已补录，护理补贴恢复发放并补发停发月份。",
    ),
    "劳动争议": Matter(
        "反映与原工作单位因解除劳动合同的经济补偿金发生争议，单位只愿支付一个月工资，"
        "要求按工作年限足额支付。",
        "",
        "",
        refuse="您反映的事项属于劳动争议，依法应当通过劳动争议仲裁程序解决，依据《信访工作"
        "条例》第三十一条，本机关不予受理。请向苍南县劳动人事争议仲裁委员会申请仲裁，可到"
        "镇公共法律服务工作站申请法律援助。",
    ),
    "相邻判决": Matter(
        "反映与邻居的相邻关系纠纷经法院判决后，对判决结果不服，要求镇里撤销判决、重新处理。",
        "",
        "",
        refuse="您反映的事项已经人民法院作出生效判决，属于应当通过诉讼程序解决的事项，依据"
        "《信访工作条例》第三十一条，本机关不予受理。如认为判决确有错误，可依法申请再审。",
    ),
    "工伤认定": Matter(
        "反映在建筑工地干活时摔伤，包工头只付了部分医药费，要求镇里认定工伤并责令赔偿。",
        "",
        "",
        refuse="工伤认定属于法定行政程序，请向苍南县人力资源和社会保障局申请工伤认定，依据"
        "《信访工作条例》第三十一条，本机关不予受理。镇公共法律服务工作站可为您提供法律援助。",
    ),
}
# A visit of the demo year with its summary → what its petition is about.
VISIT_MATTERS = {
    "反映村集体土地征收补偿款分配不公": "征地补偿",
    "反映企业噪声扰民长期未解决": "噪声扰民",
    "反映村务公开不及时": "村务公开",
    "反映拆迁安置房交付延期": "安置房",
    "反映道路修建占用承包地": "占用承包地",
    "某服装厂工人集体反映被拖欠工资": "欠薪",
    "某小区业主集体反映物业问题": "物业",
    "某村村民集体反映征地补偿标准": "征地补偿",
}
REFUSED = ("劳动争议", "相邻判决", "工伤认定")
EXTENSION_APPROVER = "分管副镇长 郑海峰"  # the handling body's head (第三十四条)
EXTENSION_REASON = (
    "该事项涉及村集体和多户承包户，需调取历年承包档案并到实地测量，在原办理期限内难以办结。"
)


@dataclass
class _Story:
    """One petition: how it came in and its steps, (local time, step name, days)."""

    channel: PetitionChannel
    received: dt.date
    matter: str
    village: str
    registered: dt.datetime
    visit: Visit | None = None
    steps: list[tuple[dt.datetime, str, int]] = field(default_factory=list)


class _Planner:
    def __init__(
        self, today: dt.date, calendar: WorkingDays, rng: random.Random, visits: list[Visit]
    ) -> None:
        self.today, self.calendar, self.rng = today, calendar, rng
        self.visits: dict[dt.date, list[Visit]] = {}
        for visit in visits:
            self.visits.setdefault(to_local(visit.visited_at).date(), []).append(visit)
        self.stories: list[_Story] = []
        self.used_matters: list[str] = []

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def working(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days in [first, last], never today or later, never before EARLIEST."""
        first = max(first, self.ago(EARLIEST))
        last = min(last, self.ago(1))
        count = (last - first).days + 1
        days = (first + dt.timedelta(days=i) for i in range(max(count, 0)))
        return [d for d in days if self.calendar.is_working_day(d)]

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        """A working day in [first, last]; the last working day before it when none is."""
        days = self.working(first, last)
        if days:
            return self.rng.choice(days)
        day = min(first, self.ago(1))
        while not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def left(self, start: dt.date, days: int) -> int:
        """Days left today for a limit of `days` started on `start` (as the service counts)."""
        return (self.calendar.on_or_after(start + dt.timedelta(days=days)) - self.today).days

    def window(self, days: int, lo: int, hi: int) -> tuple[dt.date, dt.date]:
        """The first and last working day from which a limit of `days` leaves lo..hi days
        today (widened when holidays leave none; the last day of a limit never comes
        earlier for a later start, so every day between fits too)."""
        for widen in range(0, 30, 2):
            fits = [
                d
                for d in self.working(self.ago(days + 40), self.ago(1))
                if lo - widen <= self.left(d, days) <= hi + widen
            ]
            if fits:
                return fits[0], fits[-1]
        return self.ago(days), self.ago(days)

    def start_with(self, days: int, lo: int, hi: int) -> dt.date:
        return self.day(*self.window(days, lo, hi))

    def after(self, day: dt.date, lo: int, hi: int) -> dt.date:
        """A working day lo..hi days after `day` (before today)."""
        return self.day(day + dt.timedelta(days=lo), day + dt.timedelta(days=hi))

    def before(self, day: dt.date, lo: int, hi: int) -> dt.date:
        return self.day(day - dt.timedelta(days=hi), day - dt.timedelta(days=lo))

    def at(self, day: dt.date, earliest: dt.time = dt.time(8, 40)) -> dt.datetime:
        """Office hours on `day`, not before `earliest`."""
        start = earliest.hour * 60 + earliest.minute
        minute = self.rng.randrange(max(start, 8 * 60 + 40), 17 * 60) if start < 16 * 60 else start
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), LOCAL_TZ)

    def matter(self, preferred: str | None = None) -> str:
        if preferred is not None:
            return preferred
        fresh = [m for m in MATTERS if m not in REFUSED and m not in self.used_matters] or [
            m for m in MATTERS if m not in REFUSED
        ]
        return self.rng.choice(fresh)

    def story(
        self,
        channel: PetitionChannel,
        first: dt.date,
        last: dt.date,
        matter: str | None = None,
    ) -> _Story:
        """A petition received between `first` and `last`: from an unused petition visit of
        those days when it came by visit (by hotline when the hall saw none)."""
        if channel is C.VISIT:
            visits = [
                v
                for d in self.working(first, last)
                for v in self.visits.get(d, [])
                if v.summary in VISIT_MATTERS
                and (matter is None or VISIT_MATTERS[v.summary] == matter)
            ]
            if visits:
                visit = self.rng.choice(visits)
                self.visits[to_local(visit.visited_at).date()].remove(visit)
                story = _Story(
                    C.VISIT,
                    to_local(visit.visited_at).date(),
                    VISIT_MATTERS[visit.summary],
                    self.rng.choice(VILLAGES),
                    to_local(visit.visited_at) + dt.timedelta(minutes=self.rng.randrange(15, 45)),
                    visit,
                )
                return self._add(story)
            channel = C.HOTLINE
        received = self.day(first, last)
        village = self.rng.choice(VILLAGES)
        return self._add(_Story(channel, received, self.matter(matter), village, self.at(received)))

    def _add(self, story: _Story) -> _Story:
        self.used_matters.append(story.matter)
        self.stories.append(story)
        return story

    def step(self, story: _Story, day: dt.date, name: str, days: int = 0) -> None:
        """A step on `day` (never before the story's previous step); `days` of an extension
        or a hearing."""
        last = story.steps[-1][0] if story.steps else story.registered
        day = max(day, last.date())
        earliest = (
            (last + dt.timedelta(minutes=30)).time() if last.date() == day else dt.time(8, 40)
        )
        story.steps.append((self.at(day, earliest), name, days))


def seed_petitions(ctx: AppContext, rng: random.Random, scale: float) -> None:
    """About 25 petitions of the last three months (whatever the scale: the lists need
    them), each step through the service with the clock at its time."""
    now = ctx.clock.now()
    today = to_local(now).date()
    with ctx.session_factory() as session:
        calendar = WorkingDays.of_centre(session)
        visits = list(
            session.scalars(
                select(Visit)
                .where(
                    Visit.purpose == VisitPurpose.PETITION,
                    Visit.id_number.is_not(None),
                    Visit.visited_at >= now - dt.timedelta(days=EARLIEST + 1),
                )
                .order_by(Visit.visited_at)
            )
        )
        users = {u.username: u.id for u in session.scalars(select(User))}
        session.expunge_all()
    plan = _Planner(today, calendar, rng, visits)
    _plan(plan)
    clerk = Actor.for_roles(users.get("jiedai"), "jiedai", "林小红", (Role.RECEPTION,))
    head = Actor.for_roles(users.get("zhuren"), "zhuren", "黄志明", (Role.HEAD,))
    clock = ManualClock(now)
    service = PetitionService(ctx.session_factory, clock, ctx.township_code)
    ids: dict[int, uuid.UUID] = {}
    events: list[tuple[dt.datetime, int, str, int]] = []
    for index, story in enumerate(plan.stories):
        events.append((story.registered, index, "register", 0))
        events += [(at, index, name, days) for at, name, days in story.steps]
    for at, index, name, days in sorted(events, key=lambda e: (e[0], e[1])):
        clock.set(at)
        story = plan.stories[index]
        if name == "register":
            ids[index] = service.register(clerk, _draft(story, rng, today)).id
        else:
            _STEPS[name](service, clerk, head, ids[index], story, days)


def _draft(story: _Story, rng: random.Random, today: dt.date) -> PetitionDraft:
    matter = MATTERS[story.matter].text.format(village=story.village)
    if story.visit is not None:  # name, ID number and phone come from the visit
        return PetitionDraft(C.VISIT, "", "", "", matter, visit_id=story.visit.id)
    return PetitionDraft(
        story.channel,
        person_name(rng),
        demo_id_number(rng, today),
        phone_number(rng),
        matter,
        received_on=story.received,
    )


_Step = Callable[[PetitionService, Actor, Actor, uuid.UUID, _Story, int], None]


def _accept(
    s: PetitionService, clerk: Actor, head: Actor, pid: uuid.UUID, st: _Story, _: int
) -> None:
    matter = MATTERS[st.matter]
    notice = matter.accept or (
        f"您反映的事项属于本机关职权范围，决定予以受理，交由{matter.body}办理，"
        "将在规定期限内书面答复。"
    )
    s.decide(head, pid, accept=True, notice=notice, handling_body=matter.body)


_STEPS: dict[str, _Step] = {
    "accept": _accept,
    "refuse": lambda s, c, h, pid, st, _: s.decide(
        h, pid, accept=False, notice=MATTERS[st.matter].refuse
    ),
    "extend": lambda s, c, h, pid, st, days: s.extend(
        h, pid, days, EXTENSION_REASON, EXTENSION_APPROVER
    ),
    "reply": lambda s, c, h, pid, st, _: s.reply(
        h, pid, MATTERS[st.matter].reply.format(village=st.village)
    ),
    "request_review": lambda s, c, h, pid, st, _: s.request_review(c, pid),
    "review": lambda s, c, h, pid, st, _: s.review(
        h, pid, MATTERS[st.matter].review or "经复查，原处理意见认定事实清楚、处理适当，予以维持。"
    ),
    "request_recheck": lambda s, c, h, pid, st, _: s.request_recheck(c, pid),
    "hearing": lambda s, c, h, pid, st, days: s.record_hearing(h, pid, days),
    "recheck": lambda s, c, h, pid, st, _: s.recheck(h, pid, MATTERS[st.matter].recheck),
    "close": lambda s, c, h, pid, st, _: s.close(h, pid),
}


def _plan(p: _Planner) -> None:
    """The petitions, by the state each is in on the seeding day."""
    # Awaiting the acceptance decision: two due within days, one overdue, three fresh.
    p.story(C.HOTLINE, *p.window(ACCEPTANCE, 1, 4))
    p.story(C.VISIT, *p.window(ACCEPTANCE, 0, 5))
    p.story(C.LETTER, *p.window(ACCEPTANCE, -4, -1))
    for channel in (C.VISIT, C.LETTER, C.HOTLINE):
        p.story(channel, p.ago(6), p.ago(1))
    # Not accepted, with the written notice (a matter with a procedure of its own).
    for channel, matter in zip((C.LETTER, C.LETTER, C.HOTLINE), REFUSED, strict=True):
        story = p.story(channel, p.ago(80), p.ago(20), matter)
        p.step(story, p.after(story.received, 2, 9), "refuse")
    # Accepted and being handled: due within days (two), overdue (one), extended (one).
    for channel, lo, hi in ((C.VISIT, 1, 5), (C.LETTER, 0, 4), (C.HOTLINE, -6, -1)):
        decided = p.start_with(HANDLING, lo, hi)
        story = p.story(channel, decided - dt.timedelta(days=9), decided - dt.timedelta(days=2))
        p.step(story, decided, "accept")
    decided = p.start_with(HANDLING, -10, -2)  # would be overdue without its extension
    story = p.story(
        C.LETTER, decided - dt.timedelta(days=8), decided - dt.timedelta(days=2), "土地承包"
    )
    p.step(story, decided, "accept")
    p.step(story, p.after(decided, 40, 52), "extend", 30)
    for channel, first, last in ((C.LETTER, 40, 20), (C.VISIT, 30, 10), (C.HOTLINE, 16, 8)):
        story = p.story(channel, p.ago(first), p.ago(last))
        p.step(story, p.after(story.received, 2, 6), "accept")
    # Replied (the petitioner's 30 days to ask for 复查 running).
    for channel, first, last in ((C.VISIT, 60, 45), (C.LETTER, 45, 30)):
        story = p.story(channel, p.ago(first), p.ago(last))
        decided = p.after(story.received, 2, 7)
        p.step(story, decided, "accept")
        p.step(story, p.day(max(decided + dt.timedelta(days=10), p.ago(25)), p.ago(3)), "reply")
    # 复查 requested and running; 复查 decided; 复核 requested, with its hearing.
    story = p.story(C.VISIT, p.ago(75), p.ago(65), "占用承包地")
    _replied(p, story, review_request=p.ago(14))
    story = p.story(C.LETTER, p.ago(90), p.ago(80), "征地补偿")
    _replied(p, story, review_request=p.ago(34), reviewed=p.ago(9))
    story = p.story(C.LETTER, p.ago(EARLIEST), p.ago(85), "征收评估")
    _replied(p, story, review_request=p.ago(50), reviewed=p.ago(24), recheck_request=p.ago(8))
    # Closed: replied and closed, and one closed after its 复查.
    for channel, first, last in ((C.LETTER, 90, 75), (C.HOTLINE, 80, 60), (C.VISIT, 60, 45)):
        story = p.story(channel, p.ago(first), p.ago(last))
        decided = p.after(story.received, 1, 6)
        p.step(story, decided, "accept")
        replied = p.after(decided, 10, 25)
        p.step(story, replied, "reply")
        p.step(story, p.after(replied, 2, 8), "close")
    story = p.story(C.HOTLINE, p.ago(88), p.ago(80))
    _replied(p, story, review_request=p.ago(40), reviewed=p.ago(18))
    p.step(story, p.after(p.ago(18), 3, 6), "close")


def _replied(
    p: _Planner,
    story: _Story,
    *,
    review_request: dt.date,
    reviewed: dt.date | None = None,
    recheck_request: dt.date | None = None,
) -> None:
    """Accepted, replied, and the 复查/复核 steps on about the days given (each within its
    limit: the reply before the review request's 30 days, and so on)."""
    request = p.before(review_request, 0, 2)
    replied = p.before(request, 6, 14)
    decided = p.day(story.received + dt.timedelta(days=2), story.received + dt.timedelta(days=6))
    p.step(story, decided, "accept")
    p.step(story, max(replied, p.after(decided, 12, 16)), "reply")
    p.step(story, request, "request_review")
    if reviewed is None:
        return
    p.step(story, p.before(reviewed, 0, 2), "review")
    if recheck_request is None:
        return
    request = p.before(recheck_request, 0, 2)
    p.step(story, request, "request_recheck")
    p.step(story, p.after(request, 1, 3), "hearing", 3)
