"""The row of status buttons for one session — 已举行, 未到场, 取消 (with its reason, which
the service requires) — used by the calendar's session dialog and the case page. Each
press is one service call (`MediationService.set_status`); a refusal is shown in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from centre_app.errors import DomainError
from db.models.mediation import SessionStatus
from ui.messages import error_text

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.mediation.service import SessionView
    from centre_app.security.actor import Actor


class SessionStatusBar(QWidget):
    statusChanged = Signal(object, object)  # session id, SessionStatus

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionStatusBar")
        self._ctx, self._actor = ctx, actor
        self.session: SessionView | None = None
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText(self.tr("取消原因（取消时必填）"))
        self.reason.setMaxLength(500)
        self.buttons: dict[SessionStatus, QPushButton] = {}
        row = QHBoxLayout()
        for status, text, tip, keys in (
            (SessionStatus.HELD, self.tr("已举行"), self.tr("这场调解已举行（Alt+H）"), "Alt+H"),
            (
                SessionStatus.NO_SHOW,
                self.tr("未到场"),
                self.tr("当事人未到场，调解没有举行（Alt+N）"),
                "Alt+N",
            ),
            (
                SessionStatus.CANCELLED,
                self.tr("取消调解"),
                self.tr("取消这场调解并释放调解室，须填写原因（Alt+C）"),
                "Alt+C",
            ),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"status_{status.value}")
            button.setToolTip(tip)
            button.setShortcut(QKeySequence(keys))
            button.clicked.connect(lambda _=False, s=status: self.setStatus(s))
            self.buttons[status] = button
            row.addWidget(button)
        row.addWidget(self.reason, 1)
        self.error = QLabel(self)
        self.error.setObjectName("mediationStatus")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.show_session(None)

    def show_session(self, view: SessionView | None) -> None:
        self.session = view
        planned = view is not None and view.status is SessionStatus.PLANNED
        for button in self.buttons.values():
            button.setEnabled(planned)
        self.reason.setEnabled(planned)
        self.reason.clear()
        self.error.setText("")

    def setStatus(self, status: SessionStatus) -> None:
        if self.session is None:
            return
        try:
            self._ctx.mediation.set_status(
                self._actor, self.session.id, status, reason=self.reason.text()
            )
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        session_id = self.session.id
        self.show_session(None)
        self.statusChanged.emit(session_id, status)
