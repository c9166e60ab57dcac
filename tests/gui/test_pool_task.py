"""Background reads: results come back on the GUI thread, errors to their handler, and
many requests in flight (each newer one replacing the last in its owner) are all safe."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from ui.pool_task import _in_flight, run_in_pool

pytestmark = pytest.mark.gui


def test_results_and_errors_come_back_on_the_gui_thread(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
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
        )
    run_in_pool(
        pool,
        fail,
        lambda v: got.append(("ok", v, False)),
        lambda exc: got.append(("error", str(exc), threading.get_ident() == gui)),
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


def test_a_result_for_a_widget_closed_meanwhile_is_dropped_not_delivered(qtbot: QtBot) -> None:
    """A page refreshed by a change notice just before it is closed: its read comes back
    after the widget and its children are gone (seen: "QListWidget already deleted")."""
    from PySide6.QtWidgets import QLabel, QWidget

    class Page(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.label = QLabel(self)

        def show_count(self, n: int) -> None:
            self.label.setText(str(n))

    release = threading.Event()
    page = Page()
    pool = QThreadPool()
    run_in_pool(pool, lambda: release.wait(5) and 7, page.show_count)
    page.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(page))
    release.set()
    pool.waitForDone(5000)
    qtbot.waitUntil(lambda: not _in_flight)  # delivered (and dropped) without raising
