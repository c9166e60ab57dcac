"""The sync panel: where the county link stands, what failed (in words), and "sync now"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.replication.status import LinkState, SyncStatus
from centre_app.settings import Key
from ui.link_state import state_text
from ui.messages import error_text

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from ui.sync.controller import SyncController


class SyncPanel(QDialog):
    def __init__(
        self, ctx: AppContext, controller: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setObjectName("syncPanel")
        self.setWindowTitle(self.tr("县级同步"))
        self.resize(560, 420)
        self.url_label = QLabel(str(ctx.settings.get(Key.COUNTY_URL)) or self.tr("（未配置）"))
        self.state_label = QLabel()
        self.backlog_label = QLabel()
        self.success_label = QLabel()
        self.totals_label = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("县级服务器："), self.url_label)
        form.addRow(self.tr("状态："), self.state_label)
        form.addRow(self.tr("待上传变更："), self.backlog_label)
        form.addRow(self.tr("上次成功："), self.success_label)
        form.addRow(self.tr("本次运行："), self.totals_label)
        self.errors = QListWidget(self)
        self.errors.setObjectName("syncErrors")
        self.errors.setWordWrap(True)  # a whole sentence, whatever the language
        self.errors.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sync_button = QPushButton(self.tr("立即同步"), self)
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(controller.syncNow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("最近的错误：")))
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        controller.statusChanged.connect(self.showStatus)
        self.showStatus(controller.status)

    def showStatus(self, status: SyncStatus) -> None:
        self.state_label.setText(state_text(status.state))
        self.backlog_label.setText(self.tr("{0} 条").format(status.backlog))
        self.success_label.setText(
            to_local(status.last_success).strftime("%Y-%m-%d %H:%M:%S")
            if status.last_success
            else self.tr("尚未成功同步")
        )
        self.totals_label.setText(
            self.tr("已上传 {0} 条，已接收 {1} 条").format(status.pushed, status.pulled)
        )
        self.sync_button.setEnabled(status.state is not LinkState.UNCONFIGURED)
        self.errors.clear()
        for stamp, error in reversed(self._controller.errors):
            self.errors.addItem(f"{stamp}  {error_text(error.as_error())}")
        if not self._controller.errors:
            self.errors.addItem(self.tr("（没有错误）"))
