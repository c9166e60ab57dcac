"""Background reads: results come back on the GUI thread, errors to their handler, and
many requests in flight (each newer one replacing the last in its owner) are all safe."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from ui.pool_task import _in_flight, run_in_pool

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
