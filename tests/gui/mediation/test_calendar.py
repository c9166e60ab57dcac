"""The calendar with the mouse and the keyboard: real drags on the grid's viewport move a
session (also to another room) and resize it; a drag onto a clash shows the clash while
dragging and is refused on drop with the clashing booking named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.mediation.service import SessionView
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.grid import CalendarGrid
from ui.mediation.page import MediationPage, ViewMode


def open_page(qtbot: QtBot, centre: Centre, clock: ManualClock, mode: ViewMode) -> MediationPage:
    clock.set(at(MONDAY, "08:00"))
    page = MediationPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.setMode(mode)
    return page


def view_of(page: MediationPage, title_part: str) -> SessionView:
    return next(s for s in page.sessions if title_part in s.title)


def column_of(grid: CalendarGrid, room: str, day: dt.date = MONDAY) -> int:
    return next(i for i, c in enumerate(grid.columns) if c.label == room and c.day == day)


def drag(qtbot: QtBot, page: MediationPage, start: QPoint, end: QPoint) -> str:
    """Press, move in steps, release; returns the clash shown just before the drop."""
    viewport = page.grid.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * i / 5)
    shown = page.status.text()
    with qtbot.waitSignal(page.loaded, timeout=5000, raising=False):
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    return shown


def test_dragging_onto_a_booked_room_shows_the_clash_and_is_refused_on_drop(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    moving = centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    centre.book("法律援助服务室", "11:00", "12:00", mediators=("潘丽华",))
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    grid = page.grid
    block = grid.block_rects(view_of(page, "张三"))[0]
    target = grid.point_for(column_of(grid, "法律援助服务室"), dt.time(11, 30))
    shown = drag(qtbot, page, block.center().toPoint(), target)
    assert shown == "调解室 法律援助服务室 已有安排：与 11:00–12:00 法律援助服务室 潘丽华 值班冲突"
    assert page.status.text() == shown  # refused on drop, named
    [kept] = [
        s
        for s in centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59"))
        if s.id == moving
    ]
    assert (kept.room_name, kept.starts_at) == ("劳动争议调解室", at(MONDAY, "09:00"))


def test_a_session_is_dragged_to_another_room_and_its_bottom_edge_resized(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    moving = centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    grid = page.grid
    block = grid.block_rects(view_of(page, "黄建平"))[0]
    target = grid.point_for(column_of(grid, "法律援助服务室"), dt.time(14, 30))
    assert drag(qtbot, page, block.center().toPoint(), target) == ""
    [moved] = [s for s in page.sessions if s.id == moving]
    assert (moved.room_name, moved.starts_at, moved.ends_at) == (
        "法律援助服务室",
        at(MONDAY, "14:00"),
        at(MONDAY, "15:00"),
    )
    block = grid.block_rects(moved)[0]
    edge = QPoint(int(block.center().x()), int(block.bottom()) - 2)
    drag(qtbot, page, edge, QPoint(edge.x(), int(grid.y_for(dt.time(15, 45)))))
    [resized] = [s for s in page.sessions if s.id == moving]
    assert (resized.starts_at, resized.ends_at) == (at(MONDAY, "14:00"), at(MONDAY, "15:45"))


def test_in_the_week_view_a_session_moves_to_another_day(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    moving = centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    grid = page.grid
    wednesday = MONDAY + dt.timedelta(days=2)
    assert len(grid.columns) == 5 * len(centre.rooms)  # Monday to Friday, every room
    block = grid.block_rects(view_of(page, "黄建平"))[0]
    target = grid.point_for(column_of(grid, "劳动争议调解室", wednesday), dt.time(10, 30))
    drag(qtbot, page, block.center().toPoint(), target)
    [moved] = [s for s in page.sessions if s.id == moving]
    assert moved.starts_at == at(wednesday, "10:00")


def test_dragging_off_the_grid_changes_nothing(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    moving = centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    block = page.grid.block_rects(view_of(page, "黄建平"))[0]
    drag(qtbot, page, block.center().toPoint(), QPoint(5, 5))
    [kept] = [s for s in page.sessions if s.id == moving]
    assert kept.starts_at == at(MONDAY, "09:00")


def test_double_click_opens_the_session_and_keys_move_between_days(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    block = page.grid.block_rects(view_of(page, "黄建平"))[0]
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        block.center().toPoint(),
    )
    assert page.dialog is not None and page.dialog.objectName() == "sessionDialog"
    assert page.dialog.isVisible()
    page.dialog.close()
    page.grid.setFocus()
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.grid, Qt.Key.Key_Right)
    assert page.anchor == MONDAY + dt.timedelta(days=1)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.grid, Qt.Key.Key_Left)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.grid, Qt.Key.Key_Left)
    assert page.anchor == MONDAY - dt.timedelta(days=1)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.grid, Qt.Key.Key_T)
    assert page.anchor == MONDAY
    QTest.keyClick(page.grid, Qt.Key.Key_N)
    assert page.dialog.objectName() == "newSessionDialog" and page.dialog.isVisible()


@pytest.mark.parametrize("mode", [ViewMode.WEEK, ViewMode.MEDIATORS])
def test_screenshot_of_the_calendar(
    qtbot: QtBot,
    centre: Centre,
    clock: ManualClock,
    mode: ViewMode,
    tmp_path: Path,
    screenshots: Path,
) -> None:
    """A busy week drawn as a real calendar; the picture is kept for the README."""
    case = centre.case("张三", "李四", "劳资纠纷")
    other = centre.case("王五", "赵六", "邻里纠纷")
    for day in range(5):
        d = MONDAY + dt.timedelta(days=day)
        centre.book("劳动争议调解室", "09:00", "10:30", day=d, case_id=case if day == 0 else None)
        centre.book(
            "老娘舅调解室",
            "14:00",
            "15:30",
            day=d,
            mediators=("林阿土",),
            case_id=other if day == 1 else None,
        )
        centre.book("法律援助服务室", "13:00", "16:00", day=d, mediators=("潘丽华",))
    page = open_page(qtbot, centre, clock, mode)
    out = screenshots
    page.resize(1800, 900)
    qtbot.wait(50)
    assert page.grab().save(str(out / f"mediation-{mode.value}.png"))
    assert LOCAL_TZ is not None


def test_a_session_booked_at_another_desk_appears_without_anyone_refreshing(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    case = centre.case("王五", "赵六", "邻里纠纷")
    centre.book("劳动争议调解室", "14:00", "15:00", case_id=case)  # not through this page
    qtbot.waitUntil(lambda: any("王五" in s.title for s in page.sessions), timeout=3000)


def test_a_change_arriving_during_a_drag_waits_for_the_drop(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    moving = centre.book("劳动争议调解室", "09:00", "10:00")
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    grid, viewport = page.grid, page.grid.viewport()
    start = grid.block_rects(next(s for s in page.sessions if s.id == moving))[0].center()
    end = grid.point_for(column_of(grid, "劳动争议调解室"), dt.time(11, 30))
    QTest.mousePress(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start.toPoint()
    )
    QTest.mouseMove(viewport, (start.toPoint() + end) / 2)
    case = centre.case("王五", "赵六", "邻里纠纷")
    centre.book("法律援助服务室", "14:00", "15:00", case_id=case)  # another desk, mid-drag
    qtbot.wait(800)  # the notice has arrived (coalesced 100 ms) and was held
    assert grid.dragging
    assert not any("王五" in s.title for s in page.sessions)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.waitUntil(lambda: any("王五" in s.title for s in page.sessions), timeout=3000)
    moved = next(s for s in page.sessions if s.id == moving)
    assert moved.starts_at.astimezone(LOCAL_TZ).time() != dt.time(9, 0)  # the drop was kept


def test_today_is_the_day_of_the_apps_clock_not_the_wall_clocks(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    clock.set(at(MONDAY + dt.timedelta(days=400), "09:00"))  # far from the wall clock's day
    assert page.grid.today() == MONDAY + dt.timedelta(days=400)


def test_in_the_narrow_week_view_a_session_and_a_room_can_be_read_in_their_tooltips(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    """At 1366 px a week column is ~30 px: a booking showed "08:3" and a room "劳…", with
    nothing to read them by short of opening the session."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    centre.book("劳动争议调解室", "09:00", "10:00", mediators=("黄建平",))
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    page.resize(1100, 700)
    grid = page.grid
    viewport = grid.viewport()

    def tip(pos: QPoint) -> str:
        QApplication.sendEvent(
            viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
        )
        qtbot.waitUntil(QToolTip.isVisible)
        return QToolTip.text()

    block = grid.block_rects(view_of(page, "黄建平"))[0]
    assert tip(block.center().toPoint()).splitlines()[:2] == ["09:00–10:00", "黄建平 值班"]
    header = grid.column_rect(column_of(grid, "劳动争议调解室")).center().toPoint()
    assert tip(QPoint(header.x(), 30)) == "劳动争议调解室"
    QToolTip.hideText()
