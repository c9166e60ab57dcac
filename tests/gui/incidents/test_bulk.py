"""Bulk triage on a selection: every row through the service, a colleague's earlier action
fails alone and is told in one message, the rest applied, the queue refreshed once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from centre_app.app_context import AppContext
from centre_app.demo import DEMO_PASSWORD
from centre_app.incidents.queries import Queue
from centre_app.incidents.service import IncidentDraft
from db.models.incidents import Channel, Incident, IncidentState, RiskColour
from ui.incidents.page import IncidentsPage

pytestmark = pytest.mark.gui
S = IncidentState


def report(ctx: AppContext, n: int) -> list[Incident]:
    duty = ctx.auth.login("zhiban", DEMO_PASSWORD)
    return [
        ctx.incidents.report(
            duty,
            IncidentDraft(
                channel=Channel.GRID_WORKER,
                category="环境卫生",
                subcategory="垃圾乱堆放",
                colour=RiskColour.GREEN,
                grid_code=None,
                place=f"滨河路 {i} 号",
                title=f"批量测试垃圾堆放{i}",
                description="网格员巡查发现路边垃圾堆放。",
                reporter="网格员",
            ),
        )
        for i in range(n)
    ]


def show(qtbot: QtBot, page: IncidentsPage, queue: Queue, search: str) -> None:
    page.queues.setCurrentRow(list(Queue).index(queue))
    if page.search.text() != search:
        with qtbot.waitSignal(page.filter_bar.filterChanged, timeout=2000):
            page.search.setText(search)


def press_on_all(qtbot: QtBot, page: IncidentsPage, key: Qt.Key) -> None:
    page.table.setFocus()
    page.table.selectAll()
    qtbot.keyClick(page.table, key)
    QApplication.processEvents()


def test_bulk_dispatch_applies_the_rest_and_names_the_colleagues_case(
    qtbot: QtBot, ctx: AppContext
) -> None:
    incidents = report(ctx, 4)
    me = ctx.auth.login("zhiban", DEMO_PASSWORD)
    colleague = ctx.auth.login("zhiban2", DEMO_PASSWORD)
    page = IncidentsPage(ctx, me)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()

    show(qtbot, page, Queue.UNTRIAGED, "批量测试")
    assert page.model.total == 4
    press_on_all(qtbot, page, Qt.Key.Key_A)
    assert page.message.text() == "批量立案受理：4 件已处理。"
    assert {ctx.incidents.get(me, i.id).state for i in incidents} == {S.ACCEPTED}
    assert page.model.total == 0  # they left 待分流, in one refresh

    show(qtbot, page, Queue.OPEN, "批量测试")
    assert page.model.total == 4
    press_on_all(qtbot, page, Qt.Key.Key_1)
    assert page.message.text() == "批量设为红色：4 件已处理。"
    assert {ctx.incidents.get(me, i.id).colour for i in incidents} == {RiskColour.RED}

    # The colleague dispatches one of them while my queue still shows it as accepted.
    taken = incidents[2]
    page.department.setCurrentIndex(1)
    department = page.department.currentData()
    ctx.incidents.act(
        colleague, taken.id, "dispatch", seen_state=S.ACCEPTED, department_id=department
    )
    press_on_all(qtbot, page, Qt.Key.Key_D)
    text = page.message.text()
    assert text.startswith("批量派遣：3 件已处理，1 件未处理：")
    assert f"{taken.case_no} 已被 陈立群（zhiban2） 处理为“已派遣”" in text
    assert {ctx.incidents.get(me, i.id).state for i in incidents} == {S.DISPATCHED}
    # Nothing lost, nothing doubled: the colleague's case has exactly one dispatch.
    history = [(e.kind, e.actor) for e in ctx.incidents.history(me, taken.id)]
    assert history.count(("dispatch", "zhiban2")) == 1
    assert ("dispatch", "zhiban") not in history


def test_one_refusal_shared_by_many_rows_is_said_once(qtbot: QtBot, ctx: AppContext) -> None:
    report(ctx, 3)
    page = IncidentsPage(ctx, ctx.auth.login("zhiban", DEMO_PASSWORD))
    qtbot.addWidget(page)
    page.show()
    show(qtbot, page, Queue.UNTRIAGED, "批量测试")
    cases = [page.model.row_at(r).case_no for r in range(3)]
    page.table.selectAll()
    # 结案 from 待分流 is illegal for all three: one reason, three case numbers, from the menu.
    page.applyAction("close")
    text = page.message.text()
    assert text.startswith("批量结案：0 件已处理，3 件未处理：" + "、".join(cases) + "：")
    assert text.count("不能“结案”") == 1
    assert page.model.total == 3


def test_the_bulk_menu_acts_on_the_selection(qtbot: QtBot, ctx: AppContext) -> None:
    incidents = report(ctx, 2)
    me = ctx.auth.login("zhiban", DEMO_PASSWORD)
    page = IncidentsPage(ctx, me)
    qtbot.addWidget(page)
    page.show()
    show(qtbot, page, Queue.UNTRIAGED, "批量测试")
    page.table.selectAll()
    menu = page.bulk.menu()
    accept = next(a for a in menu.actions() if a.text().startswith("立案受理"))
    accept.trigger()
    assert {ctx.incidents.get(me, i.id).state for i in incidents} == {S.ACCEPTED}
