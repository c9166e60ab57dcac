"""Camera health: which cameras are offline, since when, and their last good play."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local
from centre_app.video.health import HealthRow
from ui.messages import translate_template

STATE_TEXT = {  # marked so that lupdate collects them
    "playing": str(QT_TRANSLATE_NOOP("HealthDialog", "在线")),
    "online": str(QT_TRANSLATE_NOOP("HealthDialog", "在线")),
    "offline": str(QT_TRANSLATE_NOOP("HealthDialog", "离线")),
    "unsupported": str(QT_TRANSLATE_NOOP("HealthDialog", "无法播放")),
    "unknown": str(QT_TRANSLATE_NOOP("HealthDialog", "未播放过")),
}


class HealthDialog(QDialog):
    def __init__(self, rows: Sequence[HealthRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("摄像机在线状态"))
        # A short table (one township's cameras); a lazy model is not needed here.
        table = QTableWidget(len(rows), 5, self)
        table.setHorizontalHeaderLabels(
            [
                self.tr("摄像机"),
                self.tr("位置"),
                self.tr("状态"),
                self.tr("离线起始"),
                self.tr("最近正常播放"),
            ]
        )
        for r, row in enumerate(rows):
            cells = [
                row.name,
                row.place,
                self.tr(STATE_TEXT.get(row.state, row.state)),
                to_local(row.offline_since).strftime("%m-%d %H:%M:%S") if row.offline_since else "",
                to_local(row.last_ok_at).strftime("%m-%d %H:%M:%S") if row.last_ok_at else "",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2 and row.last_error:
                    item.setToolTip(translate_template(row.last_error))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(table)
        box.addWidget(buttons)
        self.resize(760, 480)
