"""The centre head's screens, driven with the mouse and keys: the 管理 menu of the calendar
opens the rooms and mediators screens; a room is created with its hours and buffers, bad
input is refused in words, a closure is added and removed; a mediator with sessions ahead
is refused with the sessions named and then handed over to another mediator."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from centre_app.mediation.admin import MediationAdmin
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.admin_mediators import MediatorsDialog
from ui.mediation.admin_rooms import RoomsDialog
from ui.mediation.page import MediationPage

T = TypeVar("T", bound=QWidget)


def click(widget: QWidget) -> None:
    if isinstance(widget, QCheckBox):  # on the box itself: a wide check box is empty on the right
        point = QPoint(8, widget.height() // 2)
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    for char in text:  # ASCII as keys, the rest as an input method commits it
        if char.isascii():
            QTest.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)


def find(dialog: QWidget, kind: type[T], name: str) -> T:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def test_the_admin_menu_is_offered_to_the_head_and_not_to_a_clerk(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    head_page = MediationPage(centre.ctx, centre.head)
    clerk_page = MediationPage(centre.ctx, centre.clerk)
    qtbot.addWidget(head_page)
    qtbot.addWidget(clerk_page)
    names = [a.objectName() for a in head_page.admin.menu().actions()]
    assert names[:2] == ["adminRooms", "adminMediators"]
    assert "adminRooms" not in [a.objectName() for a in clerk_page.admin.menu().actions()]
    head_page.admin.menu().actions()[0].trigger()
    assert isinstance(head_page.admin.dialog, RoomsDialog)
    with qtbot.waitSignal(head_page.loaded, timeout=5000):
        head_page.admin.dialog.reject()  # the calendar reloads its rooms


def test_a_room_is_created_with_hours_and_buffers_and_bad_input_is_refused(
    qtbot: QtBot, centre: Centre
) -> None:
    dialog = RoomsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click(find(dialog, QPushButton, "newRoom"))
    type_into(dialog.name, "婚姻家庭调解室")
    dialog.kind.setCurrentText("品牌调解室")
    type_into(dialog.capacity, "十")
    type_into(dialog.before, "15")
    click(dialog.save)
    assert dialog.message.text() == "容纳人数应为 1 到 200 的整数，“十”不行"
    assert "婚姻家庭调解室" not in {r.name for r in centre.svc.rooms()}
    type_into(dialog.capacity, "６")  # a full-width digit is a digit
    click(dialog.default_hours)  # own hours: Monday and Saturday mornings only
    for day in range(2, 6):
        click(find(dialog, QCheckBox, f"open_{day}"))
    click(find(dialog, QCheckBox, "open_6"))
    type_into(find(dialog, QLineEdit, "opens_6"), "09:00")
    type_into(find(dialog, QLineEdit, "closes_6"), "08:00")
    click(dialog.save)
    assert dialog.message.text() == "关门时间 08:00 不晚于开门时间 09:00"
    type_into(find(dialog, QLineEdit, "closes_6"), "12:00")
    click(dialog.save)
    assert dialog.message.text() == "已保存调解室 婚姻家庭调解室"
    room = next(r for r in MediationAdmin(centre.svc).all_rooms() if r.name == "婚姻家庭调解室")
    assert (room.capacity, room.buffer_before_minutes, room.buffer_minutes) == (6, 15, 10)
    assert room.opening_hours == {"1": ["08:30", "17:30"], "6": ["09:00", "12:00"]}
    assert dialog.rooms.currentItem().text() == "婚姻家庭调解室"


def test_a_closure_is_added_and_removed_and_refused_over_booked_days(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    centre.book("劳动争议调解室", "09:00", "10:00")
    dialog = RoomsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(
        i for i in range(dialog.rooms.count()) if dialog.rooms.item(i).text() == "劳动争议调解室"
    )
    dialog.rooms.setCurrentRow(row)
    type_into(dialog.reason, "装修")
    click(find(dialog, QPushButton, "addClosure"))
    assert dialog.message.text() == (
        "这几天还有 1 场调解，请先改期或取消：11-23 09:00–10:00 劳动争议调解室 黄建平 值班"
    )
    dialog.first_day.setDate(dialog.first_day.date().addDays(1))
    dialog.last_day.setDate(dialog.last_day.date().addDays(2))
    click(find(dialog, QPushButton, "addClosure"))
    assert dialog.message.text() == "已登记暂停使用 2026-11-24 – 2026-11-25"
    assert [dialog.closures.item(i).text() for i in range(dialog.closures.count())] == [
        "2026-11-24 – 2026-11-25  装修"
    ]
    dialog.closures.setCurrentRow(0)
    click(find(dialog, QPushButton, "removeClosure"))
    assert dialog.closures.count() == 0


def test_a_mediator_with_sessions_ahead_is_refused_by_name_then_handed_over(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    centre.book("劳动争议调解室", "09:00", "10:00")
    dialog = MediatorsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(i for i in range(dialog.list.count()) if dialog.list.item(i).text() == "黄建平")
    dialog.list.setCurrentRow(row)
    click(dialog.toggle)
    assert dialog.message.text() == (
        "调解员 黄建平 还有 1 场未开始的调解，请先改派或取消："
        "11-23 09:00–10:00 劳动争议调解室 黄建平 值班"
    )
    dialog.successor.setCurrentIndex(dialog.successor.findText("吴晓东"))
    click(dialog.handover)
    assert dialog.message.text() == "已停用 黄建平，1 场调解改由 吴晓东 调解"
    assert dialog.list.currentItem().text() == "黄建平（停用）"
    [session] = centre.svc.sessions_between(centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "23:59"))
    assert session.mediator_names == ("吴晓东",)


def test_a_mediators_availability_is_typed_per_weekday_and_checked(
    qtbot: QtBot, centre: Centre
) -> None:
    dialog = MediatorsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    click(find(dialog, QPushButton, "newMediator"))
    type_into(dialog.name, "陈律师")
    dialog.kind.setCurrentIndex(1)
    type_into(dialog.specialties, "劳资纠纷、合同纠纷")
    type_into(dialog.phone, "1380000")
    click(dialog.any_time)
    type_into(dialog.spans[1], "09:00-12:00, 11:00-13:00")
    click(dialog.save)
    assert dialog.message.text() == "时段 09:00-12:00 和 11:00-13:00 重叠，请合并"
    type_into(dialog.spans[1], "14:00-17:00，09:00-12:00")
    click(dialog.save)
    assert dialog.message.text() == "电话“1380000”应为 11 位手机号或带区号的固定电话"
    type_into(dialog.phone, "13800000000")
    click(dialog.save)
    assert dialog.message.text() == "已保存调解员 陈律师"
    saved = next(m for m in MediationAdmin(centre.svc).all_mediators() if m.name == "陈律师")
    assert saved.availability == {"2": [["09:00", "12:00"], ["14:00", "17:00"]]}
    assert saved.specialties == "劳资纠纷,合同纠纷"
    assert dialog.spans[1].text() == "09:00-12:00, 14:00-17:00"


def test_saving_hours_that_leave_a_booking_outside_names_it(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    centre.book("劳动争议调解室", "15:00", "16:00")
    dialog = RoomsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(
        i for i in range(dialog.rooms.count()) if dialog.rooms.item(i).text() == "劳动争议调解室"
    )
    dialog.rooms.setCurrentRow(row)
    click(dialog.default_hours)
    type_into(find(dialog, QLineEdit, "closes_1"), "12:00")
    click(dialog.save)
    assert dialog.message.text() == (
        "已保存调解室 劳动争议调解室。这些调解已不在新的时间内，请改期："
        "11-23 15:00–16:00 劳动争议调解室 黄建平 值班"
    )


def test_a_mediators_home_room_is_shown_and_kept_when_saved(qtbot: QtBot, centre: Centre) -> None:
    """The home room was looked up with findData, which compares ids by identity: it showed
    （无） and saving cleared the home room."""
    admin = MediationAdmin(centre.svc)
    homed = next(m for m in admin.all_mediators() if m.home_room_id is not None)
    dialog = MediatorsDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.show()
    item = dialog.list.findItems(homed.name, Qt.MatchFlag.MatchStartsWith)[0]
    dialog.list.setCurrentItem(item)
    assert dialog.home.currentText() == "老娘舅调解室"
    click(dialog.save)
    assert dialog.message.text() == f"已保存调解员 {homed.name}"
    saved = next(m for m in admin.all_mediators() if m.id == homed.id)
    assert saved.home_room_id == homed.home_room_id


def test_every_admin_screen_fits_a_768_pixel_screen(
    qtbot: QtBot, centre: Centre, clock: ManualClock, as_shipped: None
) -> None:
    """The rooms screen was 808 px tall at least: on a 1366×768 screen 新建调解室 and the
    closures' buttons were below its edge. Each screen leaves room for a title bar and a
    task bar."""
    from ui.mediation.admin_menu import _screens

    clock.set(at(MONDAY, "08:00"))
    page = MediationPage(centre.ctx, centre.head)
    qtbot.addWidget(page)
    for name, _text, _permission, screen in _screens():
        dialog = page.admin.openScreen(screen)
        qtbot.addWidget(dialog)
        assert dialog.minimumSizeHint().height() <= 768 - 60, name
        assert dialog.minimumSizeHint().width() <= 1366 - 40, name
        dialog.close()
