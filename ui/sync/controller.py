"""Owns the sync worker of the signed-in session and re-emits its status on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from centre_app.replication.status import LinkState, StatusError, SyncStatus

if TYPE_CHECKING:
    from centre_app.app_context import AppContext
    from centre_app.replication.sync import SyncWorker


class SyncController(QObject):
    # Emitted from the worker thread; Qt queues it to receivers on the GUI thread.
    statusChanged = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.worker: SyncWorker | None = None
        self.status = SyncStatus(LinkState.UNCONFIGURED)
        # (local time, what failed), newest last; ui.messages.error_text says it
        self.errors: list[tuple[str, StatusError]] = []
        self.statusChanged.connect(self._remember)

    def start(self) -> None:
        """(Re)start with the current settings; without a county configured, say so."""
        self.stop()
        self.worker = self._ctx.sync_worker(on_status=self.statusChanged.emit)
        if self.worker is None:
            self.statusChanged.emit(SyncStatus(LinkState.UNCONFIGURED))
            return
        self.statusChanged.emit(self.worker.status)
        self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def syncNow(self) -> None:
        if self.worker is not None:
            self.worker.sync_now()

    def _remember(self, status: SyncStatus) -> None:
        from centre_app.clock import to_local

        if status.error is not None and status.error != self.status.error:
            stamp = to_local(self._ctx.clock.now()).strftime("%m-%d %H:%M:%S")
            self.errors = [*self.errors, (stamp, status.error)][-50:]
        self.status = status
