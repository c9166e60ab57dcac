"""The duty rota screen with the mouse and keys: a weekly series is previewed date by date,
its clash named, booked only once the clerk agrees to skip the clashing date; then one
date and the following ones are moved, a date removed and a date added."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from centre_app.clock import LOCAL_TZ, ManualClock
from centre_app.mediation.rota import SeriesDraft
from db.models.mediation import SessionStatus
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.admin_rota import RotaDialog


def click(widget: QWidget, point: QPoint | None = None) -> None:
    if point is None and isinstance(widget, QCheckBox):
        point = QPoint(8, widget.height() // 2)  # on the box, not the empty right side
    if point is None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def tick_item(listing: QListWidget, text: str) -> None:
    """Click the check box of a list row."""
    item = listing.findItems(text, Qt.MatchFlag.MatchExactly)[0]
    listing.scrollToItem(item)
    rect = listing.visualItemRect(item)
    click(listing.viewport(), QPoint(rect.left() + 10, rect.center().y()))
    assert item.checkState() is Qt.CheckState.Checked


def open_dialog(qtbot: QtBot, centre: Centre, clock: ManualClock) -> RotaDialog:
    clock.set(at(MONDAY, "08:00"))
    dialog = RotaDialog(centre.ctx, centre.clerk)
    qtbot.addWidget(dialog)
    dialog.resize(1600, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def table(dialog: RotaDialog) -> list[tuple[str, ...]]:
    t = dialog.occurrences
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def preview(qtbot: QtBot, dialog: RotaDialog) -> None:
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        click(dialog.preview_button)


def test_a_series_is_previewed_with_its_clash_and_booked_only_when_agreed(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.book("法律援助服务室", "10:00", "11:00", day=dt.date(2026, 12, 1), mediators=("潘丽华",))
    dialog = open_dialog(qtbot, centre, clock)
    dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
    tick_item(dialog.mediators, "黄建平")
    dialog.first_day.setDate(QDate(2026, 11, 24))
    dialog.start.setTime(QTime(9, 0))
    preview(qtbot, dialog)
    assert dialog.message.text() == "请至少选择一个星期几"
    click(dialog.weekdays[1])  # 周二
    click(dialog.by_count)
    dialog.count.setFocus()
    QTest.keyClicks(dialog.count, "4")
    preview(qtbot, dialog)
    rows = [
        tuple(dialog.preview.item(r, c).text() for c in range(3))
        for r in range(dialog.preview.rowCount())
    ]
    assert rows == [
        ("2026-11-24 周二", "09:00–12:00", "可预约"),
        (
            "2026-12-01 周二",
            "09:00–12:00",
            "调解室 法律援助服务室 已有安排：与 10:00–11:00 法律援助服务室 潘丽华 值班冲突",
        ),
        ("2026-12-08 周二", "09:00–12:00", "可预约"),
        ("2026-12-15 周二", "09:00–12:00", "可预约"),
    ]
    assert dialog.agree.isVisible()
    assert dialog.agree.text() == "跳过 1 次冲突，预约其余 3 次（其中 0 次有提醒）"
    click(dialog.book_button)
    assert dialog.message.text().startswith("有冲突或提醒：请勾选")
    assert dialog.series.count() == 0
    click(dialog.agree)
    click(dialog.book_button)
    assert dialog.message.text() == "已预约 3 次，跳过 1 次"
    assert dialog.series.count() == 1
    assert dialog.series.item(0).text() == (
        "黄建平 值班 · 法律援助服务室 · 每周二 09:00–12:00 · 共 4 次 · 待举行 3 次"
    )
    assert [row[0] for row in table(dialog)] == [
        "2026-11-24 周二",
        "2026-12-08 周二",
        "2026-12-15 周二",
    ]


def test_changing_the_form_after_a_preview_asks_for_a_new_preview(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    dialog = open_dialog(qtbot, centre, clock)
    tick_item(dialog.mediators, "黄建平")
    dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
    dialog.first_day.setDate(QDate(2026, 11, 24))
    click(dialog.weekdays[1])
    dialog.until.setDate(QDate(2026, 12, 1))
    preview(qtbot, dialog)
    assert dialog.message.text() == "2 次都可预约"
    dialog.start.setTime(QTime(14, 0))
    click(dialog.book_button)
    assert dialog.message.text() == "请先预览，看过每一次的检查结果再预约"


def test_an_older_preview_answering_after_a_newer_one_is_dropped(
    qtbot: QtBot, centre: Centre, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_dialog(qtbot, centre, clock)
    tick_item(dialog.mediators, "黄建平")
    dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
    dialog.first_day.setDate(QDate(2026, 11, 24))
    click(dialog.weekdays[1])
    dialog.until.setDate(QDate(2026, 12, 1))
    rota, asked, release_first = dialog._rota, threading.Event(), threading.Event()
    real_preview = rota.preview

    def first_preview_slow(draft: SeriesDraft) -> object:
        found = real_preview(draft)
        if not asked.is_set():
            asked.set()
            assert release_first.wait(5)
        return found

    monkeypatch.setattr(rota, "preview", first_preview_slow)
    click(dialog.preview_button)  # two Tuesdays, held
    assert asked.wait(5)
    dialog.until.setDate(QDate(2026, 12, 15))
    preview(qtbot, dialog)  # four Tuesdays, answered first
    assert dialog.preview.rowCount() == 4
    release_first.set()
    qtbot.wait(300)  # the older answer arrives now, and must not replace the newer one
    assert dialog.preview.rowCount() == 4
    assert dialog.message.text() == "4 次都可预约"


def test_one_date_and_the_following_move_a_date_is_removed_and_one_added(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    centre.ctx.mediation_rota.book_series(
        centre.clerk,
        SeriesDraft(
            centre.rooms["法律援助服务室"],
            [centre.mediators["黄建平"]],
            "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
            dt.datetime(2026, 11, 24, 9, 0),
            180,
            "律师坐班 黄建平",
        ),
    )
    dialog = open_dialog(qtbot, centre, clock)
    assert len(table(dialog)) == 4
    # the series' own room is preselected (findData compared ids by identity: the first room)
    assert dialog.edit_room.currentText() == "法律援助服务室"
    dialog.occurrences.selectRow(2)  # 12-08 and after: afternoons in another room
    dialog.scope.setCurrentIndex(1)
    dialog.edit_start.setTime(QTime(14, 0))
    dialog.edit_duration.setValue(60)
    dialog.edit_room.setCurrentIndex(dialog.edit_room.findText("劳动争议调解室"))
    click(dialog.findChild(QWidget, "rotaChange"))
    assert dialog.message.text() == "已修改 2 次"
    dialog.series.setCurrentRow(0)
    assert [r[:3] for r in table(dialog)] == [
        ("2026-11-24 周二", "09:00–12:00", "法律援助服务室"),
        ("2026-12-01 周二", "09:00–12:00", "法律援助服务室"),
    ]
    dialog.occurrences.selectRow(1)
    click(dialog.findChild(QWidget, "rotaRemoveDate"))
    assert dialog.message.text() == "请填写取消原因"
    dialog.reason.setFocus()
    QTest.keyClicks(dialog.reason, "court")
    click(dialog.findChild(QWidget, "rotaRemoveDate"))
    assert dialog.message.text() == "已删除这一天，其他日期不变"
    assert table(dialog)[1][3] == "已取消"
    dialog.add_day.setDate(QDate(2026, 11, 26))
    dialog.add_time.setTime(QTime(14, 0))
    click(dialog.add_button)
    assert dialog.message.text() == "已添加 2026-11-26 14:00"
    assert [r[0] for r in table(dialog)] == [
        "2026-11-24 周二",
        "2026-11-26 周四",
        "2026-12-01 周二",
    ]
    statuses = {
        s.starts_at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M"): s.status
        for s in centre.svc.sessions_between(
            centre.clerk, at(MONDAY, "00:00"), at(MONDAY, "00:00") + dt.timedelta(days=40)
        )
    }
    assert statuses == {
        "11-24 09:00": SessionStatus.PLANNED,
        "11-26 14:00": SessionStatus.PLANNED,
        "12-08 14:00": SessionStatus.PLANNED,
        "12-15 14:00": SessionStatus.PLANNED,
    }
