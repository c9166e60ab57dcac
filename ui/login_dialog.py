"""Sign-in: the AuthService checks the password, throttles and audits; this only asks.

At a named desk the account may already be signed in elsewhere: the dialog then says
where and since when and stays open with 继续 (go on here) or 退出 (sign out again)."""

from __future__ import annotations

import uuid
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

from centre_app.clock import to_local
from centre_app.demo import DEMO_PASSWORD, DEMO_USERS
from centre_app.errors import DomainError
from centre_app.settings import Key
from ui.status_message import clear_when_edited, show_error, show_info

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.actor: Actor | None = None
        self.desk_session: uuid.UUID | None = None
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
        if self.actor is not None:  # told of the other desk, and going on here
            self.accept()
            return
        try:
            actor, signed_in = self._ctx.auth.sign_in(
                self.username.text(), self.password.text(), self._ctx.desk
            )
        except DomainError as error:
            show_error(self.message, error)
            self.password.selectAll()
            self.password.setFocus()
            return
        self.actor = actor
        self.desk_session = signed_in.session_id if signed_in else None
        if signed_in is None or not signed_in.elsewhere:
            self.accept()
            return
        show_info(
            self.message,
            self.tr(
                "该账号已在 {0} 登录（{1} 起）。可以继续在本机使用，对方工作站会看到本次登录。"
            ).format(
                "、".join(other.desk for other in signed_in.elsewhere),
                "、".join(
                    to_local(other.signed_in_at).strftime("%H:%M") for other in signed_in.elsewhere
                ),
            ),
        )
        self.login_button.setText(self.tr("继续"))
        for field in (self.username, self.password):
            field.setEnabled(False)
        self.login_button.setFocus()

    def reject(self) -> None:
        """退出 after signing in (told of the other desk): this desk's session ends again."""
        if self.actor is not None:
            try:
                self._ctx.auth.logout(self.actor, self.desk_session)
            except DomainError as error:
                show_error(self.message, error)
                return
            self.actor = None
        super().reject()
