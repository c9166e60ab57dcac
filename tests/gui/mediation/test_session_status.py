"""A session's status from the calendar and from the case page: held, no-show, cancelled
with a reason (required); each press one service call; the block's colour follows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from db.models.mediation import CaseState, SessionStatus
from tests.gui.mediation.test_calendar import view_of
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.cases_page import CasesPage
from ui.mediation.page import MediationPage, ViewMode


def open_day(qtbot: QtBot, centre: Centre, clock: ManualClock, now: str) -> MediationPage:
    clock.set(at(MONDAY, now))
    page = MediationPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.setMode(ViewMode.DAY)
    return page


def double_click(page: MediationPage, title_part: str) -> None:
    block = page.grid.block_rects(view_of(page, title_part))[0]
    QTest.mouseDClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        block.center().toPoint(),
    )
    assert page.dialog is not None and page.dialog.isVisible()


def test_marking_a_session_held_from_the_calendar_turns_its_block_green(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    page = open_day(qtbot, centre, clock, "10:30")
    view = view_of(page, "张三诉李四")
    assert page.grid._colour(view) == page.grid.plannedColor
    double_click(page, "张三诉李四")
    bar = page.status_bar
    assert bar is not None
    with qtbot.waitSignal(page.loaded, timeout=5000):
        QTest.mouseClick(bar.buttons[SessionStatus.HELD], Qt.MouseButton.LeftButton)
    held = view_of(page, "张三诉李四")
    assert held.status is SessionStatus.HELD
    assert page.grid._colour(held) == page.grid.heldColor != page.grid.plannedColor
    assert page.status.text() == "已登记为“已举行”"
    assert not page.dialog.isVisible()
    double_click(page, "张三诉李四")  # a held session takes no second status
    assert page.status_bar is not None
    assert not any(b.isEnabled() for b in page.status_bar.buttons.values())


def test_a_no_show_before_the_session_started_is_refused_in_words(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.book("劳动争议调解室", "14:00", "15:00", case_id=centre.case())
    page = open_day(qtbot, centre, clock, "10:30")
    double_click(page, "张三诉李四")
    bar = page.status_bar
    assert bar is not None
    QTest.mouseClick(bar.buttons[SessionStatus.NO_SHOW], Qt.MouseButton.LeftButton)
    assert bar.error.text() == "这场调解 11-23 14:00 才开始，还不能登记为“未到场”"
    assert page.dialog.isVisible()
    assert view_of(page, "张三诉李四").status is SessionStatus.PLANNED


def test_cancelling_needs_a_reason_and_frees_the_room(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.book("劳动争议调解室", "14:00", "15:00", case_id=centre.case())
    page = open_day(qtbot, centre, clock, "10:30")
    double_click(page, "张三诉李四")
    bar = page.status_bar
    assert bar is not None
    QTest.mouseClick(bar.buttons[SessionStatus.CANCELLED], Qt.MouseButton.LeftButton)
    assert bar.error.text() == "请填写取消原因"
    bar.reason.setText("\x00")  # a control character is refused, not stored
    QTest.mouseClick(bar.buttons[SessionStatus.CANCELLED], Qt.MouseButton.LeftButton)
    assert bar.error.text() == "取消原因含有不可见的控制字符，请重新输入"
    bar.reason.setText("申请人住院，改期")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        QTest.mouseClick(bar.buttons[SessionStatus.CANCELLED], Qt.MouseButton.LeftButton)
    assert [s.title for s in page.sessions] == []  # the block is gone, the room free
    centre.book("劳动争议调解室", "14:00", "15:00", mediators=("谢春生",))


def test_the_case_page_marks_its_sessions_and_records_the_outcome(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=case)
    centre.book("劳动争议调解室", "09:00", "10:00", case_id=case, day=MONDAY + dt.timedelta(days=1))
    clock.set(at(MONDAY, "10:30"))
    page = CasesPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.table.selectRow(0)
    assert page.sessions.count() == 2
    assert not page.session_status.buttons[SessionStatus.NO_SHOW].isEnabled()
    page.sessions.setCurrentRow(0)
    QTest.mouseClick(page.session_status.buttons[SessionStatus.NO_SHOW], Qt.MouseButton.LeftButton)
    assert page.sessions.item(0).text().endswith("未到场")
    QTest.mouseClick(page.buttons[CaseState.FAILED], Qt.MouseButton.LeftButton)
    assert (
        page.error.text()
        == f"案件 {centre.svc.case(centre.clerk, case).case_no} 还没有已举行的调解，不能记录调解不成"
    )
    page.sessions.setCurrentRow(1)
    page.session_status.reason.setText("双方已自行和解")
    QTest.mouseClick(
        page.session_status.buttons[SessionStatus.CANCELLED], Qt.MouseButton.LeftButton
    )
    assert page.sessions.item(1).text().endswith("已取消：双方已自行和解")
    QTest.mouseClick(page.buttons[CaseState.WITHDRAWN], Qt.MouseButton.LeftButton)
    assert centre.svc.case(centre.clerk, case).state is CaseState.WITHDRAWN
    assert not page.menu_button.isEnabled()
    page.grab().save(str(tmp_path / "case.png"))
