"""The workspaces the main window offers, in navigation order.

Each workspace package provides a factory `(ctx, actor, parent) -> QWidget`; until its
issue lands a workspace shows a placeholder page saying what it will hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from centre_app.security.roles import Permission

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

WorkspaceFactory = Callable[["AppContext", "Actor", QWidget | None], QWidget]


@dataclass(frozen=True)
class WorkspaceSpec:
    key: str
    title: str  # source text; shown through tr() via `label`
    description: str  # what the page holds (used by the placeholder)
    permission: Permission
    shortcut: str
    factory: WorkspaceFactory | None = None

    @property
    def label(self) -> str:
        return QCoreApplication.translate("Workspaces", self.title)


def _placeholder(spec_key: str) -> WorkspaceFactory:
    def build(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
        from ui.placeholder import PlaceholderPage

        return PlaceholderPage(workspace(spec_key), parent)

    return build


def _incidents(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.incidents.page import build_incidents_page

    return build_incidents_page(ctx, actor, parent)


def _video_wall(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.video_wall.page import build_video_wall_page

    return build_video_wall_page(ctx, actor, parent)


def _mediation(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.mediation.page import build_mediation_page

    return build_mediation_page(ctx, actor, parent)


def _reception(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.reception.page import build_reception_page

    return build_reception_page(ctx, actor, parent)


def _dashboard(ctx: AppContext, actor: Actor, parent: QWidget | None) -> QWidget:
    from ui.dashboard.page import build_dashboard_page

    return build_dashboard_page(ctx, actor, parent)


WORKSPACES: tuple[WorkspaceSpec, ...] = (
    WorkspaceSpec(
        "incidents",
        str(QT_TRANSLATE_NOOP("Workspaces", "事件分流")),
        str(
            QT_TRANSLATE_NOOP(
                "Workspaces",
                "值班员的事件分流队列：待分流、我的、即将超期/已超期、待核实、已上报县级、按部门；事件闭环处置（受理、派遣、处置反馈、核实、结案）。",
            )
        ),
        Permission.INCIDENT_VIEW,
        "Ctrl+1",
        _incidents,
    ),
    WorkspaceSpec(
        "video_wall",
        str(QT_TRANSLATE_NOOP("Workspaces", "视频墙")),
        str(
            QT_TRANSLATE_NOOP(
                "Workspaces",
                "视频巡查：摄像机目录树、1/4/9/16/25/36 分屏、轮巡、截图取证、从画面创建事件、摄像机在线状态。",
            )
        ),
        Permission.VIDEO_VIEW,
        "Ctrl+2",
        _video_wall,
    ),
    WorkspaceSpec(
        "mediation",
        str(QT_TRANSLATE_NOOP("Workspaces", "调解室日历")),
        str(
            QT_TRANSLATE_NOOP(
                "Workspaces",
                "调解室与调解员的日/周日历：坐班、预约、冲突检查、调解案件与成功率、iCalendar 导出、打印日程表。",
            )
        ),
        Permission.MEDIATION_VIEW,
        "Ctrl+3",
        _mediation,
    ),
    WorkspaceSpec(
        "reception",
        str(QT_TRANSLATE_NOOP("Workspaces", "接待登记")),
        str(
            QT_TRANSLATE_NOOP(
                "Workspaces",
                "来访登记：身份证号校验、排队取号、分流到窗口/调解室/部门、重复来访识别、信访事项法定期限。",
            )
        ),
        Permission.RECEPTION_REGISTER,
        "Ctrl+4",
        _reception,
    ),
    WorkspaceSpec(
        "dashboard",
        str(QT_TRANSLATE_NOOP("Workspaces", "统计")),
        str(
            QT_TRANSLATE_NOOP(
                "Workspaces",
                "中心主任的统计看板：受理量、处置成功率、超期数，按类别、网格、部门和月份。",
            )
        ),
        Permission.STATS_VIEW,
        "Ctrl+5",
        _dashboard,
    ),
)


def workspace(key: str) -> WorkspaceSpec:
    for spec in WORKSPACES:
        if spec.key == key:
            return spec
    raise KeyError(key)
