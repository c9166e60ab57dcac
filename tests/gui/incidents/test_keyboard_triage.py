"""A duty officer takes a case from report to closure, through a failed verification and
an escalation, with the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bench.incidents import generate
from centre_app.app_context import AppContext
from centre_app.clock import ManualClock
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue
from centre_app.incidents.service import IncidentDraft
from db.models.incidents import Channel, IncidentState, RiskColour
from ui.incidents.page import IncidentsPage
from ui.incidents.queue_model import WINDOW

pytestmark = pytest.mark.gui
S = IncidentState


def press(qtbot: QtBot, page: IncidentsPage, key: Qt.Key) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, key)
    QApplication.processEvents()


def show_queue(page: IncidentsPage, queue: Queue) -> None:
    page.queues.setCurrentRow(list(Queue).index(queue))


def select_case(page: IncidentsPage, case_no: str) -> None:
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).case_no == case_no:
            page.selectRow(row)
            return
    raise AssertionError(f"{case_no} not in the queue")


def test_report_to_closure_through_failed_verification_and_escalation(
    qtbot: QtBot, ctx: AppContext
) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.GREEN,
            grid_code="330327102001002",
            place="金乡镇工业区某服装厂",
            title="工人反映被拖欠工资",
            description="来电反映某服装厂拖欠 6 名工人工资三个月。",
            reporter="来电人王某",
            people_involved=6,
        ),
    )
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)

    def state() -> IncidentState:
        return ctx.incidents.get(duty, incident.id).state

    show_queue(page, Queue.UNTRIAGED)
    select_case(page, incident.case_no)
    press(qtbot, page, Qt.Key.Key_1)  # red: wages of many workers
    assert ctx.incidents.get(duty, incident.id).colour is RiskColour.RED
    press(qtbot, page, Qt.Key.Key_A)
    assert state() is S.ACCEPTED

    # Escalate: the reason is required; first without it, then with it.
    show_queue(page, Queue.OPEN)
    select_case(page, incident.case_no)
    press(qtbot, page, Qt.Key.Key_E)
    assert "理由" in page.message.text() and state() is S.ACCEPTED
    page.note.setText("企业在外县注册，需县人社局协调")
    press(qtbot, page, Qt.Key.Key_E)
    assert state() is S.ESCALATED
    ctx.incidents.record_county_reply(
        ctx.auth.login("zhuren", DEMO_PASSWORD),
        incident.id,
        "退回乡镇处置",
        "县人社局已约谈企业，请乡镇跟进",
    )
    page.refreshQueue()
    select_case(page, incident.case_no)
    assert any("县级答复" in page.history.item(i).text() for i in range(page.history.count()))

    press(qtbot, page, Qt.Key.Key_D)  # dispatch to the suggested station
    assert state() is S.DISPATCHED
    press(qtbot, page, Qt.Key.Key_H)  # feedback must say what was done
    assert state() is S.DISPATCHED and "处置反馈需要写明做了什么" in page.message.text()
    page.note.setText("已约谈企业负责人，承诺本周发放")
    press(qtbot, page, Qt.Key.Key_H)
    assert state() is S.HANDLED
    show_queue(page, Queue.VERIFY)
    select_case(page, incident.case_no)
    page.note.setText("网格员回访：仍有 2 人未领到工资")
    press(qtbot, page, Qt.Key.Key_F)
    assert state() is S.DISPATCHED
    show_queue(page, Queue.OPEN)
    select_case(page, incident.case_no)
    page.note.setText("剩余 2 人工资已发放")
    press(qtbot, page, Qt.Key.Key_H)
    show_queue(page, Queue.VERIFY)
    select_case(page, incident.case_no)
    press(qtbot, page, Qt.Key.Key_V)
    assert state() is S.VERIFIED
    show_queue(page, Queue.OPEN)
    select_case(page, incident.case_no)
    press(qtbot, page, Qt.Key.Key_C)
    assert state() is S.CLOSED
    kinds = [e.kind for e in ctx.incidents.history(duty, incident.id)]
    assert kinds == [
        "report",
        "colour",
        "accept",
        "escalate",
        "county_reply",
        "dispatch",
        "handle",
        "verify_failed",
        "handle",
        "verify",
        "close",
    ]


def test_an_illegal_key_explains_itself_and_changes_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.VIDEO,
            category="环境卫生",
            subcategory="垃圾乱堆放",
            colour=RiskColour.GREEN,
            grid_code=None,
            place="桥头",
            title="桥头垃圾堆放",
            description="视频巡查发现桥头垃圾长期堆放。",
            reporter="周建国",
        ),
    )
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.show()
    show_queue(page, Queue.UNTRIAGED)
    before = page.model.row_at(0)
    page.selectRow(0)
    press(qtbot, page, Qt.Key.Key_C)
    assert "不能“结案”" in page.message.text()
    assert page.model.row_at(0).state is before.state


def test_the_queue_fetches_rows_in_windows(
    qtbot: QtBot, ctx: AppContext, clock: ManualClock
) -> None:
    # The demo holds fewer cases than one window: add enough for three.
    generate(ctx, 2 * WINDOW + 50, now=clock.now())
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    show_queue(page, Queue.ALL)
    whole = ctx.incident_queries.rows(duty, page.model.filter, offset=0, limit=10_000)
    assert page.model.rowCount() == page.model.total == len(whole) > 2 * WINDOW
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = page.table.currentIndex().row()
    assert last == len(whole) - 1
    assert page.model.row_at(last).case_no == whole[-1].case_no
    assert page.model.rows_loaded < len(whole)  # the middle window was never read


def test_the_context_menu_offers_only_what_the_selected_case_allows(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """Every entry was enabled whatever the case: 结案 on a case just reported led only to
    a refusal in words."""
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    incident = ctx.incidents.report(
        duty,
        IncidentDraft(
            channel=Channel.HOTLINE,
            category="矛盾纠纷",
            subcategory="劳资纠纷",
            colour=RiskColour.GREEN,
            grid_code="330327102001002",
            place="金乡镇工业区某服装厂",
            title="工人反映被拖欠工资",
            description="来电反映某服装厂拖欠工资。",
            reporter="来电人王某",
            people_involved=6,
        ),
    )
    page = IncidentsPage(ctx, duty)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)

    def offered() -> set[str]:  # the keys written after the tab of the enabled entries
        actions = page.table.actions()
        return {a.text().partition("\t")[2] for a in actions if a.isEnabled() and "\t" in a.text()}

    show_queue(page, Queue.UNTRIAGED)
    select_case(page, incident.case_no)
    assert offered() == {"A", "X", "E"}  # accept, reject, escalate
    press(qtbot, page, Qt.Key.Key_A)
    show_queue(page, Queue.OPEN)
    select_case(page, incident.case_no)
    assert offered() == {"D", "E"}  # dispatch, escalate
    page.table.clearSelection()
    assert offered() == set()
