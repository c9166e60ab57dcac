"""The issue's "done when": duty staff take cases through the whole closed loop (闭环) on
the real incidents page with the keyboard alone — Ctrl+N to report, one key per action,
a failed verification back to the department, and an escalation answered by the county,
all visible in the detail pane's history."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue
from db.models import Department
from db.models.incidents import Channel, IncidentState, RiskColour
from ui.incidents.page import IncidentsPage

pytestmark = pytest.mark.gui
S = IncidentState
CTRL = Qt.KeyboardModifier.ControlModifier


def key(
    qtbot: QtBot,
    widget: QWidget,
    k: Qt.Key,
    times: int = 1,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    for _ in range(times):
        qtbot.keyClick(widget, k, modifier)
    QApplication.processEvents()


def open_page(qtbot: QtBot, ctx: Any, username: str) -> IncidentsPage:
    page = IncidentsPage(ctx, ctx.auth.login(username, DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    qtbot.waitExposed(page)
    to_front(qtbot, page)
    # 全部 queue: from the queue list, End then Up (全部 sits just above 按部门).
    page.queues.setFocus()
    key(qtbot, page.queues, Qt.Key.Key_End)
    key(qtbot, page.queues, Qt.Key.Key_Up)
    assert page.currentQueue() is Queue.ALL
    return page


def to_front(qtbot: QtBot, page: IncidentsPage) -> None:
    """The officer's own window is the active one (two users share this test's screen)."""
    if QApplication.activeWindow() is not page:
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table.setFocus()


def find_case(qtbot: QtBot, page: IncidentsPage, case_no: str) -> None:
    """Ctrl+F, type the case number, Return: the case is selected and the table has focus."""
    to_front(qtbot, page)
    key(qtbot, page.table, Qt.Key.Key_F, modifier=CTRL)
    assert page.search.hasFocus()
    page.search.clear()
    qtbot.keyClicks(page.search, case_no)  # ASCII: keyClicks is safe here
    key(qtbot, page.search, Qt.Key.Key_Return)
    assert page.table.hasFocus() and page.model.rowCount() == 1
    assert page.pane.case_no.text() == case_no


def history_lines(page: IncidentsPage) -> list[str]:
    return [page.pane.history.item(i).text() for i in range(page.pane.history.count())]


def test_a_case_goes_from_report_to_closure_through_a_failed_verification_by_keyboard(
    qtbot: QtBot, ctx: Any
) -> None:
    duty = open_page(qtbot, ctx, "zhiban")  # 值班员 王晓燕: reports, triages, verifies
    station = open_page(qtbot, ctx, "zhiban2")  # 值班员 陈立群 records the station's work

    # Report with Ctrl+N: Chinese text is set, everything else is keys.
    to_front(qtbot, duty)
    key(qtbot, duty.table, Qt.Key.Key_N, modifier=CTRL)
    form = duty.form
    qtbot.waitExposed(form)
    # Nothing is preset: each choice is the officer's (from none: 1st item, then the next).
    assert form.channel.currentIndex() == form.category.currentIndex() == -1
    key(qtbot, form.channel, Qt.Key.Key_Down, times=2)  # → 网格员上报 → 电话/热线
    assert form.channel.currentData() is Channel.HOTLINE
    key(qtbot, form.category, Qt.Key.Key_Down)  # → 矛盾纠纷
    assert form.category.currentData() == "矛盾纠纷"
    key(qtbot, form.subcategory, Qt.Key.Key_Down, times=2)  # → 劳资纠纷 → 邻里纠纷
    key(qtbot, form.colour, Qt.Key.Key_Down, times=2)  # → 绿 → 黄
    key(qtbot, form.grid.village, Qt.Key.Key_Down, times=4)  # → 南门村
    key(qtbot, form.grid.grid, Qt.Key.Key_Down, times=2)  # → 第2网格
    assert form.grid.gridCode() == "330327102201002"
    form.place.setText("南门村后巷12号")
    form.title_edit.setText("邻居装修噪声和占用楼道引发争吵")
    form.description.setPlainText("两户邻居因装修噪声和楼道堆放建材多次争吵，来电请求调解。")
    form.people.clear()
    qtbot.keyClicks(form.people, "2")
    form.reporter.setText("来电人陈某")
    qtbot.keyClicks(form.phone, "0577-64281234")
    key(qtbot, form.title_edit, Qt.Key.Key_Return, modifier=CTRL)
    assert not form.isVisible(), form.error.text()
    case_id = form.created_id
    assert case_id is not None
    incident = ctx.incidents.get(duty._actor, case_id)
    case_no = incident.case_no
    assert (incident.state, incident.channel, incident.colour, incident.subcategory) == (
        S.REPORTED,
        Channel.HOTLINE,
        RiskColour.YELLOW,
        "邻里纠纷",
    )
    assert (incident.reporter, incident.reporter_phone) == ("来电人陈某", "0577-64281234")
    qtbot.waitUntil(lambda: duty.focusWidget() is duty.table)  # back on the queue
    assert duty.pane.case_no.text() == case_no

    def state() -> IncidentState:
        return ctx.incidents.get(duty._actor, case_id).state

    key(qtbot, duty.table, Qt.Key.Key_A)  # 立案受理
    assert state() is S.ACCEPTED
    find_case(qtbot, duty, case_no)
    assert duty.pane.fields["deadline"].text() != "受理后计时"
    assert duty.pane.countdown.text().startswith("剩 ")
    suggested = ctx.incidents.suggested_department("矛盾纠纷")
    assert duty.department.currentData() == suggested  # the pane proposes 司法所
    key(qtbot, duty.table, Qt.Key.Key_D)  # 派遣
    assert state() is S.DISPATCHED
    assert ctx.incidents.get(duty._actor, case_id).department_id == suggested

    # The station works on it and reports back.
    find_case(qtbot, station, case_no)
    key(qtbot, station.table, Qt.Key.Key_S)  # 开始处置
    assert state() is S.IN_PROGRESS
    key(qtbot, station.table, Qt.Key.Key_H)  # 处置反馈 without a note: refused in words
    assert "处置反馈需要写明做了什么" in station.message.text() and state() is S.IN_PROGRESS
    station.note.setText("已到现场协调，建材本周内清走")
    station.table.setFocus()
    key(qtbot, station.table, Qt.Key.Key_H)
    assert state() is S.HANDLED

    # Verification fails: the reason is required, first without it, then with it.
    find_case(qtbot, duty, case_no)
    key(qtbot, duty.table, Qt.Key.Key_F)
    assert "需要填写理由" in duty.message.text() and state() is S.HANDLED
    duty.note.setText("网格员回访：楼道建材仍未清走")
    duty.table.setFocus()
    key(qtbot, duty.table, Qt.Key.Key_F)  # 核实未通过 → back to the station
    assert state() is S.DISPATCHED

    find_case(qtbot, station, case_no)
    station.note.setText("已督促清走建材，双方签订调解协议")
    station.table.setFocus()
    key(qtbot, station.table, Qt.Key.Key_H)
    assert state() is S.HANDLED

    find_case(qtbot, duty, case_no)
    key(qtbot, duty.table, Qt.Key.Key_V)  # 核实通过
    assert state() is S.VERIFIED
    key(qtbot, duty.table, Qt.Key.Key_C)  # 结案
    assert state() is S.CLOSED

    events = ctx.incidents.history(duty._actor, case_id)
    assert [(e.kind, e.actor) for e in events] == [
        ("report", "zhiban"),
        ("accept", "zhiban"),
        ("dispatch", "zhiban"),
        ("start", "zhiban2"),
        ("handle", "zhiban2"),
        ("verify_failed", "zhiban"),
        ("handle", "zhiban2"),
        ("verify", "zhiban"),
        ("close", "zhiban"),
    ]
    assert events[5].to_state == "dispatched" and "建材仍未清走" in events[5].note
    with ctx.session_factory() as s:
        department = s.scalars(select(Department.name).where(Department.id == suggested)).one()
    find_case(qtbot, duty, case_no)
    lines = history_lines(duty)
    assert len(lines) == 9
    assert "王晓燕  上报（黄色）" in lines[0]
    assert f"派遣 → {department}（转为“已派遣”）" in lines[2]
    assert "陈立群  处置反馈" in lines[4]
    assert "核实未通过（转为“已派遣”）" in lines[5] and "楼道建材仍未清走" in lines[5]
    assert "结案（转为“已结案”）" in lines[-1]
    assert duty.pane.state.text() == "已结案" and duty.pane.countdown.text() == ""


def test_an_escalated_case_waits_for_the_county_and_its_answers_show_in_the_pane(
    qtbot: QtBot, ctx: Any
) -> None:
    duty = open_page(qtbot, ctx, "zhiban")
    to_front(qtbot, duty)
    key(qtbot, duty.table, Qt.Key.Key_N, modifier=CTRL)
    form = duty.form
    key(qtbot, form.channel, Qt.Key.Key_Down)  # → 网格员上报
    key(qtbot, form.category, Qt.Key.Key_End)  # 群体性事件苗头
    key(qtbot, form.subcategory, Qt.Key.Key_Down)  # → 欠薪聚集
    assert form.subcategory.currentData() == "欠薪聚集"
    assert "综治" in form.suggested.text()
    key(qtbot, form.colour, Qt.Key.Key_End)  # 红
    form.place.setText("金乡镇工业区某服装厂")
    form.title_edit.setText("服装厂工人聚集讨薪")
    form.description.setPlainText("约 30 名工人聚集在厂门口讨要三个月工资，情绪激动。")
    form.people.setText("30")
    form.reporter.setText("网格员李某")
    key(qtbot, form.title_edit, Qt.Key.Key_Return, modifier=CTRL)
    assert not form.isVisible(), form.error.text()
    case_id = form.created_id
    actor = duty._actor
    incident = ctx.incidents.get(actor, case_id)
    assert incident.group_warning and "30 人" in incident.group_warning
    assert duty.pane.banner.isVisibleTo(duty) and "群体性事件预警" in duty.pane.banner.text()
    assert duty.pane.banner.property("kind") == "group"

    key(qtbot, duty.table, Qt.Key.Key_A)
    find_case(qtbot, duty, incident.case_no)
    duty.note.setText("企业法人在外县，需县人社局协调")
    duty.table.setFocus()
    key(qtbot, duty.table, Qt.Key.Key_E)  # 上报县级
    assert ctx.incidents.get(actor, case_id).state is S.ESCALATED
    find_case(qtbot, duty, incident.case_no)
    assert duty.pane.countdown.text() == "已暂停（等待县级答复）"

    county = ctx.auth.login("zhuren", DEMO_PASSWORD)  # 中心主任 records the county's answers
    ctx.incidents.record_county_reply(county, case_id, "县级部门承办", "县人社局已立案调查")
    find_case(qtbot, duty, incident.case_no)
    assert duty.pane.state.text() == "已上报县级"
    assert duty.pane.countdown.text() == "已暂停（等待县级答复）"
    assert "县级答复：县级部门承办" in history_lines(duty)[-1]
    assert "县人社局已立案调查" in history_lines(duty)[-1]

    ctx.incidents.record_county_reply(county, case_id, "县级已办结", "工资已全额发放")
    find_case(qtbot, duty, incident.case_no)
    lines = history_lines(duty)
    assert ctx.incidents.get(actor, case_id).state is S.CLOSED
    assert duty.pane.state.text() == "已结案"
    assert "上报县级（转为“已上报县级”）" in lines[-3] and "需县人社局协调" in lines[-3]
    assert "黄志明  县级答复：县级已办结（转为“已结案”）" in lines[-1]
    assert [e.kind for e in ctx.incidents.history(actor, case_id)] == [
        "report",
        "group_warning",
        "accept",
        "escalate",
        "county_reply",
        "county_reply",
    ]
