"""The county-link state shown in the status bar.

Until the replication worker reports, the label shows what the settings say: no county
server configured, or configured and not yet contacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from centre_app.settings import Key

if TYPE_CHECKING:
    from centre_app.app_context import AppContext


class LinkStateLabel(QLabel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("linkState")
        self.refreshState()

    def refreshState(self) -> None:
        if not self._ctx.settings.get(Key.COUNTY_URL):
            self.showState("unconfigured", self.tr("县级链路：未配置"),
                           self.tr("在 设置 中填写县级服务器地址后开始同步"))
        else:
            self.showState("offline", self.tr("县级链路：未连接"),
                           self.tr("尚未与县级服务器建立连接"))

    def showState(self, state: str, text: str, tip: str) -> None:
        self.setProperty("state", state)
        self.setText(text)
        self.setToolTip(tip)
        # Re-polish so the style sheet's [state=...] selector applies.
        self.style().unpolish(self)
        self.style().polish(self)
