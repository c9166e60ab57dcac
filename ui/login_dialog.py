"""Sign-in: the AuthService checks the password, throttles and audits; this only asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from centre_app.demo import DEMO_PASSWORD, DEMO_USERS
from centre_app.errors import DomainError
from centre_app.settings import Key
from ui.status_message import clear_when_edited, show_error

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录"))
        self.setObjectName("loginDialog")
        self.setMinimumWidth(380)

        title = QLabel(str(ctx.settings.get(Key.CENTRE_NAME)), self)
        title.setObjectName("loginTitle")
        title.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.message = QLabel(self)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(self)
        self.login_button = buttons.addButton(
            self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setDefault(True)
        buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.attemptLogin)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        if ctx.is_demo:
            hint = QLabel(
                self.tr("演示数据库：账号 {0}（值班员）、{1}（中心主任）等，密码 {2}").format(
                    DEMO_USERS[0][0], DEMO_USERS[4][0], DEMO_PASSWORD
                ),
                self,
            )
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(hint)
        layout.addWidget(buttons)
        clear_when_edited(self.message, self.username, self.password)
        self.username.setFocus()

    def attemptLogin(self) -> None:
        try:
            self.actor = self._ctx.auth.login(self.username.text(), self.password.text())
        except DomainError as error:
            show_error(self.message, error)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
