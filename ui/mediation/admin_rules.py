"""预约规则: the centre head chooses what a booking outside the opening hours, on a holiday
or outside a mediator's available hours does — refused, or a warning the clerk confirms.
One setting (Key.MEDIATION_SOFT_RULES) that the service reads at every check; overlaps and
buffers always refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.mediation.rules import RuleMode, policy_mode
from centre_app.mediation.service import NeedsConfirmation
from centre_app.security.roles import Permission
from centre_app.settings import Key
from ui.mediation.admin_rota import clash_text
from ui.status_message import show_error

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor

T = TypeVar("T")


class RulesDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.setWindowTitle(self.tr("预约规则"))
        self._ctx, self._actor = ctx, actor
        self.mode = QComboBox(self)
        self.mode.setObjectName("softRuleMode")
        self.mode.addItem(self.tr("拒绝预约"), RuleMode.REFUSE.value)
        self.mode.addItem(self.tr("提醒，由办事员确认后预约"), RuleMode.WARN.value)
        current = policy_mode(ctx.settings.get(Key.MEDIATION_SOFT_RULES)).value
        self.mode.setCurrentIndex(max(self.mode.findData(current), 0))
        self.mode.setEnabled(actor.can(Permission.SETTINGS_MANAGE))
        explain = QLabel(
            self.tr(
                "预约超出调解室开放时间、在法定节假日或调解员可约时间以外时：\n"
                "（同一调解室、调解员或当事人时间重叠，以及两场之间的预留时间，总是拒绝）"
            ),
            self,
        )
        explain.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("rulesMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveRules")
        buttons.accepted.connect(self.saveRules)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.mode)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def saveRules(self) -> None:
        try:
            self._ctx.settings.set(self._actor, Key.MEDIATION_SOFT_RULES, self.mode.currentData())
        except DomainError as exc:
            show_error(self.message, exc)
            return
        self.accept()


def with_confirmation(parent: QWidget, call: Callable[..., T]) -> T | None:
    """`call()`; when only warnings stand in the way (the centre warns rather than
    refuses), ask the clerk, and on yes `call(accept_warnings=True)`. None: the clerk
    declined. Refusals propagate as DomainError."""
    try:
        return call()
    except NeedsConfirmation as exc:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("MediationAdmin", "需要确认"),
            QCoreApplication.translate("MediationAdmin", "{0}\n\n仍然预约吗？").format(
                "\n".join(clash_text(c) for c in exc.warnings)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.setObjectName("confirmWarnings")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return None
        return call(accept_warnings=True)
