"""The triage page at 1920×1080: the columns a duty officer works by (colour, case number,
title, place, time left) fit without scrolling sideways, no gap opens beside the queue
list, and column widths the officer sets are kept for the next time."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QApplication, QHeaderView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from centre_app.incidents.queries import Queue
from centre_app.security.actor import Actor
from ui.incidents.page import IncidentsPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui
WORKING_COLUMNS = ("风险", "案件编号", "标题", "地点", "剩余时限")


def column(page: IncidentsPage, title: str) -> int:
    model = page.model
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )


def open_queue(qtbot: QtBot, page: IncidentsPage, queue: Queue) -> None:
    page.queues.setCurrentRow(list(Queue).index(queue))
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    QApplication.processEvents()


@pytest.fixture
def window(qtbot: QtBot, ctx: Any, duty: Actor) -> MainWindow:
    main = MainWindow(ctx, duty)
    qtbot.addWidget(main)
    main.resize(1920, 1080)
    main.show()
    main.showWorkspace("incidents")
    qtbot.waitExposed(main)
    return main


def test_the_working_columns_fit_at_1920_by_1080_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.pages["incidents"]
    assert isinstance(page, IncidentsPage)
    open_queue(qtbot, page, Queue.ALL)  # every case: the longest titles and places
    header = page.table.horizontalHeader()
    width = page.table.viewport().width()
    assert page.table.horizontalScrollBar().value() == 0
    for title in WORKING_COLUMNS:
        c = column(page, title)
        left = header.sectionViewportPosition(c)
        assert left >= 0 and left + header.sectionSize(c) <= width, title
    deadline = column(page, "剩余时限")
    delegate = page.table.itemDelegateForColumn(deadline)
    needed = 0
    for r in range(min(page.model.rowCount(), 200)):  # as the delegate draws it
        option = QStyleOptionViewItem()
        option.initFrom(page.table)
        delegate.initStyleOption(option, page.model.index(r, deadline))
        needed = max(needed, QFontMetrics(option.font).horizontalAdvance(option.text))
    assert header.sectionSize(deadline) >= needed  # the time left is shown whole


def test_no_gap_opens_between_the_queue_list_and_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.pages["incidents"]
    assert isinstance(page, IncidentsPage)
    open_queue(qtbot, page, Queue.ALL)
    page._refresh_counts()  # the counts change the list's width
    qtbot.waitUntil(
        lambda: (
            "140" in page.queues.item(list(Queue).index(Queue.ALL)).text()
            or page.queues.item(0).text()[-1].isdigit()
        )
    )
    QApplication.processEvents()
    handle = page.splitter.handleWidth()
    list_right = page.queues.geometry().right()
    table_left = page.table.mapTo(page.splitter, QPoint(0, 0)).x()
    assert table_left - list_right <= handle + 4 * page.queues.frameWidth() + 2


def drag(widget: Any, start: QPoint, end: QPoint) -> None:
    """A real press, move with the button held, release (QTest's move carries no button)."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, pos, button, buttons in (
        (QEvent.Type.MouseButtonPress, start, left, left),
        (QEvent.Type.MouseMove, QPoint((start.x() + end.x()) // 2, start.y()), none, left),
        (QEvent.Type.MouseMove, end, none, left),
        (QEvent.Type.MouseButtonRelease, end, left, none),
    ):
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(widget.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def test_column_widths_set_by_dragging_are_kept_for_the_next_time(
    qtbot: QtBot, ctx: Any, duty: Actor
) -> None:
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.resize(1920, 1000)
    page.show()
    open_queue(qtbot, page, Queue.ALL)
    header: QHeaderView = page.table.horizontalHeader()
    place = column(page, "地点")
    before = header.sectionSize(place)
    edge = header.sectionViewportPosition(place) + before - 1
    drag(header.viewport(), QPoint(edge, 8), QPoint(edge + 60, 8))
    widened = header.sectionSize(place)
    assert widened >= before + 50
    page.close()

    again = IncidentsPage(ctx, duty)
    qtbot.addWidget(again)
    again.resize(1920, 1000)
    again.show()
    open_queue(qtbot, again, Queue.ALL)
    assert again.table.horizontalHeader().sectionSize(column(again, "地点")) == widened
