"""新红色事件 alert: polls for incidents that turned red since the last look, off the GUI
thread, and tells the duty officer in the system tray — or, where the desktop has no tray
(many kiosk sessions), in a banner on the incidents page. Clicking it opens the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from centre_app.clock import Clock
from centre_app.incidents.queries import QueueRow
from ui.pool_task import run_in_pool

POLL_INTERVAL_MS = 15_000

# since → open incidents that turned red after it (IncidentQueries.new_red_since)
FetchNewRed = Callable[[dt.datetime], Sequence[QueueRow]]


def alert_text(rows: Sequence[QueueRow]) -> str:
    first = rows[0]
    text = QApplication.translate("RedAlert", "新红色事件：{0} {1}").format(
        first.case_no, first.title
    )
    if first.group_warning:
        text += QApplication.translate("RedAlert", "（群体性事件预警：{0}）").format(
            first.group_warning
        )
    if len(rows) > 1:
        text += QApplication.translate("RedAlert", " 等 {0} 件").format(len(rows))
    return text


class AlertBanner(QFrame):
    """The in-window form of the alert, above the queue table."""

    openClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redAlertBanner")
        self.text = QLabel(self)
        self.text.setObjectName("redAlertText")
        self.open = QPushButton(self.tr("查看"), self)
        self.open.setObjectName("redAlertOpen")
        self.open.setToolTip(self.tr("在队列中打开这件事件"))
        self.dismiss = QPushButton(self.tr("关闭"), self)
        self.dismiss.setToolTip(self.tr("关闭提醒"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open)
        layout.addWidget(self.dismiss)
        self.open.clicked.connect(self.openClicked)
        self.open.clicked.connect(self.hide)
        self.dismiss.clicked.connect(self.hide)
        self.hide()


class RedAlert(QObject):
    """Polls every `interval_ms`; the first poll looks from the moment the alert was made
    (the app's start), each later one from the start of the previous poll. The ids found by
    the previous poll are remembered too, so a case turning red while a poll runs is shown
    once, not twice."""

    alerted = Signal(object)  # list[QueueRow], newest alert
    openIncident = Signal(str)  # incident id

    def __init__(
        self,
        fetch: FetchNewRed,
        clock: Clock,
        banner: AlertBanner,
        interval_ms: int = POLL_INTERVAL_MS,
        use_tray: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._clock = clock
        self._since = clock.now()
        self._last_ids: set[str] = set()
        self._shown: QueueRow | None = None
        self._running = False
        self.banner = banner
        self.banner.openClicked.connect(self.openShown)
        self.tray: QSystemTrayIcon | None = None
        if use_tray if use_tray is not None else QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self)
            self.tray.setIcon(
                QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            )
            self.tray.setToolTip(self.tr("综治中心：新红色事件提醒"))
            self.tray.messageClicked.connect(self.openShown)
            self.tray.show()
        # One thread of our own: its destructor waits, so no poll outlives the page.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def setInterval(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)

    def stop(self) -> None:
        self._timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def poll(self) -> None:
        if self._running:
            return  # a slow database: let the running poll finish first
        self._running = True
        started, since = self._clock.now(), self._since
        # A failed poll keeps `since`: the next one covers this one's period too.
        run_in_pool(
            self._pool,
            lambda: list(self._fetch(since)),
            partial(self._polled, started),
            lambda _exc: self._poll_failed(),
            owner=self,
        )

    def _poll_failed(self) -> None:
        self._running = False

    def _polled(self, started: dt.datetime, rows: list[QueueRow]) -> None:
        self._running = False
        new = [r for r in rows if r.id not in self._last_ids]
        self._last_ids = {r.id for r in rows}
        self._since = max(self._since, started)
        if new:
            self._show(new)

    def _show(self, rows: list[QueueRow]) -> None:
        self._shown = rows[0]
        text = alert_text(rows)
        if self.tray is not None:
            self.tray.showMessage(
                self.tr("新红色事件"), text, QSystemTrayIcon.MessageIcon.Warning, 30_000
            )
        else:
            self.banner.text.setText(text)
            self.banner.show()
        self.alerted.emit(rows)

    def openShown(self) -> None:
        if self._shown is not None:
            self.openIncident.emit(self._shown.id)
