"""Print and share from the calendar, by the keyboard shortcuts and Qt's own dialogs: a
room's day sheet to PDF (looked at through pdftoppm) and through the print dialog, an .ics
export per mediator that re-imports, a subscription file rewritten when a session is
booked, and a law firm's rota previewed with its clashes before anything is saved."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QDate, Qt, QThreadPool
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from centre_app.clock import ManualClock
from db.models.mediation import SessionStatus
from tests.gui.mediation.test_day_sheet import pdf_pages, pdf_text
from tests.unit.mediation.conftest import MONDAY, Centre, at
from tests.unit.mediation.test_ical import FIRM_ROTA
from ui.mediation.page import MediationPage, ViewMode
from ui.mediation.share import (
    DaySheetDialog,
    IcsExportDialog,
    IcsImportDialog,
    Subscription,
    Subscriptions,
)


def open_page(qtbot: QtBot, centre: Centre, clock: ManualClock) -> MediationPage:
    clock.set(at(MONDAY, "08:00"))
    page = MediationPage(centre.ctx, centre.clerk)
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.setMode(ViewMode.DAY)
    page.grid.setFocus()
    return page


def press(page: MediationPage, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    QTest.keyClick(page.grid, key, modifiers)


def choose_file(qtbot: QtBot, dialog: QFileDialog | None, path: Path) -> None:
    """Type the path into Qt's file dialog and press Enter, as a clerk would."""
    assert dialog is not None
    qtbot.waitExposed(dialog)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert edit is not None
    edit.setText(str(path))
    QTest.keyClick(edit, Qt.Key.Key_Return)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_ctrl_p_writes_a_rooms_door_sheet_as_a_pdf_through_the_file_dialog(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    case = centre.case("张三", "李四", "劳资纠纷")
    centre.book("老娘舅调解室", "09:00", "10:00", mediators=("林阿土",), case_id=case)
    centre.book("法律援助服务室", "09:00", "10:00", mediators=("潘丽华",))
    page = open_page(qtbot, centre, clock)
    press(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    sheet = page.share_dialog
    assert isinstance(sheet, DaySheetDialog)
    qtbot.waitExposed(sheet)
    sheet.what.setCurrentIndex(sheet.what.findText("老娘舅调解室", Qt.MatchFlag.MatchStartsWith))
    QTest.mouseClick(sheet.pdf_button, Qt.MouseButton.LeftButton)
    out = tmp_path / "door.pdf"
    with qtbot.waitSignal(sheet.written, timeout=5000):
        choose_file(qtbot, sheet.file_dialog, out)
    assert pdf_pages(out) == 1
    text = pdf_text(out)
    assert "老娘舅调解室" in text and "林阿土" in text and "09:00–10:00" in text
    assert "潘丽华" not in text  # another room's session is not on this door
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "door")], check=True)
    assert len(list(tmp_path.glob("door-*.png"))) == 1
    assert "已保存" in sheet.status.text()


def test_the_centres_programme_goes_through_the_print_dialog(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    centre.book("老娘舅调解室", "09:00", "10:00", mediators=("林阿土",))
    centre.book("法律援助服务室", "14:00", "15:00", mediators=("潘丽华",))
    page = open_page(qtbot, centre, clock)
    page.sheet_action.trigger()
    sheet = page.share_dialog
    assert isinstance(sheet, DaySheetDialog)
    out = tmp_path / "printed.pdf"
    sheet.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    sheet.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    sheet.printer.setOutputFileName(str(out))
    QTest.mouseClick(sheet.print_button, Qt.MouseButton.LeftButton)
    dialog = sheet.print_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QDialogButtonBox)
    ok = next(
        b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )
    with qtbot.waitSignal(sheet.written, timeout=5000):
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    text = pdf_text(out)
    assert "林阿土" in text and "潘丽华" in text and "14:00–15:00" in text


def test_ctrl_e_exports_a_mediators_calendar_that_reimports_and_a_subscription_that_updates(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    centre.book("劳动争议调解室", "09:00", "10:00", mediators=("黄建平",))
    centre.book("法律援助服务室", "09:00", "10:00", mediators=("潘丽华",))
    page = open_page(qtbot, centre, clock)
    press(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    export = page.share_dialog
    assert isinstance(export, IcsExportDialog)
    export.target.setCurrentIndex(export.target.findText("调解员 黄建平"))
    QTest.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    once = tmp_path / "huang.ics"
    with qtbot.waitSignal(export.written, timeout=5000):
        choose_file(qtbot, export.file_dialog, once)
    cal = icalendar.Calendar.from_ical(once.read_bytes())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["黄建平 值班"]
    assert all(e.errors == [] for e in cal.walk("VEVENT"))

    export.target.setCurrentIndex(export.target.findText("调解室 劳动争议调解室"))
    QTest.mouseClick(export.subscribe, Qt.MouseButton.LeftButton)
    assert export.subscribe.isChecked() and not export.first.isEnabled()
    QTest.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    feed = tmp_path / "feed" / "labour-room.ics"
    feed.parent.mkdir()
    with qtbot.waitSignal(export.written, timeout=5000):
        choose_file(qtbot, export.file_dialog, feed)
    assert export.current.count() == 1
    first = feed.read_bytes()
    assert first.count(b"BEGIN:VEVENT") == 1

    with qtbot.waitSignal(page.subscriptions.rewritten, timeout=5000):
        centre.book("劳动争议调解室", "14:00", "15:00", mediators=("谢春生",))
    summaries = {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed.read_bytes()).walk("VEVENT")
    }
    assert summaries == {"黄建平 值班", "谢春生 值班"}
    assert not list(feed.parent.glob(".*.part"))  # replaced in one step, no leftovers
    # The next start of the program keeps the subscription.
    again = Subscriptions(centre.ctx, centre.clerk, page)
    assert [(s.name, s.path) for s in again.entries] == [("劳动争议调解室", feed)]
    export.current.setCurrentRow(0)
    QTest.mouseClick(export.stop, Qt.MouseButton.LeftButton)
    assert Subscriptions(centre.ctx, centre.clerk, page).entries == []


def test_ctrl_i_previews_a_firms_rota_with_its_clashes_and_saves_only_the_free_events(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path, screenshots: Path
) -> None:
    centre.book(
        "法律援助服务室", "10:30", "11:30", day=dt.date(2026, 10, 27), mediators=("潘丽华",)
    )
    rota = tmp_path / "mingjing-rota.ics"
    rota.write_bytes(FIRM_ROTA)
    page = open_page(qtbot, centre, clock)
    press(page, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    choose_file(qtbot, page.file_dialog, rota)
    dialog = page.share_dialog
    assert isinstance(dialog, IcsImportDialog)
    qtbot.waitExposed(dialog)
    dialog.room.setCurrentIndex(dialog.room.findText("法律援助服务室"))
    with qtbot.waitSignal(dialog.previewed, timeout=5000):
        dialog.first.setDate(QDate(2026, 10, 1))
    with qtbot.waitSignal(dialog.previewed, timeout=5000):
        dialog.last.setDate(QDate(2026, 11, 30))
    assert dialog.table.rowCount() == 3
    clashes = [dialog.table.item(row, 3).text() for row in range(3)]
    assert clashes[0] == "无冲突" and clashes[2] == "无冲突"
    assert "与 10:30–11:30 法律援助服务室 潘丽华 值班冲突" in clashes[1]
    assert dialog.summary.text() == "共 3 项：2 项无冲突，1 项有冲突（不保存）"
    dialog.grab().save(str(screenshots / "mediation-import.png"))
    window = (at(dt.date(2026, 10, 1), "00:00"), at(dt.date(2026, 12, 1), "00:00"))
    before = centre.svc.sessions_between(centre.clerk, *window)
    assert [s.title for s in before] == ["潘丽华 值班"]  # nothing saved by the preview
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [2]
    after = centre.svc.sessions_between(centre.clerk, *window)
    assert sorted(s.title for s in after) == ["值班律师 黄建平", "值班律师 黄建平", "潘丽华 值班"]
    assert all(s.status is SessionStatus.PLANNED for s in after)


def test_a_file_that_is_not_a_calendar_is_refused_in_words_and_nothing_can_be_saved(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    bad = tmp_path / "rota.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\x00\xff\xfe not really")
    page = open_page(qtbot, centre, clock)
    page.import_action.trigger()
    choose_file(qtbot, page.file_dialog, bad)
    dialog = page.share_dialog
    assert isinstance(dialog, IcsImportDialog)
    qtbot.waitUntil(lambda: "不是有效的 iCalendar 文件" in dialog.status.text(), timeout=5000)
    assert not dialog.save_button.isEnabled() and dialog.table.rowCount() == 0


def test_a_subscription_whose_folder_is_gone_is_named_and_the_others_still_update(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    page = open_page(qtbot, centre, clock)
    kept, gone = tmp_path / "kept.ics", tmp_path / "gone" / "room.ics"
    room = centre.rooms["劳动争议调解室"]
    page.subscriptions.add(Subscription("room", room, "劳动争议调解室", kept))
    page.subscriptions.add(Subscription("room", room, "劳动争议调解室", gone))
    with qtbot.waitSignal(page.subscriptions.rewritten, timeout=5000) as rewritten:
        centre.book("劳动争议调解室", "14:00", "15:00", mediators=("谢春生",))
    assert rewritten.args == [1]
    assert b"SUMMARY:\xe8\xb0\xa2\xe6\x98\xa5\xe7\x94\x9f" in kept.read_bytes()  # 谢春生
    assert page.status.text() == f"订阅文件无法更新：{gone}，请检查文件夹或停止这个订阅"


def test_a_rota_file_too_big_or_unreadable_is_refused_in_words(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    page = open_page(qtbot, centre, clock)
    huge = tmp_path / "huge.ics"
    huge.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * 3_000_000)
    dialog = IcsImportDialog(centre.ctx, centre.clerk, huge, MONDAY, page)
    qtbot.waitUntil(lambda: "日历文件太大" in dialog.status.text(), timeout=5000)
    assert not dialog.save_button.isEnabled()
    missing = IcsImportDialog(centre.ctx, centre.clerk, tmp_path / "nowhere.ics", MONDAY, page)
    assert missing.status.text() == "无法读取该文件，请检查文件是否存在。"
    assert not missing.save_button.isEnabled()


def test_changes_during_a_rewrite_are_written_by_one_more_rewrite_after_it(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    """Two rewrites at once would share the files' temporary names; the second waits."""
    page = open_page(qtbot, centre, clock)
    feed = tmp_path / "room.ics"
    page.subscriptions.add(
        Subscription("room", centre.rooms["劳动争议调解室"], "劳动争议调解室", feed)
    )
    counts: list[int] = []
    page.subscriptions.rewritten.connect(counts.append)
    page.subscriptions.rewrite()
    assert page.subscriptions.running
    centre.svc.book(centre.clerk, centre.draft("劳动争议调解室", "14:00", "15:00"))
    page.subscriptions.rewrite()  # asked again while the first runs: queued, not started
    qtbot.waitUntil(lambda: len(counts) >= 2 and not page.subscriptions.running, timeout=5000)
    assert counts[:2] == [1, 1]
    assert feed.read_bytes().count(b"BEGIN:VEVENT") == 1


def test_an_end_date_set_before_the_start_while_a_preview_is_read_keeps_its_message(
    qtbot: QtBot,
    centre: Centre,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The preview of the period first chosen comes back after the clerk made the period
    impossible: the message about the dates stays, and nothing can be saved."""
    import threading

    import ui.mediation.share as share
    from ui.pool_task import _in_flight

    rota = tmp_path / "mingjing-rota.ics"
    rota.write_bytes(FIRM_ROTA)
    page = open_page(qtbot, centre, clock)
    real, started, release = share.preview_import, threading.Event(), threading.Event()

    def slow_preview(*args: object) -> object:
        started.set()
        assert release.wait(5)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(share, "preview_import", slow_preview)
    dialog = IcsImportDialog(centre.ctx, centre.clerk, rota, dt.date(2026, 10, 1), page)
    assert started.wait(5)  # the first period's preview is under way
    with qtbot.waitSignal(dialog.previewed, timeout=5000):
        dialog.last.setDate(QDate(2026, 9, 1))
    assert dialog.status.text() == "结束日期早于开始日期"
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.waitUntil(lambda: not _in_flight)  # the old preview came back: dropped
    assert dialog.status.text() == "结束日期早于开始日期"
    assert dialog.table.rowCount() == 0 and not dialog.save_button.isEnabled()


def test_enter_exports_and_stop_updating_waits_for_a_chosen_subscription(
    qtbot: QtBot, centre: Centre, clock: ManualClock, tmp_path: Path
) -> None:
    """停止更新所选订阅 was enabled with no subscription and, as the first button, was the
    dialog's default: Enter pressed it instead of 导出…."""
    page = open_page(qtbot, centre, clock)
    press(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    export = page.share_dialog
    assert isinstance(export, IcsExportDialog)
    qtbot.waitExposed(export)
    assert not export.stop.isEnabled()
    QTest.keyClick(export.target, Qt.Key.Key_Return)
    assert export.file_dialog is not None  # Enter opened the export's file dialog
    export.file_dialog.reject()
    room = centre.rooms["劳动争议调解室"]
    page.subscriptions.add(Subscription("room", room, "劳动争议调解室", tmp_path / "a.ics"))
    export._list()
    assert not export.stop.isEnabled()
    export.current.setCurrentRow(0)
    assert export.stop.isEnabled()
