"""A year of incidents for the demo, taken through the real workflow so every history is
one a duty officer could have produced: most closed, some open in every queue."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from centre_app.clock import ManualClock
from centre_app.demo.reference import person_name
from centre_app.incidents.categories import CATEGORIES
from centre_app.incidents.service import IncidentDraft, IncidentService, Step
from centre_app.security.actor import Actor
from centre_app.security.roles import Role
from db.models import Area, AreaLevel, Department
from db.models.incidents import Channel, IncidentState, RiskColour

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

# At scale 1.0: Cangnan took 55,604 reports a year over ~20 townships (seeds) → ~2,800 each.
INCIDENTS_PER_YEAR = 2_800

TEMPLATES: dict[str, tuple[str, ...]] = {
    "劳资纠纷": ("{place}附近某厂{n}名工人反映被拖欠工资{m}个月", "工地农民工{n}人讨要工钱"),
    "邻里纠纷": ("{place}两户村民因排水沟堵塞发生争吵", "邻居加盖房屋遮挡采光引发纠纷"),
    "婚姻家庭纠纷": ("{place}一对夫妻因家庭琐事多次争吵，需调解", "子女不履行赡养义务"),
    "土地山林纠纷": ("{place}两户村民对承包地边界有争议", "山林权属争议"),
    "物业纠纷": ("{place}小区业主与物业因停车收费发生纠纷", "物业公司撤场后无人管理"),
    "合同纠纷": ("{place}村民与装修公司因工程款结算发生纠纷", "租赁合同押金不退"),
    "可疑人员": ("{place}有陌生人多次在学校门口徘徊", "夜间有可疑车辆停放"),
    "寻衅滋事": ("{place}夜宵摊有人酒后闹事", "有人在菜市场强买强卖"),
    "赌博": ("{place}某出租房疑似聚众赌博", "群众举报棋牌室涉赌"),
    "盗窃": ("{place}电动车被盗", "农户家中财物被盗"),
    "企业安全隐患": ("{place}某企业车间安全通道堆放杂物", "企业员工未按规定佩戴防护"),
    "建筑施工安全": ("{place}工地脚手架未设置防护网", "施工现场无围挡"),
    "危化品": ("{place}某小作坊违规存放油漆稀释剂", "液化气钢瓶违规存放"),
    "消防通道堵塞": ("{place}小区消防通道被车辆长期堵塞", "沿街店铺占用消防通道"),
    "电动车违规充电": ("{place}居民楼道内电动车飞线充电", "出租房内电动车室内充电"),
    "火灾隐患": ("{place}老旧民房电线私拉乱接", "仓库内违规使用明火"),
    "垃圾乱堆放": ("{place}路边垃圾长期无人清运", "建筑垃圾倾倒在河边"),
    "污水排放": ("{place}有企业向河道偷排污水", "生活污水直排池塘"),
    "噪声扰民": ("{place}工地夜间施工噪声扰民", "广场舞音响音量过大"),
    "违章搭建": ("{place}村民在自家屋顶违章加盖", "沿街店铺违规搭建雨棚"),
    "无证经营": ("{place}路边无证经营熟食摊", "无证小作坊生产豆制品"),
    "过期食品": ("{place}小超市销售过期食品", "学校周边小卖部售卖三无食品"),
    "药品违规销售": ("{place}诊所违规销售处方药", "流动摊贩兜售保健品"),
    "征地拆迁": ("{place}村民反映征地补偿款分配不公", "拆迁安置房交付延期"),
    "村务公开": ("{place}村民反映村务财务公开不及时", "村民对村集体资产出租有异议"),
    "社会保障": ("{place}老人反映养老金未按时发放", "低保评定有异议"),
    "欠薪聚集": ("{place}某服装厂{n}名工人聚集讨薪", "工程项目部门口{n}名工人聚集"),
    "集体上访苗头": ("{place}{n}名村民酝酿集体上访反映征地问题", "业主群讨论集体到镇政府反映问题"),
    "网络舆情": ("网上流传{place}发生纠纷的视频，引发关注", "微信群传播不实信息"),
}
CHANNEL_WEIGHTS = {
    Channel.GRID_WORKER: 55,
    Channel.HOTLINE: 15,
    Channel.WALK_IN: 10,
    Channel.VIDEO: 8,
    Channel.CITIZEN_APP: 8,
    Channel.DEPARTMENT: 4,
}
SITES = ("村委会", "菜市场", "小学门口", "老街", "工业区", "桥头", "文化广场", "卫生院旁")


def seed_incidents(ctx: AppContext, rng: random.Random, scale: float) -> None:
    """Replays a year on a manual clock, then leaves the app's own clock untouched."""
    now = ctx.clock.now()
    clock = ManualClock(now - dt.timedelta(days=365))
    # One transaction for the whole year: each service call commits a savepoint only, and
    # the steps of a case go to the service in runs (_CaseWalk): 73 s for the full demo
    # instead of 119 s one action at a time (two cores, README "First start").
    with ctx.engine.connect() as connection, connection.begin():
        factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        _seed_year(ctx, factory, clock, rng, scale, now)


def _seed_year(
    ctx: AppContext,
    factory: sessionmaker[Session],
    clock: ManualClock,
    rng: random.Random,
    scale: float,
    now: dt.datetime,
) -> None:
    service = IncidentService(factory, clock, ctx.township_code)
    with factory() as session:
        grids = list(
            session.execute(select(Area.code, Area.name).where(Area.level == AreaLevel.GRID)).all()
        )
        departments = {
            code: dept_id
            for code, dept_id in session.execute(select(Department.code, Department.id))
        }
    duty = Actor.for_roles(None, "zhiban", "王晓燕", (Role.DUTY,))
    duty2 = Actor.for_roles(None, "zhiban2", "陈立群", (Role.DUTY,))
    total = max(30, round(INCIDENTS_PER_YEAR * scale))
    starts = sorted(now - dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(total))
    channels, weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    for start in starts:
        clock.set(start)
        category = rng.choice(list(CATEGORIES))
        sub = rng.choice(CATEGORIES[category])
        grid_code, grid_name = rng.choice(grids)
        place = grid_name.replace("第", "").split("网格")[0] + rng.choice(SITES)
        people = rng.randrange(8, 60) if category == "群体性事件苗头" else rng.choice((1, 1, 2, 3))
        text = rng.choice(TEMPLATES[sub]).format(place=place, n=people, m=rng.randrange(2, 7))
        colour = (
            RiskColour.RED
            if category == "群体性事件苗头" or rng.random() < 0.06
            else RiskColour.YELLOW
            if rng.random() < 0.3
            else RiskColour.GREEN
        )
        actor = duty if rng.random() < 0.6 else duty2
        incident = service.report(
            actor,
            IncidentDraft(
                channel=rng.choices(channels, weights)[0],
                category=category,
                subcategory=sub,
                colour=colour,
                grid_code=grid_code,
                place=place,
                title=text[:40],
                description=text + "。请尽快核实处置。",
                reporter=person_name(rng),
                people_involved=people,
            ),
        )
        _advance(service, clock, actor, incident.id, rng, now, departments, category)


class _CaseWalk:
    """Collects the steps of one case and hands them to the service as runs (one
    transaction and one rebuild each, not one per step: the first start replays a year)."""

    def __init__(
        self,
        service: IncidentService,
        clock: ManualClock,
        actor: Actor,
        incident_id: uuid.UUID,
        now: dt.datetime,
    ) -> None:
        self.service, self.clock, self.actor = service, clock, actor
        self.incident_id, self.now = incident_id, now
        self.seen = IncidentState.REPORTED  # where the next run starts
        self.steps: list[Step] = []

    def step(
        self, action: str, hours: float, note: str = "", department_id: uuid.UUID | None = None
    ) -> bool:
        """Advance the clock; False once it reaches the present (the case stays open)."""
        self.clock.advance(dt.timedelta(hours=hours))
        if self.clock.now() >= self.now:
            return False
        self.steps.append(Step(action, self.clock.now(), note, department_id))
        return True

    def take(self) -> None:
        if self.steps:
            self.seen = self.service.replay(
                self.actor, self.incident_id, self.seen, self.steps
            ).state
            self.steps.clear()


def _advance(
    service: IncidentService,
    clock: ManualClock,
    actor: Actor,
    incident_id: uuid.UUID,
    rng: random.Random,
    now: dt.datetime,
    departments: dict[str, uuid.UUID],
    category: str,
) -> None:
    """Walk the case forward step by step until `now` or closure."""
    walk = _CaseWalk(service, clock, actor, incident_id, now)
    _walk(walk, rng, departments, category)
    walk.take()


def _walk(
    walk: _CaseWalk, rng: random.Random, departments: dict[str, uuid.UUID], category: str
) -> None:
    from centre_app.incidents.categories import suggested_department_code

    step = walk.step
    if rng.random() < 0.04:
        step("reject", rng.uniform(0.2, 2), note="不属于本镇管辖，已告知来电人")
        return
    if not step("accept", rng.uniform(0.1, 3)):
        return
    if rng.random() < 0.03:
        if not step("escalate", rng.uniform(1, 8), note="涉及跨区域，需县级协调"):
            return
        walk.clock.advance(dt.timedelta(days=rng.uniform(1, 6)))
        if walk.clock.now() >= walk.now:
            return
        walk.take()  # the county's reply is a service call of its own
        county = Actor.for_roles(None, "county", "县综治中心", (Role.HEAD,))
        decision = rng.choice(("退回乡镇处置", "县级已办结"))
        walk.seen = walk.service.record_county_reply(
            county,
            walk.incident_id,
            decision,
            "县人社局已协调处理" if decision == "县级已办结" else "已约谈相关企业，请乡镇跟进落实",
        ).state
        if decision == "县级已办结":
            return
    dept = departments.get(suggested_department_code(category) or "") or rng.choice(
        list(departments.values())
    )
    if not step("dispatch", rng.uniform(0.1, 4), department_id=dept):
        return
    if not step("handle", rng.uniform(4, 90), note="已到现场处置完毕"):
        return
    if rng.random() < 0.08:  # the grid worker finds it not done
        if not step("verify_failed", rng.uniform(2, 24), note="网格员回访：问题仍然存在"):
            return
        if not step("handle", rng.uniform(4, 48), note="再次处置"):
            return
    if not step("verify", rng.uniform(2, 30), note="网格员现场核实已解决"):
        return
    step("close", rng.uniform(0.5, 12))
