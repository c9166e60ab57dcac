"""The petition screen (信访事项) driven with keys and clicks: registration from a letter and
from a visit, the procedure step by step, refusals in words, deadlines with their articles,
and a petition going overdue under a manual clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.reception.petitions import Limit
from centre_app.reception.visits import VisitDraft
from db.models.reception import PetitionChannel, PetitionState, VisitPurpose, VisitRoute
from ui.reception.page import build_reception_page
from ui.reception.petitions_page import PetitionsPage
from ui.status_message import MessageKind, message_kind

pytestmark = pytest.mark.gui
DAY = dt.timedelta(days=1)
BODY = "33032719750412123"
ID_NUMBER = BODY + ric.calc_check_digit(BODY + "0")


def page_for(qtbot: QtBot, ctx: AppContext) -> PetitionsPage:
    page = PetitionsPage(ctx, ctx.auth.login("jiedai", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts (Ctrl+Enter, F5) need the active window
    qtbot.waitUntil(page.settled)  # the list is read on the pool
    return page


def choose(qtbot: QtBot, combo: object, data: object) -> None:
    """Pick an entry of a combo box with the keyboard (Home, then Down until it is there)."""
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data, f"{data!r} not in the combo box"


def register_letter(
    qtbot: QtBot, page: PetitionsPage, matter: str = "反映土地补偿款分配不公"
) -> None:
    choose(qtbot, page.channel, PetitionChannel.LETTER)
    page.name.setText("阿卜杜·热合曼")  # QTest cannot type non-ASCII keys
    page.matter.setPlainText(matter)
    qtbot.keyClicks(page.id_number, ID_NUMBER)
    qtbot.keyClicks(page.phone, "+86 138-5771-2345")
    before = page.register_message.text()
    qtbot.keyClick(page.phone, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut clicks it as an animation: the click lands a moment later.
    qtbot.waitUntil(lambda: page.register_message.text() != before)
    qtbot.waitUntil(page.settled)


def click(qtbot: QtBot, page: PetitionsPage, key: str) -> None:
    button = page.buttons[key]
    assert button.isEnabled(), f"{key} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.settled)


def test_a_letter_is_registered_with_the_keyboard_and_shows_its_acceptance_deadline(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx)
    register_letter(qtbot, page)
    assert "已登记" in page.register_message.text()
    assert "2026-12-07" in page.register_message.text()  # 11-20 + 15 = Sat 12-05: Monday
    assert page.name.text() == ""
    row = page.model.row_at(page.model.row_of(page._current))
    assert row.petitioner_name == "阿卜杜·热合曼"
    assert row.id_number.startswith("3303") and "*" in row.id_number
    first = page.deadlines_model.index(0, 0)
    assert page.deadlines_model.data(first) == "受理告知"
    assert page.deadlines_model.data(first.siblingAtColumn(1)) == "第二十二条、第二十三条"
    assert page.deadlines_model.data(first.siblingAtColumn(6)) == "剩 17 天"
    assert page.buttons["accept"].isEnabled() and not page.buttons["reply"].isEnabled()


def test_a_petition_from_a_visit_takes_the_visitor_from_the_registration(
    qtbot: QtBot, ctx: AppContext
) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    visit = ctx.visits.register(
        clerk,
        VisitDraft(
            visitor_name="吴海燕",
            id_number=ID_NUMBER,
            phone="13957700123",
            purpose=VisitPurpose.PETITION,
            summary="宅基地纠纷",
            route=VisitRoute.WINDOW,
        ),
    )
    page = page_for(qtbot, ctx)
    choose(qtbot, page.channel, PetitionChannel.VISIT)
    assert page.visit.isVisible()
    choose(qtbot, page.visit, visit.id)
    page.matter.setPlainText("请求重新划定宅基地界址")
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    petition = ctx.petitions.get(clerk, page._current)  # type: ignore[arg-type]
    assert (petition.visit_id, petition.petitioner_name) == (visit.id, "吴海燕")
    assert petition.id_number == ID_NUMBER and petition.phone == "13957700123"
    assert petition.channel is PetitionChannel.VISIT


def test_the_whole_procedure_is_one_click_per_step_and_refusals_are_words(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    page = page_for(qtbot, ctx)
    register_letter(qtbot, page)
    pid = page._current
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    # Acceptance needs the written notice and the responsible body.
    click(qtbot, page, "accept")
    assert "书面告知" in page.message.text()
    page.text.setPlainText("你反映的问题属于本机关职权范围，予以受理。")
    qtbot.keyClicks(page.body, "zhen xinfang ban")
    click(qtbot, page, "accept")
    assert ctx.petitions.get(clerk, pid).state is PetitionState.ACCEPTED  # type: ignore[arg-type]
    # An extension longer than 30 days is refused in words, one of 30 goes, a second not.
    page.days.setFocus()
    page.days.selectAll()
    qtbot.keyClicks(page.days, "31")
    page.text.setPlainText("需要现场勘查")
    click(qtbot, page, "extend")
    assert "不得超过 30 日" in page.message.text()
    assert page.text.toPlainText() == "需要现场勘查"  # nothing typed is lost
    page.days.selectAll()
    qtbot.keyClicks(page.days, "30")
    click(qtbot, page, "extend")
    assert "负责人批准" in page.message.text()  # 第三十四条: no extension without approval
    assert page.text.toPlainText() == "需要现场勘查"
    qtbot.keyClicks(page.approver, "Wang zhuren")
    click(qtbot, page, "extend")
    assert page.message.text() == "已保存"
    assert "Wang zhuren" in page.record.toPlainText()
    assert not page.buttons["extend"].isEnabled()  # one extension only (第三十四条)
    handling = [d for d in ctx.petitions.deadlines(clerk, pid) if d.limit is Limit.HANDLING]  # type: ignore[arg-type]
    assert handling[0].due_on - handling[0].started_on >= 90 * DAY
    # Reply, 复查 request and opinion, 复核 request, hearing, opinion, close.
    page.text.setPlainText("经调查，补偿款按村民会议决议分配，处理意见如下……")
    click(qtbot, page, "reply")
    click(qtbot, page, "requestReview")
    page.text.setPlainText("维持原处理意见")
    click(qtbot, page, "review")
    click(qtbot, page, "requestRecheck")
    page.days.selectAll()
    qtbot.keyClicks(page.days, "7")
    click(qtbot, page, "hearing")
    page.text.setPlainText("维持复查意见")
    click(qtbot, page, "recheck")
    click(qtbot, page, "close")
    assert ctx.petitions.get(clerk, pid).state is PetitionState.CLOSED  # type: ignore[arg-type]
    assert not any(b.isEnabled() for b in page.buttons.values())
    record = page.record.toPlainText()
    assert "维持复查意见" in record and "听证天数：7" in record
    labels = [
        page.deadlines_model.data(page.deadlines_model.index(r, 0))
        for r in range(page.deadlines_model.rowCount())
    ]
    assert labels == ["受理告知", "办结答复", "请求复查", "复查意见", "请求复核", "复核意见"]


def test_hostile_text_is_refused_in_words_and_nothing_is_saved(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx)
    before = page.model.rowCount()
    choose(qtbot, page.channel, PetitionChannel.HOTLINE)
    page.name.setText("张三")
    page.matter.setPlainText("反映\x00问题")
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert "控制字符" in page.register_message.text()
    page.matter.setPlainText("反映\u202e问题")
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert "格式字符" in page.register_message.text()
    page.matter.setPlainText("反映问题")
    page.phone.setText("138-5771-23456789")
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert "电话" in page.register_message.text()
    assert page.model.rowCount() == before
    # Full-width digits pasted from a document are normalised, not refused.
    page.phone.clear()
    page.id_number.setText("".join(chr(ord(c) + 0xFEE0) for c in ID_NUMBER))
    qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    assert "已登记" in page.register_message.text()
    qtbot.waitUntil(page.settled)
    assert page.model.rowCount() == before + 1
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    assert ctx.petitions.get(clerk, page._current).id_number == ID_NUMBER  # type: ignore[arg-type]


def test_a_petition_goes_overdue_under_a_manual_clock(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock, tmp_path: Path
) -> None:
    page = page_for(qtbot, ctx)
    register_letter(qtbot, page, "反映村道破损无人修缮")
    pid = page._current
    with qtbot.waitSignal(page.loaded):
        choose(qtbot, page.which, "overdue")
    assert page.model.row_of(pid) == -1
    clock.advance(13 * DAY)  # 12-03: four days left (the 15th day, Sat 12-05, moves to Mon 12-07)
    choose(qtbot, page.which, "due")
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    qtbot.waitUntil(page.settled)
    row = page.model.row_of(pid)
    assert row >= 0
    assert page.model.data(page.model.index(row, 8)) == "剩 4 天"
    clock.advance(5 * DAY)  # 12-08: the limit ended on Monday 12-07
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    choose(qtbot, page.which, "overdue")
    qtbot.waitUntil(page.settled)
    row = page.model.row_of(pid)
    assert row >= 0
    assert page.model.data(page.model.index(row, 8)) == "超期 1 天"
    brush = page.model.data(page.model.index(row, 8), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#b91c1c"
    page.table.selectRow(row)
    assert page.deadlines_model.data(page.deadlines_model.index(0, 6)) == "超期 1 天"
    assert "2026-12-08" in page.today_label.text()
    due = page.deadlines_model.index(0, 4)
    assert page.deadlines_model.data(due) == "2026-12-07（节假日顺延）"
    assert "民法典" in page.deadlines_model.data(due, Qt.ItemDataRole.ToolTipRole)
    page.grab().save(str(tmp_path / "petitions-overdue.png"))


def test_the_reception_workspace_has_a_petitions_tab(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = ctx.auth.login("jiedai", DEMO_PASSWORD)
    workspace = build_reception_page(ctx, clerk, None)
    qtbot.addWidget(workspace)
    assert isinstance(workspace, QTabWidget)
    assert [workspace.tabText(i) for i in range(workspace.count())] == ["来访登记", "信访事项"]
    assert isinstance(workspace.widget(1), PetitionsPage)


def petition_reads(ctx: AppContext, delay_first: float = 0.0) -> list[tuple[int, str]]:
    """(thread id, statement) of every read of the petition table from now on; with
    `delay_first`, the first such read waits that long (a slow disk, a busy server)."""
    import threading
    import time

    from sqlalchemy import event

    seen: list[tuple[int, str]] = []

    def before(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM petition" in statement:
            seen.append((threading.get_ident(), statement))
            if delay_first and len(seen) == 1:
                time.sleep(delay_first)

    event.listen(ctx.engine, "before_cursor_execute", before)
    return seen


def test_the_petition_lists_are_read_off_the_gui_thread(qtbot: QtBot, ctx: AppContext) -> None:
    import threading

    page = page_for(qtbot, ctx)
    register_letter(qtbot, page)
    reads = petition_reads(ctx)
    for which in ("all", "due", "overdue"):
        with qtbot.waitSignal(page.loaded):
            page.which.setCurrentIndex(page.which.findData(which))
            if which == "all":
                page.refresh()
    gui = threading.get_ident()
    lists = [s for t, s in reads if "LIMIT" in s or "ORDER BY" in s]
    assert lists, "no list was read"
    assert all(t != gui for t, s in reads if s in lists)


def test_a_list_that_arrives_after_a_newer_one_is_dropped(qtbot: QtBot, ctx: AppContext) -> None:
    page = page_for(qtbot, ctx)
    register_letter(qtbot, page)
    assert page.model.rowCount() >= 1
    overdue = len(
        ctx.petitions.open_list(ctx.auth.login("jiedai", DEMO_PASSWORD), overdue_only=True)
    )
    assert overdue < page.model.rowCount()  # the demo's overdue petitions, fewer than all
    petition_reads(ctx, delay_first=0.8)  # the list of all petitions comes back last
    page.refresh()  # all petitions: slow
    page.which.setCurrentIndex(page.which.findData("overdue"))  # fast
    with qtbot.waitSignal(page.loaded, timeout=5000):
        pass
    assert page.model.rowCount() == overdue
    qtbot.wait(1200)  # the slow, older list arrives now and must not replace the newer one
    assert page.model.rowCount() == overdue and page.settled()
    assert page.count.text() == f"{overdue} 件"


def test_a_repeat_petition_is_registered_and_flagged_in_the_warning_colour(
    qtbot: QtBot, ctx: AppContext
) -> None:
    page = page_for(qtbot, ctx)
    register_letter(qtbot, page, "反映土地补偿款分配不公")
    first = page._current
    assert message_kind(page.register_message) is MessageKind.SUCCESS
    register_letter(qtbot, page, "再次反映土地补偿款分配不公的问题")
    assert page._current != first
    assert message_kind(page.register_message) is MessageKind.WARNING
    assert "已登记" in page.register_message.text()
    assert "重复信访" in page.register_message.text()
    qtbot.waitUntil(lambda: "重复信访" in page.heading.text())
