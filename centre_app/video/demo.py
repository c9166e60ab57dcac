"""Demo cameras in the 金乡镇 tree pointing at the simulator on loopback.

Camera k (0-based) serves on port DEMO_BASE_PORT + k, `/main.ts` and `/sub.ts`; two more
cameras are deliberately broken (an rtsp:// one and an unreachable host) so the wall
shows what a bad camera looks like.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from sqlalchemy import select

from centre_app.security.actor import SYSTEM_ACTOR
from centre_app.video.codes import make_camera_code
from centre_app.video.registry import CameraDraft, CameraRegistry
from centre_app.video.simulator import stream_url
from centre_app.video.tours import TourPlan, TourService
from db.models import Area, AreaLevel

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

DEMO_BASE_PORT = 18000
DEMO_CAMERAS = 40  # at scale 1.0
CENTRE_CODE = "33032710"  # 苍南县金乡镇 video centre
SITES = (
    "村委会门口",
    "学校路口",
    "菜市场",
    "桥头",
    "文化礼堂",
    "主干道路口",
    "卫生院门口",
    "河道闸口",
    "停车场",
    "农贸街",
)


def demo_camera_count(scale: float) -> int:
    return max(8, round(DEMO_CAMERAS * scale))


def seed_cameras(ctx: AppContext, rng: random.Random, scale: float) -> None:
    with ctx.session_factory() as s:
        township = s.scalar(select(Area.id).where(Area.code == "330327102000"))
        villages = list(
            s.scalars(
                select(Area.name)
                .where(Area.parent_id == township, Area.level == AreaLevel.VILLAGE)
                .order_by(Area.code)
            )
        )
    actor = SYSTEM_ACTOR
    registry = CameraRegistry(ctx.session_factory, ctx.clock)
    drafts = []
    count = demo_camera_count(scale)
    for k in range(count):
        village = villages[k % len(villages)] if villages else ""
        site = SITES[(k // max(1, len(villages))) % len(SITES)]
        port = DEMO_BASE_PORT + k
        drafts.append(
            CameraDraft(
                national_code=make_camera_code(CENTRE_CODE, k + 1, kind="132"),
                name=f"{village}{site}",
                main_url=stream_url(port, "main"),
                sub_url=stream_url(port, "sub"),
                village=village,
                site=site,
                location=f"{village}{site}",
                notes="演示摄像机（本机模拟器）",
            )
        )
    village = villages[-1] if villages else ""  # last in the tree: the demo wall stays clean
    drafts.append(
        CameraDraft(
            national_code=make_camera_code(CENTRE_CODE, 9001, kind="131"),
            name=f"{village}老街球机",
            main_url="rtsp://192.0.2.10:554/Streaming/Channels/101",
            village=village,
            site="老街",
            notes="演示：RTSP 地址，本机播放器不支持",
        )
    )
    drafts.append(
        CameraDraft(
            national_code=make_camera_code(CENTRE_CODE, 9002, kind="132"),
            name=f"{village}水库坝顶",
            main_url="http://192.0.2.20:8080/live.ts",
            village=village,
            site="水库",
            notes="演示：主机不可达",
        )
    )
    cams = registry.add_many(actor, drafts)
    TourService(ctx.session_factory, ctx.clock).save(
        actor, TourPlan("全镇轮巡", "4", 20, tuple(c.id for c in cams[:count]))
    )
    rng.random()  # the layout is deterministic; the generator is kept for future variety
