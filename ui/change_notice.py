"""The change notice for widgets: one Qt signal carrying `ChangeNotice`.

Notices are published on whatever thread committed (a worker, the sync thread) or heard
them (the desk listener). `ChangeNotices.changed` is emitted from there; Qt delivers it to
receivers living on the GUI thread as a queued call, so slots touch widgets safely.
Pages get the one relay of their database with `change_notices(ctx)` and refresh from it
instead of polling.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from centre_app.centre.notice import ChangeNotice, NoticeHub

if TYPE_CHECKING:
    from collections.abc import Callable

    from centre_app.app_context import AppContext


class ChangeNotices(QObject):
    changed = Signal(object)  # ChangeNotice

    def __init__(self, hub: NoticeHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = hub.subscribe(self._relay)

    def _relay(self, notice: ChangeNotice) -> None:
        try:
            self.changed.emit(notice)
        except RuntimeError:  # the QObject is gone (application shutting down)
            self.close()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


_relays: weakref.WeakKeyDictionary[NoticeHub, ChangeNotices] = weakref.WeakKeyDictionary()


def change_notices(ctx: AppContext) -> ChangeNotices:
    """The relay of `ctx`'s database (made on first use; call from the GUI thread)."""
    hub = ctx.notices
    relay = _relays.get(hub)
    if relay is None:
        relay = _relays[hub] = ChangeNotices(hub)
    return relay


class RefreshOn(QObject):
    """Calls `refresh` (on the GUI thread) once after notices touching `tables`, at most
    every `coalesce_ms`: a pull of 500 changes is one refresh, not 500."""

    def __init__(
        self,
        ctx: AppContext,
        tables: tuple[str, ...],
        refresh: Callable[[], None],
        parent: QObject,
        coalesce_ms: int = 100,
    ) -> None:
        super().__init__(parent)
        self._tables = tables
        self._timer = QTimer(self, singleShot=True, interval=coalesce_ms)
        self._timer.timeout.connect(refresh)
        change_notices(ctx).changed.connect(self._changed)

    def _changed(self, notice: ChangeNotice) -> None:
        if notice.touches(*self._tables) and not self._timer.isActive():
            self._timer.start()
