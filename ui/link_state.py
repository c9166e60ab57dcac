"""The county-link state shown in the status bar (在线/离线/同步中/未配置), fed by the sync
worker through `SyncController.statusChanged`; clicking it opens the sync panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from centre_app.clock import to_local
from centre_app.replication.status import LinkState, SyncStatus
from centre_app.settings import Key
from ui.messages import error_text

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

_TEXTS = {  # marked so that lupdate collects them
    LinkState.UNCONFIGURED: str(QT_TRANSLATE_NOOP("LinkState", "未配置")),
    LinkState.OFFLINE: str(QT_TRANSLATE_NOOP("LinkState", "离线")),
    LinkState.SYNCING: str(QT_TRANSLATE_NOOP("LinkState", "同步中")),
    LinkState.ONLINE: str(QT_TRANSLATE_NOOP("LinkState", "在线")),
    LinkState.ERROR: str(QT_TRANSLATE_NOOP("LinkState", "需处理")),
}


def state_text(state: LinkState) -> str:
    return QCoreApplication.translate("LinkState", _TEXTS[state])


class LinkStateLabel(QLabel):
    clicked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("linkState")
        self.refreshState()

    def refreshState(self) -> None:
        """What the settings say, until the worker reports."""
        if not self._ctx.settings.get(Key.COUNTY_URL) or not self._ctx.settings.get(
            Key.COUNTY_TOKEN
        ):
            self.showState(
                "unconfigured",
                self.tr("县级链路：未配置"),
                self.tr("在 设置 中填写县级服务器地址和同步凭据后开始同步"),
            )
        else:
            self.showState(
                "offline", self.tr("县级链路：未连接"), self.tr("尚未与县级服务器建立连接")
            )

    def showStatus(self, status: SyncStatus) -> None:
        if status.state is LinkState.UNCONFIGURED:
            self.refreshState()
            return
        text = self.tr("县级链路：{0}").format(state_text(status.state))
        if status.backlog:
            text += self.tr("（待传 {0}）").format(status.backlog)
        tips = [self.tr("待上传变更：{0} 条").format(status.backlog)]
        tips.append(
            self.tr("上次成功：{0}").format(
                to_local(status.last_success).strftime("%Y-%m-%d %H:%M:%S")
                if status.last_success
                else self.tr("尚未成功同步")
            )
        )
        if status.error is not None and status.state in (LinkState.OFFLINE, LinkState.ERROR):
            tips.append(error_text(status.error.as_error()))
        if status.leader:  # the desk of the centre that talks to the county
            tips.append(self.tr("与县级同步的工作站：{0}").format(status.leader))
        tips.append(self.tr("点击打开同步面板"))
        self.showState(status.state.value, text, "\n".join(tips))

    def showState(self, state: str, text: str, tip: str) -> None:
        self.setProperty("state", state)
        self.setText(text)
        self.setToolTip(tip)
        # Re-polish so the style sheet's [state=...] selector applies.
        self.style().unpolish(self)
        self.style().polish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mouseReleaseEvent(event)
