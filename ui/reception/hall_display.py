"""The hall display (大厅叫号屏): a window for the second screen, large type readable across
the hall: the number each window is serving, the last calls, people waiting per service.
A new call flashes and is said in Mandarin (espeak-ng, off the GUI thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from centre_app.clock import to_local
from centre_app.reception.announce import call_phrase, speak
from centre_app.reception.hall import CallShown, HallBoard
from ui.change_notice import RefreshOn
from ui.pool_task import run_in_pool

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

FLASH_MS = 4000
# Calls at any window reach the board through the change notice; the timer is only a
# fallback for a notice lost while the centre database was unreachable.
POLL_MS = 30_000
STYLE = """
QWidget#hallDisplay { background: #0b1f3a; }
QLabel { color: #f8fafc; }
QLabel[role="head"] { color: #93c5fd; }
QLabel[role="code"] { color: #fde047; }
QLabel[flash="true"] { color: #0b1f3a; background: #fde047; }
"""


def _font(points: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


class HallDisplay(QWidget):
    callAnnounced = Signal(str)  # the phrase, once it has been said (or could not be)

    def __init__(
        self, ctx: AppContext, *, speak_calls: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._speak = speak_calls
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one voice: calls are said in order
        self._last_seen: CallShown | None = None
        self._reading = False
        self.setObjectName("hallDisplay")
        self.setWindowTitle(self.tr("大厅叫号屏"))
        self.setStyleSheet(STYLE)
        self.title = QLabel(self.tr("群众接待大厅"), self)
        self.title.setFont(_font(40, True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner = QLabel(self)
        self.banner.setObjectName("callBanner")
        self.banner.setFont(_font(64, True))
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.windows_grid = QGridLayout()
        self.calls = QLabel(self)
        self.calls.setObjectName("lastCalls")
        self.calls.setFont(_font(28))
        self.calls.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.waiting = QLabel(self)
        self.waiting.setObjectName("waitingPerService")
        self.waiting.setFont(_font(28))
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignTop)
        lower = QHBoxLayout()
        lower.addWidget(self.calls, 1)
        lower.addWidget(self.waiting, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addLayout(self.windows_grid, 2)
        layout.addLayout(lower, 1)
        self._window_labels: dict[int, QLabel] = {}
        self._flash = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._flash.timeout.connect(self._stop_flash)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._live = RefreshOn(
            ctx, ("queue_ticket", "queue_event", "hall_window"), self.refresh, self
        )
        self.refresh()

    def show_on_second_screen(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setScreen(screens[1])
            self.move(screens[1].geometry().topLeft())
        self.showFullScreen()

    def refresh(self) -> None:
        """Re-read the board off the GUI thread (one read at a time)."""
        if self._reading:
            return
        self._reading = True
        run_in_pool(
            QThreadPool.globalInstance(),
            self._ctx.hall.board,
            self._show,
            lambda _error: setattr(self, "_reading", False),
            owner=self,
        )

    def hideEvent(self, event: QHideEvent) -> None:
        self._poll.stop()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._poll.start()
        super().showEvent(event)

    def _show(self, board: HallBoard) -> None:
        self._reading = False
        for number, name, code in board.serving:
            label = self._window_labels.get(number)
            if label is None:
                label = QLabel(self)
                label.setFont(_font(44, True))
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setProperty("role", "code")
                index = len(self._window_labels)
                self.windows_grid.addWidget(label, index // 4, index % 4)
                self._window_labels[number] = label
            label.setText(self.tr("{0} 号窗口\n{1}\n{2}").format(number, name, code or "—"))
        self.calls.setText(
            self.tr("最近叫号")
            + "\n"
            + "\n".join(
                self.tr("{0}  {1} 号窗口  {2}").format(
                    c.code, c.window_number, to_local(c.at).strftime("%H:%M")
                )
                for c in board.last_calls
            )
        )
        self.waiting.setText(
            self.tr("等候人数")
            + "\n"
            + "\n".join(
                self.tr("{0} {1}：{2} 人").format(letter, name, n)
                for letter, name, n in board.waiting
            )
        )
        newest = board.last_calls[0] if board.last_calls else None
        if newest is not None and newest != self._last_seen:
            self._last_seen = newest
            self._announce(newest)

    def _announce(self, call: CallShown) -> None:
        self.banner.setText(self.tr("请 {0} 号到 {1} 号窗口").format(call.code, call.window_number))
        self.banner.setProperty("flash", "true")
        self.banner.style().polish(self.banner)
        self._flash.start()
        phrase = call_phrase(call.code, call.window_number)
        if self._speak:
            run_in_pool(
                self._pool,
                lambda: speak(phrase),
                lambda _ok: self.callAnnounced.emit(phrase),
                owner=self,
            )
        else:
            self.callAnnounced.emit(phrase)

    def _stop_flash(self) -> None:
        self.banner.setProperty("flash", "false")
        self.banner.style().polish(self.banner)
