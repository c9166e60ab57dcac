"""Run a slow read on a thread pool and get its result back on the GUI thread.

The object that carries the result across threads must outlive the run: a relay dropped by
its owner (a newer request replacing an older one) while its thread still emits takes the
process down. Relays are therefore kept here until their result has been delivered.

Every run names its `owner`, the widget that shows the result. A result whose owner was
destroyed meanwhile — a page closed, a user logged out, a change notice that refreshed a
page about to go — is dropped: the widget's children are gone and touching them raises.
The owner is named, not guessed from the callback: a `partial` or a lambda hides it.

A widget that reads again on each keystroke, filter or change notice shows only the answer
to the read it asked for last: `NewestRead` drops the answer (or the failure) of an older
read that comes back after a newer one was asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal

from centre_app.errors import DomainError

log = logging.getLogger(__name__)
T = TypeVar("T")

_in_flight: set[_Relay] = set()


class _Relay(QObject):
    done = Signal(object)  # (True, result) or (False, exception)


class _Task(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            outcome: tuple[bool, Any] = (True, self._work())
        except DomainError as exc:  # a refusal in words (e.g. the centre's server is gone)
            log.warning("a background read was refused: %s", exc)
            outcome = (False, exc)
        except Exception as exc:  # reported to the caller, who keeps what it shows
            log.exception("a background read failed")
            outcome = (False, exc)
        self._relay.done.emit(outcome)


def _ignore(_exc: Exception) -> None:
    """The default error handler: the failure is in the log already (see `_Task.run`)."""


def run_in_pool(
    pool: QThreadPool,
    work: Callable[[], T],
    on_result: Callable[[T], object],
    on_error: Callable[[Exception], object] = _ignore,
    *,
    owner: QObject,
) -> None:
    """`work()` on `pool`; then `on_result(value)` or `on_error(exception)` on the GUI
    thread, through the event loop, unless `owner` is gone by then."""
    relay = _Relay()
    _in_flight.add(relay)

    def deliver(outcome: tuple[bool, Any]) -> None:
        QTimer.singleShot(0, lambda: _in_flight.discard(relay))  # not inside its own emit
        ok, value = outcome
        if not shiboken6.isValid(owner):
            log.debug("result of a background read dropped: its owner was closed")
            return
        if ok:
            on_result(value)
        else:
            on_error(value)

    relay.done.connect(deliver, Qt.ConnectionType.QueuedConnection)
    pool.start(_Task(work, relay))


class NewestRead(QObject):
    """The reads of one owner of which only the newest counts: `run` starts a read on the
    pool, and the answer (result or failure) of a read asked for before the newest one is
    dropped, whenever it comes. Made a child of its owner, it dies with it: an answer that
    comes after the owner is gone is dropped too (as `run_in_pool` drops it)."""

    def __init__(self, owner: QObject, pool: QThreadPool | None = None) -> None:
        super().__init__(owner)
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self._asked = 0  # reads asked for, the newest last
        self._pending = False

    @property
    def pending(self) -> bool:
        """Whether the newest read is still under way (neither answered nor cancelled)."""
        return self._pending

    def run(
        self,
        work: Callable[[], T],
        on_result: Callable[[T], object],
        on_error: Callable[[Exception], object] = _ignore,
    ) -> None:
        """`work()` on the pool; `on_result(value)` or `on_error(exception)` on the GUI
        thread unless another read was asked for (or `cancel` called) meanwhile."""
        self._asked += 1
        self._pending = True
        asked = self._asked

        def answered(callback: Callable[[Any], object], value: Any) -> None:
            if asked != self._asked:
                log.debug("answer of an older read dropped: a newer one was asked for")
                return
            self._pending = False
            callback(value)

        run_in_pool(
            self._pool, work, partial(answered, on_result), partial(answered, on_error), owner=self
        )

    def cancel(self) -> None:
        """Drop the answer of the read under way (what it would show no longer holds)."""
        self._asked += 1
        self._pending = False
