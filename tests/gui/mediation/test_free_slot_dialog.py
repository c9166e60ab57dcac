"""The free-slot finder on the calendar: F opens it, “90 minutes, 劳资纠纷, any room, this
week” lists the first free slots by every booking rule, and the chosen one is booked for a
case in one call; a slot taken meanwhile at another desk is refused with the clash named."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.mediation.service import SessionDraft
from tests.gui.mediation.test_calendar import open_page
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.free_slot_dialog import FreeSlotDialog
from ui.mediation.page import MediationPage, ViewMode


def open_finder(qtbot: QtBot, page: MediationPage) -> FreeSlotDialog:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.grid.setFocus()
    QTest.keyClick(page.grid, Qt.Key.Key_F)  # the page's shortcut
    dialog = page.dialog
    assert isinstance(dialog, FreeSlotDialog) and dialog.isVisible()
    return dialog


def find(qtbot: QtBot, dialog: FreeSlotDialog) -> None:
    with qtbot.waitSignal(dialog.found, timeout=5000):
        QTest.mouseClick(
            dialog.findChild(type(dialog.book_button), "freeFind"), Qt.MouseButton.LeftButton
        )


def rows(dialog: FreeSlotDialog) -> list[tuple[str, ...]]:
    return [
        tuple(dialog.table.item(r, c).text() for c in range(4))
        for r in range(dialog.table.rowCount())
    ]


def test_the_next_free_90_minutes_for_a_labour_dispute_mediator_is_found_and_booked(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    # both labour-dispute mediators (黄建平, 谢春生) are busy on Monday morning
    centre.book("劳动争议调解室", "08:30", "12:00", mediators=("黄建平",))
    centre.book("法律援助服务室", "08:30", "11:45", mediators=("谢春生",))
    case = centre.case("王五", "某建筑公司", "劳资纠纷")
    page = open_page(qtbot, centre, clock, ViewMode.WEEK)
    dialog = open_finder(qtbot, page)
    dialog.case.setCurrentIndex(
        next(i for i in range(dialog.case.count()) if dialog.case.itemData(i) == case)
    )
    assert dialog.speciality.currentData() == "劳资纠纷"  # taken from the case's category
    assert dialog.length.value() == 90 and dialog.room.currentData() is None
    find(qtbot, dialog)
    listed = rows(dialog)
    assert len(listed) == 10
    assert listed[0][:2] == ("2026-11-23", "11:45–13:15") and listed[0][3] == "谢春生"
    assert listed[0][2] != "法律援助服务室"  # its 10-minute buffer keeps it until 11:55
    # one choice per room and mediator at a time, not 11:45, 12:00, 12:15 … of the same pair
    pairs = [(s.room_id, s.mediator_id, s.starts_at, s.ends_at) for s in dialog.slots]
    assert not any(
        a[:2] == b[:2] and a[2] < b[3] and b[2] < a[3]
        for i, a in enumerate(pairs)
        for b in pairs[i + 1 :]
    )
    with qtbot.waitSignal(page.loaded, timeout=5000):
        QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    [booked] = [s for s in page.sessions if s.case_id == case]
    assert (booked.starts_at, booked.mediator_names) == (at(MONDAY, "11:45"), ("谢春生",))
    # F again, one room only, two weeks: the mediator just booked is not offered
    dialog = open_finder(qtbot, page)
    dialog.room.setCurrentIndex(dialog.room.findText("劳动争议调解室"))
    dialog.period.setCurrentIndex(1)
    dialog.speciality.setCurrentIndex(dialog.speciality.findData("劳资纠纷"))
    find(qtbot, dialog)
    assert {r[2] for r in rows(dialog)} == {"劳动争议调解室"}
    # the room is busy until 12:00 plus its buffer; 谢春生 is now booked until 13:15
    assert rows(dialog)[0] == ("2026-11-23", "12:15–13:45", "劳动争议调解室", "黄建平")


def test_a_slot_taken_at_another_desk_meanwhile_is_refused_with_the_clash_named(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    dialog = open_finder(qtbot, page)
    dialog.length.setValue(60)
    find(qtbot, dialog)
    first = dialog.slots[0]
    # another desk books the same room at the same time
    centre.svc.book(
        centre.clerk,
        SessionDraft(first.room_id, first.starts_at, first.ends_at, [centre.mediators["潘丽华"]]),
    )
    QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    start = first.starts_at.astimezone(LOCAL_TZ)
    assert dialog.isVisible()
    assert f"与 {start:%H:%M}–" in dialog.message.text()
    assert first.room_name in dialog.message.text()


def test_a_week_with_no_room_open_says_so(qtbot: QtBot, centre: Centre, clock: ManualClock) -> None:
    page = open_page(qtbot, centre, clock, ViewMode.DAY)
    page.anchor = dt.date(2026, 10, 1)  # the National Day holiday week
    clock.set(at(dt.date(2026, 9, 30), "08:00"))
    dialog = open_finder(qtbot, page)
    dialog.length.setValue(12 * 60)  # no room opens for twelve hours
    find(qtbot, dialog)
    assert rows(dialog) == []
    assert dialog.message.text() == "这段时间内没有符合条件的空闲时段"
    QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "请先查找并选择一个时段"
