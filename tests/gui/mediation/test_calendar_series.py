"""A duty-rota occurrence edited from the calendar: a drop asks 仅此一次 / 此次及以后 /
整个系列; the session dialog moves, resizes or cancels with a scope. Every occurrence is
checked, a clash is named and nothing changes, earlier exceptions are kept."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.mediation.rota import EditScope, RotaBook, SeriesDraft
from db.models.mediation import SessionStatus
from tests.gui.mediation.test_calendar import column_of, drag, open_page
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.page import MediationPage, ViewMode
from ui.mediation.series_scope import ScopeDialog, SeriesEditor

TUESDAY = MONDAY + dt.timedelta(days=1)


def weekly(centre: Centre, count: int = 4) -> uuid.UUID:
    result = centre.ctx.mediation_rota.book_series(
        centre.clerk,
        SeriesDraft(
            centre.rooms["法律援助服务室"],
            [centre.mediators["黄建平"]],
            f"FREQ=WEEKLY;BYDAY=TU;COUNT={count}",
            dt.datetime(2026, 11, 24, 9, 0),
            60,
            "律师坐班 黄建平",
        ),
    )
    return result.series_id


def times(centre: Centre, series_id: uuid.UUID) -> list[tuple[str, str, SessionStatus]]:
    return [
        (
            o.starts_at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M"),
            o.ends_at.astimezone(LOCAL_TZ).strftime("%H:%M"),
            o.status,
        )
        for o in RotaBook(centre.svc).occurrences(centre.clerk, series_id)
    ]


def click(button: QPushButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def drop_tuesday_at(qtbot: QtBot, page: MediationPage, day: dt.date, time: dt.time) -> None:
    grid = page.grid
    view = next(s for s in page.sessions if s.starts_at.date() == TUESDAY)
    block = grid.block_rects(view)[0]
    target = grid.point_for(column_of(grid, "法律援助服务室", day), time)
    drag(qtbot, page, block.center().toPoint(), target)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ScopeDialog) and page.dialog.isVisible())


def test_dropping_a_rota_occurrence_asks_the_scope_and_moves_this_and_the_following(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    series = weekly(centre)
    # a booking in the way of the fourth Tuesday at 14:00
    centre.book(
        "法律援助服务室", "14:00", "15:00", day=dt.date(2026, 12, 15), mediators=("潘丽华",)
    )
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    drop_tuesday_at(qtbot, page, TUESDAY, dt.time(14, 30))
    assert isinstance(page.dialog, ScopeDialog)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(page.dialog.buttons[EditScope.FOLLOWING])
    assert page.status.text().startswith("修改后有 1 次冲突，第一次在 2026-12-15：")
    assert "14:00–15:00 法律援助服务室 潘丽华" in page.status.text()
    assert [t[0] for t in times(centre, series)] == [
        "11-24 09:00",
        "12-01 09:00",
        "12-08 09:00",
        "12-15 09:00",
    ]  # nothing changed
    # once more, at 11:00, where every Tuesday is free
    drop_tuesday_at(qtbot, page, TUESDAY, dt.time(11, 30))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(page.dialog.buttons[EditScope.ALL])  # type: ignore[union-attr]
    assert page.status.text() == "已调整 4 次"
    assert [t[0] for t in times(centre, series)] == [
        "11-24 11:00",
        "12-01 11:00",
        "12-08 11:00",
        "12-15 11:00",
    ]


def test_a_rota_occurrence_dropped_on_another_day_moves_only_itself(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    series = weekly(centre, 2)
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    drop_tuesday_at(qtbot, page, MONDAY + dt.timedelta(days=3), dt.time(9, 30))
    dialog = page.dialog
    assert isinstance(dialog, ScopeDialog)
    assert not dialog.buttons[EditScope.FOLLOWING].isEnabled()
    assert not dialog.buttons[EditScope.ALL].isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(dialog.buttons[EditScope.THIS])
    assert [t[0] for t in times(centre, series)] == ["11-26 09:00", "12-01 09:00"]
    # the moved one is an exception now: a later edit of the whole series leaves it
    moved = next(s for s in page.sessions if s.series_id == series)
    assert moved.detached
    page.anchor = dt.date(2026, 12, 1)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    later = next(s for s in page.sessions if s.series_id == series)
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        page.grid.block_rects(later)[0].center().toPoint(),
    )
    editor = page.series_editor
    assert editor is not None
    editor.scope.setCurrentIndex(editor.scope.findData(EditScope.ALL))
    editor.duration.setFocus()
    editor.duration.selectAll()
    QTest.keyClicks(editor.duration, "90")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(editor.findChild(QPushButton, "seriesChange"))
    assert [t[:2] for t in times(centre, series)] == [
        ("11-26 09:00", "10:00"),  # the exception keeps its own place and length
        ("12-01 09:00", "10:30"),
    ]


def test_the_session_dialog_resizes_the_whole_series_and_cancels_the_following(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    series = weekly(centre, 3)
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    view = next(s for s in page.sessions if s.starts_at.date() == TUESDAY)
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        page.grid.block_rects(view)[0].center().toPoint(),
    )
    editor = page.series_editor
    assert isinstance(editor, SeriesEditor) and editor.isVisible()
    assert page.status_bar is not None
    assert not page.status_bar.buttons[SessionStatus.CANCELLED].isVisible()
    assert editor.room.currentText() == "法律援助服务室"  # its own room, not the first
    editor.scope.setCurrentIndex(editor.scope.findData(EditScope.ALL))
    editor.duration.setFocus()
    editor.duration.selectAll()
    QTest.keyClicks(editor.duration, "90")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(editor.findChild(QPushButton, "seriesChange"))
    assert page.status.text() == "已调整 3 次"
    assert [t[:2] for t in times(centre, series)] == [
        ("11-24 09:00", "10:30"),
        ("12-01 09:00", "10:30"),
        ("12-08 09:00", "10:30"),
    ]
    # the second Tuesday: this and the following cancelled, the reason required
    clock.set(at(MONDAY, "08:00"))
    second = RotaBook(centre.svc).occurrences(centre.clerk, series)[1]
    page.anchor = second.starts_at.astimezone(LOCAL_TZ).date()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    page.openSession(second.id)
    editor = page.series_editor
    assert editor is not None
    editor.scope.setCurrentIndex(editor.scope.findData(EditScope.FOLLOWING))
    click(editor.findChild(QPushButton, "seriesCancel"))
    assert editor.error.text() == "请填写取消原因"
    editor.reason.insert("律师调离")  # typed through the input method
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(editor.findChild(QPushButton, "seriesCancel"))
    assert page.status.text() == "已取消 2 次"
    assert [t[2] for t in times(centre, series)] == [
        SessionStatus.PLANNED,
        SessionStatus.CANCELLED,
        SessionStatus.CANCELLED,
    ]


def test_dragging_the_bottom_edge_of_a_rota_occurrence_resizes_the_whole_series(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    series = weekly(centre, 3)
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    grid = page.grid
    view = next(s for s in page.sessions if s.starts_at.date() == TUESDAY)
    block = grid.block_rects(view)[0]
    edge = QPoint(int(block.center().x()), int(block.bottom()) - 2)
    drag(qtbot, page, edge, QPoint(edge.x(), int(grid.y_for(dt.time(10, 45)))))
    qtbot.waitUntil(lambda: isinstance(page.dialog, ScopeDialog) and page.dialog.isVisible())
    assert isinstance(page.dialog, ScopeDialog)
    assert page.dialog.buttons[EditScope.ALL].isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        click(page.dialog.buttons[EditScope.ALL])
    assert page.status.text() == "已调整 3 次"
    assert [t[:2] for t in times(centre, series)] == [
        ("11-24 09:00", "10:45"),
        ("12-01 09:00", "10:45"),
        ("12-08 09:00", "10:45"),
    ]
