"""The status bar's word on the centre's database server: nothing while it answers; while it
does not, a red line saying what it means for the user (nothing saved, what was typed kept)
and a retry every few seconds until it answers, then the line goes and the pages reload.

The desk's `CentreConnection` is told by whatever met the failure — a user's save, a page's
read, the change listener — on any thread; the label hears it through a queued signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from centre_app.centre.connection import probe
from centre_app.centre.notice import ChangeNotice, Origin
from centre_app.clock import to_local
from ui.pool_task import run_in_pool

if TYPE_CHECKING:
    from centre_app.app_context import AppContext

RETRY_MS = 2000


class _Relay(QObject):
    changed = Signal(bool)


class CentreConnectionLabel(QLabel):
    """Hidden while the centre's database server answers."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("centreConnection")
        self.setProperty("messageKind", "error")
        self._relay = _Relay(self)
        self._relay.changed.connect(self.showConnection)
        self._unsubscribe = ctx.connection.subscribe(self._heard)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._probing = False
        self._retry = QTimer(self, interval=RETRY_MS)
        self._retry.timeout.connect(self.retry)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.showConnection(ctx.connection.up)

    def _heard(self, up: bool) -> None:  # any thread
        try:
            self._relay.changed.emit(up)
        except RuntimeError:  # the window is gone
            self._unsubscribe()

    def showConnection(self, up: bool) -> None:
        if up:
            was_down = self._retry.isActive()
            self._retry.stop()
            self.clear()
            self.setToolTip("")
            self.hide()
            if was_down:  # what other desks did meanwhile was not heard: reload the pages
                self._ctx.notices.publish(ChangeNotice(Origin.DESK, everything=True))
            return
        since = self._ctx.connection.down_since
        self.setText(
            self.tr("中心数据库服务器连接中断（{0} 起），正在重试…").format(
                to_local(since).strftime("%H:%M:%S") if since else "--"
            )
        )
        self.setToolTip(
            self.tr(
                "连接中断期间的保存不会生效，填写的内容保留在窗口中；"
                "连接恢复后此提示自动消失，请再保存一次。"
            )
        )
        self.show()
        if not self._retry.isActive():
            self._retry.start()

    def retry(self) -> None:
        """One round trip off the GUI thread; a success reports itself (a new connection)."""
        if self._probing:
            return
        self._probing = True

        def answered(ok: object) -> None:
            self._probing = False
            if ok:
                self._ctx.connection.regained()

        def failed(_error: Exception) -> None:
            self._probing = False

        run_in_pool(self._pool, lambda: probe(self._ctx.engine), answered, failed, owner=self)

    def stop(self) -> None:
        """The window closes: no more retries, no more reports."""
        self._retry.stop()
        self._unsubscribe()
        self._pool.waitForDone(6000)
