"""The reception clerk registers visitors from the keyboard and finds them again."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from ui.reception.page import ReceptionPage

pytestmark = pytest.mark.gui


def page_for(qtbot: QtBot, ctx: AppContext, username: str) -> ReceptionPage:
    page = ReceptionPage(ctx, ctx.auth.login(username, DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitUntil(page.settled)  # the register is read on the pool
    return page


def test_clerk_registers_a_collective_visit_and_gets_a_ticket(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    body = "33032719750412123"
    page.name.setText("吴海燕")  # QTest cannot type non-ASCII keys
    qtbot.keyClicks(page.id_number, body + ric.calc_check_digit(body + "0"))
    qtbot.keyClicks(page.phone, "13957700123")
    page.group_size.setValue(12)
    assert "集体访" in page.group_note.text()
    page.summary.setPlainText("某服装厂工人集体反映被拖欠工资")
    qtbot.keyClick(page.register_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.ticket.text() == "A001"
    assert page.name.text() == ""
    qtbot.waitUntil(page.settled)
    first = page.model.row_at(0)
    assert first.visitor_name == "吴海燕" and first.is_group_visit
    assert first.id_number.startswith("3303") and "*" in first.id_number


def test_a_wrong_check_digit_is_explained_and_the_form_keeps_its_text(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    page.name.setText("张三")
    body = "33032719750412123"
    right = ric.calc_check_digit(body + "0")
    qtbot.keyClicks(page.id_number, body + ("1" if right != "1" else "2"))
    page.registerVisit()
    assert "校验位" in page.message.text()
    assert page.name.text() == "张三"
    assert page.ticket.text() == ""


def test_search_by_pinyin_initials_filters_the_register(qtbot: QtBot, ctx: AppContext) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    everyone = page.model.rowCount()
    name = page.model.row_at(0).visitor_name
    from centre_app.reception.visits import name_initials

    qtbot.keyClicks(page.search, name_initials(name))
    qtbot.waitUntil(lambda: page.model.rowCount() < everyone or everyone == 1)
    assert all(
        name_initials(page.model.row_at(r).visitor_name).startswith(name_initials(name))
        for r in range(page.model.rowCount())
    )


def test_a_second_clerk_calls_the_ticket_at_another_window_with_the_keyboard(
    qtbot: QtBot, ctx: AppContext
) -> None:
    desk = page_for(qtbot, ctx, "jiedai")
    desk.name.setText("吴海燕")
    desk.purpose.setCurrentIndex(desk.purpose.findText("信访"))
    assert desk.service.currentData() == "B"
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert desk.ticket.text() == "B001"
    window = page_for(qtbot, ctx, "jiedai")
    panel = window.window_panel
    panel.window_choice.setCurrentIndex(
        panel.window_choice.findText("3 号窗口", Qt.MatchFlag.MatchStartsWith)
    )
    desk.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.window_choice.setFocus()
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F2)
    assert panel.current is not None and panel.current.code == "B001"
    assert panel.number.text().startswith("B001")
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F3)
    assert "重呼" in panel.status.text()
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F4)
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F5)
    assert panel.current is None and "办结" in panel.status.text()
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F2)
    assert "没有人等候" in panel.status.text()


def test_the_same_id_number_under_another_name_is_flagged_while_typing(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    body = "33032719660101555"
    number = body + ric.calc_check_digit(body + "0")
    page.name.setText("张三")
    qtbot.keyClicks(page.id_number, number)
    page.registerVisit()
    page.name.setText("李四")
    qtbot.keyClicks(page.id_number, number)
    qtbot.keyClick(page.id_number, Qt.Key.Key_Return)
    assert "张三" in page.person_note.text() and "此前来访 1 次" in page.person_note.text()


def test_the_visitor_page_shows_earlier_visits_and_starts_an_incident(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from ui.reception.visitor_dialog import VisitorDialog

    page = page_for(qtbot, ctx, "jiedai")
    page.name.setText("郑美玲")
    page.summary.setPlainText("与邻居因排水沟堵塞发生纠纷")
    page.registerVisit()
    assert page.last_visit_id is not None
    dialog = VisitorDialog(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD), page.last_visit_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.settled)  # the history is read on the pool
    assert dialog.visits.count() == 1 and dialog.incidents.count() == 0
    dialog.category.setCurrentIndex(dialog.category.findText("矛盾纠纷 / 邻里纠纷"))
    with qtbot.waitSignal(dialog.loaded):
        qtbot.mouseClick(dialog.start_incident, Qt.MouseButton.LeftButton)
    assert dialog.incidents.count() == 1 and "待分流" in dialog.incidents.item(0).text()
    assert not dialog.start_incident.isEnabled()


def test_the_ticket_prints_to_pdf_and_a_missing_printer_leaves_the_number_on_screen(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    pdf = tmp_path / "ticket.pdf"
    page.ticket_target = f"pdf:{pdf}"
    page.name.setText("郑美玲")
    page.registerVisit()
    assert page.ticket.text() == "A001" and "已打印" in page.print_note.text()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "120", str(pdf), str(tmp_path / "ticket")], check=True
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # the CJK font maps 面 to a Kangxi radical
    # The large number's digits come out of pdftotext as nothing (the bold CJK font's
    # digits carry no text mapping); the picture shows them (pdftoppm, looked at), the
    # screen holds the number, and the rest of the ticket reads back as text.
    assert "您前面还有 0 人" in text and "咨询" in text and "取号时间 2026-11-20 10:00" in text
    assert "金乡镇社会治理综合指挥中心" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CJKsc" in fonts.stdout.replace("SC-", "sc-")  # Simplified Chinese, not the JP cut
    page.ticket_target = "没有这台打印机"
    page.name.setText("李建华")
    page.registerVisit()
    assert page.ticket.text() == "A002"
    assert "没有找到打印机" in page.print_note.text() and "A002" in page.print_note.text()
    qtbot.waitUntil(page.settled)
    assert [r.ticket_no for r in page.model._rows[:2]] == ["A002", "A001"]  # nothing lost


def test_a_window_paused_for_lunch_keeps_its_queue_and_tells_the_clerk_who_waits(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx, "jiedai")
    page.ticket_target = "escpos:127.0.0.1:9"
    page.name.setText("吴海燕")
    page.purpose.setCurrentIndex(page.purpose.findText("信访"))
    page.registerVisit()
    assert page.ticket.text() == "B001"
    panel = page.window_panel
    panel.window_choice.setCurrentIndex(
        panel.window_choice.findText("3 号窗口", Qt.MatchFlag.MatchStartsWith)
    )
    assert panel.pause_button.text() == "午休暂停"
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert panel.status.text().startswith("3 号窗口已暂停叫号。")
    assert "B 信访接待 1 人" in panel.status.text()
    assert not panel.buttons["callNext"].isEnabled()
    assert panel.pause_button.text() == "恢复开放"
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    panel.window_choice.setFocus()
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F2)  # the key still works: refused in words
    assert "已关闭或暂停" in panel.status.text() and panel.current is None
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert "已恢复开放" in panel.status.text()
    qtbot.keyClick(panel.window_choice, Qt.Key.Key_F2)
    assert panel.current is not None and panel.current.code == "B001"


def test_a_window_paused_at_one_desk_shows_paused_at_the_other(
    qtbot: QtBot, ctx: AppContext
) -> None:
    here, there = page_for(qtbot, ctx, "jiedai"), page_for(qtbot, ctx, "jiedai")
    for page in (here, there):
        page.window_panel.window_choice.setCurrentIndex(
            page.window_panel.window_choice.findText("3 号窗口", Qt.MatchFlag.MatchStartsWith)
        )
    qtbot.mouseClick(here.window_panel.pause_button, Qt.MouseButton.LeftButton)
    assert here.window_panel.pause_button.text() == "恢复开放"
    # The other desk hears the change and reads the window's state, not its own memory.
    qtbot.waitUntil(lambda: there.window_panel.pause_button.text() == "恢复开放")
    assert not there.window_panel.buttons["callNext"].isEnabled()
    qtbot.mouseClick(there.window_panel.pause_button, Qt.MouseButton.LeftButton)
    assert "已恢复开放" in there.window_panel.status.text()
    qtbot.waitUntil(lambda: here.window_panel.pause_button.text() == "午休暂停")


def test_the_register_is_read_off_the_gui_thread_and_a_late_older_read_is_dropped(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from PySide6.QtCore import QThreadPool
    from sqlalchemy import event

    from ui.pool_task import _in_flight

    threads: list[int] = []

    def before(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "FROM visit" in statement and "LIMIT" in statement:
            threads.append(threading.get_ident())

    event.listen(ctx.engine, "before_cursor_execute", before)
    try:
        page = page_for(qtbot, ctx, "jiedai")
        everyone = page.model.rowCount()
        # The read before the search is slow: its whole register comes after the search's.
        release_older = threading.Event()
        recent = ctx.visits.recent

        def slow_unsearched(actor: object, *, limit: int, search: str = "") -> object:
            rows = recent(actor, limit=limit, search=search)  # type: ignore[arg-type]
            if not search:
                assert release_older.wait(5)
            return rows

        monkeypatch.setattr(ctx.visits, "recent", slow_unsearched)
        page.refresh()
        with qtbot.waitSignal(page.loaded):
            qtbot.keyClicks(page.search, "zzzq")  # nobody's initials
        assert page.model.rowCount() == 0 < everyone and page.settled()
        release_older.set()
        assert QThreadPool.globalInstance().waitForDone(5000)
        qtbot.waitUntil(lambda: not _in_flight)  # the older register came back: dropped
    finally:
        event.remove(ctx.engine, "before_cursor_execute", before)
    assert threads and threading.get_ident() not in threads
    assert page.model.rowCount() == 0 and page.settled()
