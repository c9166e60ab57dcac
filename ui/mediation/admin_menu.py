"""The 管理 button of the calendar's toolbar: the screens that edit rooms, mediators, the
duty rota and the working-day calendar, each offered only to a role that may use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMenu, QToolButton, QWidget

from centre_app.security.roles import Permission

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


def _screens() -> list[tuple[str, str, Permission, Callable[..., QDialog]]]:
    from ui.mediation.admin_mediators import MediatorsDialog
    from ui.mediation.admin_rooms import RoomsDialog
    from ui.mediation.admin_rota import RotaDialog
    from ui.mediation.admin_rules import RulesDialog
    from ui.mediation.admin_working_days import WorkingDaysDialog

    return [
        (
            "adminRooms",
            QCoreApplication.translate("MediationAdmin", "调解室…"),
            Permission.MEDIATION_MANAGE,
            RoomsDialog,
        ),
        (
            "adminMediators",
            QCoreApplication.translate("MediationAdmin", "调解员…"),
            Permission.MEDIATION_MANAGE,
            MediatorsDialog,
        ),
        (
            "adminRota",
            QCoreApplication.translate("MediationAdmin", "值班轮值…"),
            Permission.MEDIATION_BOOK,
            RotaDialog,
        ),
        (
            "adminRules",
            QCoreApplication.translate("MediationAdmin", "预约规则…"),
            Permission.SETTINGS_MANAGE,
            RulesDialog,
        ),
        (
            "adminWorkingDays",
            QCoreApplication.translate("MediationAdmin", "工作日…"),
            Permission.MEDIATION_MANAGE,
            WorkingDaysDialog,
        ),
    ]


class AdminButton(QToolButton):
    """A toolbar button whose menu opens each screen; `closed` runs when one closes (the
    calendar reloads: rooms, mediators and the rota may have changed)."""

    def __init__(
        self, ctx: AppContext, actor: Actor, parent: QWidget, closed: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mediationAdmin")
        self.setText(QCoreApplication.translate("MediationAdmin", "管理"))
        self.setToolTip(
            QCoreApplication.translate("MediationAdmin", "调解室、调解员、值班轮值和工作日")
        )
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._ctx, self._actor, self._closed = ctx, actor, closed
        self.dialog: QDialog | None = None  # the screen open now
        menu = QMenu(self)
        for name, text, permission, screen in _screens():
            if actor.can(permission):
                action = menu.addAction(text)
                action.setObjectName(name)
                action.triggered.connect(lambda _=False, s=screen: self.openScreen(s))
        self.setMenu(menu)
        self.setVisible(bool(menu.actions()))

    def openScreen(self, screen: Callable[..., QDialog]) -> QDialog:
        dialog = screen(self._ctx, self._actor, self.parentWidget())
        dialog.finished.connect(lambda _result: self._closed())
        self.dialog = dialog
        room = dialog.screen().availableGeometry()  # 720 px did not fit a 768 px screen
        dialog.resize(min(1000, room.width() - 40), min(720, room.height() - 60))
        dialog.open()
        return dialog
