"""Demo reference data: 苍南县 → 金乡镇 → villages → grids, departments, users, rooms, mediators."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.security.roles import Role
from db.models import Area, AreaLevel, Department, DepartmentKind, Mediator, MediatorKind, Room

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

COUNTY = ("330327000000", "苍南县")
TOWNSHIP = ("330327102000", "金乡镇")
VILLAGES = [
    ("330327102001", "城东社区"), ("330327102002", "城西社区"), ("330327102003", "新城社区"),
    ("330327102201", "南门村"), ("330327102202", "北门村"), ("330327102203", "湖里村"),
    ("330327102204", "石砰村"), ("330327102205", "大渔村"), ("330327102206", "坊下村"),
    ("330327102207", "炎亭村"),
]  # fmt: skip
GRIDS_PER_VILLAGE = 6

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余叶程苏吕魏卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志明晓燕立群海燕红梅文斌春生金水"

COUNTY_DEPARTMENTS = [
    ("GA", "县公安局"), ("ZJ", "县住房和城乡建设局"), ("SJ", "县市场监督管理局"),
    ("HB", "县生态环境分局"), ("YJ", "县应急管理局"), ("RS", "县人力资源和社会保障局"),
    ("WJ", "县卫生健康局"), ("ZR", "县自然资源和规划局"), ("SF", "县司法局"),
    ("XF", "县信访局"), ("XFJY", "县消防救援大队"), ("ZF", "县综合行政执法局"),
    ("JT", "县交通运输局"), ("JY", "县教育局"), ("MZ", "县民政局"), ("NY", "县农业农村局"),
]  # fmt: skip
TOWNSHIP_PLATFORMS = [
    ("PT-ZZ", "综治工作平台"), ("PT-SC", "市场监管平台"),
    ("PT-ZF", "综合执法平台"), ("PT-BM", "便民服务平台"),
]  # fmt: skip
# (code, name, parent county department code)
STATIONS = [
    ("ST-PCS", "金乡派出所", "GA"), ("ST-SCS", "金乡市场监管所", "SJ"),
    ("ST-SFS", "金乡司法所", "SF"), ("ST-ZFZD", "金乡综合执法中队", "ZF"),
    ("ST-GTS", "金乡自然资源所", "ZR"), ("ST-HWS", "金乡环卫所", "ZF"),
    ("ST-LBS", "金乡劳动保障所", "RS"), ("ST-WSY", "金乡卫生院", "WJ"),
    ("ST-XFZ", "金乡消防救援站", "XFJY"), ("ST-AJZ", "金乡安监站", "YJ"),
]  # fmt: skip
TOWNSHIP_OFFICES = [("KS-ZZB", "综治办"), ("KS-XFB", "信访办"), ("KS-DZB", "党政办")]

ROOMS = [
    ("法律援助服务室", "法律援助", "一楼东侧"), ("专家咨询服务室", "专家咨询", "一楼西侧"),
    ("心理咨询服务室", "心理咨询", "二楼 201"), ("国土住建信访调解室", "国土住建", "二楼 202"),
    ("医疗纠纷调解室", "医疗纠纷", "二楼 203"), ("劳动争议调解室", "劳动争议", "二楼 204"),
    ("老娘舅调解室", "品牌调解室", "一楼大厅北"),
]  # fmt: skip
MEDIATORS = [
    ("陈国华", MediatorKind.PEOPLES_MEDIATOR, "邻里纠纷,婚姻家庭", "金乡镇人民调解委员会"),
    ("林阿土", MediatorKind.PEOPLES_MEDIATOR, "邻里纠纷,土地山林", "老娘舅调解工作室"),
    ("郑美玲", MediatorKind.PEOPLES_MEDIATOR, "婚姻家庭,赡养抚养", "金乡镇人民调解委员会"),
    ("黄建平", MediatorKind.LAWYER, "劳资纠纷,合同纠纷", "浙江明镜律师事务所"),
    ("吴晓东", MediatorKind.LAWYER, "交通事故,人身损害", "浙江苍南正理律师事务所"),
    ("潘丽华", MediatorKind.LAWYER, "婚姻家庭,房产纠纷", "浙江明镜律师事务所"),
    ("周志强", MediatorKind.EXPERT, "医疗纠纷", "县医学会"),
    ("蔡文斌", MediatorKind.EXPERT, "国土住建,征地拆迁", "县自然资源和规划局（退休）"),
    ("许海燕", MediatorKind.PSYCHOLOGIST, "心理疏导", "县心理健康服务中心"),
    ("谢春生", MediatorKind.PEOPLES_MEDIATOR, "劳资纠纷,消费纠纷", "金乡镇人民调解委员会"),
]  # fmt: skip

DEMO_PASSWORD = "Demo2026"
# (username, display name, roles) — all share DEMO_PASSWORD; named in the README.
DEMO_USERS: list[tuple[str, str, tuple[Role, ...]]] = [
    ("zhiban", "王晓燕", (Role.DUTY,)),
    ("zhiban2", "陈立群", (Role.DUTY,)),
    ("jiedai", "林小红", (Role.RECEPTION,)),
    ("shipin", "周建国", (Role.VIDEO,)),
    ("zhuren", "黄志明", (Role.HEAD,)),
    ("admin", "系统管理员", (Role.ADMIN,)),
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone_number(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "158", "187", "133")) + f"{rng.randrange(10**8):08d}"


def seed_reference(ctx: AppContext, rng: random.Random, scale: float) -> None:
    # Area codes lie under this centre's own code (the county accepts no other, issue 15).
    own = ctx.township_code if len(ctx.township_code) == 9 else TOWNSHIP[0][:9]

    def under(code: str) -> str:
        return own + code[9:]

    with ctx.session_factory.begin() as session:
        county = Area(code=own[:6] + COUNTY[0][6:], name=COUNTY[1], level=AreaLevel.COUNTY)
        township = Area(
            code=under(TOWNSHIP[0]), name=TOWNSHIP[1], level=AreaLevel.TOWNSHIP, parent=county
        )
        session.add_all([county, township])
        for code, village_name in VILLAGES:
            village_code = under(code)
            village = Area(
                code=village_code, name=village_name, level=AreaLevel.VILLAGE, parent=township
            )
            session.add(village)
            for number in range(1, GRIDS_PER_VILLAGE + 1):
                session.add(
                    Area(
                        code=f"{village_code}{number:03d}",
                        name=f"{village_name}第{number}网格",
                        level=AreaLevel.GRID,
                        parent=village,
                        grid_worker=person_name(rng),
                        grid_worker_phone=phone_number(rng),
                    )
                )
        by_code: dict[str, Department] = {}
        for code, name in COUNTY_DEPARTMENTS:
            by_code[code] = Department(
                code=code,
                name=name,
                kind=DepartmentKind.COUNTY_DEPARTMENT,
                phone=f"0577-6{rng.randrange(10**6):06d}",
            )
        for code, name in TOWNSHIP_PLATFORMS:
            by_code[code] = Department(code=code, name=name, kind=DepartmentKind.TOWNSHIP_PLATFORM)
        for code, name, parent in STATIONS:
            by_code[code] = Department(
                code=code, name=name, kind=DepartmentKind.STATION, parent=by_code[parent]
            )
        for code, name in TOWNSHIP_OFFICES:
            by_code[code] = Department(code=code, name=name, kind=DepartmentKind.TOWNSHIP_OFFICE)
        session.add_all(by_code.values())
        session.flush()
        for department in by_code.values():
            if department.kind is not DepartmentKind.COUNTY_DEPARTMENT:
                department.area_id = township.id
            else:
                department.area_id = county.id
        rooms = {}
        for room_name, room_kind, location in ROOMS:
            rooms[room_name] = Room(
                name=room_name,
                kind=room_kind,
                location=location,
                area_id=township.id,
                capacity=6 if room_kind == "心理咨询" else 10,
            )
        session.add_all(rooms.values())
        session.flush()
        for name, kind, specialties, organisation in MEDIATORS:
            home = rooms["老娘舅调解室"] if organisation == "老娘舅调解工作室" else None
            session.add(
                Mediator(
                    name=name,
                    kind=kind,
                    specialties=specialties,
                    organisation=organisation,
                    phone=phone_number(rng),
                    home_room_id=home.id if home else None,
                )
            )
    for username, display_name, roles in DEMO_USERS:
        ctx.auth.create_user(SYSTEM_ACTOR, username, display_name, DEMO_PASSWORD, roles)
