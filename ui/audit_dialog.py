"""Read-only view of the audit trail (who did what, when) for admins and the centre head.

Actions are shown in words and objects by the name a person knows them by (case number,
user, camera …), never as codes and ids; the summary is the text stored with the entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
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
from centre_app.security.audit_labels import ACTION_LABELS, action_label, target_label
from ui.messages import translate_template

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor
    from db.models import AuditEntry

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
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(1000, 600)
        self.user_filter = QLineEdit(self)
        self.user_filter.setPlaceholderText(self.tr("用户名"))
        self.user_filter.returnPressed.connect(self.refreshEntries)
        self.action_filter = QComboBox(self)
        self.action_filter.setObjectName("actionFilter")
        self.action_filter.addItem(self.tr("全部操作"), None)
        for code in ACTION_LABELS:
            self.action_filter.addItem(translate_template(action_label(code)), code)
        self.action_filter.currentIndexChanged.connect(self.refreshEntries)
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
            self._actor,
            limit=self.LIMIT,
            username=self.user_filter.text().strip() or None,
            action=self.action_filter.currentData(),
        )
        names = self._ctx.audit_log.target_names(self._actor, entries)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.username,
                translate_template(action_label(entry.action)),
                self.objectText(entry, names),
                entry.summary or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setToolTip(entry.action)  # the code, for whoever reads the log file
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.count.setText(self.tr("显示最近 {0} 条").format(len(entries)))

    def objectText(self, entry: AuditEntry, names: dict[str, str]) -> str:
        kind = translate_template(target_label(entry.target_type)) if entry.target_type else ""
        if not entry.target_id:
            return kind
        name = names.get(entry.target_id)
        if name is None:
            name = self.tr("（已不存在）")
        elif entry.target_type == "setting":
            name = translate_template(name)
        return f"{kind} {name}".strip()
