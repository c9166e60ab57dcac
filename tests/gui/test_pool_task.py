"""Background reads: results come back on the GUI thread, errors to their handler, and
many requests in flight (each newer one replacing the last in its owner) are all safe;
of an owner's reads through `NewestRead` only the newest one's answer is shown."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from centre_app.errors import ValidationError
from ui.pool_task import NewestRead, _in_flight, run_in_pool

T = TypeVar("T")

pytestmark = pytest.mark.gui


def test_results_and_errors_come_back_on_the_gui_thread(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    owner = QObject()
    got: list[tuple[str, object, bool]] = []
    gui = threading.get_ident()
    worked_on: set[int] = set()

    def slow(n: int) -> int:
        time.sleep(0.01)
        worked_on.add(threading.get_ident())
        return n * n

    def fail() -> int:
        raise ValueError("数据库已锁定")

    for n in range(50):
        run_in_pool(
            pool,
            lambda n=n: slow(n),  # type: ignore[misc]
            lambda v: got.append(("ok", v, threading.get_ident() == gui)),
            owner=owner,
        )
    run_in_pool(
        pool,
        fail,
        lambda v: got.append(("ok", v, False)),
        lambda exc: got.append(("error", str(exc), threading.get_ident() == gui)),
        owner=owner,
    )
    qtbot.waitUntil(lambda: len(got) == 51, timeout=10_000)
    assert worked_on and gui not in worked_on  # the work ran on the pool
    assert sorted(v for kind, v, _ in got if kind == "ok") == [n * n for n in range(50)]  # type: ignore[type-var]
    assert ("error", "数据库已锁定", True) in got
    assert all(on_gui for _, _, on_gui in got)
    # The failure is logged with its traceback, once.
    failures = [r for r in caplog.records if r.message == "a background read failed"]
    assert len(failures) == 1 and failures[0].exc_info is not None
    caplog.clear()  # expected: not an unexpected error
    qtbot.waitUntil(lambda: not _in_flight)  # relays are let go once delivered


@pytest.mark.parametrize("callback", ["bound", "partial", "lambda"])
def test_a_result_for_a_widget_closed_meanwhile_is_dropped_not_delivered(
    qtbot: QtBot, callback: str
) -> None:
    """A page refreshed by a change notice just before it is closed: its read comes back
    after the widget and its children are gone (seen: "QListWidget already deleted", from
    a `partial` whose widget could not be seen through)."""
    from functools import partial

    from PySide6.QtWidgets import QLabel, QWidget

    shown: list[int] = []

    class Page(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.label = QLabel(self)

        def show_count(self, n: int, generation: int = 0) -> None:
            shown.append(n)
            self.label.setText(f"{generation}: {n}")

    release = threading.Event()
    page = Page()
    on_result = {
        "bound": lambda: page.show_count,
        "partial": lambda: partial(page.show_count, generation=1),
        "lambda": lambda: lambda n: page.show_count(n, 2),
    }[callback]()
    pool = QThreadPool()
    run_in_pool(pool, lambda: release.wait(5) and 7, on_result, owner=page)
    page.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(page))
    release.set()
    pool.waitForDone(5000)
    qtbot.waitUntil(lambda: not _in_flight)  # delivered (and dropped) without raising
    assert shown == []


def test_a_result_for_a_living_owner_is_delivered(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    page, got = QWidget(), []
    run_in_pool(QThreadPool.globalInstance(), lambda: 7, got.append, owner=page)
    qtbot.waitUntil(lambda: got == [7])


def test_a_read_refused_in_words_reaches_its_handler_without_an_error_in_the_log(
    qtbot: QtBot,
) -> None:
    """While the centre's server is gone every page's read is refused; that is a state the
    status bar shows, not a fault to log with a traceback each time."""
    from centre_app.centre.connection import CentreDatabaseDown

    def gone() -> int:
        raise CentreDatabaseDown()

    got: list[Exception] = []
    owner = QObject()
    run_in_pool(QThreadPool.globalInstance(), gone, lambda _v: None, got.append, owner=owner)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert isinstance(got[0], CentreDatabaseDown)  # logfail fails the test on an ERROR record


# --- NewestRead: only the answer to the read asked for last is shown -----------------------


class _Answers:
    """What a widget re-reading on each keystroke would be shown, in order."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, object]] = []

    def result(self, value: object) -> None:
        self.shown.append(("result", value))

    def error(self, exc: Exception) -> None:
        self.shown.append(("error", str(exc)))


def _held(release: threading.Event, answer: Callable[[], T]) -> Callable[[], T]:
    """A read that waits for `release` (a slow query), then answers."""

    def work() -> T:
        assert release.wait(5), "the test never released the read"
        return answer()

    return work


def _refused(text: str) -> Callable[[], int]:
    def work() -> int:
        raise ValidationError(text)

    return work


def _pool() -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(4)  # an older read held must not hold the newer one back
    return pool


def _all_answered(qtbot: QtBot, pool: QThreadPool) -> None:
    """Every read has run and its answer has been through the event loop (shown or dropped)."""
    assert pool.waitForDone(5000)
    qtbot.waitUntil(lambda: not _in_flight)


def test_an_older_read_answering_after_a_newer_one_is_dropped(qtbot: QtBot) -> None:
    pool, owner, got = _pool(), QObject(), _Answers()
    reads = NewestRead(owner, pool)
    release_older = threading.Event()
    reads.run(_held(release_older, lambda: "older"), got.result, got.error)
    reads.run(lambda: "newer", got.result, got.error)
    qtbot.waitUntil(lambda: got.shown == [("result", "newer")])
    assert not reads.pending
    release_older.set()  # the older read's answer comes now, after the newer one's
    _all_answered(qtbot, pool)
    assert got.shown == [("result", "newer")]
    assert not reads.pending


def test_an_older_read_answering_first_is_dropped_too_and_the_newest_still_shown(
    qtbot: QtBot,
) -> None:
    pool, owner, got = _pool(), QObject(), _Answers()
    reads = NewestRead(owner, pool)
    older_answered, release_newer = threading.Event(), threading.Event()

    def older() -> str:
        older_answered.set()
        return "older"

    reads.run(older, got.result, got.error)
    reads.run(_held(release_newer, lambda: "newer"), got.result, got.error)
    assert older_answered.wait(5)
    qtbot.waitUntil(lambda: len(_in_flight) == 1)  # the older answer went through the loop
    assert got.shown == [] and reads.pending  # dropped; the newest still under way
    release_newer.set()
    qtbot.waitUntil(lambda: got.shown == [("result", "newer")])
    _all_answered(qtbot, pool)
    assert got.shown == [("result", "newer")] and not reads.pending


def test_an_older_read_failing_after_a_newer_one_answered_is_dropped(qtbot: QtBot) -> None:
    pool, owner, got = _pool(), QObject(), _Answers()
    reads = NewestRead(owner, pool)
    release_older = threading.Event()
    reads.run(_held(release_older, _refused("中心服务器已断开")), got.result, got.error)
    reads.run(lambda: 7, got.result, got.error)
    qtbot.waitUntil(lambda: got.shown == [("result", 7)])
    release_older.set()
    _all_answered(qtbot, pool)
    assert got.shown == [("result", 7)]


def test_the_newest_read_failing_is_told_and_an_older_answer_after_it_dropped(
    qtbot: QtBot,
) -> None:
    pool, owner, got = _pool(), QObject(), _Answers()
    reads = NewestRead(owner, pool)
    release_older = threading.Event()
    reads.run(_held(release_older, lambda: "older"), got.result, got.error)
    reads.run(_refused("数据库已锁定"), got.result, got.error)
    qtbot.waitUntil(lambda: got.shown == [("error", "数据库已锁定")])
    assert not reads.pending  # a failure told is an answer
    release_older.set()
    _all_answered(qtbot, pool)
    assert got.shown == [("error", "数据库已锁定")]


def test_an_answer_for_an_owner_closed_meanwhile_is_dropped(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QWidget

    pool, got = _pool(), _Answers()
    page = QWidget()
    label = QLabel(page)
    reads = NewestRead(page, pool)
    release = threading.Event()

    def show(value: object) -> None:
        got.result(value)
        label.setText(str(value))  # raises once the page and its label are gone

    reads.run(_held(release, lambda: "rows"), show, got.error)
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(page))
    release.set()
    _all_answered(qtbot, pool)
    assert got.shown == []


def test_a_cancelled_read_is_not_shown_and_nothing_is_pending(qtbot: QtBot) -> None:
    """A form's input became invalid while its preview was read: the message about the
    input stays, the preview of the old input never replaces it."""
    pool, owner, got = _pool(), QObject(), _Answers()
    reads = NewestRead(owner, pool)
    release = threading.Event()
    assert not reads.pending  # nothing asked for yet
    reads.run(_held(release, lambda: "preview"), got.result, got.error)
    assert reads.pending
    reads.cancel()
    assert not reads.pending
    release.set()
    _all_answered(qtbot, pool)
    assert got.shown == [] and not reads.pending


def test_each_owner_keeps_its_own_newest_read(qtbot: QtBot) -> None:
    """Two pages re-reading at once: a read of one never makes the other's answer old."""
    pool, got_a, got_b = _pool(), _Answers(), _Answers()
    page_a, page_b = QObject(), QObject()
    a, b = NewestRead(page_a, pool), NewestRead(page_b, pool)
    release_a = threading.Event()
    a.run(_held(release_a, lambda: "a"), got_a.result)
    b.run(lambda: "b", got_b.result)
    qtbot.waitUntil(lambda: got_b.shown == [("result", "b")])
    release_a.set()
    qtbot.waitUntil(lambda: got_a.shown == [("result", "a")])
    _all_answered(qtbot, pool)
    assert got_a.shown == [("result", "a")] and got_b.shown == [("result", "b")]
