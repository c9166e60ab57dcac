"""Editing one occurrence of a duty-rota series from the calendar.

`ScopeDialog` asks, when a series occurrence is dropped after a drag, which occurrences the
move applies to (仅此一次 / 此次及以后 / 整个系列). `SeriesEditor` sits in the session dialog
of a series occurrence: a scope, a new time, length and room, and a cancel with its reason.
Each button is one service call (`MediationService.move` for this one, `RotaService.edit_series`
or `RotaService.cancel_series` for the others); every occurrence is checked and the first
clash is named in the refusal, nothing changed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from centre_app.clock import LOCAL_TZ, to_local
from centre_app.errors import DomainError
from centre_app.mediation.rota import EditScope
from ui.mediation.combo import index_of
from ui.messages import error_text

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.mediation.service import SessionView
    from centre_app.security.actor import Actor


def scope_texts() -> tuple[tuple[EditScope, str], ...]:
    return (
        (EditScope.THIS, QCoreApplication.translate("SeriesScope", "仅此一次")),
        (EditScope.FOLLOWING, QCoreApplication.translate("SeriesScope", "此次及以后")),
        (EditScope.ALL, QCoreApplication.translate("SeriesScope", "整个系列")),
    )


class ScopeDialog(QDialog):
    """Which occurrences a drop applies to; `chosen` carries the EditScope."""

    chosen = Signal(object)

    def __init__(
        self, question: str, *, only_this: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("seriesScopeDialog")
        self.setWindowTitle(self.tr("值班轮值"))
        box = QVBoxLayout(self)
        label = QLabel(question, self)
        label.setWordWrap(True)
        box.addWidget(label)
        if only_this:
            note = QLabel(only_this, self)
            note.setObjectName("scopeNote")
            note.setWordWrap(True)
            box.addWidget(note)
        row = QHBoxLayout()
        self.buttons: dict[EditScope, QPushButton] = {}
        for scope, text in scope_texts():
            button = QPushButton(text, self)
            button.setObjectName(f"scope_{scope.value}")
            button.setEnabled(scope is EditScope.THIS or not only_this)
            button.clicked.connect(lambda _=False, s=scope: self._choose(s))
            self.buttons[scope] = button
            row.addWidget(button)
        cancel = QPushButton(self.tr("不调整"), self)
        cancel.setObjectName("scope_none")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        box.addLayout(row)

    def _choose(self, scope: EditScope) -> None:
        self.accept()
        self.chosen.emit(scope)


class SeriesEditor(QGroupBox):
    """Move, resize or cancel this occurrence, this and the following, or the whole series."""

    changed = Signal(str)  # what was done, in words

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        view: SessionView,
        rooms: list[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("值班轮值中的一次"))
        self.setObjectName("seriesEditor")
        self._ctx, self._actor, self.view = ctx, actor, view
        start, end = to_local(view.starts_at), to_local(view.ends_at)
        self.scope = QComboBox(self)
        self.scope.setObjectName("seriesScope")
        for scope, text in scope_texts():
            self.scope.addItem(text, scope)
        self.start = QTimeEdit(QTime(start.hour, start.minute), self)
        self.start.setObjectName("seriesStart")
        self.start.setDisplayFormat("HH:mm")
        self.duration = QSpinBox(self)
        self.duration.setObjectName("seriesDuration")
        self.duration.setRange(5, 12 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" 分钟"))
        self.duration.setValue(int((end - start).total_seconds() // 60))
        self.room = QComboBox(self)
        self.room.setObjectName("seriesRoom")
        for key, name in rooms:
            self.room.addItem(name, key)
        self.room.setCurrentIndex(max(0, index_of(self.room, view.room_id)))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("seriesCancelReason")
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("取消原因（取消时必填）"))
        change = QPushButton(self.tr("调整时间和调解室"), self)
        change.setObjectName("seriesChange")
        change.clicked.connect(self.change)
        cancel = QPushButton(self.tr("取消调解"), self)
        cancel.setObjectName("seriesCancel")
        cancel.clicked.connect(self.cancel)
        self.error = QLabel(self)
        self.error.setObjectName("seriesError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("范围"), self.scope)
        form.addRow(self.tr("开始"), self.start)
        form.addRow(self.tr("时长"), self.duration)
        form.addRow(self.tr("调解室"), self.room)
        form.addRow(change)
        cancel_row = QHBoxLayout()
        cancel_row.addWidget(self.reason, 1)
        cancel_row.addWidget(cancel)
        form.addRow(cancel_row)
        form.addRow(self.error)

    def change(self) -> None:
        scope: EditScope = self.scope.currentData()
        t = self.start.time()
        start = to_local(self.view.starts_at).replace(hour=t.hour(), minute=t.minute())
        room: uuid.UUID = self.room.currentData()
        try:
            if scope is EditScope.THIS:
                local = start.astimezone(LOCAL_TZ)
                self._ctx.mediation.move(
                    self._actor,
                    self.view.id,
                    starts_at=local,
                    ends_at=local + dt.timedelta(minutes=self.duration.value()),
                    room_id=room,
                )
                count = 1
            else:
                count = self._ctx.mediation_rota.edit_series(
                    self._actor,
                    self.view.id,
                    scope,
                    start_time=start.time(),
                    duration_minutes=self.duration.value(),
                    room_id=room,
                )
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.changed.emit(self.tr("已调整 {0} 次").format(count))

    def cancel(self) -> None:
        scope: EditScope = self.scope.currentData()
        try:
            count = self._ctx.mediation_rota.cancel_series(
                self._actor, self.view.id, scope, self.reason.text()
            )
        except DomainError as exc:
            self.error.setText(error_text(exc))
            return
        self.changed.emit(self.tr("已取消 {0} 次").format(count))
