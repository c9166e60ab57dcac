"""Read-only view of the audit trail (who did what, when) for admins and the centre head."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import to_local

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

_COLUMNS = (
    str(QT_TRANSLATE_NOOP("AuditDialog", "时间")),
    str(QT_TRANSLATE_NOOP("AuditDialog", "用户")),
    str(QT_TRANSLATE_NOOP("AuditDialog", "操作")),
    str(QT_TRANSLATE_NOOP("AuditDialog", "对象")),
    str(QT_TRANSLATE_NOOP("AuditDialog", "摘要")),
)


class AuditDialog(QDialog):
    """The newest 500 entries, filterable by user and action; the trail itself is never edited."""

    LIMIT = 500

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(900, 560)
        self.user_filter = QLineEdit(self)
        self.user_filter.setPlaceholderText(self.tr("用户名"))
        self.action_filter = QLineEdit(self)
        self.action_filter.setPlaceholderText(self.tr("操作前缀，如 auth."))
        refresh = QPushButton(self.tr("查询"), self)
        refresh.clicked.connect(self.refreshEntries)
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in _COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.count = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(self.user_filter)
        bar.addWidget(self.action_filter)
        bar.addWidget(refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.refreshEntries()

    def refreshEntries(self) -> None:
        entries = self._ctx.audit_log.recent(
            self._actor, limit=self.LIMIT,
            username=self.user_filter.text().strip() or None,
            action_prefix=self.action_filter.text().strip() or None)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.username,
                     entry.action, f"{entry.target_type or ''} {entry.target_id or ''}".strip(),
                     entry.summary or "")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.count.setText(self.tr("显示最近 {0} 条").format(len(entries)))
