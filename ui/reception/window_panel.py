"""The clerk's window panel (窗口叫号): call next, recall, start, served, no-show, left,
transfer — each a key (F2…F8) and a button, each one HallQueue call; and the window's
break (午休暂停 / 恢复开放): the queue stays, the clerk is told who still waits."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from centre_app.errors import DomainError
from centre_app.reception.hall import STATE_LABELS, TicketInfo
from ui.messages import error_text, translate_template

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.security.actor import Actor


class WindowPanel(QGroupBox):
    ticketChanged = Signal()  # a call or a step changed the queue

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("WindowPanel", "窗口叫号"), parent)
        self._ctx = ctx
        self._actor = actor
        self.current: TicketInfo | None = None
        self.window_choice = QComboBox(self)
        self.window_choice.setObjectName("clerkWindow")
        # Whether each window calls: read from the centre's rows on every refresh, so a
        # window paused or reopened at another desk shows here too.
        self._open: dict[uuid.UUID, bool] = {}
        for info in ctx.hall.windows(include_closed=True):
            self.window_choice.addItem(
                self.tr("{0} 号窗口 {1}（{2}）").format(
                    info.number, info.name, info.service_letters
                ),
                info.id,
            )
            self._open[info.id] = info.active
        self.window_choice.currentIndexChanged.connect(self.refresh)
        self.pause_button = QPushButton(self)
        self.pause_button.setObjectName("pauseWindow")
        self.pause_button.clicked.connect(self.togglePause)
        self.number = QLabel(self)
        self.number.setObjectName("currentTicket")
        font = QFont()
        font.setPointSize(28)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel(self)
        self.status.setObjectName("windowStatus")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, str, Callable[[], None]]] = [
            ("callNext", self.tr("叫下一位"), "F2", self.callNext),
            ("recall", self.tr("重呼"), "F3", self.recall),
            ("start", self.tr("开始办理"), "F4", self.start),
            ("served", self.tr("办结"), "F5", self.served),
            ("noShow", self.tr("过号"), "F6", self.noShow),
            ("left", self.tr("已离开"), "F7", self.left),
            ("transfer", self.tr("转移…"), "F8", lambda: self.transfer()),
        ]
        for index, (name, text, key, slot) in enumerate(actions):
            button = QPushButton(f"{text} ({key})", self)
            button.setObjectName(name)
            button.setToolTip(text)
            button.clicked.connect(slot)
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            grid.addWidget(button, index // 4, index % 4)
            self.buttons[name] = button
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.window_choice, 1)
        top.addWidget(self.pause_button)
        layout.addLayout(top)
        layout.addWidget(self.number)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        self.refresh()

    def window_id(self) -> uuid.UUID | None:
        value = self.window_choice.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def refresh(self) -> None:
        window = self.window_id()
        self._open = {w.id: w.active for w in self._ctx.hall.windows(include_closed=True)}
        self.current = self._ctx.hall.current(window) if window else None
        self._show()

    def _show(self) -> None:
        ticket = self.current
        if ticket is None:
            self.number.setText("—")
        else:
            self.number.setText(
                self.tr("{0} {1}").format(
                    ticket.code, translate_template(STATE_LABELS[ticket.state])
                )
            )
        has = ticket is not None
        window = self.window_id()
        is_open = window is not None and self._open.get(window, True)
        self.pause_button.setEnabled(window is not None)
        self.pause_button.setText(self.tr("午休暂停") if is_open else self.tr("恢复开放"))
        self.pause_button.setToolTip(
            self.tr("暂停本窗口叫号（午休等），等候的人保留原顺序和等候时间")
            if is_open
            else self.tr("本窗口恢复叫号")
        )
        self.buttons["callNext"].setEnabled(not has and is_open)
        for name in ("recall", "start", "noShow", "left", "transfer"):
            self.buttons[name].setEnabled(has)
        self.buttons["served"].setEnabled(has)

    def _run(self, work: Callable[[], TicketInfo | None], done: str) -> None:
        try:
            ticket = work()
        except DomainError as error:
            self.refresh()  # another desk may have moved the ticket: show what is true now
            self.status.setText(error_text(error))
            return
        self.current = ticket if ticket is not None and ticket.window_number else None
        self.status.setText(done.format(ticket.code) if ticket else self.tr("现在没有人等候。"))
        self._show()
        self.ticketChanged.emit()

    def togglePause(self) -> None:
        """Pause the window for a break, or open it again; the clerk is told in words
        who still waits for a service no open window calls."""
        window = self.window_id()
        if window is None:
            return
        number = self.window_choice.currentText().split(" ", 1)[0]
        try:
            if self._open.get(window, True):
                closed = self._ctx.hall.close_window(self._actor, window, for_break=True)
                text = self.tr("{0} 号窗口已暂停叫号。").format(closed.number)
                if closed.still_waiting:
                    text += self.tr(
                        "仍有人等候没有开放窗口办理的服务：{0}；他们保留原顺序，窗口恢复后按序叫号。"
                    ).format(
                        self.tr("、").join(
                            self.tr("{0} {1} {2} 人").format(letter, name, n)
                            for letter, name, n in closed.still_waiting
                        )
                    )
                self._open[window] = False
            else:
                self._ctx.hall.open_window(self._actor, window)
                text = self.tr("{0} 号窗口已恢复开放，可以叫号。").format(number)
                self._open[window] = True
        except DomainError as error:
            self.status.setText(error_text(error))
            return
        self.status.setText(text)
        self._show()
        self.ticketChanged.emit()

    def callNext(self) -> None:
        window = self.window_id()
        if window is None:
            self.status.setText(self.tr("请先选择窗口。"))
            return
        self._run(lambda: self._ctx.hall.call_next(self._actor, window), self.tr("已叫 {0} 号"))

    def _step(self, method: Callable[..., TicketInfo], done: str) -> None:
        ticket = self.current
        if ticket is None:
            self.status.setText(self.tr("这个窗口现在没有号。"))
            return
        window = self.window_id()
        self._run(lambda: method(self._actor, ticket.id, at_window=window), done)

    def recall(self) -> None:
        self._step(self._ctx.hall.recall, self.tr("已重呼 {0} 号"))

    def start(self) -> None:
        self._step(self._ctx.hall.start, self.tr("{0} 号开始办理"))

    def served(self) -> None:
        self._step(self._ctx.hall.served, self.tr("{0} 号已办结"))

    def noShow(self) -> None:
        self._step(self._ctx.hall.no_show, self.tr("{0} 号已过号"))

    def left(self) -> None:
        self._step(self._ctx.hall.left, self.tr("{0} 号已离开"))

    def transfer(self, letter: str | None = None) -> None:
        ticket = self.current
        if ticket is None:
            self.status.setText(self.tr("这个窗口现在没有号。"))
            return
        services = {s.letter: s for s in self._ctx.hall.services()}
        if letter is None:
            choices = [f"{s.letter} {s.name}" for s in services.values()]
            picked, ok = QInputDialog.getItem(
                self, self.tr("转移"), self.tr("转往服务"), choices, 0, False
            )
            if not ok:
                return
            letter = picked.split(" ", 1)[0]
        service = services.get(letter)
        if service is None:
            return
        self._run(
            lambda: self._ctx.hall.transfer(
                self._actor, ticket.id, service_id=service.id, at_window=self.window_id()
            ),
            self.tr("{0} 号已转移，保留原排队时间"),
        )
