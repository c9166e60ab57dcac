"""The working-day screen: a year the official calendar does not know is said in words;
a published schedule is pasted (or read from a GB18030 text file) and imported, a bad line
refused by number; a correction is removed; the rota preview says when a year is unknown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from tests.unit.mediation.conftest import MONDAY, Centre, at
from ui.mediation.admin_rota import RotaDialog
from ui.mediation.admin_working_days import WorkingDaysDialog

SCHEDULE = "2027-01-01 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节调休\n"


def click(widget: QWidget | None) -> None:
    assert widget is not None
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def rows(dialog: WorkingDaysDialog) -> list[tuple[str, ...]]:
    t = dialog.days
    return [tuple(t.item(r, c).text() for c in range(4)) for r in range(t.rowCount())]


def open_dialog(qtbot: QtBot, centre: Centre) -> WorkingDaysDialog:
    dialog = WorkingDaysDialog(centre.ctx, centre.head)
    qtbot.addWidget(dialog)
    dialog.resize(900, 800)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_an_unknown_year_is_said_in_words_then_its_schedule_is_imported(
    qtbot: QtBot, centre: Centre
) -> None:
    dialog = open_dialog(qtbot, centre)
    assert ("2026-10-01 周四", "休息", "国庆节", "官方日历") in rows(dialog)
    dialog.year.setValue(2027)
    assert rows(dialog) == []
    assert dialog.state.text().startswith("2027 年：官方日历未收录，本中心也未录入——暂按星期计算")
    dialog.schedule.setPlainText("2027-01-01 休 元旦\n2027-02-30 休 春节")
    click(dialog.findChild(QPushButton, "importSchedule"))
    assert dialog.message.text() == "第 2 行的日期“2027-02-30”不存在"
    assert rows(dialog) == []
    dialog.schedule.setPlainText(SCHEDULE)
    click(dialog.findChild(QPushButton, "importSchedule"))
    assert dialog.message.text() == "已导入：新增 10 天，修改 0 天"
    assert len(rows(dialog)) == 10
    assert rows(dialog)[-1] == ("2027-02-14 周日", "上班", "春节调休", "本中心更正")
    assert dialog.state.text() == "2027 年：官方日历未收录，按本中心录入的 10 天安排，其余按星期"
    dialog.days.selectRow(0)
    click(dialog.findChild(QPushButton, "removeWorkingDay"))
    assert dialog.message.text() == "2027-01-01 已恢复按官方日历计算"
    assert len(rows(dialog)) == 9


def test_a_day_is_set_and_a_gb18030_file_is_read_into_the_box(
    qtbot: QtBot, centre: Centre, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, centre)
    dialog.day.setDate(QDate(2027, 10, 1))
    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, "National Day")
    click(dialog.findChild(QPushButton, "saveWorkingDay"))
    assert dialog.message.text() == "已保存 2027-10-01"
    assert dialog.year.value() == 2027
    assert rows(dialog) == [("2027-10-01 周五", "休息", "National Day", "本中心更正")]
    path = tmp_path / "2028.txt"
    path.write_bytes("2028-01-01 休 元旦\n".encode("gb18030"))
    dialog.loadFile(path)
    assert dialog.schedule.toPlainText() == "2028-01-01 休 元旦\n"
    (tmp_path / "big.txt").write_bytes(b"x" * 300_000)
    dialog.loadFile(tmp_path / "big.txt")
    assert dialog.message.text() == "文件太大（超过 200 KB），这不像节假日安排"
    (tmp_path / "bin.txt").write_bytes(bytes(range(128, 256)) * 3)
    dialog.loadFile(tmp_path / "bin.txt")
    assert dialog.message.text() == "文件不是文本（UTF-8 或 GB18030）"


def test_the_rota_preview_says_a_year_is_not_entered_yet(
    qtbot: QtBot, centre: Centre, clock: ManualClock
) -> None:
    clock.set(at(MONDAY, "08:00"))
    dialog = RotaDialog(centre.ctx, centre.clerk)
    qtbot.addWidget(dialog)
    dialog.resize(1600, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
    item = dialog.mediators.findItems("黄建平", Qt.MatchFlag.MatchExactly)[0]
    rect = dialog.mediators.visualItemRect(item)
    QTest.mouseClick(
        dialog.mediators.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(rect.left() + 10, rect.center().y()),
    )
    dialog.first_day.setDate(QDate(2026, 12, 29))
    dialog.start.setTime(QTime(9, 0))
    dialog.weekdays[1].setChecked(True)
    dialog.until.setDate(QDate(2027, 1, 5))
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        click(dialog.preview_button)
    cells = [dialog.preview.item(r, 2).text() for r in range(dialog.preview.rowCount())]
    assert cells == ["可预约", "可预约（2027 年节假日未录入，按星期计算）"]
    assert dialog.unknown_years == [2027]
    assert dialog.message.text() == (
        "2 次都可预约。2027 年的法定节假日和调休安排还没有录入，暂按星期计算，"
        "请中心主任在“工作日”中录入"
    )
